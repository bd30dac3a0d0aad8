"""iCalendar feeds: public round feeds, single-day downloads and a person's secret feed.

The feeds are parsed back with icalendar, as a calendar app would read them.
"""

import re
from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from programmes import services
from programmes.models import Audience, ParticipantRole, Round
from tests.calendar_reading import assert_both_read
from tests.factories.organisations import UserFactory
from tests.factories.programmes import (
    MeetingPartFactory,
    MeetingResponseFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RoundFactory,
    SharedMeetingFactory,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FOREIGN_MEETING = "Främmande träff"


@pytest.fixture
def world(tenant, coordinator, other_tenant):
    programme = ProgrammeFactory(tenant=tenant, name="Chefsmentorskap")
    round_ = RoundFactory(programme=programme, name="Omgång 15", status=Round.Status.RUNNING)
    kickoff = SharedMeetingFactory(
        round=round_,
        title="Uppstart",
        date=date(2026, 3, 6),
        starts_at=time(9, 0),
        ends_at=time(15, 30),
        audience=Audience.EVERYONE,
        place="Kulturhuset, Storgatan 1",
        agenda="Välkommen och förväntningar.",
    )
    MeetingPartFactory(
        meeting=kickoff,
        title="Gemensam start",
        starts_at=time(9, 0),
        ends_at=time(12, 0),
        audience=Audience.EVERYONE,
    )
    MeetingPartFactory(
        meeting=kickoff,
        title="Lunch",
        starts_at=time(12, 0),
        ends_at=time(13, 0),
        audience=Audience.EVERYONE,
    )
    MeetingPartFactory(
        meeting=kickoff,
        title="Coachande samtal för mentorer",
        starts_at=time(13, 0),
        ends_at=time(15, 30),
        audience=Audience.MENTORS,
    )
    mentors_day = SharedMeetingFactory(
        round=round_,
        title="Mentorsträff",
        date=date(2026, 4, 10),
        starts_at=time(13, 0),
        ends_at=time(16, 0),
        audience=Audience.MENTORS,
    )
    adepts_day = SharedMeetingFactory(
        round=round_,
        title="Adeptträff",
        date=date(2026, 5, 8),
        starts_at=time(9, 0),
        ends_at=time(12, 0),
        audience=Audience.ADEPTS,
    )
    mentor = ParticipantFactory(round=round_, role=ParticipantRole.MENTOR, user__language="en")
    adept = ParticipantFactory(round=round_, role=ParticipantRole.ADEPT, user__language="en")

    # The other tenant: a public round with a day, and the same mentor takes part there too.
    foreign_round = RoundFactory(programme__tenant=other_tenant, status=Round.Status.RUNNING)
    foreign_meeting = SharedMeetingFactory(
        round=foreign_round, title=FOREIGN_MEETING, date=date(2026, 3, 7)
    )
    ParticipantFactory(round=foreign_round, user=mentor.user, role=ParticipantRole.MENTOR)
    return SimpleNamespace(
        tenant=tenant,
        coordinator=coordinator,
        round=round_,
        kickoff=kickoff,
        mentors_day=mentors_day,
        adepts_day=adepts_day,
        mentor=mentor,
        adept=adept,
        other_tenant=other_tenant,
        foreign_round=foreign_round,
        foreign_meeting=foreign_meeting,
    )


def english_client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def round_feed_url(tenant, round_):
    return reverse("programmes:round_feed", kwargs={"tenant": tenant.slug, "pk": round_.pk})


def meeting_ics_url(tenant, meeting):
    return reverse("programmes:meeting_ics", kwargs={"tenant": tenant.slug, "pk": meeting.pk})


def person_feed_url(tenant, token):
    return reverse("programmes:person_feed", kwargs={"tenant": tenant.slug, "token": token})


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_title(calendar):
    events = {}
    for event in calendar.walk("VEVENT"):
        summary = str(event["SUMMARY"])
        assert summary not in events
        events[summary] = event
    return events


def person_events(world, participant):
    feed = services.feed_for(tenant=world.tenant, user=participant.user)
    response = Client().get(person_feed_url(world.tenant, feed.token))
    return events_by_title(parse(response)), response


# --- the public round feed -----------------------------------------------------------------


@pytest.mark.django_db
def test_round_feed_lists_every_day_in_the_tenants_time_zone(world):
    response = english_client().get(round_feed_url(world.tenant, world.round))
    calendar = parse(response)

    assert str(calendar["X-WR-CALNAME"]) == "Chefsmentorskap: Omgång 15"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Stockholm"]
    assert calendar.get_missing_tzids() == set()

    events = events_by_title(calendar)
    assert set(events) == {"Uppstart", "Mentorsträff", "Adeptträff"}
    kickoff = events["Uppstart"]
    assert kickoff["DTSTART"].params["TZID"] == "Europe/Stockholm"
    start = kickoff.decoded("DTSTART")
    assert start == datetime(2026, 3, 6, 9, 0, tzinfo=STOCKHOLM)
    assert start.astimezone(UTC) == datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    assert kickoff.decoded("DTEND") == datetime(2026, 3, 6, 15, 30, tzinfo=STOCKHOLM)
    assert b"DTSTART;TZID=Europe/Stockholm:20260306T090000" in response.content

    assert str(kickoff["UID"]) == f"meeting-{world.kickoff.pk}@{world.tenant.slug}.mentorprogram"
    assert int(kickoff["SEQUENCE"]) == 0
    assert "DTSTAMP" in kickoff
    assert str(kickoff["LOCATION"]) == "Kulturhuset, Storgatan 1"
    description = str(kickoff["DESCRIPTION"])
    assert "Välkommen och förväntningar." in description
    assert "For: Everyone" in description
    assert "09:00–12:00 Gemensam start (Everyone)" in description
    assert "13:00–15:30 Coachande samtal för mentorer (Mentors only)" in description
    assert "For: Mentors only" in str(events["Mentorsträff"]["DESCRIPTION"])
    assert "For: Adepts only" in str(events["Adeptträff"]["DESCRIPTION"])

    assert "max-age=900" in response["Cache-Control"]
    assert FOREIGN_MEETING.encode() not in response.content


@pytest.mark.django_db
def test_summer_time_is_written_in_local_time(world):
    response = english_client().get(round_feed_url(world.tenant, world.round))
    mentors_day = events_by_title(parse(response))["Mentorsträff"]
    # 13:00 in Stockholm on 10 April (summer time) is 11:00 UTC.
    assert mentors_day.decoded("DTSTART").astimezone(UTC) == datetime(
        2026, 4, 10, 11, 0, tzinfo=UTC
    )


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Round.Status.DRAFT, Round.Status.ARCHIVED])
def test_round_that_is_not_public_has_no_feed(world, status):
    Round.objects.filter(pk=world.round.pk).update(status=status)
    client = english_client()
    assert client.get(round_feed_url(world.tenant, world.round)).status_code == 404
    assert client.get(meeting_ics_url(world.tenant, world.kickoff)).status_code == 404


