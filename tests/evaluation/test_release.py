"""Answers reach the results in batches (or only after closing), so a coordinator who compares
the pages before and after one person answers learns nothing about that person's answers."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from evaluation import services
from evaluation.models import Survey, SurveyQuestion, SurveyResponse
from evaluation.results import survey_results
from programmes.models import Round
from reporting import reports
from tests.evaluation.factories import SurveyFactory, SurveyQuestionFactory, answer, participants
from tests.factories.organisations import MembershipFactory
from tests.factories.programmes import RoundFactory

pytestmark = pytest.mark.django_db

# What differs between two renderings of the same data: csrf tokens and the charts' ids.
NOISE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|chart-\d+')


@pytest.fixture
def world(tenant):
    round_ = RoundFactory(programme__tenant=tenant, status=Round.Status.RUNNING)
    survey = SurveyFactory(round=round_, title="Slututvärdering")
    scale = SurveyQuestionFactory(survey=survey, text="Svarade programmet mot ett behov?")
    text = SurveyQuestionFactory(survey=survey, kind=SurveyQuestion.Kind.TEXT, text="Något mer?")
    mentors, adepts = participants(round_, mentors=4, adepts=4)
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en").user
    return survey, scale, text, mentors + adepts, coordinator


def _pages(client, survey):
    """Every coordinator page that shows answers or counts of them, noise taken out."""
    t = survey.tenant.slug
    paths = [
        reverse("evaluation:results", args=[t, survey.pk]),
        reverse("evaluation:survey", args=[t, survey.pk]),
        reverse("evaluation:survey_list", args=[t, survey.round_id]),
        reverse("programmes:round_dashboard", args=[t, survey.round_id]),
        reverse("reports:round", kwargs={"tenant": t, "round_pk": survey.round_id}),
    ]
    out = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        out[path] = NOISE.sub("", response.content.decode())
    return out


def _results(survey):
    with translation.override("en"):
        return survey_results(tenant=survey.tenant, survey=survey)


def _figures(survey):
    with translation.override("en"):
        return NOISE.sub(
            "", repr(reports.report_figures(tenant=survey.tenant, round_=survey.round))
        )


def test_answers_reach_the_results_three_at_a_time(client, world):
    survey, scale, text, people, coordinator = world
    client.force_login(coordinator)
    for index, user in enumerate(people[:3]):
        answer(survey, user, values={scale: str(index + 2), text: f"Citat {index}"})
    result = _results(survey)
    assert result.responses["total"] == result.answered["total"] == 3
    pages = _pages(client, survey)
    assert "Citat 0" in pages[reverse("evaluation:results", args=[survey.tenant.slug, survey.pk])]
    figures = _figures(survey)

    # The 4th and 5th answers change nothing anywhere: counts, charts, quotes, the report.
    for index, user in enumerate(people[3:5], start=3):
        answer(survey, user, values={scale: "1", text: f"Citat {index}"})
        assert _pages(client, survey) == pages
        assert _figures(survey) == figures
        later = _results(survey)
        assert later.responses == result.responses and later.answered == result.answered
        assert later.questions == result.questions and later.goals == result.goals

    # The 6th makes a batch of three new ones: all six show.
    answer(survey, people[5], values={scale: "1", text: "Citat 5"})
    result = _results(survey)
    assert result.responses["total"] == result.answered["total"] == 6
    page = _pages(client, survey)[
        reverse("evaluation:results", args=[survey.tenant.slug, survey.pk])
    ]
    assert all(f"Citat {i}" in page for i in range(6))
    assert not SurveyResponse.objects.filter(survey=survey, released=False).exists()


def test_only_after_closing_shows_nothing_until_the_survey_closes(client, world):
    survey, scale, text, people, coordinator = world
    survey.release = Survey.Release.AFTER_CLOSE
    survey.save()
    client.force_login(coordinator)
    answer(survey, people[0], values={scale: "4", text: "Citat 0"})
    before = _pages(client, survey)
    for index, user in enumerate(people[1:7], start=1):
        answer(survey, user, values={scale: "4", text: f"Citat {index}"})
    result = _results(survey)
    assert result.responses["total"] == result.answered["total"] == 0 and result.withheld
    assert _pages(client, survey) == before
    assert "Citat" not in "".join(before.values())

    services.close_survey(tenant=survey.tenant, actor=coordinator, survey=survey)
    result = _results(survey)
    assert result.responses["total"] == 7 and not result.withheld
    assert SurveyResponse.objects.filter(survey=survey, released=True).count() == 7


def test_closing_by_the_date_releases_everything_without_a_job(world):
    survey, scale, text, people, _ = world
    for user in people[:4]:
        answer(survey, user, values={scale: "4"})
    assert _results(survey).responses["total"] == 3
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    survey.refresh_from_db()
    assert _results(survey).responses["total"] == 4

    # Reopened with a later date: what was shown stays shown, nothing more.
    services.update_survey(
        tenant=survey.tenant,
        actor=None,
        survey=survey,
        data={"closes_at": timezone.now() + timedelta(days=3)},
    )
    survey.refresh_from_db()
    assert survey.phase() == Survey.Phase.OPEN
    answer(survey, people[4], values={scale: "4"})
    assert _results(survey).responses["total"] == 4


def test_switching_to_batches_releases_a_full_batch_at_once(world):
    survey, scale, text, people, coordinator = world
    survey.release = Survey.Release.AFTER_CLOSE
    survey.save()
    for user in people[:2]:
        answer(survey, user, values={scale: "4"})
    services.update_survey(
        tenant=survey.tenant, actor=coordinator, survey=survey, data={"release": "batches"}
    )
    assert _results(survey).responses["total"] == 0
    answer(survey, people[2], values={scale: "4"})
    assert _results(survey).responses["total"] == 3


def test_the_survey_form_offers_the_release_choice(client, world):
    survey, scale, text, people, coordinator = world
    client.force_login(coordinator)
    page = client.get(reverse("evaluation:survey", args=[survey.tenant.slug, survey.pk]))
    content = page.content.decode()
    assert "In batches of at least 3 new answers" in content
    assert "Only after the survey closes" in content
