"""Whole flows through the test client: coordinators' forms and a participant's answers.

People here read English (their account says so), so the English texts can be asserted
whether or not the Swedish catalogue has been compiled.
"""

import html
import re
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from organisations.models import ActivityLog, User
from programmes.models import (
    Audience,
    Eligibility,
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


@pytest.fixture
def coordinator_client(coordinator):
    User.objects.filter(pk=coordinator.pk).update(language="en")
    return client_for(coordinator)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def english_user(**kwargs):
    return UserFactory(language="en", **kwargs)


def url(tenant, name, **kwargs):
    return reverse(f"programmes:{name}", kwargs={"tenant": tenant.slug, **kwargs})


def text(response):
    return html.unescape(response.content.decode())


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def field_error(content, field_id):
    """The error shown next to a field (``<p class="error-message" id="<id>_error">``)."""
    match = re.search(rf'<p class="error-message" id="{field_id}_error">(.*?)</p>', content, re.S)
    return match.group(1).strip() if match else None


def summary_links(content):
    """The error summary at the top: {href: text}."""
    match = re.search(r'<div class="error-summary".*?</div>', content, re.S)
    assert match, "no error summary"
    return {
        href: " ".join(label.split())
        for href, label in re.findall(r'<a href="([^"]+)">(.*?)</a>', match.group(0), re.S)
    }


def summary_text(content):
    match = re.search(r'<div class="error-summary".*?</div>', content, re.S)
    assert match, "no error summary"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def in_days(n):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def programme(tenant):
    return ProgrammeFactory(tenant=tenant, name="Chefsmentorprogrammet", slug="chefsmentor")


@pytest.fixture
def round_(programme):
    return RoundFactory(programme=programme, name="Omgång 15", number=15)


# --- programmes -----------------------------------------------------------------------------

PROGRAMME_POST = {
    "name": "Mentorprogram för nya chefer",
    "slug": "nya-chefer",
    "description": "Ett år",
    "target_group": "Nya chefer",
    "kind": "cohort",
    "matching_mode": "coordinator",
    "is_active": "on",
}


def test_create_programme(tenant, coordinator, coordinator_client):
    response = coordinator_client.post(url(tenant, "programme_create"), PROGRAMME_POST, follow=True)
    programme = Programme.objects.get(tenant=tenant, slug="nya-chefer")
    assert response.redirect_chain == [(url(tenant, "programme_detail", pk=programme.pk), 302)]
    assert (programme.name, programme.kind, programme.matching_mode, programme.is_active) == (
        "Mentorprogram för nya chefer",
        "cohort",
        "coordinator",
        True,
    )
    assert "The programme has been saved." in text(response)
    entry = ActivityLog.objects.get(tenant=tenant, action="programme.created")
    assert entry.actor == coordinator and entry.object_id == str(programme.pk)


def test_duplicate_slug_is_a_field_error_and_nothing_is_saved(
    tenant, programme, coordinator_client, other_tenant
):
    ProgrammeFactory(tenant=other_tenant, slug="nya-chefer")  # another tenant's slug is no clash
    response = coordinator_client.post(
        url(tenant, "programme_create"), {**PROGRAMME_POST, "slug": "chefsmentor"}
    )
    assert response.status_code == 200
    content = text(response)
    assert field_error(content, "id_slug") == "Another programme already uses this address."
    assert summary_links(content)["#id_slug"].endswith(
        ": Another programme already uses this address."
    )
    assert Programme.objects.filter(tenant=tenant).count() == 1
    assert not ActivityLog.objects.filter(tenant=tenant).exists()

    response = coordinator_client.post(url(tenant, "programme_create"), PROGRAMME_POST)
    assert response.status_code == 302
    assert Programme.objects.filter(tenant=tenant).count() == 2


def test_edit_programme_keeps_its_own_slug(tenant, programme, coordinator_client):
    response = coordinator_client.post(
        url(tenant, "programme_edit", pk=programme.pk),
        {**PROGRAMME_POST, "name": "Nytt namn", "slug": "chefsmentor"},
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.name, programme.slug) == ("Nytt namn", "chefsmentor")


# --- rounds ---------------------------------------------------------------------------------


def round_post(**overrides):
    data = {
        "name": "Omgång 16",
        "number": "16",
        "call_text": "Sök till vårens omgång!",
        "application_opens_at": f"{in_days(1).isoformat()}T09:00",
        "application_closes_at": f"{in_days(30).isoformat()}T23:59",
        "starts_on": in_days(60).isoformat(),
        "ends_on": in_days(400).isoformat(),
        "max_pairs": "20",
        "cost_text": "",
        "practical_info": "",
        "min_pair_meetings": "8",
        "pair_meeting_minutes": "90",
        "cadence_text": "var tredje vecka",
        "requires_endorsement": "on",
        "nomination_quota": "",
        "mentor_manager_levels": ["manager_of_managers", "senior_executive"],
        "mentor_min_years": "5",
        "mentor_criteria": "Dokumenterat gott ledarskap.",
        "adept_manager_levels": ["first_line"],
        "adept_min_years": "",
        "adept_criteria": "Ny som chef.",
    }
    data.update(overrides)
    return data


def test_create_round_with_eligibility(tenant, programme, coordinator_client):
    response = coordinator_client.post(
        url(tenant, "round_create", programme=programme.pk), round_post(), follow=True
    )
    new = Round.objects.get(tenant=tenant, name="Omgång 16")
    assert response.redirect_chain == [(url(tenant, "round_dashboard", pk=new.pk), 302)]
    assert (
        new.programme,
        new.number,
        new.status,
        new.max_pairs,
        new.requires_endorsement,
        new.requires_nomination,
        new.starts_on,
    ) == (programme, 16, Round.Status.DRAFT, 20, True, False, in_days(60))
    closes = timezone.localtime(new.application_closes_at, timezone.get_current_timezone())
    assert (closes.date(), closes.hour, closes.minute) == (in_days(30), 23, 59)
    rules = {e.role: e for e in Eligibility.objects.filter(round=new)}
    assert rules[MENTOR].manager_levels == ["manager_of_managers", "senior_executive"]
    assert rules[MENTOR].min_years_as_manager == 5
    assert rules[MENTOR].criteria_text == "Dokumenterat gott ledarskap."
    assert rules[ADEPT].manager_levels == ["first_line"]
    assert rules[ADEPT].min_years_as_manager == 0
    assert rules[ADEPT].criteria_text == "Ny som chef."
    content = text(response)
    assert "The round has been saved." in content and "Omgång 16" in content

    # The edit form shows what was saved.
    content = text(coordinator_client.get(url(tenant, "round_edit", pk=new.pk)))
    checked = set(
        re.findall(r'name="(\w+_manager_levels)" value="(\w+)" id="[^"]+" checked', content)
    )
    assert checked == {
        ("mentor_manager_levels", "manager_of_managers"),
        ("mentor_manager_levels", "senior_executive"),
        ("adept_manager_levels", "first_line"),
    }
    assert "Dokumenterat gott ledarskap." in content


def test_round_without_eligibility_keeps_asking_for_it(tenant, programme, coordinator_client):
    coordinator_client.post(
        url(tenant, "round_create", programme=programme.pk),
        round_post(
            mentor_manager_levels=[],
            mentor_min_years="",
            mentor_criteria="",
            adept_manager_levels=[],
            adept_min_years="",
            adept_criteria="",
        ),
    )
    new = Round.objects.get(tenant=tenant, name="Omgång 16")
    assert not Eligibility.objects.filter(round=new).exists()
    content = text(coordinator_client.get(url(tenant, "round_dashboard", pk=new.pk)))
    assert "Nobody has been told who may apply (eligibility)." in content
    assert "Say who may apply as mentor and as adept (eligibility)." in content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"application_closes_at": f"{in_days(61).isoformat()}T12:00"},
            "application_closes_at",
            "The application deadline must be before the programme starts.",
        ),
        ({"ends_on": in_days(59).isoformat()}, "ends_on", "The end must be after the start."),
        (
            {"application_opens_at": f"{in_days(31).isoformat()}T09:00"},
            "application_closes_at",
            "The deadline must be after applications open.",
        ),
    ],
    ids=["deadline-after-start", "end-before-start", "closes-before-opens"],
)
def test_invalid_round_dates_are_shown_at_the_field_and_in_the_summary(
    tenant, programme, coordinator_client, overrides, field, message
):
    response = coordinator_client.post(
        url(tenant, "round_create", programme=programme.pk), round_post(**overrides)
    )
    assert response.status_code == 200
    content = text(response)
    assert field_error(content, f"id_{field}") == message
    assert summary_links(content)[f"#id_{field}"].endswith(f": {message}")
    assert "aria-describedby" in content
    assert Round.objects.filter(tenant=tenant).count() == 0
    assert Eligibility.objects.count() == 0
    # What was typed is kept.
    assert 'value="Omgång 16"' in content and "Dokumenterat gott ledarskap." in content


