"""The programmes app's services: every write, its rules and its activity-log row."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from organisations.models import ActivityLog, User
from programmes import services
from programmes.models import (
    Audience,
    CalendarFeed,
    Eligibility,
    ManagerLevel,
    MeetingPart,
    MeetingResponse,
    Participant,
    ParticipantRole,
    Programme,
    Round,
    SharedMeeting,
)
from tests.factories.organisations import OrganisationFactory, UserFactory
from tests.factories.programmes import (
    EligibilityFactory,
    MeetingPartFactory,
    MeetingResponseFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RoundFactory,
    SharedMeetingFactory,
)

MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT
S = Round.Status


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English whether or not a Swedish catalogue is compiled."""
    with translation.override("en"):
        yield


@pytest.fixture
def programme(tenant):
    return ProgrammeFactory(tenant=tenant)


@pytest.fixture
def round_(programme):
    return RoundFactory(programme=programme)


def tz_of(tenant):
    return ZoneInfo(tenant.timezone)


def at(tenant, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=tz_of(tenant))


def today():
    return timezone.localdate()


def log_rows(tenant, action=None):
    qs = ActivityLog.objects.filter(tenant=tenant)
    if action:
        qs = qs.filter(action=action)
    return list(qs.order_by("id"))


def round_state(pk):
    return Round.objects.filter(pk=pk).values().get()


def messages_of(exc_info):
    return exc_info.value.messages


# --- save_round -----------------------------------------------------------------------------


def test_save_round_creates_round_with_eligibility_and_logs(tenant, programme, coordinator):
    start = today() + timedelta(days=60)
    new = Round(
        programme=programme,
        name="Omgång 1",
        starts_on=start,
        ends_on=start + timedelta(days=300),
        application_opens_at=at(tenant, today(), 9),
        application_closes_at=at(tenant, today() + timedelta(days=30), 23, 59),
    )
    saved = services.save_round(
        tenant=tenant,
        actor=coordinator,
        round_=new,
        eligibility={
            MENTOR: {
                "manager_levels": [ManagerLevel.SENIOR_EXECUTIVE],
                "min_years_as_manager": 5,
                "criteria_text": "Gott ledarskap",
            },
            ADEPT: {
                "manager_levels": [ManagerLevel.FIRST_LINE],
                "min_years_as_manager": None,
                "criteria_text": "",
            },
        },
    )
    assert saved.pk and saved.tenant == tenant and saved.status == S.DRAFT
    rules = {e.role: e for e in Eligibility.objects.filter(round=saved)}
    assert rules[MENTOR].manager_levels == ["senior_executive"]
    assert rules[MENTOR].min_years_as_manager == 5
    assert rules[MENTOR].criteria_text == "Gott ledarskap"
    assert rules[ADEPT].manager_levels == ["first_line"]
    assert rules[ADEPT].min_years_as_manager == 0
    [entry] = log_rows(tenant, "round.created")
    assert entry.actor == coordinator and entry.object_id == str(saved.pk)
    assert entry.data["after"]["name"] == "Omgång 1"
    assert entry.data["after"]["starts_on"] == start.isoformat()


def test_save_round_drops_an_empty_eligibility_rule(tenant, round_, coordinator):
    """A role with nothing filled in has no rule: the round still needs its eligibility said."""
    EligibilityFactory(round=round_, role=MENTOR, criteria_text="Förut")
    empty = {"manager_levels": [], "min_years_as_manager": 0, "criteria_text": ""}
    services.save_round(
        tenant=tenant, actor=coordinator, round_=round_, eligibility={MENTOR: empty, ADEPT: empty}
    )
    assert not Eligibility.objects.filter(round=round_).exists()
    assert (
        "Say who may apply as mentor and as adept (eligibility)."
        in services.transition_problems(Round.objects.get(pk=round_.pk), S.OPEN)
    )


def _invalid_round_cases(tenant):
    start = today() + timedelta(days=60)
    return {
        "deadline after start": (
            {
                "application_opens_at": at(tenant, today(), 9),
                "application_closes_at": at(tenant, start + timedelta(days=1), 12),
                "starts_on": start,
                "ends_on": start + timedelta(days=200),
            },
            "application_closes_at",
            "The application deadline must be before the programme starts.",
        ),
        "end before start": (
            {"starts_on": start, "ends_on": start - timedelta(days=1)},
            "ends_on",
            "The end must be after the start.",
        ),
        "end on the start day": (
            {"starts_on": start, "ends_on": start},
            "ends_on",
            "The end must be after the start.",
        ),
        "closes before opens": (
            {
                "application_opens_at": at(tenant, today() + timedelta(days=10), 9),
                "application_closes_at": at(tenant, today() + timedelta(days=5), 9),
                "starts_on": start,
                "ends_on": start + timedelta(days=200),
            },
            "application_closes_at",
            "The deadline must be after applications open.",
        ),
    }


@pytest.mark.parametrize(
    "case",
    ["deadline after start", "end before start", "end on the start day", "closes before opens"],
)
def test_save_round_refuses_bad_dates_on_create(tenant, programme, coordinator, case):
    values, field, message = _invalid_round_cases(tenant)[case]
    new = Round(programme=programme, name="Fel", **values)
    eligibility = {ADEPT: {"criteria_text": "x"}}
    with pytest.raises(ValidationError) as exc:
        services.save_round(tenant=tenant, actor=coordinator, round_=new, eligibility=eligibility)
    assert exc.value.message_dict == {field: [message]}
    assert Round.objects.count() == 0
    assert Eligibility.objects.count() == 0
    assert log_rows(tenant) == []


