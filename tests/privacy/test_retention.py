"""Retention for every kind of programme (PostgreSQL): cohorts from the round's end,
continuous programmes from each pair's end, or an application's last change when it never
became a pair; the coordinator's page says what goes next and when."""

import uuid
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from choosing.models import MentorRequest
from messaging import services as messaging
from messaging.models import RoundMessage, RoundMessageRecipient
from organisations.models import ActivityLog, OutgoingMail
from pairs import checklists
from pairs.models import ChecklistItemAnswer, Pair, PairMeeting, PrivateNote
from privacy import selectors, services
from programmes.models import Programme, Round
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import MembershipFactory, UserFactory
from tests.factories.programmes import ParticipantFactory, ProgrammeFactory, RoundFactory
from tests.matching.factories import PairFactory

DAY = timedelta(days=1)


def _continuous_round(tenant):
    programme = ProgrammeFactory(tenant=tenant, kind=Programme.Kind.CONTINUOUS)
    return RoundFactory(
        programme=programme, status=Round.Status.RUNNING, starts_on=None, ends_on=None
    )


def _ended_pair(round_, *, days_ago, adept_name, mentor_name):
    now = timezone.now()
    pair = PairFactory(
        round=round_,
        adept__user=UserFactory(full_name=adept_name),
        mentor__user=UserFactory(full_name=mentor_name),
        status=Pair.Status.ENDED,
        started_at=now - (days_ago + 300) * DAY,
        ended_at=now - days_ago * DAY,
    )
    for application in (pair.adept, pair.mentor):
        ParticipantFactory(round=round_, user=application.user, role=application.role)
    return pair


def _texts_of_pair(tenant, round_, pair, coordinator):
    """A private note, a checklist answer, a mentor request and a message for the pair."""
    meeting = PairMeeting.objects.create(
        tenant=tenant,
        pair=pair,
        date=timezone.localdate() - 500 * DAY,
        minutes=90,
        logged_by=pair.adept.user,
        place="Kafé Storgatan",
    )
    PrivateNote.objects.create(
        tenant=tenant, meeting=meeting, author=pair.adept.user, text="Mitt hemliga mål i år"
    )
    (checklist,) = checklists.start_from_template(
        tenant=tenant,
        actor=None,
        programme=round_.programme,
        round_=round_,
        template="relationship",
    )
    ChecklistItemAnswer.objects.create(
        tenant=tenant,
        pair=pair,
        user=pair.adept.user,
        item=checklist.items.first(),
        done=True,
        text="Vi pratar om min chef",
    )
    MentorRequest.objects.create(
        tenant=tenant,
        round=round_,
        adept=pair.adept,
        mentor=pair.mentor,
        message="Jag vill gärna ha dig som mentor, du verkar klok",
    )


def test_continuous_programme_runs_retention_per_pair_and_per_application(tenant):
    tenant.retention_months = 12
    tenant.save()
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    round_ = _continuous_round(tenant)
    old = _ended_pair(round_, days_ago=400, adept_name="Samir Haddad", mentor_name="Fatima Rahimi")
    recent = _ended_pair(round_, days_ago=100, adept_name="Kvar Kvarsson", mentor_name="Mia Mentor")
    running = PairFactory(
        round=round_,
        started_at=timezone.now() - 900 * DAY,
        adept__user=UserFactory(full_name="Pågår Pågårsson"),
    )
    never_old = ApplicationFactory(round=round_, full_name="Gammal Sökande")
    never_new = ApplicationFactory(round=round_, full_name="Ny Sökande")
    Application.objects.filter(pk=never_old.pk).update(updated_at=timezone.now() - 400 * DAY)
    _texts_of_pair(tenant, round_, old, coordinator)
    messaging.send_message(
        tenant=tenant,
        actor=coordinator,
        round_=round_,
        audience="everyone",
        subject="Hej Samir Haddad och alla",
        body="Välkomna, Samir Haddad!",
        token=uuid.uuid4(),
    )
    assert OutgoingMail.objects.filter(to=old.adept.user.email).exists()
    kept_address = recent.adept.user.email

    items, waiting = selectors.retention_schedule(tenant=tenant)
    due = {item.application.pk: item for item in items}
    assert waiting == 2  # the running pair's two applications: no date while it is active
    assert due[old.adept.pk].is_due and due[never_old.pk].is_due
    assert not due[recent.adept.pk].is_due and not due[never_new.pk].is_due
    expected = old.ended_at + timedelta(days=round(12 * 30.44))
    assert due[old.adept.pk].due == expected

    count = services.apply_retention(tenant=tenant, actor=None)

    assert count == 3  # the old pair's two and the old unpaired application
    for application in (old.adept, old.mentor, never_old):
        application.refresh_from_db()
        assert application.anonymised_at is not None
        assert "Samir" not in application.full_name and application.email == ""
    for application in (recent.adept, recent.mentor, never_new, running.adept, running.mentor):
        application.refresh_from_db()
        assert application.anonymised_at is None
    # The texts of the old pair are gone; the rows and the pair's link to its accounts stay.
    assert not PrivateNote.objects.filter(meeting__pair=old).exists()
    assert not ChecklistItemAnswer.objects.filter(pair=old).exists()
    assert PairMeeting.objects.get(pair=old).place == ""
    assert MentorRequest.objects.get(adept=old.adept).message == ""
    old.refresh_from_db()
    assert (old.mentor_user_id, old.adept_user_id) == (old.mentor.user_id, old.adept.user_id)
    assert PairMeeting.objects.filter(pair=old).count() == 1  # the meeting counts stay
    # Messages: the anonymised people lose their address and their name; others keep theirs.
    message = RoundMessage.objects.get()
    assert "Samir" not in message.subject + message.body and "Välkomna" in message.body
    addresses = set(RoundMessageRecipient.objects.values_list("email", flat=True))
    assert old.adept.user.email not in addresses and kept_address in addresses
    assert not OutgoingMail.objects.filter(to=old.adept.user.email).exists()
    assert OutgoingMail.objects.filter(to=kept_address).exists()
    assert ActivityLog.objects.filter(action="privacy.retention_applied").count() == 1

    assert services.apply_retention(tenant=tenant) == 0  # again: nothing more
    assert ActivityLog.objects.filter(action="privacy.retention_applied").count() == 1