def test_invalid_dates_on_edit_change_nothing(tenant, round_, coordinator_client):
    before = Round.objects.filter(pk=round_.pk).values().get()
    response = coordinator_client.post(
        url(tenant, "round_edit", pk=round_.pk), round_post(ends_on=in_days(10).isoformat())
    )
    assert response.status_code == 200
    assert field_error(text(response), "id_ends_on") == "The end must be after the start."
    assert Round.objects.filter(pk=round_.pk).values().get() == before
    assert not Eligibility.objects.filter(round=round_).exists()


def test_transition_via_the_dashboard(tenant, programme, coordinator_client):
    draft = RoundFactory(programme=programme, name="Omgång 15", starts_on=in_days(60))
    dashboard = url(tenant, "round_dashboard", pk=draft.pk)
    content = text(coordinator_client.get(dashboard))
    # The button and the reasons it would be refused are shown before trying.
    assert "Move on to “Open for applications”" in content
    assert "Set an application deadline first." in content

    response = coordinator_client.post(
        url(tenant, "round_transition", pk=draft.pk), {"status": "open"}, follow=True
    )
    assert response.redirect_chain == [(dashboard, 302)]
    assert messages_of(response) == [
        "Set an application deadline first.",
        "Say who may apply as mentor and as adept (eligibility).",
    ]
    content = text(response)
    assert '<p class="message message--error">Set an application deadline first.</p>' in content
    assert Round.objects.get(pk=draft.pk).status == Round.Status.DRAFT

    # An illegal jump is refused with its reason too.
    response = coordinator_client.post(
        url(tenant, "round_transition", pk=draft.pk), {"status": "running"}, follow=True
    )
    assert messages_of(response) == ["A round that is “Draft” cannot become “Running”."]
    response = coordinator_client.post(
        url(tenant, "round_transition", pk=draft.pk), {"status": "nonsense"}, follow=True
    )
    assert messages_of(response) == ["Choose a status."]
    assert Round.objects.get(pk=draft.pk).status == Round.Status.DRAFT

    Round.objects.filter(pk=draft.pk).update(
        application_closes_at=timezone.now() + timedelta(days=20)
    )
    EligibilityFactory(round=draft, role=ADEPT)
    EligibilityFactory(round=draft, role=MENTOR)
    response = coordinator_client.post(
        url(tenant, "round_transition", pk=draft.pk), {"status": "open"}, follow=True
    )
    assert messages_of(response) == ["The round is now “Open for applications”."]
    assert Round.objects.get(pk=draft.pk).status == Round.Status.OPEN
    assert "Move on to “Review”" in text(response)