@pytest.mark.parametrize(
    "case", ["deadline after start", "end before start", "closes before opens"]
)
def test_save_round_refuses_bad_dates_on_update(tenant, round_, coordinator, case):
    values, field, message = _invalid_round_cases(tenant)[case]
    EligibilityFactory(round=round_, role=ADEPT, criteria_text="Oförändrat")
    before = round_state(round_.pk)
    for name, value in values.items():
        setattr(round_, name, value)
    round_.name = "Ändrat namn"
    with pytest.raises(ValidationError) as exc:
        services.save_round(
            tenant=tenant,
            actor=coordinator,
            round_=round_,
            eligibility={ADEPT: {"criteria_text": "Ändrat"}},
        )
    assert field in exc.value.message_dict
    assert message in exc.value.message_dict[field]
    assert round_state(round_.pk) == before
    assert Eligibility.objects.get(round=round_).criteria_text == "Oförändrat"
    assert log_rows(tenant) == []


def test_deadline_on_the_start_day_is_allowed(tenant, programme, coordinator):
    start = today() + timedelta(days=60)
    new = Round(
        programme=programme,
        name="Tight",
        starts_on=start,
        application_closes_at=at(tenant, start, 8),
    )
    services.save_round(tenant=tenant, actor=coordinator, round_=new)
    assert Round.objects.filter(pk=new.pk).exists()


def test_save_round_refuses_another_tenants_programme(tenant, other_tenant, coordinator):
    foreign = ProgrammeFactory(tenant=other_tenant)
    new = Round(programme=foreign, name="Intrång")
    with pytest.raises(ValidationError) as exc:
        services.save_round(tenant=tenant, actor=coordinator, round_=new)
    assert "programme" in exc.value.message_dict
    assert Round.objects.count() == 0


def test_save_round_logs_before_and_after_on_update(tenant, round_, coordinator):
    old_name = round_.name
    round_.name = "Omdöpt"
    round_.max_pairs = 12
    services.save_round(tenant=tenant, actor=coordinator, round_=round_)
    [entry] = log_rows(tenant, "round.updated")
    assert entry.data["before"]["name"] == old_name and entry.data["after"]["name"] == "Omdöpt"
    assert entry.data["before"]["max_pairs"] is None and entry.data["after"]["max_pairs"] == 12


# --- transitions ----------------------------------------------------------------------------


def test_draft_to_open_needs_deadline_start_and_eligibility(tenant, programme, coordinator):
    draft = RoundFactory(programme=programme, starts_on=None, ends_on=None)
    with pytest.raises(ValidationError) as exc:
        services.transition_round(tenant=tenant, actor=coordinator, round_=draft, to_status=S.OPEN)
    assert messages_of(exc) == [
        "Set an application deadline first.",
        "Set the date the programme starts.",
        "Say who may apply as mentor and as adept (eligibility).",
    ]
    assert Round.objects.get(pk=draft.pk).status == S.DRAFT
    assert log_rows(tenant) == []


def test_draft_to_open_refused_with_a_past_deadline(tenant, round_, coordinator):
    EligibilityFactory(round=round_, role=ADEPT)
    EligibilityFactory(round=round_, role=MENTOR)
    Round.objects.filter(pk=round_.pk).update(
        application_closes_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.transition_round(tenant=tenant, actor=coordinator, round_=round_, to_status=S.OPEN)
    assert messages_of(exc) == [
        "The application deadline has passed. Set a deadline in the future."
    ]
    assert Round.objects.get(pk=round_.pk).status == S.DRAFT


def test_draft_to_open_allowed_once_set_and_logged(tenant, round_, coordinator):
    Round.objects.filter(pk=round_.pk).update(
        application_closes_at=timezone.now() + timedelta(days=14)
    )
    with pytest.raises(ValidationError) as exc:
        services.transition_round(tenant=tenant, actor=coordinator, round_=round_, to_status=S.OPEN)
    assert messages_of(exc) == ["Say who may apply as mentor and as adept (eligibility)."]

    EligibilityFactory(round=round_, role=ADEPT)
    EligibilityFactory(round=round_, role=MENTOR)
    result = services.transition_round(
        tenant=tenant, actor=coordinator, round_=round_, to_status=S.OPEN
    )
    assert result.status == S.OPEN
    assert Round.objects.get(pk=round_.pk).status == S.OPEN
    [entry] = log_rows(tenant, "round.status_changed")
    assert entry.actor == coordinator and entry.object_id == str(round_.pk)
    assert entry.data == {"before": {"status": "draft"}, "after": {"status": "open"}}


def test_continuous_programme_opens_with_eligibility_only(tenant, coordinator):
    programme = ProgrammeFactory(tenant=tenant, kind=Programme.Kind.CONTINUOUS)
    bank = RoundFactory(programme=programme, starts_on=None, ends_on=None)
    assert services.transition_problems(bank, S.OPEN) == [
        "Say who may apply as mentor and as adept (eligibility)."
    ]
    EligibilityFactory(round=bank, role=MENTOR)
    services.transition_round(tenant=tenant, actor=coordinator, round_=bank, to_status=S.OPEN)
    assert Round.objects.get(pk=bank.pk).status == S.OPEN


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.RUNNING),
        (S.DRAFT, S.REVIEW),
        (S.DRAFT, S.ARCHIVED),
        (S.OPEN, S.RUNNING),
        (S.OPEN, S.MATCHING),
        (S.RUNNING, S.OPEN),
        (S.RUNNING, S.DRAFT),
        (S.ARCHIVED, S.DRAFT),
        (S.ARCHIVED, S.CLOSED),
        (S.CLOSED, S.OPEN),
    ],
)
def test_illegal_jumps_are_refused(tenant, round_, coordinator, current, target):
    Round.objects.filter(pk=round_.pk).update(
        status=current, application_closes_at=timezone.now() - timedelta(days=1)
    )
    EligibilityFactory(round=round_, role=ADEPT)
    with pytest.raises(ValidationError) as exc:
        services.transition_round(tenant=tenant, actor=coordinator, round_=round_, to_status=target)
    assert messages_of(exc) == [
        f"A round that is “{S(current).label}” cannot become “{S(target).label}”."
    ]
    assert Round.objects.get(pk=round_.pk).status == current
    assert log_rows(tenant) == []