def test_cohort_rounds_go_from_their_end_only_once_closed(tenant):
    tenant.retention_months = 6
    tenant.save()
    ends = timezone.localdate() - 300 * DAY
    closed = RoundFactory(
        programme=ProgrammeFactory(tenant=tenant),
        status=Round.Status.CLOSED,
        starts_on=ends - 365 * DAY,
        ends_on=ends,
    )
    running = RoundFactory(
        programme=ProgrammeFactory(tenant=tenant),
        status=Round.Status.RUNNING,
        starts_on=ends - 365 * DAY,
        ends_on=ends,
    )
    coming = RoundFactory(
        programme=ProgrammeFactory(tenant=tenant),
        status=Round.Status.CLOSED,
        starts_on=ends,
        ends_on=timezone.localdate() - 10 * DAY,
    )
    gone = ApplicationFactory(round=closed, full_name="Åsa Öberg")
    # A pair ended long ago in a cohort round still waits for the round's end.
    stays = [ApplicationFactory(round=running), ApplicationFactory(round=coming)]

    items, _waiting = selectors.retention_schedule(tenant=tenant)
    assert [(i.round, i.count, i.application) for i in items] == [
        (closed, 1, None),
        (running, 1, None),
        (coming, 1, None),
    ]

    assert services.apply_retention(tenant=tenant) == 1
    gone.refresh_from_db()
    assert gone.anonymised_at is not None and gone.full_name != "Åsa Öberg"
    for application in stays:
        application.refresh_from_db()
        assert application.anonymised_at is None


def test_the_coordinator_sees_what_goes_next_and_when(tenant):
    tenant.retention_months = 12
    tenant.save()
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en").user
    round_ = _continuous_round(tenant)
    pair = _ended_pair(round_, days_ago=100, adept_name="Kvar Kvarsson", mentor_name="Mia Mentor")
    ends = timezone.localdate() - 30 * DAY
    cohort = RoundFactory(
        programme=ProgrammeFactory(tenant=tenant, name="Ledarskap"),
        status=Round.Status.CLOSED,
        starts_on=ends - 365 * DAY,
        ends_on=ends,
    )
    ApplicationFactory(round=cohort)
    client = Client()
    client.force_login(coordinator)

    dashboard = client.get(reverse("organisations:dashboard", kwargs={"tenant": tenant.slug}))
    page_url = reverse("privacy:retention", kwargs={"tenant": tenant.slug})
    assert page_url in dashboard.content.decode()
    body = client.get(page_url).content.decode()

    assert "Kvar Kvarsson" in body and "Mia Mentor" in body
    assert "the end of the last pair" in body
    due = timezone.localtime(pair.ended_at + timedelta(days=round(12 * 30.44)))
    assert f"{due.day} {due:%B %Y}" in body
    assert "Ledarskap" in body and "the round&#x27;s end" in body


def test_the_schedule_page_costs_the_same_queries_at_two_sizes(tenant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    client = Client()
    client.force_login(coordinator)
    page = reverse("privacy:retention", kwargs={"tenant": tenant.slug})
    round_ = _continuous_round(tenant)
    counts = []
    for size in (2, 8):
        for i in range(size):
            _ended_pair(round_, days_ago=50 + i, adept_name=f"Adept {size}-{i}", mentor_name="M")
            ApplicationFactory(round=round_)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
