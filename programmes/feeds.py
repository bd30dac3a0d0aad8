"""iCalendar feeds of shared meeting days.

- ``round_feed``: a public round's days, for anybody (the round's public page links to it).
- ``meeting_ics``: one day of a public round as a download.
- ``person_feed``: a person's own days in this tenant, behind a secret, revocable token (calendar
  apps cannot sign in). Only the days and parts meant for the person's role are listed.

Times are written in the tenant's time zone (TZID) with a matching VTIMEZONE, so calendar apps
show 09:00 as 09:00 on both sides of a daylight-saving change. The VTIMEZONE states the yearly
rule (RRULE), the form every common parser reads the same: icalendar's own ``from_tzinfo``
writes comma-separated RDATE lists, which vobject (and calendar apps built like it) read
wrongly, showing an event an hour late.
"""

import calendar as calendar_module
import hashlib
import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from mentorship import hooks

from . import selectors
from .models import Audience, CalendarFeed, Round, SharedMeeting

PRODID = "-//Mentor programmes//Shared meeting days//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
FEED_MAX_AGE = 15 * 60


def _uid(tenant, meeting):
    return f"meeting-{meeting.pk}@{tenant.slug}.mentorprogram"


def _hm(value):
    return value.strftime("%H:%M")


def _description(meeting, parts, *, role_note="", declined=False):
    lines = [_("For: %(audience)s") % {"audience": Audience(meeting.audience).label}]
    if role_note:
        lines.append(role_note)
    if declined:
        lines.append(_("You have answered that you are not attending."))
    if meeting.agenda.strip():
        lines += ["", meeting.agenda.strip()]
    if parts:
        lines += ["", _("Schedule:")]
        lines += [
            f"{_hm(p.starts_at)}–{_hm(p.ends_at)} {p.title} ({Audience(p.audience).label})"
            for p in parts
        ]
    if meeting.includes_meal:
        lines += ["", _("A meal is served.")]
    return "\n".join(lines)


def _event(
    request,
    tenant,
    meeting,
    *,
    tz,
    now,
    parts,
    starts_at=None,
    ends_at=None,
    summary=None,
    role_note="",
    declined=False,
    url=None,
):
    event = Event()
    event.add("uid", _uid(tenant, meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now)
    event.add("last-modified", meeting.updated_at)
    event.add("summary", summary or meeting.title)
    event.add("dtstart", datetime.combine(meeting.date, starts_at or meeting.starts_at, tzinfo=tz))
    event.add("dtend", datetime.combine(meeting.date, ends_at or meeting.ends_at, tzinfo=tz))
    if meeting.location_text:
        event.add("location", meeting.location_text)
    event.add("description", _description(meeting, parts, role_note=role_note, declined=declined))
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT" if declined else "OPAQUE")
    if url:
        event.add("url", request.build_absolute_uri(url))
    return event


def _calendar(tenant, name, meetings):
    """A calendar with the tenant's VTIMEZONE first (some clients want it before the events)."""
    tz = zoneinfo.ZoneInfo(tenant.timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tenant.timezone)
    calendar.add("x-published-ttl", "PT15M")
    # The VTIMEZONE lists the offset changes for the years the events fall in (plus margin):
    # smaller than the default 1970–2038, and still correct for every event in the feed.
    dates = [m.date for m in meetings] or [timezone.localdate()]
    first = date(min(dates).year - 1, 1, 1)
    last = date(max(dates).year + 2, 1, 1)
    calendar.add_component(vtimezone(tz, tzid=tenant.timezone, first=first, last=last))
    return calendar, tz


def _offset_changes(tz, first, last):
    """Each change of ``tz``'s UTC offset between two dates: (moment in UTC, offset before,
    offset after), found day by day and then to the minute."""
    changes = []
    moment = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)
    before = moment.astimezone(tz).utcoffset()
    while moment < end:
        following = moment + timedelta(days=1)
        after = following.astimezone(tz).utcoffset()
        if after != before:
            low, high = 0, 24 * 60  # minutes after ``moment``: offset before / after
            while high - low > 1:
                middle = (low + high) // 2
                at = moment + timedelta(minutes=middle)
                if at.astimezone(tz).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            changes.append((moment + timedelta(minutes=high), before, after))
            before = after
        moment = following
    return changes