def test_review_waits_for_the_deadline(tenant, round_, coordinator):
    Round.objects.filter(pk=round_.pk).update(
        status=S.OPEN, application_closes_at=timezone.now() + timedelta(days=3)
    )
    with pytest.raises(ValidationError) as exc:
        services.transition_round(
            tenant=tenant, actor=coordinator, round_=round_, to_status=S.REVIEW
        )
    assert messages_of(exc) == [
        "Applications are open until the deadline. Close applications now to start the "
        "review early."
    ]
    Round.objects.filter(pk=round_.pk).update(
        application_closes_at=timezone.now() - timedelta(minutes=1)
    )
    services.transition_round(tenant=tenant, actor=coordinator, round_=round_, to_status=S.REVIEW)
    assert Round.objects.get(pk=round_.pk).status == S.REVIEW


def test_the_whole_life_of_a_round_is_logged_step_by_step(tenant, round_, coordinator):
    EligibilityFactory(round=round_, role=ADEPT)
    EligibilityFactory(round=round_, role=MENTOR)
    Round.objects.filter(pk=round_.pk).update(
        application_closes_at=timezone.now() + timedelta(days=3)
    )
    path = [S.OPEN]
    services.transition_round(tenant=tenant, actor=coordinator, round_=round_, to_status=S.OPEN)
    Round.objects.filter(pk=round_.pk).update(
        application_closes_at=timezone.now() - timedelta(days=1)
    )
    for target in (S.REVIEW, S.MATCHING, S.RUNNING, S.CLOSED, S.ARCHIVED):
        services.transition_round(tenant=tenant, actor=coordinator, round_=round_, to_status=target)
        path.append(target)
    entries = log_rows(tenant, "round.status_changed")
    assert [(e.data["before"]["status"], e.data["after"]["status"]) for e in entries] == list(
        zip(["draft", *path[:-1]], path, strict=True)
    )
    assert all(e.actor == coordinator for e in entries)
    assert services.TRANSITIONS[S.ARCHIVED] == ()


def test_transition_of_another_tenants_round_is_not_found(tenant, other_tenant, coordinator):
    foreign = RoundFactory(programme=ProgrammeFactory(tenant=other_tenant))
    with pytest.raises(Round.DoesNotExist):
        services.transition_round(
            tenant=tenant, actor=coordinator, round_=foreign, to_status=S.OPEN
        )
    with scopes_disabled():
        assert Round.objects.get(pk=foreign.pk).status == S.DRAFT


# --- copy_round -----------------------------------------------------------------------------

COPIED_SETTINGS = {
    "call_text": "Sök nu!",
    "max_pairs": 25,
    "cost_text": "12 000 kr",
    "practical_info": "Ta med lunch",
    "min_pair_meetings": 8,
    "pair_meeting_minutes": 90,
    "cadence_text": "var tredje vecka",
    "requires_endorsement": True,
    "requires_nomination": True,
    "requires_interview": True,
    "nomination_quota": 3,
}


@pytest.fixture
def source(tenant, programme, organisation):
    start = today() + timedelta(days=60)
    src = RoundFactory(
        programme=programme,
        name="Omgång 15",
        number=15,
        status=S.RUNNING,
        application_opens_at=at(tenant, today() + timedelta(days=1), 9),
        application_closes_at=at(tenant, today() + timedelta(days=20), 23, 59),
        starts_on=start,
        ends_on=start + timedelta(days=300),
        **COPIED_SETTINGS,
    )
    EligibilityFactory(
        round=src,
        role=MENTOR,
        manager_levels=["manager_of_managers"],
        min_years_as_manager=5,
        criteria_text="Erfaren",
    )
    EligibilityFactory(round=src, role=ADEPT, manager_levels=["first_line"], criteria_text="Ny")
    kickoff = SharedMeetingFactory(
        round=src,
        title="Uppstart",
        date=start,
        starts_at=time(9),
        ends_at=time(16),
        host_organisation=organisation,
        includes_meal=True,
        agenda="Välkommen",
    )
    MeetingPartFactory(meeting=kickoff, title="Alla", starts_at=time(9), ends_at=time(12))
    MeetingPartFactory(
        meeting=kickoff,
        title="Mentorer",
        starts_at=time(13),
        ends_at=time(16),
        audience=Audience.MENTORS,
    )
    closing = SharedMeetingFactory(
        round=src,
        title="Avslutning",
        date=start + timedelta(days=290),
        starts_at=time(13),
        ends_at=time(17),
        audience=Audience.ADEPTS,
    )
    participant = ParticipantFactory(round=src, role=ADEPT)
    MeetingResponseFactory(meeting=kickoff, participant=participant)
    src.refresh_from_db()
    src.kickoff, src.closing = kickoff, closing
    return src


