"""The standing mentor bank of continuous programmes (issue 14, parts 3–5): joining on the
public page, people added by hand, the intake that can be paused, quiet pairs in a standing
round, a mentor's places under the accept lock, pausing/leaving/coming back, the yearly
"are you still available?", and the bank page for coordinators and HR."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.models import Application
from bank import selectors as bank_selectors
from bank import services as bank
from bank.models import BankMentor
from choosing import selectors as choosing_selectors
from choosing import services as choosing
from choosing.models import MentorRequest
from matching import reminders as quiet_reminders
from organisations.models import ActivityLog, OutgoingMail, User
from pairs.models import Pair, PairMeeting
from programmes import services as programme_services
from programmes.models import Participant, Programme, Round
from tests.factories.organisations import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory
from tests.matching.factories import AcceptedAdeptFactory, AcceptedMentorFactory, PairFactory

Stage = Application.Stage


def client_for(user):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    client.force_login(user)
    return client


def association(tenant, **round_fields):
    """Seed 003: a continuous programme where the adept chooses; a standing round."""
    programme = ProgrammeFactory(
        tenant=tenant,
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.ADEPT_CHOOSES,
        name="Mentorskap",
    )
    round_ = RoundFactory(
        programme=programme, status=Round.Status.RUNNING, name="Löpande", **round_fields
    )
    return round_


def with_participant(app):
    app.user.language = "en"  # the tests read the mails in English
    app.user.save(update_fields=["language"])
    Participant.objects.get_or_create(
        tenant=app.tenant, round=app.round, user=app.user, role=app.role
    )
    return app


def mentor(round_, org=None, capacity=1, **kwargs):
    org = org or OrganisationFactory(tenant=round_.tenant)
    return with_participant(
        AcceptedMentorFactory(round=round_, organisation=org, capacity=capacity, **kwargs)
    )


def adept(round_, org=None, **kwargs):
    org = org or OrganisationFactory(tenant=round_.tenant)
    return with_participant(AcceptedAdeptFactory(round=round_, organisation=org, **kwargs))


@pytest.fixture
def coordinator(tenant):
    return MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en")


@pytest.fixture
def world(tenant):
    User.objects.all().update(language="en")
    round_ = association(tenant)
    org_a, org_b = OrganisationFactory(tenant=tenant), OrganisationFactory(tenant=tenant)
    return round_, org_a, org_b


# --- joining a continuous programme -----------------------------------------------------------


def test_a_continuous_round_takes_people_in_the_roles_opened_to_self_sign_up(tenant, world):
    round_, _a, _b = world
    assert not round_.accepting_applications()  # nobody signs up by default: HR or the board
    round_.mentor_self_signup = True
    round_.save()
    assert round_.accepting_applications()
    assert round_.accepting_applications(role="mentor")
    assert not round_.accepting_applications(role="adept")
    person = UserFactory()
    application = application_services.start_application(round_=round_, user=person, role="mentor")
    assert application.stage == Stage.DRAFT
    with pytest.raises(ValidationError, match="does not take applications"):
        application_services.start_application(round_=round_, user=UserFactory(), role="adept")
    # Moved to running, or back to open, it still takes people (no more one-way street).
    for status in (Round.Status.OPEN, Round.Status.RUNNING):
        round_.status = status
        assert round_.accepting_applications(role="mentor")
    round_.status = Round.Status.CLOSED
    assert not round_.accepting_applications(role="mentor")


def test_the_public_pages_offer_become_a_mentor_and_i_want_a_mentor(tenant, world, client):
    round_, _a, _b = world
    client.cookies["mentorship_language"] = "en"
    public = reverse("programmes:public_round", args=[tenant.slug, round_.pk])
    apply = reverse("applications:apply", args=[tenant.slug, round_.pk])
    body = client.get(public).content.decode()
    assert "Become a mentor" not in body
    assert "New managers are registered by their HR contact" in body
    assert "To become a mentor, contact the coordinators." in body

    Round.objects.filter(pk=round_.pk).update(mentor_self_signup=True, adept_self_signup=True)
    for url in (public, reverse("organisations:tenant_home", args=[tenant.slug])):
        body = client.get(url).content.decode()
        assert f'href="{apply}?role=mentor"' in body and "Become a mentor" in body
        assert f'href="{apply}?role=adept"' in body and "I want a mentor" in body
        assert "contact the coordinators" not in body

    # The same application start flow, the role chosen already.
    person = UserFactory(language="en")
    page = client_for(person).get(f"{apply}?role=mentor").content.decode()
    assert re.search(r'<input[^>]*value="mentor"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="adept"[^>]*checked', page)


def test_a_paused_intake_takes_nobody_and_the_public_page_says_so(
    tenant, world, coordinator, client
):
    round_, _a, _b = world
    Round.objects.filter(pk=round_.pk).update(mentor_self_signup=True, adept_self_signup=True)
    round_.refresh_from_db()
    programme_services.set_intake_paused(
        tenant=tenant, actor=coordinator.user, round_=round_, paused=True
    )
    round_.refresh_from_db()
    assert round_.intake_paused and not round_.accepting_applications(role="mentor")
    assert ActivityLog.objects.filter(action="round.intake_paused", object_id=str(round_.pk))
    client.cookies["mentorship_language"] = "en"
    body = client.get(reverse("programmes:public_round", args=[tenant.slug, round_.pk])).content
    assert b"takes no new mentors or adepts right now" in body
    assert b"Become a mentor" not in body
    with pytest.raises(ValidationError):
        application_services.start_application(round_=round_, user=UserFactory(), role="mentor")

    programme_services.set_intake_paused(
        tenant=tenant, actor=coordinator.user, round_=round_, paused=False
    )
    round_.refresh_from_db()
    assert round_.accepting_applications(role="mentor")
    assert ActivityLog.objects.filter(action="round.intake_resumed").count() == 1


def test_a_cohort_round_has_no_intake_to_pause(tenant, coordinator):
    round_ = RoundFactory(programme=ProgrammeFactory(tenant=tenant), status=Round.Status.OPEN)
    with pytest.raises(ValidationError):
        programme_services.set_intake_paused(
            tenant=tenant, actor=coordinator.user, round_=round_, paused=True
        )


def test_a_mentor_added_by_hand_appears_in_the_list_adepts_choose_from(tenant, world, coordinator):
    round_, org_a, _b = world
    participant = programme_services.add_participant(
        tenant=tenant,
        actor=coordinator.user,
        round_=round_,
        email="Britt.Handlagd@example.se",
        full_name="Britt Handlagd",
        role="mentor",
        organisation=org_a,
        base_url="https://mentor.example",
    )
    application = Application.objects.get(round=round_, user=participant.user, role="mentor")
    assert application.stage == Stage.ACCEPTED
    assert application.organisation == org_a and application.full_name == "Britt Handlagd"
    assert application.history.count() == 1
    listed = choosing_selectors.mentors_for(tenant=tenant, round_=round_)
    assert [m.pk for m in listed] == [application.pk]
    welcome = OutgoingMail.objects.get(purpose="participant_added")
    assert "https://mentor.example/accounts/password/reset/key/" in welcome.body
    # An adept of the round can ask her.
    a = adept(round_)
    request = choosing.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=application)
    assert request.status == MentorRequest.Status.ASKED


def test_a_new_manager_registered_by_hr_gets_a_sign_in_link_in_their_language(tenant):
    root = OrganisationFactory(tenant=tenant)
    programme = ProgrammeFactory(
        tenant=tenant,
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.HR_ASSIGNS,
    )
    round_ = RoundFactory(programme=programme, status=Round.Status.RUNNING)
    hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[root]
    )
    bank.register_new_manager(
        tenant=tenant,
        actor=hr.user,
        membership=hr,
        round_=round_,
        full_name="Nina Ny",
        email="nina.ny@example.se",
        organisation=root,
    )
    sent = OutgoingMail.objects.get(purpose="participant_added", to="nina.ny@example.se")
    assert sent.language == "sv"
    assert "/accounts/password/reset/key/" in sent.body
    assert f"/{tenant.slug}/my/" in sent.body


# --- a life cycle: quiet pairs in a standing round --------------------------------------------


@pytest.mark.parametrize("status", [Round.Status.OPEN, Round.Status.RUNNING])
def test_quiet_pairs_are_flagged_in_a_continuous_round_that_takes_people(tenant, world, status):
    round_, _a, _b = world
    Round.objects.filter(pk=round_.pk).update(status=status, quiet_pair_weeks=6)
    pair = PairFactory(round=round_, started_at=timezone.now() - timedelta(weeks=10))
    quiet = quiet_reminders.quiet_pairs(now=timezone.now(), tenant=tenant)
    assert [p.pk for p, _since, _days in quiet] == [pair.pk]
    assert quiet_reminders.remind_quiet_pairs(timezone.now()) == 2


def test_a_cohort_round_that_is_open_does_not_flag_its_pairs(tenant):
    round_ = RoundFactory(programme=ProgrammeFactory(tenant=tenant), status=Round.Status.OPEN)
    PairFactory(round=round_, started_at=timezone.now() - timedelta(weeks=10))
    assert quiet_reminders.quiet_pairs(now=timezone.now(), tenant=tenant) == []


# --- a mentor's places ------------------------------------------------------------------------


def test_the_coordinator_raises_a_full_mentors_places_under_the_accept_lock(
    tenant, world, coordinator
):
    round_, org_a, _b = world
    m = mentor(round_, org_a, capacity=1)
    PairFactory(round=round_, mentor=m)
    with CaptureQueriesContext(connection) as queries:
        bank.set_places(
            tenant=tenant, actor=coordinator.user, membership=coordinator, mentor_app=m, capacity=3
        )
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert locks and 'FROM "applications_application"' in locks[0]
    m.refresh_from_db()
    assert m.capacity == 3
    log = ActivityLog.objects.get(action="bank.places_changed", object_id=str(m.pk))
    assert (log.data["before"], log.data["after"]) == ({"capacity": 1}, {"capacity": 3})
    # Now an adept can ask and the mentor can accept.
    a = adept(round_)
    request = choosing.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    choosing.accept(tenant=tenant, actor=m.user, request=request)


def test_places_never_go_below_the_current_adepts(tenant, world, coordinator):
    round_, org_a, _b = world
    m = mentor(round_, org_a, capacity=3)
    PairFactory(round=round_, mentor=m)
    PairFactory(round=round_, mentor=m)
    with pytest.raises(ValidationError) as caught:
        bank.set_places(
            tenant=tenant, actor=coordinator.user, membership=coordinator, mentor_app=m, capacity=1
        )
    assert "has 2 adepts now: give at least 2 places" in str(caught.value)
    for bad in ("", "x", 0, 11):
        with pytest.raises(ValidationError, match="from 1 to 10"):
            bank.set_places(
                tenant=tenant,
                actor=coordinator.user,
                membership=coordinator,
                mentor_app=m,
                capacity=bad,
            )
    m.refresh_from_db()
    assert m.capacity == 3
    assert not ActivityLog.objects.filter(action="bank.places_changed").exists()


def test_hr_changes_places_of_their_own_organisations_only(tenant, world):
    round_, org_a, org_b = world
    hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[org_a]
    )
    own, other = mentor(round_, org_a), mentor(round_, org_b)
    bank.set_places(tenant=tenant, actor=hr.user, membership=hr, mentor_app=own, capacity=2)
    with pytest.raises(PermissionDenied):
        bank.set_places(tenant=tenant, actor=hr.user, membership=hr, mentor_app=other, capacity=2)


def test_lowering_places_to_the_adepts_taken_declines_open_requests(tenant, world, coordinator):
    round_, org_a, _b = world
    m = mentor(round_, org_a, capacity=2)
    PairFactory(round=round_, mentor=m)
    a = adept(round_)
    request = choosing.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)
    bank.set_places(
        tenant=tenant, actor=coordinator.user, membership=coordinator, mentor_app=m, capacity=1
    )
    request.refresh_from_db()
    assert request.status == MentorRequest.Status.DECLINED
    sent = OutgoingMail.objects.get(purpose="mentor_request_auto_declined")
    assert sent.to == a.email and f"/{tenant.slug}/my/mentors/" in sent.body


# --- pausing, leaving, coming back; the yearly question ---------------------------------------


def test_a_mentor_pauses_leaves_and_comes_back_without_a_new_application(tenant, world):
    round_, org_a, _b = world
    m = mentor(round_, org_a, capacity=2)
    a = adept(round_)
    request = choosing.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)

    entry = bank.answer_availability(tenant=tenant, actor=m.user, mentor_app=m, answer="pause")
    assert entry.status == BankMentor.Status.PAUSED and entry.answered_at
    assert choosing_selectors.mentors_for(tenant=tenant, round_=round_) == []
    request.refresh_from_db()
    assert request.status == MentorRequest.Status.DECLINED
    assert "taking a break" in OutgoingMail.objects.get(purpose="mentor_request_auto_declined").body
    with pytest.raises(ValidationError, match="no longer takes adepts"):
        choosing.ask(tenant=tenant, actor=a.user, adept_app=a, mentor_app=m)

    entry = bank.answer_availability(tenant=tenant, actor=m.user, mentor_app=m, answer="leave")
    assert entry.status == BankMentor.Status.LEFT
    entry = bank.answer_availability(tenant=tenant, actor=m.user, mentor_app=m, answer="yes")
    assert entry.status == BankMentor.Status.ACTIVE
    assert [x.pk for x in choosing_selectors.mentors_for(tenant=tenant, round_=round_)] == [m.pk]
    assert Application.objects.filter(user=m.user).count() == 1
    actions = list(
        ActivityLog.objects.filter(object_id=str(m.pk), action__startswith="bank.mentor_")
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["bank.mentor_paused", "bank.mentor_left", "bank.mentor_returned"]


def test_only_the_mentor_answers_for_themselves(tenant, world):
    round_, org_a, _b = world
    m = mentor(round_, org_a)
    with pytest.raises(PermissionDenied):
        bank.answer_availability(tenant=tenant, actor=UserFactory(), mentor_app=m, answer="pause")
    with pytest.raises(ValidationError):
        bank.answer_availability(tenant=tenant, actor=m.user, mentor_app=m, answer="maybe")


def test_a_paused_mentor_is_not_suggested_by_the_bank(tenant):
    org = OrganisationFactory(tenant=tenant)
    programme = ProgrammeFactory(
        tenant=tenant,
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.HR_ASSIGNS,
    )
    round_ = RoundFactory(programme=programme, status=Round.Status.RUNNING)
    m = mentor(round_, org)
    a = adept(round_, OrganisationFactory(tenant=tenant))
    suggestions, _excluded = bank_selectors.rank_mentors(tenant=tenant, round_=round_, adept_app=a)
    assert [s.mentor.pk for s in suggestions] == [m.pk]
    bank.answer_availability(tenant=tenant, actor=m.user, mentor_app=m, answer="pause")
    suggestions, _excluded = bank_selectors.rank_mentors(tenant=tenant, round_=round_, adept_app=a)
    assert suggestions == []


def test_once_a_year_the_bank_asks_each_mentor(tenant, world):
    round_, org_a, _b = world
    now = timezone.now()
    old = mentor(round_, org_a, full_name="Gammal Svarare")
    Application.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=400))
    new = mentor(round_, org_a)  # joined this year: not asked yet
    answered = mentor(round_, org_a)
    Application.objects.filter(pk=answered.pk).update(created_at=now - timedelta(days=800))
    BankMentor.objects.create(
        tenant=tenant, application=answered, answer="yes", answered_at=now - timedelta(days=30)
    )
    left = mentor(round_, org_a)
    BankMentor.objects.create(
        tenant=tenant,
        application=left,
        status="left",
        answer="leave",
        answered_at=now - timedelta(days=500),
    )
    assert bank.ask_availability(now=now) == 1
    sent = OutgoingMail.objects.get(purpose="bank_availability")
    assert sent.to == old.email
    assert "Are you still available" in sent.subject
    assert f"/{tenant.slug}/my/bank/" in sent.body
    # Not again the next day, nor for the others.
    assert bank.ask_availability(now=now + timedelta(days=1)) == 0
    assert new.pk and BankMentor.objects.get(application=old).asked_at == now
    # A year after the answer, asked again.
    bank.answer_availability(tenant=tenant, actor=old.user, mentor_app=old, answer="yes")
    assert bank.ask_availability(now=now + timedelta(days=370)) >= 1


def test_the_periodic_task_is_scheduled():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "bank.tasks.ask_availability" in tasks


# --- the pages --------------------------------------------------------------------------------


def mentors_url(tenant, round_, prefix="manage_bank"):
    return reverse(f"matching_bank:{prefix}_mentors", args=[tenant.slug, round_.pk])


def test_the_bank_page_lists_every_mentor_with_places_adepts_and_answers(
    tenant, world, coordinator
):
    round_, org_a, org_b = world
    busy = mentor(round_, org_a, capacity=2, full_name="Berit Upptagen")
    pair = PairFactory(round=round_, mentor=busy, adept__full_name="Ada Nuvarande")
    PairMeeting.objects.create(tenant=tenant, pair=pair, date=timezone.localdate(), minutes=60)
    PairFactory(
        round=round_, mentor=busy, status=Pair.Status.ENDED, adept__full_name="Erik Tidigare"
    )
    paused = mentor(round_, org_b, full_name="Pia Paus")
    bank.answer_availability(tenant=tenant, actor=paused.user, mentor_app=paused, answer="pause")
    waiting = adept(round_, org_b, full_name="Vera Väntar")

    response = client_for(coordinator.user).get(mentors_url(tenant, round_))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Berit Upptagen",
        "1 of 2 places left",
        "Ada Nuvarande",
        "Erik Tidigare",
        "Pia Paus",
        "Paused",
        "Pause for now",
        timezone.localdate().strftime("%Y"),
        "Vera Väntar",
        "Pause the intake",
    ):
        assert text in body, text
    # Filter and search stay in the URL.
    body = client_for(coordinator.user).get(mentors_url(tenant, round_) + "?status=paused")
    assert "Pia Paus" in body.content.decode()
    assert "Berit Upptagen" not in body.content.decode()
    body = client_for(coordinator.user).get(mentors_url(tenant, round_) + "?q=berit")
    assert "Pia Paus" not in body.content.decode()
    assert waiting.pk


def test_hr_sees_only_the_mentors_of_their_organisations(tenant, world):
    round_, org_a, org_b = world
    hr = MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[org_a],
        user__language="en",
    )
    mentor(round_, org_a, full_name="Egen Mentor")
    other = mentor(round_, org_b, full_name="Annan Mentor")
    client = client_for(hr.user)
    body = client.get(mentors_url(tenant, round_, "hr_bank")).content.decode()
    assert "Egen Mentor" in body and "Annan Mentor" not in body
    assert "Pause the intake" not in body
    places = reverse("matching_bank:hr_bank_places", args=[tenant.slug, round_.pk, other.pk])
    assert client.post(places, {"capacity": 3}).status_code == 404
    other.refresh_from_db()
    assert other.capacity == 1
    # The HR home links the bank.
    home = client.get(reverse("organisations:hr_home", args=[tenant.slug])).content.decode()
    assert mentors_url(tenant, round_, "hr_bank") in home


def test_places_and_intake_are_changed_on_the_page(tenant, world, coordinator):
    round_, org_a, _b = world
    m = mentor(round_, org_a, capacity=1, full_name="Maja Mentor")
    PairFactory(round=round_, mentor=m)
    PairFactory(round=round_, mentor=m, status=Pair.Status.ENDED)
    client = client_for(coordinator.user)
    places = reverse("matching_bank:manage_bank_places", args=[tenant.slug, round_.pk, m.pk])
    response = client.post(places, {"capacity": "0"}, follow=True)
    assert "from 1 to 10" in response.content.decode()
    response = client.post(places, {"capacity": "4"}, follow=True)
    assert "Maja Mentor&#x27;s number of places is saved." in response.content.decode()
    m.refresh_from_db()
    assert m.capacity == 4
    intake = reverse("matching_bank:manage_bank_intake", args=[tenant.slug, round_.pk])
    response = client.post(intake, {"paused": "1"}, follow=True)
    assert "The intake is paused" in response.content.decode()
    round_.refresh_from_db()
    assert round_.intake_paused_at is not None


def test_the_bank_page_of_a_cohort_round_is_a_404(tenant, coordinator):
    round_ = RoundFactory(programme=ProgrammeFactory(tenant=tenant))
    assert client_for(coordinator.user).get(mentors_url(tenant, round_)).status_code == 404


def test_the_mentors_own_page_pauses_and_brings_back(tenant, world):
    round_, org_a, _b = world
    m = mentor(round_, org_a)
    m.user.language = "en"
    m.user.save(update_fields=["language"])
    client = client_for(m.user)
    url = reverse("matching_bank:availability", args=[tenant.slug])
    body = client.get(url).content.decode()
    assert "You are in the bank" in body and "Pause for now" in body
    response = client.post(url, {"mentor": m.pk, "answer": "pause"}, follow=True)
    assert "You are paused" in response.content.decode()
    assert "Come back to the bank" in response.content.decode()
    # Another person's mentor application is not theirs to answer.
    other = mentor(round_, org_a)
    assert client.post(url, {"mentor": other.pk, "answer": "pause"}).status_code == 404
    assert not BankMentor.objects.filter(application=other).exists()
    # The participant's home points there.
    home = client.get(reverse("programmes:participant_home", args=[tenant.slug])).content
    assert url.encode() in home
    # Somebody with no place in a bank has no such page.
    assert client_for(UserFactory()).get(url).status_code == 404


def test_the_bank_page_takes_the_same_queries_at_two_sizes(tenant, coordinator):
    round_ = association(tenant)
    client = client_for(coordinator.user)

    def add(n):
        for i in range(n):
            m = mentor(round_, capacity=3)
            PairFactory(round=round_, mentor=m)
            PairFactory(round=round_, mentor=m, status=Pair.Status.ENDED)
            if i % 2:
                BankMentor.objects.create(tenant=tenant, application=m, status="paused")
            adept(round_)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(mentors_url(tenant, round_)).status_code == 200
        return len(queries)

    add(2)
    count()  # warm the session
    small = count()
    add(6)
    assert count() == small


def test_a_standing_rounds_pair_is_followed_for_its_own_year(tenant, world):
    """A continuous round has no official end: each pair has its own year from its start."""
    round_, _a, _b = world
    Round.objects.filter(pk=round_.pk).update(quiet_pair_weeks=6, ends_on=None)
    young = PairFactory(round=round_, started_at=timezone.now() - timedelta(weeks=10))
    old = PairFactory(round=round_, started_at=timezone.now() - timedelta(days=400))
    start = timezone.localdate(young.started_at)
    assert young.year_ends_on() == start.replace(year=start.year + 1)
    quiet = quiet_reminders.quiet_pairs(now=timezone.now(), tenant=tenant)
    assert [p.pk for p, _since, _days in quiet] == [young.pk]
    assert old.year_ends_on() < timezone.localdate()


def test_the_round_settings_offer_self_sign_up_for_a_continuous_programme_only(
    tenant, world, coordinator
):
    round_, _a, _b = world
    client = client_for(coordinator.user)
    page = client.get(reverse("programmes:round_edit", args=[tenant.slug, round_.pk])).content
    assert b'name="mentor_self_signup"' in page and b'name="adept_self_signup"' in page
    assert b"Joining on the public page" in page
    cohort = RoundFactory(programme=ProgrammeFactory(tenant=tenant))
    page = client.get(reverse("programmes:round_edit", args=[tenant.slug, cohort.pk])).content
    assert b"mentor_self_signup" not in page


def test_the_set_password_link_signs_the_new_manager_in(tenant, client):
    """Seed 004: the new manager follows the mail's set-password link, chooses a password and
    is signed in on the way (no dead end on "password changed"), landing on the page the mail
    is about (her programme page), not on the start page."""
    root = OrganisationFactory(tenant=tenant)
    programme = ProgrammeFactory(
        tenant=tenant,
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.HR_ASSIGNS,
    )
    round_ = RoundFactory(programme=programme, status=Round.Status.RUNNING)
    hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[root]
    )
    bank.register_new_manager(
        tenant=tenant,
        actor=hr.user,
        membership=hr,
        round_=round_,
        full_name="Nina Ny",
        email="nina.ny@example.se",
        organisation=root,
    )
    body = OutgoingMail.objects.get(purpose="participant_added", to="nina.ny@example.se").body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", body).group(0)
    parts = urlsplit(link)
    assert "nina" not in parts.query and "example" not in parts.query
    form = client.get(f"{parts.path}?{parts.query}", follow=True)
    assert form.status_code == 200
    assert b'name="next"' in form.content
    password = "ett-langt-nytt-losenord-2026"
    done = client.post(
        form.redirect_chain[-1][0],
        {"password1": password, "password2": password},
        follow=True,
    )
    assert done.status_code == 200
    assert done.wsgi_request.user.is_authenticated
    assert done.wsgi_request.user.email == "nina.ny@example.se"
    assert done.redirect_chain[-1][0] == reverse(
        "programmes:participant_home", kwargs={"tenant": tenant.slug}
    )