def _weekday_rule(local):
    """The yearly rule that falls on this date: "the last Sunday of March" (-1SU) or "the
    second Sunday of March" (2SU)."""
    day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][local.weekday()]
    days_in_month = calendar_module.monthrange(local.year, local.month)[1]
    week = -1 if local.day + 7 > days_in_month else (local.day - 1) // 7 + 1
    return {"freq": "yearly", "bymonth": local.month, "byday": f"{week}{day}"}


def _rule_date(year, rule):
    byday = rule["byday"]
    week, weekday = int(byday[:-2]), ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index(byday[-2:])
    days = [
        d
        for d in range(1, calendar_module.monthrange(year, rule["bymonth"])[1] + 1)
        if date(year, rule["bymonth"], d).weekday() == weekday
    ]
    return days[week - 1] if week > 0 else days[week]


def vtimezone(tz, *, tzid, first, last):
    """A VTIMEZONE for ``tz`` that is right from ``first`` on: one STANDARD and one DAYLIGHT
    part with a yearly RRULE when the changes between ``first`` and ``last`` follow one rule
    each (as in Europe/Stockholm: the last Sundays of March and October), otherwise one part
    per change (each with its own DTSTART, no RDATE lists)."""
    changes = _offset_changes(tz, first, last)

    def part(moment, before, after, rule=None):
        daylight = bool((moment + timedelta(minutes=1)).astimezone(tz).dst())
        component = TimezoneDaylight() if daylight else TimezoneStandard()
        # DTSTART is the local time of the change, on the clock that was valid before it.
        component.add("dtstart", (moment + before).replace(tzinfo=None))
        if rule:
            component.add("rrule", rule)
        component.add("tzname", moment.astimezone(tz).tzname())
        component.add("tzoffsetfrom", before)
        component.add("tzoffsetto", after)
        return component

    timezone_ = Timezone()
    timezone_.add("tzid", tzid)
    if not changes:
        offset = datetime(first.year, first.month, first.day, tzinfo=UTC).astimezone(tz)
        timezone_.add_component(
            part(datetime(first.year, 1, 1, tzinfo=UTC), offset.utcoffset(), offset.utcoffset())
        )
        return timezone_
    kinds = {}  # (offset before, offset after) -> the changes of that kind
    for change in changes:
        kinds.setdefault(change[1:], []).append(change)
    yearly = len(kinds) <= 2
    rules = {}
    for kind, moments in kinds.items():
        local = moments[0][0] + moments[0][1]
        rule = _weekday_rule(local)
        years = {m.year for m, *_rest in moments}
        regular = len(years) == len(moments) and all(
            (m + before).date() == date(m.year, rule["bymonth"], _rule_date(m.year, rule))
            and (m + before).time() == local.time()
            for m, before, _after in moments
        )
        # Every year from the first to the last change has one (a rule does not skip years).
        regular = regular and years == set(range(min(years), max(years) + 1))
        yearly = yearly and regular
        rules[kind] = rule
    if yearly:
        for kind, moments in kinds.items():
            timezone_.add_component(part(*moments[0], rule=rules[kind]))
    else:
        first_moment, before, _after = changes[0]
        timezone_.add_component(part(first_moment - timedelta(days=1), before, before))
        for change in changes:
            timezone_.add_component(part(*change))
    return timezone_


_DTSTAMP = re.compile(rb"^DTSTAMP:[^\r\n]*\r\n", re.MULTILINE)


def feed_etag(body):
    """The feed's entity tag: its content without the DTSTAMP lines (the moment the feed was
    written, which changes on every request while the calendar does not)."""
    return f'"{hashlib.sha256(_DTSTAMP.sub(b"", body)).hexdigest()[:40]}"'


def _response(request, calendar, *, filename=None, private=False):
    """The feed, or 304 Not Modified when the calendar app already holds this version
    (If-None-Match): calendar apps poll every few minutes, and most polls change nothing."""
    body = calendar.to_ical()
    etag = feed_etag(body)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type=CONTENT_TYPE)
        if filename:
            response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    response.headers["ETag"] = etag
    patch_cache_control(
        response, max_age=FEED_MAX_AGE, **({"private": True} if private else {"public": True})
    )
    return response


def _public_round(request, pk):
    round_ = get_object_or_404(
        Round.objects.select_related("programme"), tenant=request.tenant, pk=pk
    )
    if not round_.is_public:
        raise Http404
    return round_


def _public_round_url(tenant, round_):
    return reverse("programmes:public_round", kwargs={"tenant": tenant.slug, "pk": round_.pk})