def _round_picture(round_):
    return {
        "round": round_state(round_.pk),
        "eligibility": sorted(
            Eligibility.objects.filter(round=round_).values_list(
                "role", "manager_levels", "min_years_as_manager", "criteria_text"
            )
        ),
        "meetings": sorted(
            SharedMeeting.objects.filter(round=round_).values_list(
                "pk", "title", "date", "starts_at", "ends_at", "audience", "sequence"
            )
        ),
        "parts": sorted(
            MeetingPart.objects.filter(meeting__round=round_).values_list(
                "pk", "title", "starts_at", "ends_at", "audience"
            )
        ),
        "participants": Participant.objects.filter(round=round_).count(),
        "responses": MeetingResponse.objects.filter(meeting__round=round_).count(),
    }


def test_copy_round_copies_everything_shifted(tenant, source, coordinator):
    before = _round_picture(source)
    new = services.copy_round(
        tenant=tenant,
        actor=coordinator,
        source=source,
        name="Omgång 16",
        number=16,
        offset_days=364,
    )
    new = Round.objects.get(pk=new.pk)
    assert (new.name, new.number, new.status, new.copied_from, new.programme, new.tenant) == (
        "Omgång 16",
        16,
        S.DRAFT,
        source,
        source.programme,
        tenant,
    )
    for field, value in COPIED_SETTINGS.items():
        assert getattr(new, field) == value, field
    assert new.starts_on - source.starts_on == timedelta(days=364)
    assert new.ends_on - source.ends_on == timedelta(days=364)
    assert new.application_opens_at - source.application_opens_at == timedelta(days=364)
    assert new.application_closes_at - source.application_closes_at == timedelta(days=364)

    rules = sorted(
        Eligibility.objects.filter(round=new).values_list(
            "role", "manager_levels", "min_years_as_manager", "criteria_text", "tenant"
        )
    )
    assert rules == [
        ("adept", ["first_line"], 0, "Ny", tenant.pk),
        ("mentor", ["manager_of_managers"], 5, "Erfaren", tenant.pk),
    ]

    copies = list(SharedMeeting.objects.filter(round=new).order_by("date"))
    assert [m.title for m in copies] == ["Uppstart", "Avslutning"]
    for copy, original in zip(copies, [source.kickoff, source.closing], strict=True):
        assert copy.date - original.date == timedelta(days=364)
        assert (
            copy.starts_at,
            copy.ends_at,
            copy.audience,
            copy.place,
            copy.host_organisation_id,
            copy.agenda,
            copy.includes_meal,
            copy.tenant_id,
            copy.sequence,
        ) == (
            original.starts_at,
            original.ends_at,
            original.audience,
            original.place,
            original.host_organisation_id,
            original.agenda,
            original.includes_meal,
            tenant.pk,
            0,
        )
    parts = list(
        copies[0]
        .parts.order_by("starts_at")
        .values_list("title", "starts_at", "ends_at", "audience", "tenant")
    )
    assert parts == [
        ("Alla", time(9), time(12), "everyone", tenant.pk),
        ("Mentorer", time(13), time(16), "mentors", tenant.pk),
    ]
    # No participants or answers travel to the new round.
    assert not Participant.objects.filter(round=new).exists()
    assert not MeetingResponse.objects.filter(meeting__round=new).exists()

    assert _round_picture(source) == before
    [entry] = log_rows(tenant, "round.copied")
    assert entry.object_id == str(new.pk) and entry.data["offset_days"] == 364


def test_copy_round_keeps_the_local_time_across_daylight_saving(tenant, programme, coordinator):
    """A deadline at 12:00 in winter is 12:00 in summer too, ten weeks later."""
    tz = tz_of(tenant)
    year = today().year + 1
    src = RoundFactory(
        programme=programme,
        starts_on=datetime(year, 4, 1).date(),
        ends_on=datetime(year, 12, 1).date(),
        application_opens_at=datetime(year, 1, 10, 9, 0, tzinfo=tz),
        application_closes_at=datetime(year, 3, 1, 12, 0, tzinfo=tz),
    )
    src = Round.objects.get(pk=src.pk)  # as a view has it: times from the database, in UTC
    new = services.copy_round(
        tenant=tenant, actor=coordinator, source=src, name="Sommar", offset_days=70
    )
    new.refresh_from_db()
    closes = timezone.localtime(new.application_closes_at, tz)
    opens = timezone.localtime(new.application_opens_at, tz)
    assert (closes.date(), closes.time()) == (datetime(year, 5, 10).date(), time(12, 0))
    assert (opens.date(), opens.time()) == (datetime(year, 3, 21).date(), time(9, 0))


def test_copy_round_with_negative_offset(tenant, source, coordinator):
    new = services.copy_round(
        tenant=tenant, actor=coordinator, source=source, name="Tidigare", offset_days=-14
    )
    assert new.starts_on == source.starts_on - timedelta(days=14)
    assert set(SharedMeeting.objects.filter(round=new).values_list("date", flat=True)) == {
        source.kickoff.date - timedelta(days=14),
        source.closing.date - timedelta(days=14),
    }


def test_copy_round_refuses_another_tenants_round(tenant, other_tenant, coordinator):
    foreign = RoundFactory(programme=ProgrammeFactory(tenant=other_tenant))
    with pytest.raises(ValidationError):
        services.copy_round(
            tenant=tenant, actor=coordinator, source=foreign, name="Stöld", offset_days=7
        )
    assert Round.objects.filter(tenant=tenant).count() == 0


# --- save_meeting ---------------------------------------------------------------------------


def _meeting(round_, **kwargs):
    values = {
        "title": "Ny dag",
        "date": today() + timedelta(days=30),
        "starts_at": time(9),
        "ends_at": time(16),
        "audience": Audience.EVERYONE,
    }
    values.update(kwargs)
    return SharedMeeting(round=round_, **values)


def _part(title, starts, ends, audience=Audience.EVERYONE):
    return MeetingPart(title=title, starts_at=starts, ends_at=ends, audience=audience)


