"""Every view of the programmes app against every kind of visitor.

Coordinator pages: anonymous → sign in; member of another tenant (or of none) → 404; HR contact
without the coordinator role → 403; coordinator → 200 with this tenant's data and none of the
other tenant's. Another tenant's object under one's own tenant's path → 404.

Participant pages: anonymous → sign in; somebody who does not take part → 404.
Public round page: only rounds that are neither draft nor archived, of this tenant.
"""

import html
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from applications.models import Application, StageChange
from organisations.models import ActivityLog, User
from organisations.viewlog import REFUSED, VIEW_ACTIONS
from programmes.models import (
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
from tests.factories.applications import ApplicationFactory
from tests.factories.programmes import (
    EligibilityFactory,
    MeetingPartFactory,
    MeetingResponseFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RoundFactory,
    SharedMeetingFactory,
)

FOREIGN_PROGRAMME = "Främmande programmet"
FOREIGN_ROUND = "Främmande omgången"
FOREIGN_MEETING = "Främmande träffen"
FOREIGN_PERSON = "framling@annat.example"
FOREIGN_ORG = "Främmande kommun"
FOREIGN_SECRETS = (FOREIGN_PROGRAMME, FOREIGN_ROUND, FOREIGN_MEETING, FOREIGN_PERSON, FOREIGN_ORG)


def _open_round(programme, **kwargs):
    tz = ZoneInfo(programme.tenant.timezone)
    today = timezone.localdate()
    defaults = {
        "status": Round.Status.OPEN,
        "application_opens_at": datetime.combine(today - timedelta(days=5), time(9), tzinfo=tz),
        "application_closes_at": datetime.combine(
            today + timedelta(days=20), time(23, 59), tzinfo=tz
        ),
        "starts_on": today + timedelta(days=40),
        "ends_on": today + timedelta(days=400),
    }
    defaults.update(kwargs)
    return RoundFactory(programme=programme, **defaults)


@pytest.fixture
def world(tenant, organisation, coordinator, hr_contact, other_tenant, other_member, stranger):
    """This tenant with a programme, an open round, days, participants and answers; the other
    tenant with the same, under names that must never show here."""
    User.objects.filter(
        pk__in=[coordinator.pk, hr_contact.pk, other_member.pk, stranger.pk]
    ).update(language="en")
    programme = ProgrammeFactory(tenant=tenant, name="Chefsmentorprogrammet", slug="chefsmentor")
    round_ = _open_round(programme, name="Omgång 15", number=15)
    EligibilityFactory(
        round=round_,
        role=ParticipantRole.MENTOR,
        criteria_text="Minst fem år som chef och dokumenterat gott ledarskap.",
    )
    EligibilityFactory(
        round=round_, role=ParticipantRole.ADEPT, criteria_text="Ny som chef, högst två år."
    )
    adept = ParticipantFactory(
        round=round_,
        role=ParticipantRole.ADEPT,
        organisation=organisation,
        user__full_name="Ada Adept",
        user__email="ada@kommun.example",
        user__language="en",
    )
    mentor = ParticipantFactory(
        round=round_,
        role=ParticipantRole.MENTOR,
        organisation=organisation,
        user__full_name="Mona Mentor",
        user__email="mona@kommun.example",
        user__language="en",
    )
    meeting = SharedMeetingFactory(round=round_, title="Uppstartsdag", includes_meal=True)
    MeetingPartFactory(
        meeting=meeting, title="Gemensam förmiddag", starts_at=time(9), ends_at=time(12)
    )
    MeetingResponseFactory(
        meeting=meeting, participant=adept, attending=True, dietary_needs="Vegetarisk"
    )
    # A day nobody has answered: deleting it would work, so a forbidden delete would show.
    empty_meeting = SharedMeetingFactory(
        round=round_, title="Avslutningsdag", date=timezone.localdate() + timedelta(days=200)
    )
    mentors_day = SharedMeetingFactory(
        round=round_,
        title="Mentorsträff",
        audience=Audience.MENTORS,
        date=timezone.localdate() + timedelta(days=60),
    )

    foreign_org = other_tenant.organisations.get(name=FOREIGN_ORG)
    foreign_programme = ProgrammeFactory(
        tenant=other_tenant, name=FOREIGN_PROGRAMME, slug="chefsmentor"
    )
    foreign_round = _open_round(foreign_programme, name=FOREIGN_ROUND)
    EligibilityFactory(
        round=foreign_round, role=ParticipantRole.ADEPT, criteria_text="Främmande kriterier"
    )
    foreign_participant = ParticipantFactory(
        round=foreign_round,
        role=ParticipantRole.ADEPT,
        organisation=foreign_org,
        user__email=FOREIGN_PERSON,
        user__full_name="Främ Ling",
        user__language="en",
    )
    foreign_meeting = SharedMeetingFactory(round=foreign_round, title=FOREIGN_MEETING)
    MeetingResponseFactory(meeting=foreign_meeting, participant=foreign_participant)
    return SimpleNamespace(
        tenant=tenant,
        organisation=organisation,
        coordinator=coordinator,
        hr_contact=hr_contact,
        stranger=stranger,
        programme=programme,
        round=round_,
        adept=adept,
        mentor=mentor,
        meeting=meeting,
        empty_meeting=empty_meeting,
        mentors_day=mentors_day,
        other_tenant=other_tenant,
        other_member=other_member,
        foreign_org=foreign_org,
        foreign_programme=foreign_programme,
        foreign_round=foreign_round,
        foreign_participant=foreign_participant,
        foreign_meeting=foreign_meeting,
    )


def client_for(user=None):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def text(response):
    return html.unescape(response.content.decode())


def snapshot():
    """Everything a forbidden request could have changed, in every tenant."""
    with scopes_disabled():
        return _snapshot()


def _snapshot():
    return {
        "programmes": sorted(Programme.objects.values_list("pk", "name", "slug", "is_active")),
        "rounds": sorted(
            Round.objects.values_list("pk", "name", "status", "application_closes_at")
        ),
        "eligibility": sorted(
            Eligibility.objects.values_list("pk", "round_id", "role", "criteria_text")
        ),
        "meetings": sorted(SharedMeeting.objects.values_list("pk", "title", "date", "sequence")),
        "parts": sorted(MeetingPart.objects.values_list("pk", "meeting_id", "title")),
        "participants": sorted(
            Participant.objects.values_list("pk", "round_id", "user_id", "role")
        ),
        "responses": sorted(
            MeetingResponse.objects.values_list("pk", "attending", "dietary_needs", "attended")
        ),
        "feeds": sorted(CalendarFeed.objects.values_list("pk", "token", "revoked_at")),
        "users": User.objects.count(),
        # A refused attempt is logged (organisations.viewlog); nothing else may be written.
        # Refused attempts and views of personal data (a page shown again with its form
        # error) are the intended writes of a refused request.
        "activity": ActivityLog.objects.exclude(action__in=(REFUSED, *VIEW_ACTIONS)).count(),
    }


def assert_no_foreign_data(content):
    for secret in FOREIGN_SECRETS:
        assert secret not in content, f"{secret!r} leaked from another tenant"


def _meeting_post(world):
    date = (timezone.localdate() + timedelta(days=90)).isoformat()
    return {
        "title": "Inspirationsdag",
        "date": date,
        "starts_at": "09:00",
        "ends_at": "15:00",
        "audience": "everyone",
        "place": "Rådhuset",
        "agenda": "",
        "parts-TOTAL_FORMS": "0",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "12",
    }


def _round_post(world):
    return {"name": "Omgång 16", "mentor_criteria": "Ändrat", "adept_criteria": "Ändrat"}


# (url name, method, what the URL points at, POST data that would change something).
# The target is an attribute of ``world``; round_create takes the programme as ``programme``.
COORDINATOR_VIEWS = [
    ("programme_list", "get", None, None),
    ("programme_create", "get", None, None),
    (
        "programme_create",
        "post",
        None,
        lambda w: {
            "name": "Nytt program",
            "slug": "nytt",
            "kind": "cohort",
            "matching_mode": "coordinator",
            "is_active": "on",
        },
    ),
    ("programme_detail", "get", "programme", None),
    ("programme_edit", "get", "programme", None),
    (
        "programme_edit",
        "post",
        "programme",
        lambda w: {
            "name": "Omdöpt",
            "slug": "omdopt",
            "kind": "cohort",
            "matching_mode": "coordinator",
        },
    ),
    ("round_create", "get", "programme", None),
    ("round_create", "post", "programme", _round_post),
    ("round_dashboard", "get", "round", None),
    ("round_edit", "get", "round", None),
    ("round_edit", "post", "round", _round_post),
    ("round_transition", "post", "round", lambda w: {"status": "draft"}),
    ("round_close_applications", "post", "round", lambda w: {"confirm": "yes"}),
    ("round_copy", "get", "round", None),
    ("round_copy", "post", "round", lambda w: {"name": "Kopia", "offset_weeks": "52"}),
    ("participant_list", "get", "round", None),
    (
        "participant_list",
        "post",
        "round",
        lambda w: {"full_name": "Ny Person", "email": "ny@kommun.example", "role": "adept"},
    ),
    ("meeting_create", "get", "round", None),
    ("meeting_create", "post", "round", _meeting_post),
    ("meeting_detail", "get", "meeting", None),
    ("meeting_edit", "get", "meeting", None),
    ("meeting_edit", "post", "meeting", _meeting_post),
    ("meeting_delete", "post", "empty_meeting", lambda w: {}),
    ("attendance", "post", "meeting", lambda w: {"present": [str(w.adept.pk)]}),
    ("answers_csv", "get", "meeting", None),
    ("answers_pdf", "get", "meeting", None),
]
COORDINATOR_IDS = [f"{method}-{name}" for name, method, _t, _d in COORDINATOR_VIEWS]


def test_every_manage_url_is_covered():
    """A coordinator page added to urls.py without an isolation test fails here."""
    from programmes.urls import urlpatterns

    manage = {p.name for p in urlpatterns if str(p.pattern).startswith("manage/")}
    assert manage == {name for name, *_rest in COORDINATOR_VIEWS}


def url_for(world, name, target=None, *, tenant=None, obj=None):
    kwargs = {"tenant": (tenant or world.tenant).slug}
    obj = obj if obj is not None else (getattr(world, target) if target else None)
    if obj is not None:
        kwargs["programme" if name == "round_create" else "pk"] = obj.pk
    return reverse(f"programmes:{name}", kwargs=kwargs)


def send(client, method, url, data, world):
    if method == "get":
        return client.get(url)
    return client.post(url, data(world) if data else {})


@pytest.mark.parametrize(
    ("name", "method", "target", "data"), COORDINATOR_VIEWS, ids=COORDINATOR_IDS
)
def test_anonymous_is_sent_to_sign_in(world, name, method, target, data):
    url = url_for(world, name, target)
    before = snapshot()
    response = send(client_for(), method, url, data, world)
    assert response.status_code == 302
    location = urlsplit(response.url)
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [url]
    assert snapshot() == before


@pytest.mark.parametrize("outsider", ["other_member", "stranger"])
@pytest.mark.parametrize(
    ("name", "method", "target", "data"), COORDINATOR_VIEWS, ids=COORDINATOR_IDS
)
def test_outsider_gets_404(world, outsider, name, method, target, data):
    before = snapshot()
    response = send(
        client_for(getattr(world, outsider)), method, url_for(world, name, target), data, world
    )
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    content = text(response)
    for own in (
        world.programme.name,
        world.round.name,
        world.meeting.title,
        world.adept.user.email,
    ):
        assert own not in content
    assert snapshot() == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "method", "target", "data"), COORDINATOR_VIEWS, ids=COORDINATOR_IDS
)
def test_hr_contact_without_coordinator_role_gets_403(world, name, method, target, data):
    before = snapshot()
    response = send(client_for(world.hr_contact), method, url_for(world, name, target), data, world)
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    content = text(response)
    for own in (
        world.programme.name,
        world.round.name,
        world.meeting.title,
        world.adept.user.email,
    ):
        assert own not in content
    assert snapshot() == before