@pytest.mark.django_db
def test_another_tenants_round_and_meeting_are_not_found(world):
    client = english_client()
    assert client.get(round_feed_url(world.tenant, world.foreign_round)).status_code == 404
    assert client.get(meeting_ics_url(world.tenant, world.foreign_meeting)).status_code == 404
    # Under their own tenant they are public.
    assert client.get(round_feed_url(world.other_tenant, world.foreign_round)).status_code == 200


@pytest.mark.django_db
def test_one_meeting_as_a_download(world):
    response = english_client().get(meeting_ics_url(world.tenant, world.kickoff))
    calendar = parse(response)
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="uppstart-2026-03-06.ics"' in response["Content-Disposition"]
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{world.kickoff.pk}@{world.tenant.slug}.mentorprogram"
    assert event.decoded("DTSTART") == datetime(2026, 3, 6, 9, 0, tzinfo=STOCKHOLM)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Stockholm"]


@pytest.mark.django_db
def test_moving_a_day_changes_the_time_and_raises_the_sequence(world):
    url = round_feed_url(world.tenant, world.round)
    before = events_by_title(parse(english_client().get(url)))["Uppstart"]
    assert int(before["SEQUENCE"]) == 0

    meeting = world.kickoff
    meeting.date = date(2027, 4, 16)
    services.save_meeting(tenant=world.tenant, actor=world.coordinator, meeting=meeting)

    after = events_by_title(parse(english_client().get(url)))["Uppstart"]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1
    assert after.decoded("DTSTART") == datetime(2027, 4, 16, 9, 0, tzinfo=STOCKHOLM)
    assert after.decoded("DTSTART").astimezone(UTC) == datetime(2027, 4, 16, 7, 0, tzinfo=UTC)

    # The person feed moves with it.
    events, _response = person_events(world, world.adept)
    assert int(events["Uppstart"]["SEQUENCE"]) == 1
    assert events["Uppstart"].decoded("DTSTART") == datetime(2027, 4, 16, 9, 0, tzinfo=STOCKHOLM)


