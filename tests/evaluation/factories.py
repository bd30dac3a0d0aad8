"""Factories and helpers for the evaluation app (same style as tests/factories/: each object's
tenant follows the object it belongs to)."""

from datetime import timedelta

import factory
from django.utils import timezone

from evaluation import services
from evaluation.models import (
    Criterion,
    QuestionAudience,
    Survey,
    SurveyQuestion,
)
from programmes.models import Participant, ParticipantRole, Round
from tests.factories.programmes import ParticipantFactory, RoundFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    """An open final survey (published, opened yesterday, closing in two weeks)."""

    class Meta:
        model = Survey

    round = factory.SubFactory(RoundFactory, status=Round.Status.RUNNING)
    tenant = factory.SelfAttribute("round.tenant")
    kind = Survey.Kind.FINAL
    ask_goals = factory.LazyAttribute(lambda o: o.kind == Survey.Kind.FINAL)
    title = factory.Sequence(lambda n: f"Utvärdering {n}")
    status = Survey.Status.PUBLISHED
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class SurveyQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyQuestion

    survey = factory.SubFactory(SurveyFactory)
    tenant = factory.SelfAttribute("survey.tenant")
    criterion = Criterion.RELEVANCE
    kind = SurveyQuestion.Kind.SCALE
    text = factory.Sequence(lambda n: f"Fråga {n}: svarade programmet mot ett behov?")
    audience = QuestionAudience.BOTH
    position = factory.Sequence(lambda n: n)


def participants(round_, *, mentors=0, adepts=0, language="en"):
    """Create participants of a round; returns (mentors, adepts) as lists of users."""
    made = {ParticipantRole.MENTOR: [], ParticipantRole.ADEPT: []}
    for role, count in ((ParticipantRole.MENTOR, mentors), (ParticipantRole.ADEPT, adepts)):
        for _ in range(count):
            p = ParticipantFactory(round=round_, role=role, user__language=language)
            made[role].append(p.user)
    return made[ParticipantRole.MENTOR], made[ParticipantRole.ADEPT]


def answer(survey, user, role=None, values=None, goals=None, now=None):
    """Submit through the service: ``values`` maps a question (or pk) to its raw value."""
    if role is None:
        role = Participant.objects.filter(round=survey.round, user=user).first().role
    answers = {}
    for question, value in (values or {}).items():
        answers[getattr(question, "pk", question)] = value
    return services.submit_response(
        tenant=survey.tenant,
        user=user,
        survey=survey,
        role=role,
        answers=answers,
        goals=goals or {},
        now=now,
    )