def _expected_content(world, name):
    programme, round_, meeting = world.programme, world.round, world.meeting
    return {
        "programme_list": [
            programme.name,
            url_for(world, "programme_detail", "programme"),
            "1 round",
        ],
        "programme_create": ['name="slug"', 'name="matching_mode"'],
        "programme_detail": [
            programme.name,
            round_.name,
            url_for(world, "round_dashboard", "round"),
        ],
        "programme_edit": [f'value="{programme.name}"', f'value="{programme.slug}"'],
        "round_create": [programme.name, 'name="mentor_manager_levels"', 'name="adept_criteria"'],
        "round_dashboard": [
            round_.name,
            programme.name,
            meeting.title,
            "Gemensam förmiddag",
            world.empty_meeting.title,
            url_for(world, "meeting_detail", "meeting"),
        ],
        "round_edit": [
            f'value="{round_.name}"',
            "Minst fem år som chef och dokumenterat gott ledarskap.",
        ],
        "round_copy": [round_.name, 'name="offset_weeks"'],
        "participant_list": [
            world.adept.user.email,
            world.mentor.user.email,
            world.organisation.name,
        ],
        "meeting_create": [
            str(round_),
            'name="parts-TOTAL_FORMS"',
            f">{world.organisation.name}</option>",
        ],
        "meeting_detail": [
            meeting.title,
            world.adept.user.full_name,
            world.mentor.user.full_name,
            "Vegetarisk",
            "Gemensam förmiddag",
        ],
        "meeting_edit": [f'value="{meeting.title}"', 'value="Gemensam förmiddag"'],
        "answers_csv": [world.adept.user.email, world.mentor.user.email, "Vegetarisk"],
    }[name]


