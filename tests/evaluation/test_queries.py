"""The results page, the survey list, the builder, the participant's start page and the round
dashboard ask the database a fixed number of times, whatever the number of answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Criterion, SurveyQuestion
from programmes.models import Round
from tests.evaluation.factories import (
    SurveyFactory,
    SurveyQuestionFactory,
    answer,
    participants,
)
from tests.factories.organisations import MembershipFactory
from tests.factories.programmes import RoundFactory

pytestmark = pytest.mark.django_db
SMALL, LARGE = 3, 15


def build(size):
    coordinator = MembershipFactory(is_coordinator=True, user__language="en")
    tenant = coordinator.tenant
    earlier = RoundFactory(
        programme__tenant=tenant, starts_on=timezone.localdate() - timedelta(days=400)
    )
    round_ = RoundFactory(
        programme=earlier.programme, status=Round.Status.RUNNING, starts_on=timezone.localdate()
    )
    surveys = []
    for r in (earlier, round_):
        survey = SurveyFactory(round=r)
        scale = SurveyQuestionFactory(survey=survey, key="goal-development")
        single = SurveyQuestionFactory(
            survey=survey,
            kind=SurveyQuestion.Kind.SINGLE,
            criterion=Criterion.IMPLEMENTATION,
            choices=["Ofta", "Sällan", "Aldrig"],
        )
        multiple = SurveyQuestionFactory(
            survey=survey,
            kind=SurveyQuestion.Kind.MULTIPLE,
            criterion=Criterion.GOAL_FULFILMENT,
            choices=["Delegerar", "Reflekterar", "Planerar"],
        )
        text = SurveyQuestionFactory(survey=survey, kind=SurveyQuestion.Kind.TEXT)
        mentors, adepts = participants(r, mentors=size, adepts=size)
        for index, user in enumerate(mentors + adepts):
            answer(
                survey,
                user,
                values={
                    scale: str(1 + index % 5),
                    single: ["Ofta", "Sällan", "Aldrig"][index % 3],
                    multiple: ["Delegerar", "Planerar"],
                    text: f"Svar {index}",
                },
                goals={"general": ["reached", "partly", "not"][index % 3]},
            )
        surveys.append(survey)
    return coordinator.user, surveys[-1], mentors[0]


def count(client, path):
    client.get(path)  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries), response.content.decode()


def pages(survey):
    t = survey.tenant.slug
    return {
        "results": reverse("evaluation:results", args=[t, survey.pk]),
        "list": reverse("evaluation:survey_list", args=[t, survey.round_id]),
        "builder": reverse("evaluation:survey", args=[t, survey.pk]),
        "dashboard": reverse("programmes:round_dashboard", args=[t, survey.round_id]),
    }


def test_coordinator_pages_do_not_grow_with_the_answers():
    measured = {}
    for size in (SMALL, LARGE):
        user, survey, _participant = build(size)
        client = Client()
        client.force_login(user)
        for name, path in pages(survey).items():
            n, page = count(client, path)
            measured.setdefault(name, []).append(n)
            if name == "results":
                assert f"Svar {2 * size - 1}" in page  # every text is on the page
                assert "This round and earlier rounds" in page
    for name, (small, large) in measured.items():
        assert small == large, (name, small, large)


def test_participant_home_does_not_grow_with_surveys():
    measured = []
    for size in (SMALL, LARGE):
        _user, survey, participant = build(size)
        for _ in range(size):
            SurveyFactory(round=survey.round)
        client = Client()
        client.force_login(participant)
        n, page = count(client, reverse("programmes:participant_home", args=[survey.tenant.slug]))
        assert page.count("answered, thank you") == 1
        measured.append(n)
    assert measured[0] == measured[1], measured