def round_feed(request, tenant, pk):
    """Every shared day of a public round, whole days with all parts (a visitor has no role)."""
    tenant = request.tenant
    round_ = _public_round(request, pk)
    meetings = list(
        SharedMeeting.objects.filter(tenant=tenant, round=round_)
        .select_related("host_organisation")
        .prefetch_related("parts")
    )
    calendar, tz = _calendar(tenant, str(round_), meetings)
    now = timezone.now()
    url = _public_round_url(tenant, round_)
    for meeting in meetings:
        calendar.add_component(
            _event(
                request, tenant, meeting, tz=tz, now=now, parts=list(meeting.parts.all()), url=url
            )
        )
    return _response(request, calendar)


def meeting_ics(request, tenant, pk):
    """One shared day of a public round as an .ics file to open in a calendar app."""
    tenant = request.tenant
    meeting = get_object_or_404(
        SharedMeeting.objects.select_related(
            "round", "round__programme", "host_organisation"
        ).prefetch_related("parts"),
        tenant=tenant,
        pk=pk,
    )
    if not meeting.round.is_public:
        raise Http404
    calendar, tz = _calendar(tenant, str(meeting.round), [meeting])
    calendar.add_component(
        _event(
            request,
            tenant,
            meeting,
            tz=tz,
            now=timezone.now(),
            parts=list(meeting.parts.all()),
            url=_public_round_url(tenant, meeting.round),
        )
    )
    filename = f"{slugify(meeting.title) or 'meeting'}-{meeting.date:%Y-%m-%d}.ics"
    return _response(request, calendar, filename=filename)


def _merge_rows(rows):
    """One entry per day, even for somebody who takes part in a round both as mentor and adept.

    Returns (meeting, participants, declined, parts), with the union of the roles' parts.
    """
    merged = {}
    for meeting, participant, response, parts in rows:
        entry = merged.get(meeting.pk)
        if entry is None:
            merged[meeting.pk] = [
                meeting,
                [participant],
                [response] if response else [],
                list(parts),
            ]
            continue
        entry[1].append(participant)
        if response:
            entry[2].append(response)
        entry[3] += [p for p in parts if p not in entry[3]]
    out = []
    for meeting, participants, responses, parts in merged.values():
        parts.sort(key=lambda p: (p.starts_at, p.ends_at))
        # Declined only if every role the person has that day has said no.
        declined = (
            bool(responses)
            and len(responses) == len(participants)
            and not any(r.attending for r in responses)
        )
        out.append((meeting, participants, declined, parts))
    return out


def person_feed(request, tenant, token):
    """A person's own shared days in this tenant. No login: the token is the key."""
    tenant = request.tenant
    feed = (
        CalendarFeed.objects.filter(tenant=tenant, token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    # A calendar app asks without cookies: write in the person's own language.
    language = user.language or translation.get_language()
    with translation.override(language):
        participants = selectors.participations_for(tenant=tenant, user=user)
        rows = selectors.meetings_for_participants(tenant=tenant, participants=participants)
        days = _merge_rows(rows)
        calendar, tz = _calendar(
            tenant,
            _("%(tenant)s: my programme days") % {"tenant": tenant.name},
            [meeting for meeting, *_rest in days],
        )
        now = timezone.now()
        home = reverse("programmes:participant_home", kwargs={"tenant": tenant.slug})
        for meeting, participants, declined, parts in days:
            roles = ", ".join(str(p.get_role_display()) for p in participants)
            summary = meeting.title
            if declined:
                summary = _("%(title)s (you answered: not attending)") % {"title": meeting.title}
            # The person's day runs from their first to the end of their last part (an adept's
            # kickoff may end at lunch while the mentors go on); without parts, the whole day.
            starts_at = min(p.starts_at for p in parts) if parts else None
            ends_at = max(p.ends_at for p in parts) if parts else None
            calendar.add_component(
                _event(
                    request,
                    tenant,
                    meeting,
                    tz=tz,
                    now=now,
                    parts=parts,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    summary=summary,
                    role_note=_("You take part as: %(roles)s") % {"roles": roles},
                    declined=declined,
                    url=home,
                )
            )
        for extra in hooks.PERSON_FEED_EXTRAS:
            for event in extra(request=request, tenant=tenant, user=user, tz=tz, now=now):
                calendar.add_component(event)
    response = _response(request, calendar, private=True)
    response.headers["Content-Language"] = language
    response.headers["X-Robots-Tag"] = "noindex"
    return response