GET_VIEWS = [(name, target) for name, method, target, _d in COORDINATOR_VIEWS if method == "get"]


@pytest.mark.parametrize(("name", "target"), GET_VIEWS, ids=[n for n, _t in GET_VIEWS])
def test_coordinator_sees_own_tenant_data_only(world, name, target):
    response = client_for(world.coordinator).get(url_for(world, name, target))
    assert response.status_code == 200
    if name == "answers_pdf":
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        return
    if name == "answers_csv":
        content = response.content.decode("utf-8-sig")
    else:
        content = text(response)
        assert world.tenant.name in content
    for expected in _expected_content(world, name):
        assert expected in content, f"{expected!r} missing from {name}"
    assert_no_foreign_data(content)


# The other tenant's coordinator asks for this tenant's objects under the other tenant's path.
CROSS_TENANT = [view for view in COORDINATOR_VIEWS if view[2] is not None]


@pytest.mark.parametrize(
    ("name", "method", "target", "data"),
    CROSS_TENANT,
    ids=[f"{m}-{n}" for n, m, _t, _d in CROSS_TENANT],
)
def test_other_tenants_object_under_own_path_is_404(world, name, method, target, data):
    url = url_for(world, name, target, tenant=world.other_tenant)
    before = snapshot()
    response = send(client_for(world.other_member), method, url, data, world)
    assert response.status_code == 404
    content = text(response)
    for own in (
        world.programme.name,
        world.round.name,
        world.meeting.title,
        world.adept.user.email,
    ):
        assert own not in content
    assert snapshot() == before


