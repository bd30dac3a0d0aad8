"""Reads shared by views, template tags, reminders and the round dashboard. Each takes
``tenant=`` and reads in a fixed number of queries."""

from collections import defaultdict

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from programmes.models import Participant, ParticipantRole, Round

from .models import Respondent, Survey, SurveyQuestion, SurveyResponse
from .results import released_q


def get_round(*, tenant, pk):
    round_ = Round.objects.filter(tenant=tenant, pk=pk).select_related("programme").first()
    if round_ is None:
        raise Http404
    return round_


def get_survey(*, tenant, pk):
    survey = (
        Survey.objects.filter(tenant=tenant, pk=pk)
        .select_related("round", "round__programme")
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def get_question(*, tenant, pk):
    question = (
        SurveyQuestion.objects.filter(tenant=tenant, pk=pk)
        .select_related("survey", "survey__round", "survey__round__programme")
        .first()
    )
    if question is None:
        raise Http404
    return question


def questions_with_answer_counts(*, tenant, survey):
    """``answer_count`` counts released answers only (what the results show); ``has_answers``
    says whether any answer, released or not, fixes the question (it cannot be deleted)."""
    return list(
        SurveyQuestion.objects.filter(tenant=tenant, survey=survey).annotate(
            answer_count=Count("answers", filter=released_q("answers__response__")),
            has_answers=Count("answers"),
        )
    )


def released_count(*, tenant, survey):
    """How many have answered, as far as the results may tell: the released responses."""
    return SurveyResponse.objects.filter(tenant=tenant, survey=survey).filter(released_q()).count()


def surveys_of_round(*, tenant, round_):
    """The round's surveys with invited and answered counts (three queries). "Answered" counts
    the released responses, as the results do (``results.released_q``)."""
    surveys = list(
        Survey.objects.filter(tenant=tenant, round=round_)
        .annotate(answered=Count("responses", filter=released_q("responses__"), distinct=True))
        .order_by("opens_at", "id")
    )
    by_role = dict(
        Participant.objects.filter(tenant=tenant, round=round_)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    for survey in surveys:
        survey.invited = sum(by_role.get(role, 0) for role in survey.roles)
    return surveys


def dashboard_section(*, tenant, round_):
    """The surveys part of the round dashboard (mentorship.hooks.DASHBOARD_SECTIONS)."""
    return {
        "template": "evaluation/includes/dashboard_section.html",
        "round": round_,
        "surveys": surveys_of_round(tenant=tenant, round_=round_),
    }


def open_surveys_for(*, tenant, user, now=None):
    """[{survey, role, answered}] the person is asked in this tenant and that are open now,
    for their start page (three queries)."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    roles = defaultdict(set)
    for round_id, role in Participant.objects.filter(tenant=tenant, user=user).values_list(
        "round_id", "role"
    ):
        roles[round_id].add(role)
    if not roles:
        return []
    surveys = list(
        Survey.objects.filter(
            tenant=tenant,
            round_id__in=list(roles),
            status=Survey.Status.PUBLISHED,
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .select_related("round", "round__programme")
        .order_by("closes_at", "id")
    )
    answered = set(
        Respondent.objects.filter(tenant=tenant, user=user, survey__in=surveys).values_list(
            "survey_id", "role"
        )
    )
    out = []
    for survey in surveys:
        for role in (ParticipantRole.MENTOR, ParticipantRole.ADEPT):
            if role in roles[survey.round_id] and role in survey.roles:
                out.append(
                    {
                        "survey": survey,
                        "role": role,
                        "role_label": ParticipantRole(role).label,
                        "answered": (survey.pk, role) in answered,
                    }
                )
    return out


def non_respondents(*, survey):
    """Participants asked who have not answered (with their users), for reminders."""
    answered = Respondent.objects.filter(survey=survey).values_list("user_id", "role")
    answered = set(answered)
    participants = (
        Participant.objects.filter(
            tenant_id=survey.tenant_id, round_id=survey.round_id, role__in=list(survey.roles)
        )
        .select_related("user")
        .order_by("id")
    )
    return [p for p in participants if (p.user_id, p.role) not in answered]
