"""Every write in the programmes app. Keyword-only; each logs to the activity log."""

import zoneinfo
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import hooks
from organisations.services import log_activity

from .models import (
    Audience,
    CalendarFeed,
    Eligibility,
    MeetingPart,
    MeetingResponse,
    Participant,
    ParticipantRole,
    Programme,
    Round,
    SharedMeeting,
)


def _value(v):
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "pk"):
        return str(v)
    return v


def _snapshot(instance, fields):
    return {name: _value(getattr(instance, name)) for name in fields}


# --- programmes ----------------------------------------------------------------------------

PROGRAMME_FIELDS = ("name", "slug", "kind", "matching_mode", "is_active")


@transaction.atomic
def save_programme(*, tenant, actor, programme):
    creating = programme.pk is None
    programme.tenant = tenant
    clash = Programme.objects.filter(tenant=tenant, slug=programme.slug)
    if not creating:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise ValidationError({"slug": _("Another programme already uses this address.")})
    before = (
        None if creating else _snapshot(Programme.objects.get(pk=programme.pk), PROGRAMME_FIELDS)
    )
    programme.save()
    log_activity(
        tenant=tenant,
        actor=actor,
        action="programme.created" if creating else "programme.updated",
        obj=programme,
        before=before,
        after=_snapshot(programme, PROGRAMME_FIELDS),
    )
    return programme


# --- rounds --------------------------------------------------------------------------------

ROUND_FIELDS = (
    "name",
    "number",
    "status",
    "application_opens_at",
    "application_closes_at",
    "starts_on",
    "ends_on",
    "max_pairs",
    "min_pair_meetings",
    "pair_meeting_minutes",
    "requires_endorsement",
    "endorsement_for",
    "requires_nomination",
    "nomination_for",
    "requires_interview",
    "interview_for",
    "nomination_quota",
    "mentor_self_signup",
    "adept_self_signup",
)
ROUND_COPY_FIELDS = (
    "call_text",
    "max_pairs",
    "cost_text",
    "practical_info",
    "min_pair_meetings",
    "pair_meeting_minutes",
    "cadence_text",
    "requires_endorsement",
    "endorsement_for",
    "requires_nomination",
    "nomination_for",
    "requires_interview",
    "interview_for",
    "nomination_quota",
)


def matched_pair_count(round_):
    return sum(counter(round_) for counter in hooks.MATCHED_PAIR_COUNTERS)


def validate_round(round_):
    """Cross-field rules for a round; raises ValidationError keyed by field."""
    errors = {}
    opens, closes = round_.application_opens_at, round_.application_closes_at
    if opens and closes and closes <= opens:
        errors["application_closes_at"] = _("The deadline must be after applications open.")
    if round_.starts_on and round_.ends_on and round_.ends_on <= round_.starts_on:
        errors["ends_on"] = _("The end must be after the start.")
    if closes and round_.starts_on:
        tz = timezone.get_current_timezone()
        if timezone.localtime(closes, tz).date() > round_.starts_on:
            errors["application_closes_at"] = _(
                "The application deadline must be before the programme starts."
            )
    if round_.max_pairs is not None and round_.pk:
        matched = matched_pair_count(round_)
        if round_.max_pairs < matched:
            errors["max_pairs"] = _(
                "%(n)s pairs are already matched; the maximum cannot be lower."
            ) % {"n": matched}
    if errors:
        raise ValidationError(errors)


def _save_eligibility(tenant, round_, eligibility):
    for role, data in eligibility.items():
        if not (
            data.get("manager_levels")
            or data.get("min_years_as_manager")
            or data.get("min_years_in_level")
            or (data.get("criteria_text") or "").strip()
        ):
            # Nothing said about this role: no rule, so the round still asks for one
            # (dashboard, opening) and the public page says "not described yet".
            Eligibility.objects.filter(round=round_, role=role).delete()
            continue
        Eligibility.objects.update_or_create(
            tenant=tenant,
            round=round_,
            role=role,
            defaults={
                "manager_levels": list(data.get("manager_levels") or []),
                "min_years_as_manager": data.get("min_years_as_manager") or 0,
                "min_years_in_level": data.get("min_years_in_level") or 0,
                "criteria_text": data.get("criteria_text", ""),
            },
        )