def test_close_applications_now_starts_the_review_before_the_deadline(
    tenant, programme, coordinator_client
):
    deadline = timezone.now() + timedelta(days=20)
    open_round = RoundFactory(
        programme=programme,
        name="Omgång 15",
        status=Round.Status.OPEN,
        starts_on=in_days(60),
        application_closes_at=deadline,
    )
    dashboard = url(tenant, "round_dashboard", pk=open_round.pk)
    content = text(coordinator_client.get(dashboard))
    assert "Close applications now to start the review early." in content
    assert "Yes, close applications now" in content
    close = url(tenant, "round_close_applications", pk=open_round.pk)

    # Without the confirmation nothing happens.
    response = coordinator_client.post(close, {}, follow=True)
    assert messages_of(response) == ["Confirm that applications close now."]
    assert Round.objects.get(pk=open_round.pk).status == Round.Status.OPEN

    response = coordinator_client.post(close, {"confirm": "yes"}, follow=True)
    assert messages_of(response) == ["Applications are closed and the round is now in review."]
    closed = Round.objects.get(pk=open_round.pk)
    assert closed.status == Round.Status.REVIEW
    assert closed.application_closes_at <= timezone.now()
    assert not closed.accepting_applications()
    entry = ActivityLog.objects.get(action="round.applications_closed_early")
    assert entry.data["before"]["status"] == "open"
    assert entry.data["before"]["application_closes_at"].startswith(deadline.date().isoformat())
    assert "Close applications now" not in text(response)

    # Twice: refused with its reason, nothing changes.
    response = coordinator_client.post(close, {"confirm": "yes"}, follow=True)
    assert messages_of(response) == ["Only a round that is open for applications can be closed."]
    assert ActivityLog.objects.filter(action="round.applications_closed_early").count() == 1

    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    public = english.get(
        reverse(
            "programmes:public_round",
            kwargs={"tenant": tenant.slug, "pk": open_round.pk},
        )
    )
    assert "Applications for this round closed on" in text(public)


