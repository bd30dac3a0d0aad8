"""Programmes, rounds, shared days and their parts, shared by the tenants' stories.

Everything is get-or-create by natural keys ((tenant, slug) for programmes, (programme, name)
for rounds, (round, title) for shared meetings, (meeting, title) for parts); participants come
from ``programmes.services.ensure_participant``. Dates are computed from today when a row is
first created and are not moved afterwards. Past rounds and days are written through the
models: ``programmes.services.save_round`` and ``save_meeting`` refuse dates in the past.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from demo.common import demo_email, ensure_user
from programmes.models import (
    Eligibility,
    ManagerLevel,
    MeetingPart,
    ParticipantRole,
    Programme,
    Round,
    SharedMeeting,
)
from programmes.services import ensure_participant

MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT


FIRST_LINE = ManagerLevel.FIRST_LINE


MANAGER_OF_MANAGERS = ManagerLevel.MANAGER_OF_MANAGERS


SENIOR_EXECUTIVE = ManagerLevel.SENIOR_EXECUTIVE


MON, TUE, WED, THU, FRI = range(5)


def _on_or_after(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _on_or_before(day, weekday):
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _at(tenant, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tenant.timezone))


def _programme(tenant, slug, **defaults):
    programme, _ = Programme.objects.get_or_create(tenant=tenant, slug=slug, defaults=defaults)
    return programme


def _round(tenant, programme, name, *, eligibility, **defaults):
    """A round and its eligibility per role: {role: (levels, min_years, criteria)}, or with a
    fourth item, the years at the level (``min_years_in_level``)."""
    round_, _ = Round.objects.get_or_create(
        tenant=tenant, programme=programme, name=name, defaults=defaults
    )
    for role, (levels, min_years, criteria, *in_level) in eligibility.items():
        Eligibility.objects.get_or_create(
            tenant=tenant,
            round=round_,
            role=role,
            defaults={
                "manager_levels": [str(level) for level in levels],
                "min_years_as_manager": min_years,
                "min_years_in_level": in_level[0] if in_level else 0,
                "criteria_text": criteria,
            },
        )
    return round_


def _meeting(tenant, round_, title, day, starts, ends, *, parts=(), **defaults):
    """A shared day; ``parts`` are (title, starts, ends, audience)."""
    meeting, _ = SharedMeeting.objects.get_or_create(
        tenant=tenant,
        round=round_,
        title=title,
        defaults={"date": day, "starts_at": starts, "ends_at": ends, **defaults},
    )
    for part_title, part_starts, part_ends, audience in parts:
        MeetingPart.objects.get_or_create(
            tenant=tenant,
            meeting=meeting,
            title=part_title,
            defaults={"starts_at": part_starts, "ends_at": part_ends, "audience": audience},
        )
    return meeting


def _participants(tenant, spec, round_, orgs, people):
    """People as (full name, e-mail local part, role, organisation name or None)."""
    created = []
    for full_name, local, role, org_name in people:
        user = ensure_user(demo_email(local, spec), full_name)
        participant = ensure_participant(
            round_=round_, user=user, role=role, organisation=orgs[org_name] if org_name else None
        )
        created.append(participant)
    return created


def _sample_logins(participants, round_):
    """One mentor and one adept of a round, to try the participant's view."""
    logins = []
    for role in (MENTOR, ADEPT):
        first = next((p for p in participants if p.role == role), None)
        if first is not None:
            logins.append((first.user.email, f"{first.get_role_display().lower()}, {round_.name}"))
    return logins


def _mid_january(today, *, years_back):
    return today.replace(year=today.year - years_back, month=1, day=15)


def _status_by_dates(ends_on, today):
    return Round.Status.CLOSED if ends_on < today else Round.Status.RUNNING