FOREIGN_TARGETS = {
    "programme": "foreign_programme",
    "round": "foreign_round",
    "meeting": "foreign_meeting",
    "empty_meeting": "foreign_meeting",
}


@pytest.mark.parametrize(
    ("name", "method", "target", "data"),
    CROSS_TENANT,
    ids=[f"{m}-{n}" for n, m, _t, _d in CROSS_TENANT],
)
def test_own_coordinator_cannot_reach_other_tenants_object(world, name, method, target, data):
    """The mirror image: this tenant's coordinator, the other tenant's pk, this tenant's path."""
    foreign = getattr(world, FOREIGN_TARGETS[target])
    url = url_for(world, name, obj=foreign)
    before = snapshot()
    response = send(client_for(world.coordinator), method, url, data, world)
    assert response.status_code == 404
    assert_no_foreign_data(text(response))
    assert snapshot() == before


def test_the_same_url_works_for_its_own_tenant(world):
    """The control for the 404s above: the other tenant's coordinator reaches its own objects."""
    client = client_for(world.other_member)
    response = client.get(
        url_for(world, "round_dashboard", tenant=world.other_tenant, obj=world.foreign_round)
    )
    assert response.status_code == 200
    content = text(response)
    assert FOREIGN_ROUND in content and FOREIGN_MEETING in content
    assert world.round.name not in content and world.meeting.title not in content