def meetings_state():
    return (
        sorted(
            SharedMeeting.objects.values_list(
                "pk", "title", "date", "starts_at", "ends_at", "audience", "sequence"
            )
        ),
        sorted(
            MeetingPart.objects.values_list(
                "pk", "meeting_id", "title", "starts_at", "ends_at", "audience"
            )
        ),
    )


def test_save_meeting_creates_a_day_with_parts(tenant, round_, coordinator):
    meeting = services.save_meeting(
        tenant=tenant,
        actor=coordinator,
        meeting=_meeting(round_),
        parts=[
            _part("Förmiddag", time(9), time(12)),
            _part("Mentorernas pass", time(13), time(16), Audience.MENTORS),
        ],
    )
    meeting = SharedMeeting.objects.get(pk=meeting.pk)
    assert meeting.tenant == tenant and meeting.sequence == 0
    assert list(meeting.parts.order_by("starts_at").values_list("title", "audience", "tenant")) == [
        ("Förmiddag", "everyone", tenant.pk),
        ("Mentorernas pass", "mentors", tenant.pk),
    ]
    [entry] = log_rows(tenant, "meeting.created")
    assert entry.object_id == str(meeting.pk) and entry.data["after"]["title"] == "Ny dag"


@pytest.mark.parametrize(
    ("meeting_kwargs", "parts", "field", "message"),
    [
        (
            {"starts_at": time(16), "ends_at": time(9)},
            [],
            "ends_at",
            "The day must end after it starts.",
        ),
        (
            {"starts_at": time(9), "ends_at": time(9)},
            [],
            "ends_at",
            "The day must end after it starts.",
        ),
        ({"date": "yesterday"}, [], "date", "The date has passed. Choose a date from today on."),
        (
            {"date": "clash", "starts_at": time(15), "ends_at": time(18)},
            [],
            "starts_at",
            "The time overlaps “Befintlig dag” on the same day.",
        ),
        (
            {},
            [("Kväll", time(15), time(17), Audience.EVERYONE)],
            None,
            "“Kväll” must lie within the day's hours.",
        ),
        (
            {},
            [("Bakvänt", time(12), time(10), Audience.EVERYONE)],
            None,
            "“Bakvänt” must end after it starts.",
        ),
        (
            {"audience": Audience.ADEPTS},
            [("Mentorspass", time(13), time(15), Audience.MENTORS)],
            None,
            "“Mentorspass” is for mentors only, but the day is for adepts only.",
        ),
        (
            {"audience": Audience.MENTORS},
            [("Alla", time(9), time(12), Audience.EVERYONE)],
            None,
            "“Alla” is for everyone, but the day is for mentors only.",
        ),
    ],
    ids=[
        "end-before-start",
        "zero-length",
        "past",
        "overlap",
        "part-outside",
        "part-backwards",
        "mentors-part-in-adepts-day",
        "everyone-part-in-mentors-day",
    ],
)
def test_save_meeting_refuses_and_saves_nothing(
    tenant, round_, coordinator, meeting_kwargs, parts, field, message
):
    existing = SharedMeetingFactory(
        round=round_,
        title="Befintlig dag",
        date=today() + timedelta(days=45),
        starts_at=time(9),
        ends_at=time(16),
    )
    MeetingPartFactory(meeting=existing, title="Befintligt pass")
    if meeting_kwargs.get("date") == "yesterday":
        meeting_kwargs["date"] = today() - timedelta(days=1)
    elif meeting_kwargs.get("date") == "clash":
        meeting_kwargs["date"] = existing.date
    before = meetings_state()
    activity = len(log_rows(tenant))
    with pytest.raises(ValidationError) as exc:
        services.save_meeting(
            tenant=tenant,
            actor=coordinator,
            meeting=_meeting(round_, **meeting_kwargs),
            parts=[_part(*p) for p in parts],
        )
    if field:
        assert exc.value.message_dict[field] == [message]
    else:
        assert message in exc.value.messages
    assert meetings_state() == before
    assert len(log_rows(tenant)) == activity


def test_same_hours_on_another_day_or_in_another_round_do_not_clash(tenant, round_, coordinator):
    day = today() + timedelta(days=45)
    SharedMeetingFactory(round=round_, date=day, starts_at=time(9), ends_at=time(16))
    SharedMeetingFactory(
        round=RoundFactory(programme=round_.programme),
        date=day + timedelta(days=1),
        starts_at=time(9),
        ends_at=time(16),
    )
    services.save_meeting(
        tenant=tenant,
        actor=coordinator,
        meeting=_meeting(round_, date=day + timedelta(days=1)),
        parts=[],
    )
    # Back to back on the same day is not an overlap either.
    services.save_meeting(
        tenant=tenant,
        actor=coordinator,
        meeting=_meeting(round_, date=day, starts_at=time(16), ends_at=time(18)),
        parts=[],
    )
    assert SharedMeeting.objects.filter(round=round_).count() == 3


def test_save_meeting_refuses_another_tenants_host(tenant, round_, coordinator, other_tenant):
    with scopes_disabled():
        foreign_org = other_tenant.organisations.get()
    with pytest.raises(ValidationError) as exc:
        services.save_meeting(
            tenant=tenant,
            actor=coordinator,
            meeting=_meeting(round_, host_organisation=foreign_org),
            parts=[],
        )
    assert "host_organisation" in exc.value.message_dict
    with scopes_disabled():
        assert not SharedMeeting.objects.exists()


