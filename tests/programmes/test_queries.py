"""List and dashboard pages ask the database a fixed number of times, whatever the size.

Each test builds the same kind of tenant twice, small (3 participants) and large (30, with
more days, answers, organisations, programmes and rounds), and compares the number of queries
of one page view. The pages are warmed up first, so one-time work (a calendar address made
on the first visit, content types) does not count.
"""

from datetime import datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes.models import Audience, ParticipantRole, Round
from tests.factories.organisations import (
    MembershipFactory,
    OrganisationFactory,
    TenantFactory,
    UserFactory,
)
from tests.factories.programmes import (
    EligibilityFactory,
    MeetingPartFactory,
    MeetingResponseFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RoundFactory,
    SharedMeetingFactory,
)

SMALL, LARGE = 3, 30
AUDIENCES = [Audience.EVERYONE, Audience.MENTORS, Audience.ADEPTS]


def build(size):
    """A tenant whose amount of everything grows with ``size``."""
    tenant = TenantFactory()
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en").user
    orgs = [OrganisationFactory(tenant=tenant) for _ in range(max(2, size // 5))]
    tz = ZoneInfo(tenant.timezone)
    today = timezone.localdate()

    programme = ProgrammeFactory(tenant=tenant, name="Huvudprogrammet")
    round_ = RoundFactory(
        programme=programme,
        name="Huvudomgången",
        status=Round.Status.OPEN,
        max_pairs=50,
        application_opens_at=datetime.combine(today - timedelta(days=3), time(9), tzinfo=tz),
        application_closes_at=datetime.combine(today + timedelta(days=20), time(12), tzinfo=tz),
        starts_on=today + timedelta(days=30),
    )
    EligibilityFactory(round=round_, role=ParticipantRole.MENTOR, criteria_text="Erfaren chef")
    EligibilityFactory(round=round_, role=ParticipantRole.ADEPT, criteria_text="Ny chef")
    # More programmes and rounds for the lists.
    for i in range(size // 10):
        other = ProgrammeFactory(tenant=tenant)
        RoundFactory(programme=other)
        RoundFactory(programme=other, status=Round.Status.RUNNING)
        RoundFactory(programme=programme, name=f"Tidigare omgång {i}", status=Round.Status.CLOSED)

    meetings = []
    for i in range(max(2, size // 5)):
        meeting = SharedMeetingFactory(
            round=round_,
            title=f"Träff {i}",
            date=today + timedelta(days=10 + 7 * i),
            audience=AUDIENCES[i % 3],
            host_organisation=orgs[i % len(orgs)],
            includes_meal=True,
        )
        MeetingPartFactory(
            meeting=meeting,
            title=f"Förmiddag {i}",
            starts_at=time(9),
            ends_at=time(12),
            audience=meeting.audience,
        )
        MeetingPartFactory(
            meeting=meeting,
            title=f"Eftermiddag {i}",
            starts_at=time(13),
            ends_at=time(16),
            audience=meeting.audience,
        )
        meetings.append(meeting)

    me = UserFactory(language="en", full_name="Jag Själv")
    participants = [
        ParticipantFactory(round=round_, user=me, role=ParticipantRole.ADEPT, organisation=orgs[0])
    ]
    for i in range(size - 1):
        participants.append(
            ParticipantFactory(
                round=round_,
                role=ParticipantRole.MENTOR if i % 2 else ParticipantRole.ADEPT,
                organisation=orgs[i % len(orgs)] if i % 4 else None,
            )
        )
    # The person also takes part in more rounds, with days of their own, when the tenant is large.
    for i in range(size // 10):
        extra = RoundFactory(
            programme=programme, name=f"Extra omgång {i}", status=Round.Status.RUNNING
        )
        mine = ParticipantFactory(
            round=extra, user=me, role=ParticipantRole.MENTOR, organisation=orgs[-1]
        )
        day = SharedMeetingFactory(
            round=extra,
            title=f"Extradag {i}",
            date=today + timedelta(days=5 + i),
            host_organisation=orgs[0],
        )
        MeetingPartFactory(meeting=day, title=f"Extrapass {i}")
        MeetingResponseFactory(meeting=day, participant=mine, attending=True, dietary_needs="Vegan")

    for meeting in meetings:
        for j, participant in enumerate(participants):
            if participant.role in meeting.audience_roles and j % 3 != 2:
                MeetingResponseFactory(
                    meeting=meeting,
                    participant=participant,
                    attending=j % 3 == 0,
                    dietary_needs="Vegetarisk" if j % 3 == 0 else "",
                )
    return SimpleNamespace(
        tenant=tenant,
        coordinator=coordinator,
        programme=programme,
        round=round_,
        meetings=meetings,
        me=me,
        participants=participants,
    )


def url(world, name, **kwargs):
    return reverse(f"programmes:{name}", kwargs={"tenant": world.tenant.slug, **kwargs})


PAGES = {
    # page: (who looks, url name, url kwargs, a text the page must show)
    "round_dashboard": (
        "coordinator",
        "round_dashboard",
        lambda w: {"pk": w.round.pk},
        lambda w: w.meetings[-1].title,
    ),
    "programme_list": ("coordinator", "programme_list", lambda w: {}, lambda w: w.programme.name),
    "programme_detail": (
        "coordinator",
        "programme_detail",
        lambda w: {"pk": w.programme.pk},
        lambda w: w.round.name,
    ),
    "participant_list": (
        "coordinator",
        "participant_list",
        lambda w: {"pk": w.round.pk},
        lambda w: w.participants[-1].user.email,
    ),
    "meeting_detail": (
        "coordinator",
        "meeting_detail",
        lambda w: {"pk": w.meetings[0].pk},
        lambda w: w.participants[-1].user.full_name,
    ),
    "participant_home": ("me", "participant_home", lambda w: {}, lambda w: w.meetings[0].title),
    "public_round": (
        None,
        "public_round",
        lambda w: {"pk": w.round.pk},
        lambda w: w.meetings[-1].title,
    ),
}


def count_queries(world, page_name):
    who, name, kwargs, expected = PAGES[page_name]
    client = Client()
    client.cookies["mentorship_language"] = "en"
    if who:
        client.force_login(getattr(world, who))
    target = url(world, name, **kwargs(world))
    client.get(target)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    assert expected(world) in response.content.decode()
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("page_name", list(PAGES))
def test_query_count_does_not_grow_with_the_data(db, page_name):
    small, large = build(SMALL), build(LARGE)
    assert len(large.participants) == 10 * len(small.participants)
    assert len(large.meetings) > len(small.meetings)
    small_queries = count_queries(small, page_name)
    large_queries = count_queries(large, page_name)
    assert len(small_queries) == len(large_queries), "\n".join(
        ["small:", *small_queries, "", "large:", *large_queries]
    )


def test_the_large_pages_show_everything(db):
    """The large tenant's pages list every row: the constant count is not from showing less."""
    world = build(LARGE)
    client = Client()
    client.force_login(world.coordinator)
    content = client.get(url(world, "meeting_detail", pk=world.meetings[0].pk)).content.decode()
    for participant in world.participants:
        if participant.role in world.meetings[0].audience_roles:
            assert (participant.user.full_name or participant.user.email) in content
    content = client.get(url(world, "round_dashboard", pk=world.round.pk)).content.decode()
    for meeting in world.meetings:
        assert meeting.title in content
    me = Client()
    me.force_login(world.me)
    content = me.get(url(world, "participant_home")).content.decode()
    for i in range(LARGE // 10):
        assert f"Extradag {i}" in content and f"Extra omgång {i}" in content