# --- participants ---------------------------------------------------------------------------

PARTICIPANT_VIEWS = [
    ("participant_home", "get", None, None),
    ("respond", "post", "meeting", lambda w: {f"m{w.meeting.pk}-attending": "no"}),
    ("renew_feed", "post", None, lambda w: {}),
]
PARTICIPANT_IDS = [f"{method}-{name}" for name, method, _t, _d in PARTICIPANT_VIEWS]


@pytest.mark.parametrize(
    ("name", "method", "target", "data"), PARTICIPANT_VIEWS, ids=PARTICIPANT_IDS
)
def test_participant_pages_send_anonymous_to_sign_in(world, name, method, target, data):
    url = url_for(world, name, target)
    before = snapshot()
    response = send(client_for(), method, url, data, world)
    assert response.status_code == 302
    location = urlsplit(response.url)
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [url]
    assert snapshot() == before


@pytest.mark.parametrize("person", ["stranger", "coordinator", "hr_contact", "other_member"])
@pytest.mark.parametrize(
    ("name", "method", "target", "data"), PARTICIPANT_VIEWS, ids=PARTICIPANT_IDS
)
def test_participant_pages_are_404_for_non_participants(world, person, name, method, target, data):
    before = snapshot()
    response = send(
        client_for(getattr(world, person)), method, url_for(world, name, target), data, world
    )
    assert response.status_code == 404
    content = text(response)
    assert world.meeting.title not in content and world.round.name not in content
    assert snapshot() == before


