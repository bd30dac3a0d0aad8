"""Results: distributions, means, the anonymity threshold, comparisons between rounds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.models import Criterion, Survey, SurveyAnswer, SurveyQuestion
from evaluation.results import goal_summary, programme_trends, round_results, survey_results
from mentorship import charts
from tests.evaluation.factories import (
    SurveyFactory,
    SurveyQuestionFactory,
    answer,
    participants,
)
from tests.factories.programmes import RoundFactory

pytestmark = pytest.mark.django_db


def _survey_with_questions(**kwargs):
    survey = SurveyFactory(**kwargs)
    scale = SurveyQuestionFactory(survey=survey, key="relevance-need", position=1)
    single = SurveyQuestionFactory(
        survey=survey,
        kind=SurveyQuestion.Kind.SINGLE,
        criterion=Criterion.IMPLEMENTATION,
        choices=["Ofta", "Sällan"],
        position=2,
    )
    text = SurveyQuestionFactory(
        survey=survey,
        kind=SurveyQuestion.Kind.TEXT,
        criterion=Criterion.GOAL_FULFILMENT,
        position=3,
    )
    return survey, scale, single, text


def _close(survey):
    """Closed by its date (no service call): every response counts from then on."""
    survey.closes_at = timezone.now() - timedelta(seconds=1)
    survey.save(update_fields=["closes_at"])


def test_distribution_mean_and_split_by_role():
    survey, scale, single, text = _survey_with_questions()
    mentors, adepts = participants(survey.round, mentors=3, adepts=4)
    for user, value in zip(mentors, ["5", "4", "4"], strict=True):
        answer(survey, user, values={scale: value, single: "Ofta", text: f"Mentor {value}"})
    for user, value in zip(adepts, ["3", "5", "5", "2"], strict=True):
        answer(survey, user, values={scale: value, single: "Sällan"})
    _close(survey)  # the seventh answer waits for a batch until then
    result = survey_results(tenant=survey.tenant, survey=survey)
    assert result.withheld is False
    assert result.invited == {"mentor": 3, "adept": 4, "total": 7}
    assert result.answered["total"] == 7 and result.response_rate == 100
    by_key = {q.id: q for q in result.questions}
    scale_result = by_key[scale.pk]
    assert [o.count for o in scale_result.total.options] == [0, 1, 1, 2, 3]
    assert scale_result.total.n == 7
    assert scale_result.total.mean == pytest.approx(28 / 7)
    assert not scale_result.split_withheld
    assert [o.count for o in scale_result.by_role["mentor"].options] == [0, 0, 0, 2, 1]
    assert scale_result.by_role["adept"].mean == pytest.approx(15 / 4)
    assert [(o.label, o.count) for o in by_key[single.pk].total.options] == [
        ("Ofta", 3),
        ("Sällan", 4),
    ]
    assert sorted(t.text for t in by_key[text.pk].texts) == ["Mentor 4", "Mentor 4", "Mentor 5"]
    assert [g.criterion for g in result.groups] == [
        "relevance",
        "implementation",
        "goal_fulfilment",
    ]


def test_results_for_a_group_of_two_are_withheld():
    survey, scale, single, text = _survey_with_questions()
    mentors, _ = participants(survey.round, mentors=2, adepts=3)
    for user in mentors:
        answer(
            survey, user, values={scale: "1", single: "Sällan", text: "Jag, Kalle, var missnöjd"}
        )
    _close(survey)  # released, and still too few
    result = survey_results(tenant=survey.tenant, survey=survey)
    assert result.withheld is True
    assert result.responses["total"] == 2
    for q in result.questions:
        assert q.total.withheld is True
        assert q.total.options == [] and q.total.mean is None and q.total.n == 0
        assert q.texts == []
    assert "Kalle" not in repr(result)


def test_a_small_role_withholds_the_whole_split_not_the_total():
    """Showing adepts (4) next to the total (6) would reveal the 2 mentors by subtraction."""
    survey, scale, _single, _text = _survey_with_questions()
    mentors, adepts = participants(survey.round, mentors=2, adepts=4)
    for user in mentors:
        answer(survey, user, values={scale: "1"})
    for user in adepts:
        answer(survey, user, values={scale: "5"})
    q = next(q for q in survey_results(tenant=survey.tenant, survey=survey).questions)
    assert q.total.withheld is False and q.total.n == 6
    assert q.split_withheld is True
    assert all(d.withheld and d.options == [] and d.n == 0 for d in q.by_role.values())


def test_question_for_one_role_uses_that_roles_group():
    survey = SurveyFactory()
    adept_q = SurveyQuestionFactory(survey=survey, audience="adept")
    _, adepts = participants(survey.round, mentors=5, adepts=2)
    for user in adepts:
        answer(survey, user, values={adept_q: "4"})
    mentors = [p.user for p in survey.round.participants.filter(role="mentor")]
    for user in mentors:
        answer(survey, user)
    q = survey_results(tenant=survey.tenant, survey=survey).questions[0]
    assert q.group_size == 2 and q.total.withheld is True


def test_hidden_free_texts_are_left_out_unless_asked_for():
    survey, scale, _single, text = _survey_with_questions()
    mentors, _ = participants(survey.round, mentors=3)
    for index, user in enumerate(mentors):
        answer(survey, user, values={scale: "3", text: f"Text {index}"})
    hidden = SurveyAnswer.objects.get(text="Text 1")
    hidden.text_hidden = True
    hidden.save()
    public = survey_results(tenant=survey.tenant, survey=survey)
    q = next(q for q in public.questions if q.id == text.pk)
    assert sorted(t.text for t in q.texts) == ["Text 0", "Text 2"] and q.hidden_texts == 1
    own = survey_results(tenant=survey.tenant, survey=survey, include_hidden=True)
    q = next(q for q in own.questions if q.id == text.pk)
    assert {(t.text, t.hidden) for t in q.texts} == {
        ("Text 0", False),
        ("Text 1", True),
        ("Text 2", False),
    }


def test_this_round_against_earlier_rounds_and_trends():
    now = timezone.now()
    first = RoundFactory(starts_on=timezone.localdate() - timedelta(days=800))
    second = RoundFactory(
        programme=first.programme, starts_on=timezone.localdate() - timedelta(days=400)
    )
    small = RoundFactory(
        programme=first.programme, starts_on=timezone.localdate() - timedelta(days=600)
    )
    surveys = {}
    for round_, values in ((first, ["2", "3", "3"]), (second, ["5", "4", "5"]), (small, ["1"])):
        survey = SurveyFactory(
            round=round_, opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=3)
        )
        q = SurveyQuestionFactory(survey=survey, key="goal-development")
        mentors, _ = participants(round_, mentors=len(values))
        for user, value in zip(mentors, values, strict=True):
            answer(survey, user, values={q: value})
        surveys[round_.pk] = survey
    result = survey_results(tenant=first.tenant, survey=surveys[second.pk])
    points = result.questions[0].comparison
    assert [(p.round_id, p.withheld, p.current) for p in points] == [
        (first.pk, False, False),
        (small.pk, True, False),
        (second.pk, False, True),
    ]
    assert points[0].mean == pytest.approx(8 / 3) and points[2].mean == pytest.approx(14 / 3)
    assert points[1].mean is None and points[1].n == 0
    # The first round has nothing earlier to compare with.
    assert (
        survey_results(tenant=first.tenant, survey=surveys[first.pk]).questions[0].comparison == []
    )
    trends = programme_trends(tenant=first.tenant, programme=first.programme)
    assert [t.key for t in trends] == ["goal-development"]
    assert [p.round_id for p in trends[0].points] == [first.pk, small.pk, second.pk]


def test_goal_summary_in_aggregate_and_withheld_when_small():
    survey = SurveyFactory()
    mentors, adepts = participants(survey.round, mentors=3, adepts=3)
    for user, rating in zip(adepts, ["reached", "partly", "reached"], strict=True):
        answer(survey, user, goals={"general": rating})
    for user in mentors:
        answer(survey, user, goals={"general": "not"})
    summary = goal_summary(tenant=survey.tenant, round_=survey.round)
    assert summary.withheld is False and summary.n == 6
    assert summary.counts == {"reached": 2, "partly": 1, "not": 3}
    assert summary.by_role["adept"]["counts"] == {"reached": 2, "partly": 1, "not": 0}
    assert summary.by_source == {"general": {"reached": 2, "partly": 1, "not": 3}}

    small = SurveyFactory()
    _, adepts = participants(small.round, adepts=2)
    for user in adepts:
        answer(small, user, goals={"general": "reached"})
    summary = goal_summary(tenant=small.tenant, round_=small.round)
    assert summary.withheld is True and summary.counts == {}


def test_round_results_collects_the_published_surveys():
    survey = SurveyFactory()
    midterm = SurveyFactory(round=survey.round, kind=Survey.Kind.MIDTERM)
    SurveyFactory(round=survey.round, status=Survey.Status.DRAFT)
    result = round_results(tenant=survey.tenant, round_=survey.round)
    assert [s.survey for s in result.surveys] == [survey, midterm] or [
        s.survey for s in result.surveys
    ] == [midterm, survey]
    assert result.final.survey == survey and result.midterm.survey == midterm


def test_bar_chart_is_accessible_svg_and_escapes_text():
    svg = charts.bar_chart_svg(labels=["<b>Ja</b>", "Nej"], values=[3, 1], title="Fråga & svar")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title" in svg and "<desc" in svg and "Fråga &amp; svar" in svg
    assert "<b>" not in svg and "&lt;b&gt;Ja&lt;/b&gt;: 3; Nej: 1" in svg
    grouped = charts.grouped_bar_chart_svg(
        labels=["1", "2"], series=[("Mentorer", [1, 2]), ("Adepter", [0, 4])], title="T"
    )
    assert "Mentorer" in grouped and "Adepter" in grouped
    assert grouped.count("<rect") == 6  # four bars and two legend keys