def test_copy_a_round(tenant, round_, coordinator_client):
    Round.objects.filter(pk=round_.pk).update(cost_text="5 000 kr")
    EligibilityFactory(round=round_, role=MENTOR, criteria_text="Erfaren")
    day = SharedMeetingFactory(round=round_, title="Uppstart", date=in_days(70))
    MeetingPartFactory(meeting=day, title="Förmiddag")
    ParticipantFactory(round=round_)

    response = coordinator_client.get(url(tenant, "round_copy", pk=round_.pk))
    assert response.context["form"].initial == {"offset_weeks": 52, "number": 16}

    response = coordinator_client.post(
        url(tenant, "round_copy", pk=round_.pk),
        {"name": "Omgång 16", "number": "16", "offset_weeks": "52"},
        follow=True,
    )
    new = Round.objects.get(tenant=tenant, name="Omgång 16")
    assert response.redirect_chain == [(url(tenant, "round_dashboard", pk=new.pk), 302)]
    assert (new.copied_from, new.status, new.number, new.cost_text) == (
        round_,
        Round.Status.DRAFT,
        16,
        "5 000 kr",
    )
    assert new.starts_on == round_.starts_on + timedelta(weeks=52)
    assert list(Eligibility.objects.filter(round=new).values_list("role", "criteria_text")) == [
        ("mentor", "Erfaren")
    ]
    copy = SharedMeeting.objects.get(round=new)
    assert (copy.title, copy.date) == ("Uppstart", day.date + timedelta(weeks=52))
    assert list(copy.parts.values_list("title", flat=True)) == ["Förmiddag"]
    assert not Participant.objects.filter(round=new).exists()
    content = text(response)
    assert "The new round has been created as a draft. Check its dates." in content
    assert "Uppstart" in content


def test_copy_form_refuses_an_absurd_offset(tenant, round_, coordinator_client):
    response = coordinator_client.post(
        url(tenant, "round_copy", pk=round_.pk), {"name": "Omgång 16", "offset_weeks": "9999"}
    )
    assert response.status_code == 200
    assert field_error(text(response), "id_offset_weeks")
    assert Round.objects.filter(tenant=tenant).count() == 1


# --- participants added by hand -------------------------------------------------------------


def test_add_participant(tenant, round_, organisation, coordinator_client, other_tenant):
    list_url = url(tenant, "participant_list", pk=round_.pk)
    response = coordinator_client.post(
        list_url,
        {
            "full_name": "Nina Ny",
            "email": "Nina.Ny@Kommun.example",
            "role": "adept",
            "organisation": organisation.pk,
        },
        follow=True,
    )
    assert response.redirect_chain == [(list_url, 302)]
    participant = Participant.objects.select_related("user").get(round=round_)
    assert (participant.user.email, participant.role, participant.organisation) == (
        "nina.ny@kommun.example",
        "adept",
        organisation,
    )
    content = text(response)
    assert "Nina Ny has been added." in content
    assert "nina.ny@kommun.example" in content and organisation.name in content

    # Twice in the same role: the error is shown at the e-mail field.
    response = coordinator_client.post(
        list_url, {"full_name": "Nina Ny", "email": "nina.ny@kommun.example", "role": "adept"}
    )
    assert response.status_code == 200
    assert (
        field_error(text(response), "id_email")
        == "This person already takes part in the round in this role."
    )
    assert Participant.objects.filter(round=round_).count() == 1

    # Another tenant's organisation is not a choice.
    with scopes_disabled():
        foreign_org = other_tenant.organisations.get()
    response = coordinator_client.post(
        list_url,
        {
            "full_name": "Fredrik Främling",
            "email": "fredrik@example.se",
            "role": "mentor",
            "organisation": foreign_org.pk,
        },
    )
    assert response.status_code == 200
    assert field_error(text(response), "id_organisation")
    assert Participant.objects.filter(round=round_).count() == 1
    assert not User.objects.filter(email="fredrik@example.se").exists()


# --- shared meeting days --------------------------------------------------------------------


def meeting_post(parts=(), **overrides):
    data = {
        "title": "Uppstartsdag",
        "date": in_days(40).isoformat(),
        "starts_at": "09:00",
        "ends_at": "16:00",
        "audience": "everyone",
        "place": "Rådhuset, Storgatan 1",
        "host_organisation": "",
        "agenda": "Välkommen",
        "includes_meal": "on",
        "parts-TOTAL_FORMS": str(len(parts)),
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "12",
    }
    for i, (title, starts, ends, audience) in enumerate(parts):
        data.update(
            {
                f"parts-{i}-title": title,
                f"parts-{i}-starts_at": starts,
                f"parts-{i}-ends_at": ends,
                f"parts-{i}-audience": audience,
            }
        )
    data.update(overrides)
    return data