@pytest.fixture
def answered(tenant, round_):
    meeting = SharedMeetingFactory(
        round=round_, title="Uppstart", date=today() + timedelta(days=30), place="Rådhuset"
    )
    MeetingPartFactory(meeting=meeting, title="Förmiddag", starts_at=time(9), ends_at=time(12))
    answers = [
        MeetingResponseFactory(
            meeting=meeting,
            participant=ParticipantFactory(round=round_),
            attending=True,
            dietary_needs="Vegan",
        ),
        MeetingResponseFactory(
            meeting=meeting,
            participant=ParticipantFactory(round=round_, role=MENTOR),
            attending=False,
        ),
    ]
    return meeting, answers


def test_moving_a_meeting_keeps_answers_and_is_logged(tenant, coordinator, answered):
    meeting, answers = answered
    old_date = meeting.date
    meeting.date = old_date + timedelta(days=7)
    meeting.starts_at, meeting.ends_at = time(10), time(15)
    meeting.place = "Kulturhuset"
    services.save_meeting(
        tenant=tenant,
        actor=coordinator,
        meeting=meeting,
        parts=[_part("Förmiddag", time(10), time(12))],
    )
    meeting = SharedMeeting.objects.get(pk=meeting.pk)
    assert meeting.sequence == 1
    assert (meeting.date, meeting.starts_at, meeting.place) == (
        old_date + timedelta(days=7),
        time(10),
        "Kulturhuset",
    )
    assert sorted(meeting.responses.values_list("pk", "attending", "dietary_needs")) == sorted(
        (a.pk, a.attending, a.dietary_needs) for a in answers
    )
    [entry] = log_rows(tenant, "meeting.moved")
    assert entry.actor == coordinator and entry.object_id == str(meeting.pk)
    assert entry.data["before"]["date"] == old_date.isoformat()
    assert entry.data["after"]["date"] == (old_date + timedelta(days=7)).isoformat()
    assert entry.data["before"]["starts_at"] == "09:00:00"
    assert entry.data["after"]["starts_at"] == "10:00:00"
    assert entry.data["before"]["place"] == "Rådhuset"
    assert entry.data["after"]["place"] == "Kulturhuset"
    assert entry.data["answers_kept"] == 2

    # Moving again counts on.
    meeting.date += timedelta(days=1)
    services.save_meeting(tenant=tenant, actor=coordinator, meeting=meeting)
    assert SharedMeeting.objects.get(pk=meeting.pk).sequence == 2


def test_renaming_a_meeting_is_not_a_move(tenant, coordinator, answered):
    meeting, _answers = answered
    meeting.title = "Uppstartsdagen"
    services.save_meeting(tenant=tenant, actor=coordinator, meeting=meeting)
    meeting = SharedMeeting.objects.get(pk=meeting.pk)
    assert meeting.sequence == 0 and meeting.title == "Uppstartsdagen"
    assert log_rows(tenant, "meeting.moved") == []
    [entry] = log_rows(tenant, "meeting.updated")
    assert entry.data["before"]["title"] == "Uppstart"
    assert list(meeting.parts.values_list("title", flat=True)) == ["Förmiddag"]


def test_shortening_a_day_checks_the_parts_it_keeps(tenant, coordinator, answered):
    meeting, _answers = answered
    before = meetings_state()
    meeting.starts_at = time(10)
    with pytest.raises(ValidationError) as exc:
        services.save_meeting(tenant=tenant, actor=coordinator, meeting=meeting)
    assert "“Förmiddag” must lie within the day's hours." in exc.value.messages
    assert meetings_state() == before


def test_a_moved_meeting_may_not_overlap_another(tenant, round_, coordinator, answered):
    meeting, _answers = answered
    other = SharedMeetingFactory(
        round=round_, title="Annan dag", date=meeting.date + timedelta(days=3)
    )
    before = meetings_state()
    meeting.date = other.date
    with pytest.raises(ValidationError) as exc:
        services.save_meeting(tenant=tenant, actor=coordinator, meeting=meeting)
    assert exc.value.message_dict["starts_at"] == ["The time overlaps “Annan dag” on the same day."]
    assert meetings_state() == before


# --- delete_meeting -------------------------------------------------------------------------


def test_delete_meeting_refused_when_answered(tenant, coordinator, answered):
    meeting, _answers = answered
    with pytest.raises(ValidationError) as exc:
        services.delete_meeting(tenant=tenant, actor=coordinator, meeting=meeting)
    assert exc.value.messages == [
        "People have answered this day, so it cannot be deleted. Move it instead."
    ]
    assert SharedMeeting.objects.filter(pk=meeting.pk).exists()
    assert MeetingResponse.objects.filter(meeting=meeting).count() == 2
    assert log_rows(tenant) == []


def test_delete_meeting_without_answers(tenant, round_, coordinator):
    meeting = SharedMeetingFactory(round=round_, title="Inställd")
    MeetingPartFactory(meeting=meeting)
    services.delete_meeting(tenant=tenant, actor=coordinator, meeting=meeting)
    assert not SharedMeeting.objects.filter(pk=meeting.pk).exists()
    assert not MeetingPart.objects.filter(meeting_id=meeting.pk).exists()
    [entry] = log_rows(tenant, "meeting.deleted")
    assert entry.data["before"]["title"] == "Inställd"


# --- respond_to_meeting ---------------------------------------------------------------------


def test_adept_cannot_answer_a_mentors_only_day(tenant, round_):
    day = SharedMeetingFactory(round=round_, audience=Audience.MENTORS)
    adept = ParticipantFactory(round=round_, role=ADEPT)
    with pytest.raises(ValidationError) as exc:
        services.respond_to_meeting(tenant=tenant, participant=adept, meeting=day, attending=True)
    assert exc.value.messages == ["This day is not for your role."]
    assert not MeetingResponse.objects.exists()