@transaction.atomic
def save_round(*, tenant, actor, round_, eligibility=None):
    """Create or update a round and its eligibility per role ({role: {...}})."""
    if round_.programme.tenant_id != tenant.pk:
        raise ValidationError({"programme": _("Choose a programme of your own.")})
    round_.tenant = tenant
    validate_round(round_)
    creating = round_.pk is None
    before = None if creating else _snapshot(Round.objects.get(pk=round_.pk), ROUND_FIELDS)
    round_.save()
    if eligibility:
        _save_eligibility(tenant, round_, eligibility)
    if creating:
        for hook in hooks.ROUND_CREATED:
            hook(round_=round_)
    log_activity(
        tenant=tenant,
        actor=actor,
        action="round.created" if creating else "round.updated",
        obj=round_,
        before=before,
        after=_snapshot(round_, ROUND_FIELDS),
    )
    return round_


S = Round.Status
TRANSITIONS = {
    S.DRAFT: (S.OPEN,),
    S.OPEN: (S.REVIEW, S.DRAFT),
    S.REVIEW: (S.MATCHING, S.OPEN),
    S.MATCHING: (S.RUNNING, S.REVIEW),
    S.RUNNING: (S.CLOSED,),
    S.CLOSED: (S.ARCHIVED, S.RUNNING),
    S.ARCHIVED: (),
}


def transition_problems(round_, to_status, now=None):
    """Plain-language reasons why the round cannot move to ``to_status`` (empty: it can)."""
    now = now or timezone.now()
    problems = []
    if to_status not in TRANSITIONS.get(round_.status, ()):
        return [
            _("A round that is “%(current)s” cannot become “%(target)s”.")
            % {"current": round_.get_status_display(), "target": Round.Status(to_status).label}
        ]
    continuous = round_.programme.is_continuous
    if to_status == S.OPEN and not continuous:
        if not round_.application_closes_at:
            problems.append(_("Set an application deadline first."))
        elif round_.application_closes_at <= now:
            problems.append(_("The application deadline has passed. Set a deadline in the future."))
        if not round_.starts_on:
            problems.append(_("Set the date the programme starts."))
    if to_status == S.OPEN:
        roles = {e.role for e in round_.eligibility.all()}
        if not roles:
            problems.append(_("Say who may apply as mentor and as adept (eligibility)."))
    if (
        to_status == S.REVIEW
        and not continuous
        and round_.application_closes_at
        and round_.application_closes_at > now
    ):
        problems.append(
            _(
                "Applications are open until the deadline. Close applications now to start "
                "the review early."
            )
        )
    if to_status == S.RUNNING and not round_.starts_on:
        problems.append(_("Set the date the programme starts."))
    return problems


