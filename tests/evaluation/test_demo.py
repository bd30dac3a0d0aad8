"""``seed_demo``'s surveys: kvarnadalen's two finished rounds answered (the report can be made at
once), the network's check-in prepared, the city's open check-in with a few answers; twice
changes nothing."""

import pytest
from django.utils import timezone

from evaluation.models import GoalRating, Respondent, Survey, SurveyAnswer, SurveyResponse
from evaluation.results import goal_summary, survey_results
from programmes.models import Round
from tests.demo_seed import snapshot

pytestmark = pytest.mark.django_db


def rows():
    return (
        sorted(Survey.objects.values_list("id", "round_id", "kind", "status", "opens_at")),
        Respondent.objects.count(),
        SurveyResponse.objects.count(),
        SurveyAnswer.objects.count(),
        GoalRating.objects.count(),
    )


snapshot("evaluation")(rows)


@pytest.fixture
def seeded(demo_seed):
    return demo_seed.after_first["evaluation"]


def test_demo_surveys(seeded):
    assert rows() == seeded  # a second run changes nothing

    # kvarnadalen: two closed rounds, each with a closed final evaluation answered by >= 3
    # mentors and >= 3 adepts, goal ratings and free-text quotes.
    rounds = Round.objects.filter(tenant__slug="kvarnadalen").order_by("starts_on")
    assert [r.status for r in rounds] == [Round.Status.CLOSED, Round.Status.CLOSED]
    means = []
    for round_ in rounds:
        survey = Survey.objects.get(round=round_, kind=Survey.Kind.FINAL)
        assert survey.phase() == Survey.Phase.CLOSED
        result = survey_results(tenant=round_.tenant, survey=survey)
        assert result.responses["mentor"] >= 3 and result.responses["adept"] >= 3
        assert not result.withheld
        assert {g.criterion for g in result.groups} >= {
            "relevance",
            "implementation",
            "goal_fulfilment",
        }
        texts = [t.text for q in result.questions for t in q.texts]
        assert texts and all(isinstance(t, str) and t for t in texts)
        goals = goal_summary(tenant=round_.tenant, round_=round_)
        assert not goals.withheld and goals.counts["reached"] > 0
        q = next(q for q in result.questions if q.key == "goal-development")
        means.append(q.total.mean)
        assert round_.report_conclusions.startswith("Hög relevans.")
    # Round 2 compares with round 1.
    assert q.comparison and q.comparison[-1].current
    assert means[1] > means[0]

    # vastnatet: round 15 (recruiting) has its check-in prepared, opening after the third
    # pair meeting; nobody has answered.
    network = Survey.objects.get(tenant__slug="vastnatet", kind=Survey.Kind.MIDTERM)
    assert network.status == Survey.Status.PUBLISHED
    assert network.phase() == Survey.Phase.SCHEDULED
    assert network.opens_at.date() > network.round.starts_on
    assert not SurveyResponse.objects.filter(survey=network).exists()

    # storvik: an open check-in with four answers, three released (one batch), the fourth
    # waiting for the next batch; the split by role is withheld.
    city = Survey.objects.get(tenant__slug="storvik", kind=Survey.Kind.MIDTERM)
    assert city.phase(timezone.now()) == Survey.Phase.OPEN
    assert SurveyResponse.objects.filter(survey=city).count() == 4
    result = survey_results(tenant=city.tenant, survey=city)
    assert result.responses["total"] == 3
    assert result.answered == result.responses
    assert not result.withheld
    assert all(q.split_withheld for q in result.questions)