def test_a_past_day_cannot_be_answered(tenant, round_):
    day = SharedMeetingFactory(round=round_, date=today() - timedelta(days=1))
    adept = ParticipantFactory(round=round_, role=ADEPT)
    with pytest.raises(ValidationError) as exc:
        services.respond_to_meeting(tenant=tenant, participant=adept, meeting=day, attending=True)
    assert exc.value.messages == ["The day has passed; answers can no longer be changed."]
    assert not MeetingResponse.objects.exists()


def test_a_day_of_another_round_cannot_be_answered(tenant, round_):
    day = SharedMeetingFactory(round=round_)
    outsider = ParticipantFactory(round=RoundFactory(programme=round_.programme))
    with pytest.raises(ValidationError) as exc:
        services.respond_to_meeting(
            tenant=tenant, participant=outsider, meeting=day, attending=True
        )
    assert exc.value.messages == ["This day is not part of your round."]
    assert not MeetingResponse.objects.exists()


def test_answering_today_is_still_allowed(tenant, round_):
    day = SharedMeetingFactory(round=round_, date=today())
    adept = ParticipantFactory(round=round_)
    services.respond_to_meeting(tenant=tenant, participant=adept, meeting=day, attending=True)
    assert MeetingResponse.objects.get(meeting=day).attending is True


def test_answering_twice_updates_the_one_answer(tenant, round_):
    day = SharedMeetingFactory(round=round_, includes_meal=True)
    adept = ParticipantFactory(round=round_)
    first = services.respond_to_meeting(
        tenant=tenant, participant=adept, meeting=day, attending=True, dietary_needs="Glutenfritt"
    )
    second = services.respond_to_meeting(
        tenant=tenant, participant=adept, meeting=day, attending=True, dietary_needs="Laktosfritt"
    )
    assert first.pk == second.pk
    [answer] = MeetingResponse.objects.filter(meeting=day, participant=adept)
    assert (answer.attending, answer.dietary_needs, answer.tenant_id) == (
        True,
        "Laktosfritt",
        tenant.pk,
    )
    assert answer.answered_at >= first.answered_at
    assert len(log_rows(tenant, "meeting.answered")) == 2
    # The database holds one answer per person and day, whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingResponse.objects.create(
            tenant=tenant, meeting=day, participant=adept, attending=False
        )


def test_not_attending_clears_dietary_needs(tenant, round_):
    day = SharedMeetingFactory(round=round_, includes_meal=True)
    adept = ParticipantFactory(round=round_)
    services.respond_to_meeting(
        tenant=tenant, participant=adept, meeting=day, attending=True, dietary_needs="Vegetarisk"
    )
    services.respond_to_meeting(
        tenant=tenant, participant=adept, meeting=day, attending=False, dietary_needs="Vegetarisk"
    )
    answer = MeetingResponse.objects.get(meeting=day, participant=adept)
    assert (answer.attending, answer.dietary_needs) == (False, "")
    # A first answer of "no" stores no dietary needs either.
    mentor = ParticipantFactory(round=round_, role=MENTOR)
    services.respond_to_meeting(
        tenant=tenant, participant=mentor, meeting=day, attending=False, dietary_needs="Nötallergi"
    )
    assert MeetingResponse.objects.get(participant=mentor).dietary_needs == ""


# --- mark_attendance ------------------------------------------------------------------------


def test_mark_attendance_for_everyone_the_day_is_for(tenant, round_, coordinator):
    day = SharedMeetingFactory(round=round_, audience=Audience.EVERYONE)
    came_answered = ParticipantFactory(round=round_, role=ADEPT)
    stayed_away_answered = ParticipantFactory(round=round_, role=ADEPT)
    came_unannounced = ParticipantFactory(round=round_, role=MENTOR)
    stayed_away = ParticipantFactory(round=round_, role=MENTOR)
    elsewhere = ParticipantFactory(round=RoundFactory(programme=round_.programme))
    MeetingResponseFactory(
        meeting=day, participant=came_answered, attending=True, dietary_needs="Vegan"
    )
    MeetingResponseFactory(meeting=day, participant=stayed_away_answered, attending=True)

    services.mark_attendance(
        tenant=tenant,
        actor=coordinator,
        meeting=day,
        attended_participant_ids=[came_answered.pk, came_unannounced.pk],
    )
    rows = {r.participant_id: r for r in MeetingResponse.objects.filter(meeting=day)}
    assert set(rows) == {
        came_answered.pk,
        stayed_away_answered.pk,
        came_unannounced.pk,
        stayed_away.pk,
    }
    assert {pk: r.attended for pk, r in rows.items()} == {
        came_answered.pk: True,
        stayed_away_answered.pk: False,
        came_unannounced.pk: True,
        stayed_away.pk: False,
    }
    # The answers themselves are kept.
    assert (rows[came_answered.pk].attending, rows[came_answered.pk].dietary_needs) == (
        True,
        "Vegan",
    )
    assert rows[stayed_away_answered.pk].attending is True
    # Those who never answered stay unanswered: only their attendance is known.
    assert rows[came_unannounced.pk].attending is None
    assert rows[stayed_away.pk].attending is None
    assert not MeetingResponse.objects.filter(participant=elsewhere).exists()
    assert len(log_rows(tenant, "meeting.attendance_marked")) == 1

    # Correcting the list flips the marks.
    services.mark_attendance(
        tenant=tenant, actor=coordinator, meeting=day, attended_participant_ids=[stayed_away.pk]
    )
    marks = dict(
        MeetingResponse.objects.filter(meeting=day).values_list("participant_id", "attended")
    )
    assert marks == {
        came_answered.pk: False,
        stayed_away_answered.pk: False,
        came_unannounced.pk: False,
        stayed_away.pk: True,
    }