def test_create_meeting_with_two_parts(tenant, round_, organisation, coordinator_client):
    response = coordinator_client.post(
        url(tenant, "meeting_create", pk=round_.pk),
        meeting_post(
            parts=[
                ("Alla tillsammans", "09:00", "12:00", "everyone"),
                ("Mentorernas workshop", "13:00", "16:00", "mentors"),
            ],
            host_organisation=str(organisation.pk),
        ),
        follow=True,
    )
    meeting = SharedMeeting.objects.get(round=round_)
    assert response.redirect_chain == [(url(tenant, "meeting_detail", pk=meeting.pk), 302)]
    assert (
        meeting.title,
        meeting.date,
        meeting.starts_at,
        meeting.ends_at,
        meeting.audience,
        meeting.host_organisation,
        meeting.includes_meal,
        meeting.tenant,
    ) == ("Uppstartsdag", in_days(40), time(9), time(16), "everyone", organisation, True, tenant)
    assert list(
        meeting.parts.order_by("starts_at").values_list(
            "title", "starts_at", "ends_at", "audience", "tenant"
        )
    ) == [
        ("Alla tillsammans", time(9), time(12), "everyone", tenant.pk),
        ("Mentorernas workshop", time(13), time(16), "mentors", tenant.pk),
    ]
    assert "The day has been saved." in text(response)

    content = text(coordinator_client.get(url(tenant, "round_dashboard", pk=round_.pk)))
    assert "Uppstartsdag" in content
    assert url(tenant, "meeting_detail", pk=meeting.pk) in content
    assert "09:00–12:00 Alla tillsammans (everyone)" in content
    assert "13:00–16:00 Mentorernas workshop (mentors only)" in content
    assert "No shared meeting days are scheduled." not in content


def test_blank_extra_part_forms_are_ignored(tenant, round_, coordinator_client):
    data = meeting_post(parts=[("Hela dagen", "09:00", "16:00", "everyone")])
    data.update(
        {"parts-TOTAL_FORMS": "3", "parts-1-audience": "everyone", "parts-2-audience": "everyone"}
    )
    response = coordinator_client.post(url(tenant, "meeting_create", pk=round_.pk), data)
    assert response.status_code == 302
    assert list(MeetingPart.objects.values_list("title", flat=True)) == ["Hela dagen"]


@pytest.mark.parametrize(
    ("overrides", "parts", "message"),
    [
        (
            {"audience": "adepts"},
            [("Mentorspass", "13:00", "15:00", "mentors")],
            "“Mentorspass” is for mentors only, but the day is for adepts only.",
        ),
        (
            {},
            [("Kvällsmingel", "15:00", "18:00", "everyone")],
            "“Kvällsmingel” must lie within the day's hours.",
        ),
    ],
    ids=["audience", "hours"],
)
def test_invalid_parts_are_shown_and_nothing_saved(
    tenant, round_, coordinator_client, overrides, parts, message
):
    response = coordinator_client.post(
        url(tenant, "meeting_create", pk=round_.pk), meeting_post(parts=parts, **overrides)
    )
    assert response.status_code == 200
    content = text(response)
    assert message in summary_text(content)
    assert not SharedMeeting.objects.exists() and not MeetingPart.objects.exists()
    assert not ActivityLog.objects.filter(tenant=tenant).exists()


def test_meeting_time_errors_are_shown_at_the_field(tenant, round_, coordinator_client):
    response = coordinator_client.post(
        url(tenant, "meeting_create", pk=round_.pk),
        meeting_post(starts_at="15:00", ends_at="10:00"),
    )
    content = text(response)
    assert field_error(content, "id_ends_at") == "The day must end after it starts."
    assert "#id_ends_at" in summary_links(content)
    response = coordinator_client.post(
        url(tenant, "meeting_create", pk=round_.pk), meeting_post(date=in_days(-3).isoformat())
    )
    assert (
        field_error(text(response), "id_date")
        == "The date has passed. Choose a date from today on."
    )
    assert not SharedMeeting.objects.exists()


