"""Shared-day reminders (organisations.reminders) and the notice when a day moves.

A week and a day before a shared day, everyone in its audience who has not said they will
not come gets a reminder with the day's times and place. The dedupe key carries the day's
date, so a day that moves is reminded again for its new date, never twice for the same one.
When a coming day's date, times or place change, its audience is told at once
(``notify_moved``, called by services.save_meeting), once per change (the day's SEQUENCE).
"""

import zoneinfo
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from mentorship.mail import recipient_language
from mentorship.web import site_url
from organisations import reminders

from .models import Audience, MeetingResponse, Participant, Round, SharedMeeting

ACTIVE_ROUNDS = (
    Round.Status.OPEN,
    Round.Status.REVIEW,
    Round.Status.MATCHING,
    Round.Status.RUNNING,
)


def window_for(days_left):
    """ "1d" the day before (or the day itself), "7d" from a week to two days before."""
    if days_left in (0, 1):
        return "1d"
    if 2 <= days_left <= 7:
        return "7d"
    return None


def _audience(meeting):
    """(participant, user) of the day's audience who have not declined; one query."""
    declined = MeetingResponse.objects.filter(meeting=meeting, attending=False).values(
        "participant_id"
    )
    return list(
        Participant.objects.filter(
            round_id=meeting.round_id,
            role__in=list(Audience.roles(meeting.audience)),
            user__is_active=True,
        )
        .exclude(pk__in=declined)
        .select_related("user")
    )


def _context(meeting, participant):
    tenant = meeting.tenant
    return {
        "meeting": meeting,
        "round": meeting.round,
        "tenant": tenant,
        "participant": participant,
        "url": site_url() + reverse("programmes:participant_home", kwargs={"tenant": tenant.slug}),
    }


def remind_shared_days(now):
    queued = 0
    # Days from yesterday to eight days ahead in UTC cover every tenant's local calendar.
    meetings = (
        SharedMeeting.objects.filter(
            round__status__in=ACTIVE_ROUNDS,
            tenant__is_active=True,
            date__gte=(now - timedelta(days=1)).date(),
            date__lte=(now + timedelta(days=8)).date(),
        )
        .select_related("tenant", "round", "round__programme", "host_organisation")
        .order_by("date")
    )
    for meeting in meetings:
        tz = zoneinfo.ZoneInfo(meeting.tenant.timezone)
        local_now = now.astimezone(tz)
        if datetime.combine(meeting.date, meeting.starts_at, tzinfo=tz) <= local_now:
            continue
        window = window_for((meeting.date - local_now.date()).days)
        if window is None:
            continue
        prefix = f"shared-day:{meeting.pk}:{meeting.date.isoformat()}:{window}:"
        known = reminders.recorded_keys(tenant=meeting.tenant, prefix=prefix)
        for participant in _audience(meeting):
            user = participant.user
            queued += reminders.queue_once(
                known=known,
                purpose="reminder_shared_day",
                to=user.email,
                language=recipient_language(user=user, tenant=meeting.tenant),
                context=_context(meeting, participant),
                tenant=meeting.tenant,
                dedupe_key=f"{prefix}{participant.pk}",
            )
    return queued


def notify_moved(meeting, *, today=None):
    """Tell the audience of a coming day that its date, times or place changed. Called inside
    save_meeting's transaction: a rolled-back change tells nobody. Returns mails queued."""
    if meeting.round.status not in ACTIVE_ROUNDS:
        return 0
    today = today or timezone.localdate()
    if meeting.date < today:
        return 0
    queued = 0
    prefix = f"shared-day-changed:{meeting.pk}:{meeting.sequence}:"
    known = reminders.recorded_keys(tenant=meeting.tenant, prefix=prefix)
    for participant in _audience(meeting):
        user = participant.user
        queued += reminders.queue_once(
            known=known,
            purpose="shared_day_changed",
            to=user.email,
            language=recipient_language(user=user, tenant=meeting.tenant),
            context=_context(meeting, participant),
            tenant=meeting.tenant,
            dedupe_key=f"{prefix}{participant.pk}",
        )
    return queued