def test_mark_attendance_refuses_those_the_day_is_not_for(tenant, round_, coordinator):
    """A mentor on an adepts' day, or anybody of another round or tenant: refused as a whole,
    nothing written (before, such ids were silently dropped and the rest saved)."""
    day = SharedMeetingFactory(round=round_, audience=Audience.ADEPTS)
    adept = ParticipantFactory(round=round_, role=ADEPT)
    mentor = ParticipantFactory(round=round_, role=MENTOR)
    elsewhere = ParticipantFactory(role=ADEPT)  # another tenant's
    for outsider in (mentor, elsewhere):
        with pytest.raises(ValidationError, match="Only the participants this day is for"):
            services.mark_attendance(
                tenant=tenant,
                actor=coordinator,
                meeting=day,
                attended_participant_ids=[adept.pk, outsider.pk],
            )
    assert not MeetingResponse.objects.filter(meeting=day).exists()
    assert not ActivityLog.objects.filter(action="meeting.attendance_marked").exists()
    services.mark_attendance(
        tenant=tenant, actor=coordinator, meeting=day, attended_participant_ids=[adept.pk]
    )
    assert dict(
        MeetingResponse.objects.filter(meeting=day).values_list("participant_id", "attended")
    ) == {adept.pk: True}


# --- add_participant ------------------------------------------------------------------------


def test_add_participant_creates_the_person(tenant, round_, coordinator, organisation):
    participant = services.add_participant(
        tenant=tenant,
        actor=coordinator,
        round_=round_,
        email="  Ny.Person@Kommun.Example ",
        full_name="Ny Person",
        role=ADEPT,
        organisation=organisation,
    )
    participant = Participant.objects.select_related("user").get(pk=participant.pk)
    assert (
        participant.user.email,
        participant.user.full_name,
        participant.role,
        participant.organisation,
        participant.tenant,
        participant.round,
    ) == ("ny.person@kommun.example", "Ny Person", ADEPT, organisation, tenant, round_)
    assert not participant.user.has_usable_password()
    [entry] = log_rows(tenant, "participant.added")
    assert entry.actor == coordinator and entry.data["after"]["role"] == "adept"


def test_add_participant_reuses_an_existing_account(tenant, round_, coordinator):
    person = UserFactory(email="finns@kommun.example", full_name="Finns Redan")
    users = User.objects.count()
    participant = services.add_participant(
        tenant=tenant,
        actor=coordinator,
        round_=round_,
        email="FINNS@kommun.example",
        full_name="Annat Namn",
        role=MENTOR,
    )
    assert participant.user == person and User.objects.count() == users
    assert User.objects.get(pk=person.pk).full_name == "Finns Redan"


def test_add_participant_refuses_a_duplicate(tenant, round_, coordinator):
    services.add_participant(
        tenant=tenant,
        actor=coordinator,
        round_=round_,
        email="dubbel@kommun.example",
        full_name="Dubbel",
        role=ADEPT,
    )
    with pytest.raises(ValidationError) as exc:
        services.add_participant(
            tenant=tenant,
            actor=coordinator,
            round_=round_,
            email="Dubbel@Kommun.example",
            full_name="Dubbel",
            role=ADEPT,
        )
    assert exc.value.message_dict == {
        "email": ["This person already takes part in the round in this role."]
    }
    assert Participant.objects.filter(round=round_).count() == 1
    assert len(log_rows(tenant, "participant.added")) == 1
    # The other role is a different place in the round.
    services.add_participant(
        tenant=tenant,
        actor=coordinator,
        round_=round_,
        email="dubbel@kommun.example",
        full_name="Dubbel",
        role=MENTOR,
    )
    assert Participant.objects.filter(round=round_).count() == 2


def test_add_participant_refuses_another_tenants_organisation(
    tenant, round_, coordinator, other_tenant
):
    foreign_org = OrganisationFactory(tenant=other_tenant)
    users = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.add_participant(
            tenant=tenant,
            actor=coordinator,
            round_=round_,
            email="ny@kommun.example",
            full_name="Ny",
            role=ADEPT,
            organisation=foreign_org,
        )
    assert exc.value.message_dict == {"organisation": ["Choose an organisation of your own."]}
    assert not Participant.objects.exists()
    assert User.objects.count() == users


def test_add_participant_refuses_an_unknown_role(tenant, round_, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.add_participant(
            tenant=tenant,
            actor=coordinator,
            round_=round_,
            email="ny@kommun.example",
            full_name="Ny",
            role="boss",
        )
    assert "role" in exc.value.message_dict
    assert not Participant.objects.exists()


# --- calendar feeds -------------------------------------------------------------------------


def test_renew_feed_revokes_the_old_address(tenant, round_):
    person = ParticipantFactory(round=round_).user
    old = services.feed_for(tenant=tenant, user=person)
    assert services.feed_for(tenant=tenant, user=person) == old  # stable until renewed
    new = services.renew_feed(tenant=tenant, user=person)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.token != old.token and new.revoked_at is None
    assert services.feed_for(tenant=tenant, user=person) == new
    assert (
        CalendarFeed.objects.filter(tenant=tenant, user=person, revoked_at__isnull=True).count()
        == 1
    )
    assert len(log_rows(tenant, "calendar.renewed")) == 1


def test_renew_feed_leaves_other_tenants_address_alone(tenant, other_tenant, round_):
    person = ParticipantFactory(round=round_).user
    elsewhere = services.feed_for(tenant=other_tenant, user=person)
    services.renew_feed(tenant=tenant, user=person)
    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None