def test_moving_an_answered_day_through_the_form(tenant, round_, coordinator_client):
    day = SharedMeetingFactory(round=round_, title="Uppstartsdag", date=in_days(40))
    MeetingPartFactory(meeting=day, title="Förmiddag", starts_at=time(9), ends_at=time(12))
    answer = MeetingResponseFactory(meeting=day, participant=ParticipantFactory(round=round_))
    edit = url(tenant, "meeting_edit", pk=day.pk)
    content = text(coordinator_client.get(edit))
    assert "People have answered this day." in content
    assert 'value="Förmiddag"' in content

    data = meeting_post(
        parts=[("Förmiddag", "10:00", "12:00", "everyone")],
        date=in_days(47).isoformat(),
        starts_at="10:00",
    )
    data["parts-INITIAL_FORMS"] = "1"
    response = coordinator_client.post(edit, data)
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.date, day.starts_at, day.sequence) == (in_days(47), time(10), 1)
    assert MeetingResponse.objects.filter(pk=answer.pk).exists()
    assert ActivityLog.objects.filter(tenant=tenant, action="meeting.moved").count() == 1


def test_delete_meeting_through_the_page(tenant, round_, coordinator_client):
    answered = SharedMeetingFactory(round=round_, title="Besvarad", date=in_days(40))
    MeetingResponseFactory(meeting=answered, participant=ParticipantFactory(round=round_))
    empty = SharedMeetingFactory(round=round_, title="Tom", date=in_days(50))

    assert "Delete the day" not in text(
        coordinator_client.get(url(tenant, "meeting_detail", pk=answered.pk))
    )
    response = coordinator_client.post(url(tenant, "meeting_delete", pk=answered.pk), follow=True)
    assert messages_of(response) == [
        "People have answered this day, so it cannot be deleted. Move it instead."
    ]
    assert SharedMeeting.objects.filter(pk=answered.pk).exists()

    assert "Delete the day" in text(
        coordinator_client.get(url(tenant, "meeting_detail", pk=empty.pk))
    )
    response = coordinator_client.post(url(tenant, "meeting_delete", pk=empty.pk), follow=True)
    assert response.redirect_chain == [(url(tenant, "round_dashboard", pk=round_.pk), 302)]
    assert not SharedMeeting.objects.filter(pk=empty.pk).exists()


# --- participants answering -----------------------------------------------------------------


@pytest.fixture
def days(round_, organisation):
    """A split kickoff, a mentors-only day and an adepts-only day, and one person of each role."""
    kickoff = SharedMeetingFactory(
        round=round_,
        title="Uppstartsdag",
        date=in_days(20),
        includes_meal=True,
        host_organisation=organisation,
    )
    MeetingPartFactory(
        meeting=kickoff,
        title="Gemensam förmiddag",
        starts_at=time(9),
        ends_at=time(12),
        audience=Audience.EVERYONE,
    )
    MeetingPartFactory(
        meeting=kickoff,
        title="Adepternas eftermiddag",
        starts_at=time(13),
        ends_at=time(16),
        audience=Audience.ADEPTS,
    )
    MeetingPartFactory(
        meeting=kickoff,
        title="Mentorernas coachningsworkshop",
        starts_at=time(13),
        ends_at=time(16),
        audience=Audience.MENTORS,
    )
    mentors_day = SharedMeetingFactory(
        round=round_, title="Mentorsträff", date=in_days(30), audience=Audience.MENTORS
    )
    adepts_day = SharedMeetingFactory(
        round=round_, title="Adeptdag", date=in_days(35), audience=Audience.ADEPTS
    )
    adept = ParticipantFactory(
        round=round_,
        role=ADEPT,
        organisation=organisation,
        user=english_user(full_name="Ada Adept"),
    )
    mentor = ParticipantFactory(
        round=round_,
        role=MENTOR,
        organisation=organisation,
        user=english_user(full_name="Mona Mentor"),
    )
    return kickoff, mentors_day, adepts_day, adept, mentor


def test_adept_sees_only_the_days_and_parts_for_adepts(tenant, days):
    kickoff, mentors_day, adepts_day, adept, _mentor = days
    response = client_for(adept.user).get(url(tenant, "participant_home"))
    assert response.status_code == 200
    content = text(response)
    assert "You take part as Adept." in content
    for shown in (
        "Uppstartsdag",
        "09:00–12:00 Gemensam förmiddag",
        "13:00–16:00 Adepternas eftermiddag",
        "Adeptdag",
    ):
        assert shown in content, shown
    for hidden in ("Mentorsträff", "Mentorernas coachningsworkshop"):
        assert hidden not in content, hidden
    # Days in date order, each with its own answer form.
    assert content.index("Uppstartsdag") < content.index("Adeptdag")
    assert url(tenant, "respond", pk=kickoff.pk) in content
    assert url(tenant, "respond", pk=adepts_day.pk) in content
    assert url(tenant, "respond", pk=mentors_day.pk) not in content
    assert content.count("You have not answered yet.") == 2
    # The meal question only where a meal is served.
    assert f'name="m{kickoff.pk}-dietary_needs"' in content
    assert f'name="m{adepts_day.pk}-dietary_needs"' not in content


