"""The daily summary of new applications (applications.digest): coordinators hear of every
round of their tenant, HR contacts only of their own organisations' applicants; nothing new
or turned off, no mail; turned off on the person's account page, logged."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from applications.digest import send_application_digests
from applications.models import Application
from organisations.models import ActivityLog, Membership, OutgoingMail
from programmes.models import ParticipantRole
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import PASSWORD, MembershipFactory, OrganisationFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory

Stage = Application.Stage


@pytest.fixture
def world(tenant):
    own = OrganisationFactory(tenant=tenant, name="Göteborgs Stad")
    foreign = OrganisationFactory(tenant=tenant, name="Borås Stad")
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True)
    hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[own]
    )
    # Both members for a while: the first summary covers the last day.
    Membership.objects.filter(pk__in=[coordinator.pk, hr.pk]).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    rounds = [
        RoundFactory(programme=ProgrammeFactory(tenant=tenant, name=name), name="Omgång 2027")
        for name in ("Chefsmentor", "Ledarbanken")
    ]
    return {"own": own, "foreign": foreign, "coordinator": coordinator, "hr": hr, "rounds": rounds}


def _apply(round_, organisation, name, *, hours_ago=2, stage=Stage.SUBMITTED):
    return ApplicationFactory(
        round=round_,
        organisation=organisation,
        full_name=name,
        stage=stage,
        submitted_at=timezone.now() - timedelta(hours=hours_ago),
        role=ParticipantRole.ADEPT,
    )


def _mails_to(membership):
    return [m for m in mail.outbox if m.to == [membership.user.email]]


def _run(capture, now=None):
    with capture(execute=True):
        return send_application_digests(now=now)


def test_coordinator_hears_of_every_round_and_hr_only_of_their_organisations(
    world, tenant, django_capture_on_commit_callbacks
):
    first, second = world["rounds"]
    _apply(first, world["own"], "Omar Haddad")
    _apply(second, world["foreign"], "Fatima Berg")
    _apply(first, world["own"], "Gammal Ansökan", hours_ago=50)  # before the last day
    _apply(first, world["own"], "Utkast Person", stage=Stage.DRAFT)
    world["coordinator"].user.language = "en"
    world["coordinator"].user.save()

    assert _run(django_capture_on_commit_callbacks) == 2

    (coordinator_mail,) = _mails_to(world["coordinator"])
    assert coordinator_mail.subject == f"{tenant.name}: 2 new applications"
    body = coordinator_mail.body
    assert "Omar Haddad" in body and "Fatima Berg" in body
    assert "Gammal Ansökan" not in body and "Utkast Person" not in body
    assert "Chefsmentor (Omgång 2027): 1 application" in body
    review = f"{settings.SITE_URL}/{tenant.slug}/manage/rounds/{first.pk}/applications/"
    assert f"{review}?sort=-submitted" in body
    assert f"{settings.SITE_URL}/me/?tenant={tenant.slug}" in body

    (hr_mail,) = _mails_to(world["hr"])
    assert "Omar Haddad" in hr_mail.body
    assert "Fatima Berg" not in hr_mail.body and "Ledarbanken" not in hr_mail.body
    assert f"{settings.SITE_URL}/{tenant.slug}/hr/rounds/{first.pk}/" in hr_mail.body


def test_nothing_new_no_mail_and_the_next_summary_starts_after_the_last(
    world, tenant, django_capture_on_commit_callbacks
):
    first, _second = world["rounds"]
    _apply(first, world["own"], "Omar Haddad")
    assert _run(django_capture_on_commit_callbacks) == 2
    mail.outbox.clear()

    # The next day: nothing sent in since the last summary.
    tomorrow = timezone.now() + timedelta(days=1)
    assert _run(django_capture_on_commit_callbacks, now=tomorrow) == 0
    assert mail.outbox == []

    # Run twice on the same day: still one summary.
    _apply(first, world["own"], "Sara Nyberg", hours_ago=0)
    later = tomorrow + timedelta(hours=1)
    assert _run(django_capture_on_commit_callbacks, now=later) == 2
    assert _run(django_capture_on_commit_callbacks, now=later) == 0
    assert len(_mails_to(world["coordinator"])) == 1
    assert "Sara Nyberg" in _mails_to(world["coordinator"])[0].body
    assert "Omar Haddad" not in _mails_to(world["coordinator"])[0].body


def test_turned_off_no_mail(world, tenant, django_capture_on_commit_callbacks):
    from organisations.services import set_application_digest

    _apply(world["rounds"][0], world["own"], "Omar Haddad")
    set_application_digest(membership=world["hr"], actor=world["hr"].user, enabled=False)
    assert _run(django_capture_on_commit_callbacks) == 1
    assert _mails_to(world["hr"]) == []
    assert len(_mails_to(world["coordinator"])) == 1
    assert OutgoingMail.objects.filter(purpose="application_digest").count() == 1


def test_withdrawn_applications_are_left_out(world, tenant, django_capture_on_commit_callbacks):
    _apply(world["rounds"][0], world["own"], "Ångrad Person", stage=Stage.WITHDRAWN)
    assert _run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_account_page_turns_the_summary_off_and_logs_it(world, tenant, client):
    hr = world["hr"]
    hr.user.language = "en"
    hr.user.save()
    client.login(email=hr.user.email, password=PASSWORD)
    page = client.get(f"/me/?tenant={tenant.slug}")
    assert "Send me a daily summary of new applications" in page.content.decode()
    response = client.post(
        f"/me/?tenant={tenant.slug}",
        {"full_name": hr.user.full_name, "phone": "", "language": "en"},
    )
    assert response.status_code == 302
    hr.refresh_from_db()
    assert hr.application_digest is False
    entry = ActivityLog.objects.get(tenant=tenant, action="membership.digest_turned_off")
    assert entry.actor == hr.user and entry.data["after"] == {"application_digest": False}

    # Turned on again: logged, and the next summary starts from now.
    client.post(
        f"/me/?tenant={tenant.slug}",
        {"full_name": hr.user.full_name, "phone": "", "language": "en", "application_digest": "on"},
    )
    hr.refresh_from_db()
    assert hr.application_digest is True and hr.digest_sent_at is not None
    assert ActivityLog.objects.filter(action="membership.digest_turned_on").count() == 1


def test_a_participant_sees_no_summary_setting(tenant, client):
    from tests.factories.organisations import UserFactory

    user = UserFactory(language="en")
    client.login(email=user.email, password=PASSWORD)
    page = client.get(f"/me/?tenant={tenant.slug}")
    assert page.status_code == 200
    assert "daily summary" not in page.content.decode()


def test_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["application-digests"]
    assert entry["task"] == "applications.tasks.send_application_digests"