@transaction.atomic
def transition_round(*, tenant, actor, round_, to_status):
    round_ = (
        Round.objects.select_for_update()
        .select_related("programme")
        .get(pk=round_.pk, tenant=tenant)
    )
    problems = transition_problems(round_, to_status)
    if problems:
        raise ValidationError(problems)
    before = round_.status
    round_.status = to_status
    round_.save(update_fields=["status"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="round.status_changed",
        obj=round_,
        before={"status": before},
        after={"status": to_status},
    )
    return round_


def close_applications_problems(round_, now=None):
    """Why "close applications now" is not possible for the round (empty: it is)."""
    now = now or timezone.now()
    if round_.programme.is_continuous:
        return [_("A continuous programme takes people all year; pause its intake instead.")]
    if round_.status != S.OPEN:
        return [_("Only a round that is open for applications can be closed.")]
    if round_.application_closes_at and round_.application_closes_at <= now:
        return [_("The application deadline has already passed.")]
    return []


@transaction.atomic
def close_applications_now(*, tenant, actor, round_, now=None):
    """ "Stäng ansökan nu": an open cohort round stops taking applications before its deadline
    (the deadline becomes now, recorded with the one it had) and moves on to review, so the
    coordinators can start reviewing. Drafts not submitted by now stay drafts."""
    now = now or timezone.now()
    round_ = (
        Round.objects.select_for_update()
        .select_related("programme")
        .get(pk=round_.pk, tenant=tenant)
    )
    problems = close_applications_problems(round_, now)
    if problems:
        raise ValidationError(problems)
    fields = ("status", "application_closes_at")
    before = _snapshot(round_, fields)
    round_.application_closes_at = now
    round_.status = S.REVIEW
    round_.save(update_fields=list(fields))
    log_activity(
        tenant=tenant,
        actor=actor,
        action="round.applications_closed_early",
        obj=round_,
        before=before,
        after=_snapshot(round_, fields),
    )
    return round_


def _shift_dt(value, days, tz):
    """Move a moment by whole days on the wall clock of ``tz``: 12:00 stays 12:00 across a
    daylight-saving change (adding days to the UTC value from the database would not)."""
    return timezone.localtime(value, tz) + timedelta(days=days) if value else value


@transaction.atomic
def copy_round(*, tenant, actor, source, name, offset_days, number=None):
    """A new draft round from a previous one: settings, eligibility, form and meetings, shifted."""
    if source.tenant_id != tenant.pk:
        raise ValidationError(_("Choose a round of your own."))
    new = Round(
        tenant=tenant,
        programme=source.programme,
        name=name,
        number=number,
        copied_from=source,
        status=Round.Status.DRAFT,
    )
    for field in ROUND_COPY_FIELDS:
        setattr(new, field, getattr(source, field))
    tz = zoneinfo.ZoneInfo(tenant.timezone)
    new.application_opens_at = _shift_dt(source.application_opens_at, offset_days, tz)
    new.application_closes_at = _shift_dt(source.application_closes_at, offset_days, tz)
    new.starts_on = source.starts_on + timedelta(days=offset_days) if source.starts_on else None
    new.ends_on = source.ends_on + timedelta(days=offset_days) if source.ends_on else None
    new.save()
    for rule in source.eligibility.all():
        Eligibility.objects.create(
            tenant=tenant,
            round=new,
            role=rule.role,
            manager_levels=rule.manager_levels,
            min_years_as_manager=rule.min_years_as_manager,
            min_years_in_level=rule.min_years_in_level,
            criteria_text=rule.criteria_text,
        )
    for meeting in source.meetings.prefetch_related("parts"):
        parts = list(meeting.parts.all())
        copy = SharedMeeting.objects.create(
            tenant=tenant,
            round=new,
            title=meeting.title,
            date=meeting.date + timedelta(days=offset_days),
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            audience=meeting.audience,
            place=meeting.place,
            host_organisation=meeting.host_organisation,
            agenda=meeting.agenda,
            includes_meal=meeting.includes_meal,
        )
        MeetingPart.objects.bulk_create(
            [
                MeetingPart(
                    tenant=tenant,
                    meeting=copy,
                    title=p.title,
                    starts_at=p.starts_at,
                    ends_at=p.ends_at,
                    audience=p.audience,
                )
                for p in parts
            ]
        )
    for hook in hooks.ROUND_CREATED:
        hook(round_=new)
    for hook in hooks.ROUND_COPY_HOOKS:
        hook(source=source, target=new)
    log_activity(
        tenant=tenant,
        actor=actor,
        action="round.copied",
        obj=new,
        data={"from": str(source), "offset_days": offset_days},
    )
    return new


# --- shared meetings -----------------------------------------------------------------------

MEETING_FIELDS = ("title", "date", "starts_at", "ends_at", "audience", "place", "host_organisation")
MOVE_FIELDS = ("date", "starts_at", "ends_at", "place", "host_organisation_id")


def validate_meeting(meeting, parts, *, today=None):
    errors = {}
    today = today or timezone.localdate()
    if meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("The day must end after it starts.")
    moved_date = (
        meeting.pk is not None
        and SharedMeeting.objects.filter(pk=meeting.pk).exclude(date=meeting.date).exists()
    )
    if (meeting.pk is None or moved_date) and meeting.date < today:
        errors["date"] = _("The date has passed. Choose a date from today on.")
    overlapping = SharedMeeting.objects.filter(
        round=meeting.round,
        date=meeting.date,
        starts_at__lt=meeting.ends_at,
        ends_at__gt=meeting.starts_at,
    )
    if meeting.pk:
        overlapping = overlapping.exclude(pk=meeting.pk)
    clash = overlapping.first()
    if clash:
        errors["starts_at"] = _("The time overlaps “%(title)s” on the same day.") % {
            "title": clash.title
        }
    if errors:
        raise ValidationError(errors)
    part_errors = []
    allowed = Audience.roles(meeting.audience)
    for part in parts:
        if part.ends_at <= part.starts_at:
            part_errors.append(_("“%(title)s” must end after it starts.") % {"title": part.title})
        if part.starts_at < meeting.starts_at or part.ends_at > meeting.ends_at:
            part_errors.append(
                _("“%(title)s” must lie within the day's hours.") % {"title": part.title}
            )
        if not Audience.roles(part.audience) <= allowed:
            part_errors.append(
                _("“%(title)s” is for %(part)s, but the day is for %(day)s.")
                % {
                    "title": part.title,
                    "part": Audience(part.audience).label.lower(),
                    "day": Audience(meeting.audience).label.lower(),
                }
            )
    if part_errors:
        raise ValidationError(part_errors)


@transaction.atomic
def save_meeting(*, tenant, actor, meeting, parts=None):
    """Create or update a shared day and its parts. Moving a day keeps the answers and is logged."""
    if meeting.round.tenant_id != tenant.pk:
        raise ValidationError(_("Choose a round of your own."))
    if meeting.host_organisation_id and meeting.host_organisation.tenant_id != tenant.pk:
        raise ValidationError({"host_organisation": _("Choose an organisation of your own.")})
    meeting.tenant = tenant
    replace_parts = parts is not None
    parts = list(parts or [])
    validate_meeting(
        meeting, parts if replace_parts else list(meeting.parts.all()) if meeting.pk else []
    )
    creating = meeting.pk is None
    previous = None if creating else SharedMeeting.objects.get(pk=meeting.pk)
    moved = previous is not None and any(
        getattr(previous, f) != getattr(meeting, f) for f in MOVE_FIELDS
    )
    if previous is not None and replace_parts and not moved:
        # Part times decide when each audience's day ends in their calendars.
        old = sorted((p.starts_at, p.ends_at, p.audience) for p in previous.parts.all())
        new = sorted((p.starts_at, p.ends_at, p.audience) for p in parts)
        moved = old != new
    if moved:
        meeting.sequence = previous.sequence + 1
    meeting.save()
    if replace_parts:
        meeting.parts.all().delete()
        for part in parts:
            part.pk = None
            part.tenant = tenant
            part.meeting = meeting
        MeetingPart.objects.bulk_create(parts)
    if creating:
        log_activity(
            tenant=tenant,
            actor=actor,
            action="meeting.created",
            obj=meeting,
            after=_snapshot(meeting, MEETING_FIELDS),
        )
    elif moved:
        from .reminders import notify_moved

        answered = meeting.responses.count()
        notify_moved(meeting)
        log_activity(
            tenant=tenant,
            actor=actor,
            action="meeting.moved",
            obj=meeting,
            before=_snapshot(previous, MEETING_FIELDS),
            after=_snapshot(meeting, MEETING_FIELDS),
            data={"answers_kept": answered},
        )
    else:
        log_activity(
            tenant=tenant,
            actor=actor,
            action="meeting.updated",
            obj=meeting,
            before=_snapshot(previous, MEETING_FIELDS),
            after=_snapshot(meeting, MEETING_FIELDS),
        )
    return meeting


@transaction.atomic
def delete_meeting(*, tenant, actor, meeting):
    meeting = SharedMeeting.objects.select_for_update().get(pk=meeting.pk, tenant=tenant)
    if meeting.responses.exists():
        raise ValidationError(
            _("People have answered this day, so it cannot be deleted. Move it instead.")
        )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="meeting.deleted",
        obj=meeting,
        before=_snapshot(meeting, MEETING_FIELDS),
    )
    meeting.delete()