# --- a person's feed -----------------------------------------------------------------------


@pytest.mark.django_db
def test_mentor_gets_the_days_and_parts_for_mentors(world):
    events, response = person_events(world, world.mentor)
    assert set(events) == {"Uppstart", "Mentorsträff"}
    kickoff = events["Uppstart"]
    assert kickoff["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert kickoff.decoded("DTSTART") == datetime(2026, 3, 6, 9, 0, tzinfo=STOCKHOLM)
    assert kickoff.decoded("DTEND") == datetime(2026, 3, 6, 15, 30, tzinfo=STOCKHOLM)
    assert "Coachande samtal för mentorer" in str(kickoff["DESCRIPTION"])
    assert "You take part as: Mentor" in str(kickoff["DESCRIPTION"])
    # The other tenant's day of the same person stays in the other tenant's feed.
    assert FOREIGN_MEETING.encode() not in response.content
    assert "max-age=900" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_adept_gets_the_days_and_parts_for_adepts(world):
    events, _response = person_events(world, world.adept)
    assert set(events) == {"Uppstart", "Adeptträff"}
    kickoff = events["Uppstart"]
    # The adepts' part of the kickoff ends at lunch; the mentors go on until 15:30.
    assert kickoff.decoded("DTSTART") == datetime(2026, 3, 6, 9, 0, tzinfo=STOCKHOLM)
    assert kickoff.decoded("DTEND") == datetime(2026, 3, 6, 13, 0, tzinfo=STOCKHOLM)
    description = str(kickoff["DESCRIPTION"])
    assert "12:00–13:00 Lunch (Everyone)" in description
    assert "Coachande samtal" not in description


@pytest.mark.django_db
def test_a_declined_day_stays_but_is_marked_and_free(world):
    MeetingResponseFactory(meeting=world.kickoff, participant=world.adept, attending=False)
    MeetingResponseFactory(meeting=world.adepts_day, participant=world.adept, attending=True)
    events, _response = person_events(world, world.adept)
    assert set(events) == {"Uppstart (you answered: not attending)", "Adeptträff"}
    assert str(events["Uppstart (you answered: not attending)"]["TRANSP"]) == "TRANSPARENT"
    assert str(events["Adeptträff"]["TRANSP"]) == "OPAQUE"


@pytest.mark.django_db
def test_somebody_in_both_roles_gets_each_day_once(world):
    ParticipantFactory(round=world.round, user=world.adept.user, role=ParticipantRole.MENTOR)
    events, response = person_events(world, world.adept)
    assert set(events) == {"Uppstart", "Mentorsträff", "Adeptträff"}
    uids = [str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert events["Uppstart"].decoded("DTEND") == datetime(2026, 3, 6, 15, 30, tzinfo=STOCKHOLM)


@pytest.mark.django_db
def test_unknown_and_revoked_tokens_are_not_found(world):
    client = Client()
    assert client.get(person_feed_url(world.tenant, "no-such-token")).status_code == 404

    old = services.feed_for(tenant=world.tenant, user=world.mentor.user)
    assert client.get(person_feed_url(world.tenant, old.token)).status_code == 200
    new = services.renew_feed(tenant=world.tenant, user=world.mentor.user)
    assert client.get(person_feed_url(world.tenant, old.token)).status_code == 404
    assert client.get(person_feed_url(world.tenant, new.token)).status_code == 200


@pytest.mark.django_db
def test_a_token_only_works_under_its_own_tenant(world):
    # The mentor takes part in both tenants; the other tenant's feed must not open here.
    foreign = services.feed_for(tenant=world.other_tenant, user=world.mentor.user)
    client = Client()
    assert client.get(person_feed_url(world.tenant, foreign.token)).status_code == 404
    response = client.get(person_feed_url(world.other_tenant, foreign.token))
    assert set(events_by_title(parse(response))) == {FOREIGN_MEETING}


@pytest.mark.django_db
def test_person_with_no_rounds_gets_an_empty_calendar(world):
    nobody = UserFactory()
    feed = services.feed_for(tenant=world.tenant, user=nobody)
    calendar = parse(Client().get(person_feed_url(world.tenant, feed.token)))
    assert calendar.walk("VEVENT") == []
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Stockholm"]


# --- conditional requests --------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unchanged_feed_answers_304_and_a_change_gives_a_new_version(world):
    """Calendar apps poll every few minutes: an unchanged feed is answered with 304 Not
    Modified (no body); a moved day, an answer to a day or a change of language is a new
    version with a new ETag."""
    url = round_feed_url(world.tenant, world.round)
    client = Client()
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "max-age=900" in again["Cache-Control"]
    # The DTSTAMP (the moment of writing) differs between the two; the version does not.
    assert client.get(url)["ETag"] == etag

    meeting = world.kickoff
    meeting.date = date(2027, 4, 16)
    services.save_meeting(tenant=world.tenant, actor=world.coordinator, meeting=meeting)
    moved = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert moved.status_code == 200 and moved["ETag"] != etag
    assert "20270416" in moved.content.decode()

    feed = services.feed_for(tenant=world.tenant, user=world.adept.user)
    personal = person_feed_url(world.tenant, feed.token)
    own = client.get(personal)["ETag"]
    assert client.get(personal, HTTP_IF_NONE_MATCH=own).status_code == 304
    MeetingResponseFactory(meeting=world.kickoff, participant=world.adept, attending=False)
    answered = client.get(personal, HTTP_IF_NONE_MATCH=own)
    assert answered.status_code == 200 and answered["ETag"] != own
    assert "not attending" in answered.content.decode()
    world.adept.user.language = "sv" if world.adept.user.language == "en" else "en"
    world.adept.user.save()
    assert client.get(personal, HTTP_IF_NONE_MATCH=answered["ETag"]).status_code == 200


# --- every feed read the same by two parsers, across daylight-saving changes ---------------


@pytest.fixture
def across_dst(world):
    """Days on both sides of the changes of two years: winter, summer, after the autumn
    change, the next winter and summer (the VTIMEZONE must hold for every year)."""
    days = [
        world.kickoff,  # 6 March 2026, 09:00 winter time
        world.mentors_day,  # 10 April 2026, 13:00 summer time
        world.adepts_day,  # 8 May 2026, 09:00 summer time
    ]
    for day, hour in ((date(2026, 10, 30), 9), (date(2027, 1, 15), 10), (date(2027, 6, 11), 9)):
        days.append(
            SharedMeetingFactory(
                round=world.round,
                title=f"Träff {day}",
                date=day,
                starts_at=time(hour, 0),
                ends_at=time(hour + 2, 0),
                audience=Audience.EVERYONE,
            )
        )
    return days


def expected_starts(world, meetings, *, parts_start=None):
    return {
        f"meeting-{m.pk}@{world.tenant.slug}.mentorprogram": datetime.combine(
            m.date, (parts_start or {}).get(m.pk, m.starts_at), tzinfo=STOCKHOLM
        )
        for m in meetings
    }


@pytest.mark.django_db
def test_the_round_feed_reads_the_same_in_icalendar_and_vobject(world, across_dst):
    response = english_client().get(round_feed_url(world.tenant, world.round))
    assert b"RRULE:FREQ=YEARLY" in response.content
    # No comma-separated RDATE list (vobject reads only its first date).
    assert not re.search(rb"^RDATE:[^\r\n]*,", response.content, re.MULTILINE)
    assert_both_read(response.content, expected_starts(world, across_dst))


@pytest.mark.django_db
def test_each_meeting_download_reads_the_same_in_icalendar_and_vobject(world, across_dst):
    for meeting in across_dst:
        response = english_client().get(meeting_ics_url(world.tenant, meeting))
        assert_both_read(response.content, expected_starts(world, [meeting]))


@pytest.mark.django_db
def test_the_person_feed_reads_the_same_in_icalendar_and_vobject(world, across_dst):
    feed = services.feed_for(tenant=world.tenant, user=world.mentor.user)
    response = Client().get(person_feed_url(world.tenant, feed.token))
    mentor_days = [m for m in across_dst if m.audience != Audience.ADEPTS]
    assert_both_read(response.content, expected_starts(world, mentor_days))