def test_mentor_sees_only_the_days_and_parts_for_mentors(tenant, days):
    _kickoff, _mentors_day, _adepts_day, _adept, mentor = days
    content = text(client_for(mentor.user).get(url(tenant, "participant_home")))
    for shown in (
        "Uppstartsdag",
        "Gemensam förmiddag",
        "Mentorernas coachningsworkshop",
        "Mentorsträff",
    ):
        assert shown in content, shown
    for hidden in ("Adeptdag", "Adepternas eftermiddag"):
        assert hidden not in content, hidden


def test_answers_reach_the_coordinators_page(tenant, round_, days, coordinator_client):
    kickoff, _mentors_day, _adepts_day, adept, mentor = days
    late = ParticipantFactory(round=round_, role=ADEPT, user=english_user(full_name="Leo Sen"))

    adept_client = client_for(adept.user)
    response = adept_client.post(
        url(tenant, "respond", pk=kickoff.pk),
        {
            f"m{kickoff.pk}-attending": "yes",
            f"m{kickoff.pk}-dietary_needs": "Vegetarisk, inga nötter",
        },
    )
    assert response.status_code == 302
    assert response.url == f"/{tenant.slug}/my/#meeting-{kickoff.pk}"
    answer = MeetingResponse.objects.get(meeting=kickoff, participant=adept)
    assert (answer.attending, answer.dietary_needs) == (True, "Vegetarisk, inga nötter")

    response = adept_client.get(response.url)
    content = text(response)
    assert "Thank you, your answer for “Uppstartsdag” has been saved." in content
    assert "Your answer: you are coming." in content
    assert 'value="Vegetarisk, inga nötter"' in content

    response = client_for(mentor.user).post(
        url(tenant, "respond", pk=kickoff.pk),
        {f"m{kickoff.pk}-attending": "no", f"m{kickoff.pk}-dietary_needs": "Laktosfritt"},
    )
    assert response.status_code == 302
    assert MeetingResponse.objects.get(meeting=kickoff, participant=mentor).dietary_needs == ""

    # No answer chosen: told so, nothing stored.
    response = client_for(late.user).post(url(tenant, "respond", pk=kickoff.pk), {}, follow=True)
    assert messages_of(response) == ["Answer yes or no for “Uppstartsdag”."]
    assert not MeetingResponse.objects.filter(participant=late).exists()

    content = text(coordinator_client.get(url(tenant, "meeting_detail", pk=kickoff.pk)))
    figures = dict(re.findall(r"<dt>(.*?)</dt>\s*<dd>(\d+)</dd>", content))
    assert figures == {"Coming": "1", "Not coming": "1", "No answer yet": "1"}
    rows = dict(re.findall(r"<tr>\s*<td>([^<]+)</td>(.*?)</tr>", content, re.S))
    assert set(rows) == {"Ada Adept", "Mona Mentor", "Leo Sen"}
    assert "Coming" in rows["Ada Adept"] and "Vegetarisk, inga nötter" in rows["Ada Adept"]
    assert "Not coming" in rows["Mona Mentor"] and "Laktosfritt" not in content
    assert "No answer" in rows["Leo Sen"]

    content = text(coordinator_client.get(url(tenant, "round_dashboard", pk=round_.pk)))
    row = re.search(r"Uppstartsdag</a>.*?</tr>", content, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "1"]


def test_a_past_day_cannot_be_answered_through_the_page(tenant, round_, days):
    _kickoff, _mentors_day, _adepts_day, adept, _mentor = days
    past = SharedMeetingFactory(round=round_, title="Förra veckan", date=in_days(-7))
    client = client_for(adept.user)
    content = text(client.get(url(tenant, "participant_home")))
    assert "Förra veckan" in content
    assert url(tenant, "respond", pk=past.pk) not in content
    response = client.post(
        url(tenant, "respond", pk=past.pk), {f"m{past.pk}-attending": "yes"}, follow=True
    )
    assert messages_of(response) == ["The day has passed; answers can no longer be changed."]
    assert not MeetingResponse.objects.filter(meeting=past).exists()