@transaction.atomic
def respond_to_meeting(*, tenant, participant, meeting, attending, dietary_needs=""):
    """A participant's answer. One answer per person and day; answering again replaces it."""
    if participant.round_id != meeting.round_id or participant.tenant_id != tenant.pk:
        raise ValidationError(_("This day is not part of your round."))
    if participant.role not in meeting.audience_roles:
        raise ValidationError(_("This day is not for your role."))
    if meeting.date < timezone.localdate():
        raise ValidationError(_("The day has passed; answers can no longer be changed."))
    response, created = MeetingResponse.objects.select_for_update().get_or_create(
        tenant=tenant,
        meeting=meeting,
        participant=participant,
        defaults={"attending": attending, "dietary_needs": dietary_needs if attending else ""},
    )
    if not created:
        response.attending = attending
        response.dietary_needs = dietary_needs if attending else ""
        response.answered_at = timezone.now()
        response.save(update_fields=["attending", "dietary_needs", "answered_at"])
    log_activity(
        tenant=tenant,
        actor=participant.user,
        action="meeting.answered",
        obj=meeting,
        after={"attending": attending},
    )
    return response


@transaction.atomic
def mark_attendance(*, tenant, actor, meeting, attended_participant_ids):
    """After the day: who came. Everybody answered or listed is marked present or absent."""
    attended = set(attended_participant_ids)
    participants = list(
        Participant.objects.filter(
            round=meeting.round, tenant=tenant, role__in=meeting.audience_roles
        )
    )
    if attended - {p.pk for p in participants}:
        raise ValidationError(_("Only the participants this day is for can be marked as present."))
    existing = {r.participant_id: r for r in meeting.responses.all()}
    for participant in participants:
        present = participant.pk in attended
        response = existing.get(participant.pk)
        if response is None:
            MeetingResponse.objects.create(
                tenant=tenant,
                meeting=meeting,
                participant=participant,
                attending=None,
                attended=present,
            )
        elif response.attended != present:
            response.attended = present
            response.save(update_fields=["attended"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="meeting.attendance_marked",
        obj=meeting,
        after={"present": len(attended)},
    )


# --- participants ---------------------------------------------------------------------------


def ensure_participant(*, round_, user, role, organisation=None, application=None):
    """The person's participation in the round in this role, created when missing (the one
    place a Participant is made). ``application``: its organisation is the participant's."""
    if application is not None:
        organisation = application.organisation
    participant, _created = Participant.objects.get_or_create(
        tenant=round_.tenant,
        round=round_,
        user=user,
        role=role,
        defaults={"organisation": organisation},
    )
    return participant


def ensure_participants_bulk(*, round_, applications):
    """``ensure_participant`` for many applications of the round, in one query."""
    Participant.objects.bulk_create(
        [
            Participant(
                tenant_id=round_.tenant_id,
                round=round_,
                user=a.user,
                role=a.role,
                organisation=a.organisation,
            )
            for a in applications
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def add_participant(
    *, tenant, actor, round_, email, full_name, role, organisation=None, base_url=""
):
    """Add a person to a round's roster by hand (programmes moving off spreadsheets)."""
    if role not in ParticipantRole.values:
        raise ValidationError({"role": _("Choose mentor or adept.")})
    if organisation is not None and organisation.tenant_id != tenant.pk:
        raise ValidationError({"organisation": _("Choose an organisation of your own.")})
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    if Participant.objects.filter(round=round_, user=user, role=role).exists():
        raise ValidationError(
            {"email": _("This person already takes part in the round in this role.")}
        )
    participant = ensure_participant(round_=round_, user=user, role=role, organisation=organisation)
    # The later apps record the person as an accepted applicant (bank.services).
    for extension in hooks.ON_PARTICIPANT_ADDED:
        extension(participant=participant, actor=actor)
    send_welcome(participant, base_url=base_url)
    log_activity(
        tenant=tenant,
        actor=actor,
        action="participant.added",
        obj=participant,
        after={"role": role, "round": str(round_)},
    )
    return participant


def send_welcome(participant, *, base_url=""):
    """Tell a person added by hand (by a coordinator, or registered by HR for the bank) that
    they take part, in their language, with a link to set a password if they have none."""
    from django.urls import reverse

    from mentorship.mail import recipient_language
    from mentorship.web import absolute, set_password_link
    from organisations.outbox import queue_mail

    user = participant.user
    home = absolute(
        reverse("programmes:participant_home", kwargs={"tenant": participant.tenant.slug}),
        base_url,
    )
    set_password_url = set_password_link(user, base_url, next_url=home)
    queue_mail(
        purpose="participant_added",
        to=user.email,
        language=recipient_language(user=user, tenant=participant.tenant),
        context={
            "participant": participant,
            "round": participant.round,
            "tenant": participant.tenant,
            "set_password_url": set_password_url,
            "home_url": home,
        },
    )


# --- a continuous programme's intake ---------------------------------------------------------


@transaction.atomic
def set_intake_paused(*, tenant, actor, round_, paused):
    """The coordinator pauses (or resumes) the intake of a continuous programme's standing
    round: paused, the public page takes no applications and says so; the pairs go on."""
    round_ = (
        Round.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=round_.pk, tenant=tenant)
    )
    if not round_.programme.is_continuous:
        raise ValidationError(_("Only a continuous programme's intake can be paused."))
    if bool(round_.intake_paused_at) == bool(paused):
        return round_
    round_.intake_paused_at = timezone.now() if paused else None
    round_.save(update_fields=["intake_paused_at"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="round.intake_paused" if paused else "round.intake_resumed",
        obj=round_,
    )
    return round_


# --- calendar feeds -------------------------------------------------------------------------


def feed_for(*, tenant, user):
    feed = CalendarFeed.objects.filter(tenant=tenant, user=user, revoked_at__isnull=True).first()
    if feed is None:
        feed = CalendarFeed.objects.create(tenant=tenant, user=user)
    return feed


@transaction.atomic
def renew_feed(*, tenant, user):
    """Revoke the person's calendar address and give them a new one."""
    CalendarFeed.objects.filter(tenant=tenant, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    feed = CalendarFeed.objects.create(tenant=tenant, user=user)
    log_activity(tenant=tenant, actor=user, action="calendar.renewed", obj=None)
    return feed


def meeting_bounds(meeting, tz):
    start = datetime.combine(meeting.date, meeting.starts_at, tzinfo=tz)
    end = datetime.combine(meeting.date, meeting.ends_at, tzinfo=tz)
    return start, end
