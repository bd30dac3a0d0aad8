"""Reads shared by views, feeds, exports and tasks. Each takes ``tenant=``."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django_scopes import scopes_disabled

from mentorship import hooks

from .models import (
    Audience,
    MeetingPart,
    MeetingResponse,
    Participant,
    ParticipantRole,
    Programme,
    Round,
    SharedMeeting,
)


def programmes_for(*, tenant):
    return Programme.objects.filter(tenant=tenant).annotate(round_count=Count("rounds"))


def rounds_for(*, tenant, programme=None):
    qs = Round.objects.filter(tenant=tenant).select_related("programme")
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs


def public_rounds(*, tenant):
    """Rounds a visitor may see on the tenant's public page, open ones first."""
    return (
        Round.objects.filter(tenant=tenant, programme__is_active=True)
        .exclude(status__in=[Round.Status.DRAFT, Round.Status.ARCHIVED, Round.Status.CLOSED])
        .select_related("programme")
        .prefetch_related("eligibility")
        .order_by("application_closes_at", "starts_on")
    )


def get_round(*, tenant, pk):
    return (
        Round.objects.filter(tenant=tenant, pk=pk)
        .select_related("programme")
        .prefetch_related("eligibility")
        .get()
    )


def meetings_of_round(*, tenant, round_):
    return (
        SharedMeeting.objects.filter(tenant=tenant, round=round_)
        .select_related("host_organisation")
        .prefetch_related("parts")
        .annotate(
            attending_count=Count("responses", filter=Q(responses__attending=True)),
            declined_count=Count("responses", filter=Q(responses__attending=False)),
        )
    )


def visible_parts(meeting, role):
    """The parts of a day a participant in ``role`` takes part in."""
    return [p for p in meeting.parts.all() if role in Audience.roles(p.audience)]


def audiences_for_role(role):
    if role == ParticipantRole.MENTOR:
        return [Audience.EVERYONE, Audience.MENTORS]
    return [Audience.EVERYONE, Audience.ADEPTS]


def participations_for(*, tenant, user):
    if not user.is_authenticated:
        return []
    return list(
        Participant.objects.filter(tenant=tenant, user=user)
        .select_related("round", "round__programme", "organisation")
        .order_by("-round__starts_on")
    )


def meetings_for_participants(*, tenant, participants):
    """Every shared day of the participants' rounds that is meant for their role.

    Returns a list of (meeting, participant, response-or-None, parts for the role), ordered by date.
    """
    out = []
    if not participants:
        return out
    by_round = {}
    for p in participants:
        by_round.setdefault(p.round_id, []).append(p)
    meetings = (
        SharedMeeting.objects.filter(tenant=tenant, round_id__in=by_round.keys())
        .select_related("host_organisation", "round", "round__programme")
        .prefetch_related(
            Prefetch("parts", queryset=MeetingPart.objects.order_by("starts_at")),
            Prefetch(
                "responses",
                queryset=MeetingResponse.objects.filter(
                    participant__in=[p.pk for p in participants]
                ),
                to_attr="own_responses",
            ),
        )
    )
    for meeting in meetings:
        for participant in by_round[meeting.round_id]:
            if participant.role not in meeting.audience_roles:
                continue
            response = next(
                (r for r in meeting.own_responses if r.participant_id == participant.pk), None
            )
            out.append((meeting, participant, response, visible_parts(meeting, participant.role)))
    out.sort(key=lambda row: (row[0].date, row[0].starts_at))
    return out


def responses_for_meeting(*, tenant, meeting):
    """Every participant the day is for, with their answer (or None), for lists and exports."""
    participants = (
        Participant.objects.filter(
            tenant=tenant, round=meeting.round, role__in=meeting.audience_roles
        )
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )
    answers = {
        r.participant_id: r for r in MeetingResponse.objects.filter(tenant=tenant, meeting=meeting)
    }
    return [(p, answers.get(p.pk)) for p in participants]


def round_dashboard(*, tenant, round_):
    """Figures for the round's dashboard in a fixed number of queries, whatever the size."""
    today = timezone.localdate()
    participants = Participant.objects.filter(tenant=tenant, round=round_)
    by_role = Counter(
        dict(participants.values_list("role").annotate(n=Count("id")).values_list("role", "n"))
    )
    by_org = list(
        participants.values("organisation__name", "role")
        .annotate(n=Count("id"))
        .order_by("organisation__name", "role")
    )
    org_rows = {}
    for row in by_org:
        name = row["organisation__name"] or ""
        org_rows.setdefault(name, {"mentor": 0, "adept": 0})[row["role"]] = row["n"]
    meetings = list(meetings_of_round(tenant=tenant, round_=round_))
    upcoming = [m for m in meetings if m.date >= today][:3]
    attention = []
    # A continuous programme (a standing bank) has no cohort to gather on shared days.
    if not meetings and not round_.programme.is_continuous:
        attention.append("no_meetings")
    if round_.max_pairs is None and not round_.programme.is_continuous:
        attention.append("no_cap")
    if not round_.eligibility.all():
        attention.append("no_eligibility")
    if round_.status == Round.Status.OPEN and round_.application_closes_at:
        days_left = (round_.application_closes_at - timezone.now()).days
        if 0 <= days_left <= 7:
            attention.append("deadline_soon")
    sections = [section(tenant=tenant, round_=round_) for section in hooks.DASHBOARD_SECTIONS]
    return {
        "mentors": by_role.get(ParticipantRole.MENTOR, 0),
        "adepts": by_role.get(ParticipantRole.ADEPT, 0),
        "by_organisation": sorted(org_rows.items()),
        "meetings": meetings,
        "upcoming": upcoming,
        "attention": attention,
        "sections": sections,
    }


def participations_everywhere(*, user):
    """A person's rounds in every tenant, for their start page (their own data only)."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            Participant.objects.filter(user=user, tenant__is_active=True)
            .exclude(round__status=Round.Status.ARCHIVED)
            .select_related("tenant", "round", "round__programme")
            .order_by("tenant__name", "-round__starts_on")
        )


@dataclass(frozen=True)
class NextStep:
    """One thing a participant should do now, with where to do it. Lower ``order`` first."""

    text: str
    url: str
    order: int = 50


def next_steps_for(*, tenant, user, rows, now=None):
    """The participant's next steps: unanswered coming shared days (from ``rows`` of
    meetings_for_participants, already loaded) and the steps other apps add."""
    from django.urls import reverse
    from django.utils import formats, timezone
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    today = timezone.localdate(now)
    home = reverse("programmes:participant_home", kwargs={"tenant": tenant.slug})
    steps = []
    for meeting, _participant, response, _parts in rows:
        if meeting.date >= today and (response is None or response.attending is None):
            steps.append(
                NextStep(
                    text=_("Answer whether you come to “%(title)s” on %(date)s.")
                    % {"title": meeting.title, "date": formats.date_format(meeting.date, "j F")},
                    url=f"{home}#meeting-{meeting.pk}",
                    order=30,
                )
            )
    for provider in hooks.NEXT_STEPS:
        steps.extend(provider(tenant=tenant, user=user, now=now))
    return sorted(steps, key=lambda s: s.order)