def test_marking_attendance(tenant, round_, days, coordinator_client):
    kickoff, _mentors_day, adepts_day, adept, mentor = days
    MeetingResponseFactory(meeting=kickoff, participant=adept, attending=True)
    detail = url(tenant, "meeting_detail", pk=kickoff.pk)
    refused = "Attendance was not saved: the list named somebody this day is not for."
    # A value that is not a participant of the day makes the list unreadable: it is refused as
    # a whole, the page says so, and nothing is written.
    response = coordinator_client.post(
        url(tenant, "attendance", pk=kickoff.pk), {"present": [str(mentor.pk), "not-a-number"]}
    )
    assert response.status_code == 400
    assert refused in text(response)
    assert dict(
        MeetingResponse.objects.filter(meeting=kickoff).values_list("participant_id", "attended")
    ) == {adept.pk: None}

    response = coordinator_client.post(
        url(tenant, "attendance", pk=kickoff.pk), {"present": [str(mentor.pk)]}, follow=True
    )
    assert response.redirect_chain == [(detail, 302)]
    assert messages_of(response) == ["Attendance has been saved."]
    assert dict(
        MeetingResponse.objects.filter(meeting=kickoff).values_list("participant_id", "attended")
    ) == {adept.pk: False, mentor.pk: True}
    content = text(response)
    assert re.search(rf'value="{mentor.pk}"\s+id="present-{mentor.pk}"\s+checked', content)
    assert not re.search(rf'value="{adept.pk}"\s+id="present-{adept.pk}"\s+checked', content)

    # Only participants of this round the day is for can be marked: a mentor on the adepts'
    # day, or a participant of another round, refuses the whole list.
    foreign = ParticipantFactory(round=RoundFactory(programme=round_.programme))
    for outsider in (mentor, foreign):
        response = coordinator_client.post(
            url(tenant, "attendance", pk=adepts_day.pk),
            {"present": [str(adept.pk), str(outsider.pk)]},
        )
        assert response.status_code == 400
        assert refused in text(response)
    assert not MeetingResponse.objects.filter(meeting=adepts_day).exists()
    coordinator_client.post(url(tenant, "attendance", pk=adepts_day.pk), {"present": [adept.pk]})
    assert dict(
        MeetingResponse.objects.filter(meeting=adepts_day).values_list("participant_id", "attended")
    ) == {adept.pk: True}


def test_renewing_the_calendar_address(tenant, days):
    _kickoff, _mentors_day, _adepts_day, adept, _mentor = days
    client = client_for(adept.user)
    old_url = client.get(url(tenant, "participant_home")).context["feed_url"]
    response = client.post(url(tenant, "renew_feed"), follow=True)
    assert messages_of(response) == [
        "You have a new calendar address. The old one no longer works."
    ]
    new_url = response.context["feed_url"]
    assert new_url != old_url and new_url in text(response)
    assert Client().get(old_url).status_code == 404
    assert Client().get(new_url).status_code == 200


def test_host_organisation_choices_are_own_active_ones(
    tenant, round_, organisation, coordinator_client, other_tenant
):
    archived = OrganisationFactory(tenant=tenant, name="Nedlagd kommun", is_active=False)
    with scopes_disabled():
        foreign_org = other_tenant.organisations.get()
    response = coordinator_client.get(url(tenant, "meeting_create", pk=round_.pk))
    assert list(response.context["form"].fields["host_organisation"].queryset) == [organisation]
    response = coordinator_client.post(
        url(tenant, "meeting_create", pk=round_.pk),
        meeting_post(host_organisation=str(foreign_org.pk)),
    )
    assert response.status_code == 200
    assert field_error(text(response), "id_host_organisation")
    response = coordinator_client.post(
        url(tenant, "meeting_create", pk=round_.pk),
        meeting_post(host_organisation=str(archived.pk)),
    )
    assert response.status_code == 200
    assert not SharedMeeting.objects.exists()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_dashboard_notes_are_in_the_readers_language(tenant, round_, coordinator, language):
    """The "needs attention" notes are translated per request, not once when the code loads."""
    from django.utils import translation

    User.objects.filter(pk=coordinator.pk).update(language=language)
    with translation.override(language):
        expected = [
            translation.gettext("No shared meeting days are scheduled."),
            translation.gettext("Nobody has been told who may apply (eligibility)."),
        ]
    content = text(client_for(coordinator).get(url(tenant, "round_dashboard", pk=round_.pk)))
    for note in expected:
        assert f"<li>{note}</li>" in content