def test_participant_of_another_tenant_cannot_answer_this_tenants_day(world):
    foreign_user = world.foreign_participant.user
    before = snapshot()
    response = client_for(foreign_user).post(
        url_for(world, "respond", "meeting"), {f"m{world.meeting.pk}-attending": "yes"}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_participant_cannot_answer_another_tenants_day_under_own_tenant(world):
    """The other tenant's meeting pk under this tenant's path, by this tenant's participant."""
    before = snapshot()
    response = client_for(world.adept.user).post(
        url_for(world, "respond", obj=world.foreign_meeting),
        {f"m{world.foreign_meeting.pk}-attending": "no"},
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_participant_of_another_round_cannot_answer(world):
    other_round = RoundFactory(programme=world.programme, name="Omgång 14")
    outsider = ParticipantFactory(
        round=other_round, role=ParticipantRole.ADEPT, organisation=world.organisation
    )
    before = snapshot()
    response = client_for(outsider.user).post(
        url_for(world, "respond", "meeting"), {f"m{world.meeting.pk}-attending": "yes"}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_adept_cannot_answer_a_mentors_only_day(world):
    before = snapshot()
    response = client_for(world.adept.user).post(
        url_for(world, "respond", "mentors_day"), {f"m{world.mentors_day.pk}-attending": "yes"}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_participant_reaches_own_pages(world):
    client = client_for(world.adept.user)
    response = client.get(url_for(world, "participant_home"))
    assert response.status_code == 200
    content = text(response)
    assert world.meeting.title in content and world.round.name in content
    assert world.mentors_day.title not in content
    assert_no_foreign_data(content)

    response = client.post(
        url_for(world, "respond", "meeting"), {f"m{world.meeting.pk}-attending": "no"}
    )
    assert response.status_code == 302
    answer = MeetingResponse.objects.get(meeting=world.meeting, participant=world.adept)
    assert answer.attending is False and answer.dietary_needs == ""

    response = client.post(url_for(world, "renew_feed"))
    assert response.status_code == 302
    assert (
        CalendarFeed.objects.filter(
            tenant=world.tenant, user=world.adept.user, revoked_at__isnull=True
        ).count()
        == 1
    )


def test_participant_pages_of_other_tenant_are_404_for_a_participant_here(world):
    """A participant here is nobody in the other tenant."""
    client = client_for(world.adept.user)
    response = client.get(url_for(world, "participant_home", tenant=world.other_tenant))
    assert response.status_code == 404
    before = snapshot()
    response = client.post(url_for(world, "renew_feed", tenant=world.other_tenant))
    assert response.status_code == 404
    assert snapshot() == before


# --- the public round page ------------------------------------------------------------------


@pytest.mark.parametrize("visitor", [None, "stranger", "coordinator", "other_member"])
@pytest.mark.parametrize(
    ("status", "code"),
    [
        (Round.Status.DRAFT, 404),
        (Round.Status.OPEN, 200),
        (Round.Status.RUNNING, 200),
        (Round.Status.ARCHIVED, 404),
    ],
)
def test_public_round_page(world, visitor, status, code):
    Round.objects.filter(pk=world.round.pk).update(status=status)
    client = client_for(getattr(world, visitor) if visitor else None)
    response = client.get(url_for(world, "public_round", "round"))
    assert response.status_code == code
    content = text(response)
    if code == 200:
        assert f"{world.programme.name}: {world.round.name}" in content
        assert "Minst fem år som chef och dokumenterat gott ledarskap." in content
        assert "Ny som chef, högst två år." in content
        assert world.meeting.title in content
        if status == Round.Status.OPEN:
            assert "Applications are open until" in content
        assert_no_foreign_data(content)
    else:
        assert world.round.name not in content
        assert "Minst fem år som chef" not in content


@pytest.mark.parametrize("visitor", [None, "other_member"])
def test_public_round_of_another_tenant_under_this_path_is_404(world, visitor):
    client = client_for(getattr(world, visitor) if visitor else None)
    response = client.get(url_for(world, "public_round", obj=world.foreign_round))
    assert response.status_code == 404
    assert_no_foreign_data(text(response))
    # ... while under its own tenant's path it is public.
    response = client.get(
        url_for(world, "public_round", tenant=world.other_tenant, obj=world.foreign_round)
    )
    assert response.status_code == 200
    assert "Främmande kriterier" in text(response)


# --- ids in request bodies --------------------------------------------------------------------
# The rule: every id that arrives in a POST body is resolved through the tenant and the object it
# belongs to (a form field restricted to the right queryset), never by bare primary key. A body
# id of another tenant, or another person's or another round's object where that matters, is a
# 404 or a form error; nothing is written, nothing is mailed. Add every new endpoint that takes
# ids in its body here.

BODY_ID_REFUSED = {
    "attendance": "Attendance was not saved",
    "apply": "Select a valid choice.",
    "review": "Some of the chosen applications are not in this round.",
    "edit": "Select a valid choice.",
}


def _applications_url(name, tenant, **kwargs):
    return reverse(f"applications:{name}", kwargs={"tenant": tenant.slug, **kwargs})


def _attendance_foreign_tenant(w):
    data = {"present": [str(w.adept.pk), str(w.foreign_participant.pk)]}
    return "attendance", w.coordinator, url_for(w, "attendance", "meeting"), data


def _attendance_other_round(w):
    other_round = _open_round(w.programme, name="Omgång 16", number=16)
    outsider = ParticipantFactory(round=other_round, role=ParticipantRole.ADEPT)
    data = {"present": [str(w.adept.pk), str(outsider.pk)]}
    return "attendance", w.coordinator, url_for(w, "attendance", "meeting"), data


def _earlier_round(programme):
    return RoundFactory(programme=programme, status=Round.Status.CLOSED)


def _apply_copy_foreign_tenant(w):
    """The same person's application, but in the other tenant."""
    person = User.objects.create_user(email="aterkommer@kommun.example", language="en")
    foreign = ApplicationFactory(
        round=_earlier_round(w.foreign_programme), user=person, role=ParticipantRole.MENTOR
    )
    data = {"role": "mentor", "copy_from": str(foreign.pk)}
    return "apply", person, _applications_url("apply", w.tenant, round_pk=w.round.pk), data


def _apply_copy_other_person(w):
    person = User.objects.create_user(email="aterkommer@kommun.example", language="en")
    ApplicationFactory(round=_earlier_round(w.programme), user=person, role=ParticipantRole.MENTOR)
    someone_else = ApplicationFactory(
        round=_earlier_round(w.programme), role=ParticipantRole.MENTOR
    )
    data = {"role": "mentor", "copy_from": str(someone_else.pk)}
    return "apply", person, _applications_url("apply", w.tenant, round_pk=w.round.pk), data


def _review_foreign_tenant(w):
    own = ApplicationFactory(round=w.round, stage=Application.Stage.UNDER_REVIEW)
    foreign = ApplicationFactory(round=w.foreign_round, stage=Application.Stage.UNDER_REVIEW)
    data = {"decision": "accepted", "selected": [str(own.pk), str(foreign.pk)]}
    return (
        "review",
        w.coordinator,
        _applications_url("review_list", w.tenant, round_pk=w.round.pk),
        data,
    )


def _review_other_round(w):
    own = ApplicationFactory(round=w.round, stage=Application.Stage.UNDER_REVIEW)
    other = ApplicationFactory(
        round=_open_round(w.programme, name="Omgång 16", number=16),
        stage=Application.Stage.UNDER_REVIEW,
    )
    data = {"decision": "accepted", "selected": [str(own.pk), str(other.pk)]}
    return (
        "review",
        w.coordinator,
        _applications_url("review_list", w.tenant, round_pk=w.round.pk),
        data,
    )


def _edit_foreign_organisation(w):
    draft = ApplicationFactory(round=w.round, stage=Application.Stage.DRAFT, job_title="")
    data = {"organisation": str(w.foreign_org.pk), "job_title": "Ny titel"}
    return "edit", draft.user, _applications_url("edit", w.tenant, pk=draft.pk), data


BODY_ID_CASES = [
    _attendance_foreign_tenant,
    _attendance_other_round,
    _apply_copy_foreign_tenant,
    _apply_copy_other_person,
    _review_foreign_tenant,
    _review_other_round,
    _edit_foreign_organisation,
]


def everything():
    """snapshot() and the applications a forbidden request could have started or changed."""
    return {
        **snapshot(),
        "applications": sorted(
            Application.objects.values_list(
                "pk", "round_id", "user_id", "stage", "organisation_id", "job_title", "version"
            )
        ),
        "stage_changes": StageChange.objects.count(),
    }


@pytest.mark.parametrize("case", BODY_ID_CASES, ids=[c.__name__.lstrip("_") for c in BODY_ID_CASES])
def test_a_body_id_of_another_tenant_or_object_is_refused(
    world, case, django_capture_on_commit_callbacks
):
    kind, user, url, data = case(world)
    User.objects.filter(pk=user.pk).update(language="en")
    before = everything()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(url, data, follow=True)
    assert response.status_code in (400, 404) or (
        response.status_code == 200 and response.redirect_chain
    ), response.status_code
    if response.status_code != 404:
        assert BODY_ID_REFUSED[kind] in text(response)
    assert_no_foreign_data(text(response))
    assert everything() == before
    assert mail.outbox == []
