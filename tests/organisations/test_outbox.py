"""The outbox: every mail is recorded before it is sent, sent by a task after commit, retried
with backoff when the mail server refuses, flagged after the last attempt (never dropped), never
sent twice, and kept when the broker is down. One test races two tasks on a real worker."""

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from organisations import outbox, tasks
from organisations.models import ActivityLog, OutgoingMail
from tests.applications.exports_world import client_for
from tests.applications.test_dossier import _worker_log, celery_worker  # noqa: F401 (fixture)
from tests.factories.organisations import TenantFactory

Status = OutgoingMail.Status


class RefusingOnceBackend(LocmemBackend):
    """A mail server that refuses the first message it is given and accepts the rest."""

    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls == 1:
            raise ConnectionRefusedError("421 try again later")
        return super().send_messages(messages)


class AlwaysRefusingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("554 no thanks")


def queue(tenant, *, to="mottagare@example.se", **kwargs):
    return outbox.queue_mail(
        purpose="invitation",
        to=to,
        language="sv",
        context={"tenant": tenant, "url": "https://example.se/x"},
        **kwargs,
    )


def outbox_url(tenant, **query):
    url = reverse("organisations:outbox", kwargs={"tenant": tenant.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def pass_time(mail, minutes):
    """As if ``minutes`` had passed since the mail was queued and last tried."""
    delta = timedelta(minutes=minutes)
    OutgoingMail.objects.filter(pk=mail.pk).update(created_at=mail.created_at - delta)
    mail.refresh_from_db()
    if mail.next_attempt_at:
        OutgoingMail.objects.filter(pk=mail.pk).update(next_attempt_at=mail.next_attempt_at - delta)
    mail.refresh_from_db()


@pytest.fixture
def refusing_once(settings):
    RefusingOnceBackend.calls = 0
    settings.EMAIL_BACKEND = f"{__name__}.RefusingOnceBackend"
    return RefusingOnceBackend


# --- queueing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_queue_mail_records_the_mail_and_sends_it_after_commit(
    tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mail = queue(tenant)
        assert django_mail.outbox == []  # not before the commit
        assert OutgoingMail.objects.get().status == Status.WAITING
    assert len(callbacks) == 1
    mail.refresh_from_db()
    assert (mail.tenant, mail.purpose, mail.to, mail.language) == (
        tenant,
        "invitation",
        "mottagare@example.se",
        "sv",
    )
    assert mail.status == Status.SENT and mail.attempts == 1 and mail.sent_at is not None
    assert tenant.name in mail.subject
    [sent] = django_mail.outbox
    assert sent.to == ["mottagare@example.se"] and sent.subject == mail.subject


@pytest.mark.django_db
def test_the_tenant_comes_from_the_context_or_is_required(tenant):
    with pytest.raises(ValueError):
        outbox.queue_mail(purpose="invitation", to="a@example.se", language="sv", context={})
    other = TenantFactory()
    mail = outbox.queue_mail(
        purpose="invitation",
        to="a@example.se",
        language="sv",
        context={"tenant": tenant},
        tenant=other,
    )
    assert mail.tenant == other


def many(tenant, n, languages=("sv", "en")):
    return [
        {
            "purpose": "invitation",
            "to": f"mottagare{i}@example.se",
            "language": languages[i % len(languages)],
            "context": {"tenant": tenant, "url": f"https://example.se/{i}"},
        }
        for i in range(n)
    ]


@pytest.mark.django_db
def test_queue_mails_records_many_in_one_insert_and_sends_them_in_batches(
    tenant, django_capture_on_commit_callbacks, monkeypatch
):
    """A bulk step's mails: one insert, each in its recipient's language, one commit hook that
    hands them to the workers BATCH_SIZE at a time; all sent."""
    from django.test.utils import CaptureQueriesContext

    batches = []
    original = outbox.send_outgoing_mails.apply_async

    def counting(*args, **kwargs):
        batches.append(len(kwargs["kwargs"]["mail_ids"]))
        return original(*args, **kwargs)

    monkeypatch.setattr(outbox.send_outgoing_mails, "apply_async", counting)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with CaptureQueriesContext(connection) as ctx:
            mails = outbox.queue_mails(tenant=tenant, mails=many(tenant, 120))
        inserts = [q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
        assert len(inserts) == 1 and "organisations_outgoingmail" in inserts[0]["sql"]
        assert django_mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    assert batches == [50, 50, 20]
    assert len(mails) == 120
    assert OutgoingMail.objects.filter(tenant=tenant, status=Status.SENT).count() == 120
    by_address = {m.to[0]: m for m in django_mail.outbox}
    assert len(by_address) == 120
    swedish, english = by_address["mottagare0@example.se"], by_address["mottagare1@example.se"]
    assert swedish.subject != english.subject  # each in its recipient's language
    assert "https://example.se/1" in english.body
    assert outbox.queue_mails(tenant=tenant, mails=[]) == []


@pytest.mark.django_db
def test_one_refused_mail_of_a_batch_does_not_hold_back_the_others(
    tenant, refusing_once, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_mails(tenant=tenant, mails=many(tenant, 3))
    statuses = list(OutgoingMail.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.WAITING, Status.SENT, Status.SENT]
    assert len(django_mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_rolled_back_bulk_leaves_no_mail(tenant):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue_mails(tenant=tenant, mails=many(tenant, 5))
        raise RuntimeError("the change failed")
    assert OutgoingMail.objects.count() == 0
    assert django_mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_mail(tenant):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(tenant)
        raise RuntimeError("the change failed")
    assert OutgoingMail.objects.count() == 0
    assert django_mail.outbox == []


@pytest.mark.django_db
def test_a_dedupe_key_records_and_sends_once(tenant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue(tenant, dedupe_key="reminder:meeting:7:person:3")
        second = queue(tenant, dedupe_key="reminder:meeting:7:person:3")
    with django_capture_on_commit_callbacks(execute=True):
        third = queue(tenant, dedupe_key="reminder:meeting:7:person:3")
    assert first.pk == second.pk == third.pk
    assert len(callbacks) == 1
    assert OutgoingMail.objects.count() == 1
    assert len(django_mail.outbox) == 1
    # The same key in another tenant is another mail; no key means no deduplication.
    other = TenantFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with scope(tenant=other):
            queue(other, dedupe_key="reminder:meeting:7:person:3")
        queue(tenant)
        queue(tenant)
    assert OutgoingMail.objects.count() == 3
    with scopes_disabled():
        assert OutgoingMail.objects.count() == 4
    assert len(django_mail.outbox) == 4


# --- failures and retries -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_send_is_retried_with_backoff_and_sent_once(
    tenant, refusing_once, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue(tenant)
    mail.refresh_from_db()
    assert mail.status == Status.WAITING
    assert mail.attempts == 1
    assert "421 try again later" in mail.last_error
    assert timezone.now() < mail.next_attempt_at <= timezone.now() + timedelta(minutes=1)
    assert django_mail.outbox == []

    # Not due yet: draining does nothing, nor does the task delivered again.
    assert tasks.drain_outbox() == 0
    assert tasks.send_outgoing_mail(mail_id=mail.pk) is None

    pass_time(mail, 2)
    assert tasks.drain_outbox() == 1
    mail.refresh_from_db()
    assert mail.status == Status.SENT and mail.attempts == 2 and mail.sent_at
    assert len(django_mail.outbox) == 1
    assert tasks.drain_outbox() == 0
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_backoff_doubles_and_the_last_attempt_flags_the_mail(tenant, settings):
    settings.EMAIL_BACKEND = f"{__name__}.AlwaysRefusingBackend"
    mail = queue(tenant)
    waits = []
    for attempt in range(1, OutgoingMail.MAX_ATTEMPTS + 1):
        pass_time(mail, 60 * 24)
        tasks.send_outgoing_mail(mail_id=mail.pk)
        mail.refresh_from_db()
        assert mail.attempts == attempt
        if attempt < OutgoingMail.MAX_ATTEMPTS:
            assert mail.status == Status.WAITING
            waits.append(round((mail.next_attempt_at - timezone.now()).total_seconds() / 60))
    assert waits == [1, 2, 4, 8, 16]
    assert mail.status == Status.FAILED and mail.next_attempt_at is None
    assert "554 no thanks" in mail.last_error
    pass_time(mail, 60 * 24)
    assert tasks.drain_outbox() == 0  # flagged, not retried for ever, and not deleted
    assert OutgoingMail.objects.filter(pk=mail.pk, status=Status.FAILED).exists()


@pytest.mark.django_db
def test_the_send_task_twice_delivers_once(tenant):
    mail = queue(tenant)
    assert tasks.send_outgoing_mail(mail_id=mail.pk) == Status.SENT
    assert tasks.send_outgoing_mail(mail_id=mail.pk) is None
    assert tasks.send_outgoing_mail(mail_id=mail.pk + 1000) is None  # gone: nothing to do
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_mail_another_worker_is_sending_is_skipped(tenant):
    """Two workers racing: the one that finds the row locked skips it instead of waiting and
    sending it again."""
    mail = OutgoingMail.objects.create(
        tenant=tenant,
        purpose="invitation",
        to="a@example.se",
        language="sv",
        subject="Hej",
        body="Hej",
    )
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with scopes_disabled(), transaction.atomic():
                OutgoingMail.objects.select_for_update().get(pk=mail.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert tasks.send_outgoing_mail(mail_id=mail.pk) is None
        assert tasks.drain_outbox() == 0
    finally:
        release.set()
        thread.join(10)
    assert django_mail.outbox == []
    assert tasks.send_outgoing_mail(mail_id=mail.pk) == Status.SENT
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_a_mail_stuck_in_sending_is_tried_again_when_its_lease_runs_out(tenant):
    mail = queue(tenant)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=Status.SENDING, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert tasks.drain_outbox() == 0  # another worker may still be sending it
    OutgoingMail.objects.filter(pk=mail.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert tasks.drain_outbox() == 1
    assert len(django_mail.outbox) == 1


# --- the broker down ----------------------------------------------------------------------------


@pytest.fixture
def broker_down(settings):
    """Celery publishes to a Redis that is not there (as in production when Redis is down)."""
    from mentorship.celery import app

    was_eager = app.conf.task_always_eager  # read before changing Django's settings
    was_url = app.conf.broker_url
    was_pool, was_producers = app._pool, app.amqp._producer_pool
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    app.amqp._producer_pool = None
    yield
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.broker_url = was_url
    app.conf.task_always_eager = was_eager
    app._pool, app.amqp._producer_pool = was_pool, was_producers


@pytest.mark.django_db
def test_with_the_broker_down_the_page_works_and_the_mail_goes_out_later(
    tenant, coordinator, broker_down, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("organisations:team", kwargs={"tenant": tenant.slug}),
            {"email": "ny@example.se", "role": "coordinator"},
        )
    assert response.status_code == 302
    assert time.monotonic() - started < 3, "the page must not hang on the broker"
    mail = OutgoingMail.objects.get(tenant=tenant, to="ny@example.se")
    assert mail.status == Status.WAITING and mail.attempts == 0
    assert django_mail.outbox == []

    # The broker is back: the periodic drain sends what was queued meanwhile.
    assert tasks.drain_outbox() == 0  # only mails waiting for more than a minute
    pass_time(mail, 2)
    assert tasks.drain_outbox() == 1
    mail.refresh_from_db()
    assert mail.status == Status.SENT
    assert [m.to for m in django_mail.outbox] == [["ny@example.se"]]


@pytest.mark.django_db
def test_with_the_broker_down_bulk_mails_wait_for_the_drain(
    tenant, broker_down, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        mails = outbox.queue_mails(tenant=tenant, mails=many(tenant, 60))
    assert time.monotonic() - started < 3, "a bulk step must not hang on the broker"
    assert OutgoingMail.objects.filter(status=Status.WAITING, attempts=0).count() == 60
    for mail in mails:
        pass_time(mail, 2)
    assert tasks.drain_outbox() == 60


def test_drain_runs_every_minute(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["drain-outbox"]
    assert schedule == {"task": "organisations.tasks.drain_outbox", "schedule": 60}


# --- the outbox page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_isolation_of_the_outbox_page(tenant, coordinator, hr_contact, other_tenant, other_member):
    mail = queue(tenant)
    with scope(tenant=other_tenant):
        foreign = queue(other_tenant, to="frammande@example.se")
        OutgoingMail.objects.filter(pk=foreign.pk).update(status=Status.FAILED)
    send_again = reverse(
        "organisations:outbox_send_again", kwargs={"tenant": tenant.slug, "pk": mail.pk}
    )
    for url in (outbox_url(tenant), send_again):
        response = client_for().get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
        assert client_for(other_member).get(url).status_code == 404
        assert client_for(hr_contact).get(url).status_code == 403
    assert client_for(hr_contact).post(send_again).status_code == 403
    response = client_for(coordinator).get(outbox_url(tenant))
    assert response.status_code == 200
    content = response.content.decode()
    assert "mottagare@example.se" in content
    assert "frammande@example.se" not in content
    # Another tenant's mail cannot be sent again through this tenant.
    foreign_again = reverse(
        "organisations:outbox_send_again", kwargs={"tenant": tenant.slug, "pk": foreign.pk}
    )
    assert client_for(coordinator).post(foreign_again).status_code == 404
    with scopes_disabled():
        assert OutgoingMail.objects.get(pk=foreign.pk).status == Status.FAILED


@pytest.mark.django_db
def test_outbox_page_shows_status_filters_and_failures(tenant, coordinator, settings):
    sent = queue(tenant, to="skickad@example.se")
    tasks.send_outgoing_mail(mail_id=sent.pk)
    queue(tenant, to="vantar@example.se")
    settings.EMAIL_BACKEND = f"{__name__}.AlwaysRefusingBackend"
    failed = queue(tenant, to="misslyckad@example.se")
    for _ in range(OutgoingMail.MAX_ATTEMPTS):
        pass_time(failed, 60 * 24)
        tasks.send_outgoing_mail(mail_id=failed.pk)
    OutgoingMail.objects.filter(pk=failed.pk).update(created_at=timezone.now())  # the newest
    failed.refresh_from_db()
    assert failed.status == Status.FAILED

    client = client_for(coordinator)
    content = client.get(outbox_url(tenant)).content.decode()
    for address in ("skickad@example.se", "vantar@example.se", "misslyckad@example.se"):
        assert address in content
    # Newest first.
    assert content.index("misslyckad@") < content.index("vantar@") < content.index("skickad@")
    assert "554 no thanks" in content
    again_url = reverse(
        "organisations:outbox_send_again", kwargs={"tenant": tenant.slug, "pk": failed.pk}
    )
    assert again_url in content

    only_failed = client.get(outbox_url(tenant, status="failed")).content.decode()
    assert "misslyckad@example.se" in only_failed
    assert "skickad@example.se" not in only_failed and "vantar@example.se" not in only_failed
    # An unknown status shows everything rather than an error.
    assert client.get(outbox_url(tenant, status="nonsense")).status_code == 200


@pytest.mark.django_db
def test_send_again_gives_a_failed_mail_a_fresh_round(
    tenant, coordinator, settings, django_capture_on_commit_callbacks
):
    mail = queue(tenant)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=Status.FAILED, attempts=OutgoingMail.MAX_ATTEMPTS, last_error="554 no thanks"
    )
    url = reverse("organisations:outbox_send_again", kwargs={"tenant": tenant.slug, "pk": mail.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(url)
    assert response.status_code == 302 and response.url == outbox_url(tenant)
    mail.refresh_from_db()
    assert mail.status == Status.SENT and mail.attempts == 1
    assert len(django_mail.outbox) == 1
    assert ActivityLog.objects.filter(
        tenant=tenant, action="mail.sent_again", actor=coordinator
    ).exists()
    # A mail that has not failed is not sent again.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(url)
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_the_outbox_is_in_the_coordinator_menu(tenant, coordinator):
    content = (
        client_for(coordinator)
        .get(reverse("organisations:dashboard", kwargs={"tenant": tenant.slug}))
        .content.decode()
    )
    assert outbox_url(tenant) in content


@pytest.mark.django_db
def test_the_operator_sees_failures_across_tenants(admin_client, tenant):
    failed = queue(tenant, to="misslyckad@example.se")
    OutgoingMail.objects.filter(pk=failed.pk).update(status=Status.FAILED)
    queue(TenantFactory(), to="annan@example.se")
    response = admin_client.get(
        reverse("admin:organisations_outgoingmail_changelist") + "?status__exact=failed"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "misslyckad@example.se" in content and "annan@example.se" not in content


# --- the texts are removed a few days after delivery ----------------------------------------------


def _sent_days_ago(mail, days):
    tasks.send_outgoing_mail(mail_id=mail.pk)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now() - timedelta(days=days),
        created_at=timezone.now() - timedelta(days=days),
    )


@pytest.mark.django_db
def test_texts_are_removed_a_few_days_after_delivery_and_the_rows_stay(
    tenant, coordinator, settings
):
    settings.OUTBOX_BODY_RETENTION_DAYS = 7
    old = queue(tenant, to="gammal@example.se")
    _sent_days_ago(old, 8)
    recent = queue(tenant, to="ny@example.se")
    _sent_days_ago(recent, 2)
    waiting = queue(tenant, to="vantar@example.se")
    OutgoingMail.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=9))
    failed = queue(tenant, to="misslyckad@example.se")
    OutgoingMail.objects.filter(pk=failed.pk).update(
        status=Status.FAILED, created_at=timezone.now() - timedelta(days=8)
    )
    assert "https://example.se/x" in OutgoingMail.objects.get(pk=old.pk).body

    assert tasks.purge_sent_bodies() == 2
    assert tasks.purge_sent_bodies() == 0  # once

    for mail in (old, failed):
        mail.refresh_from_db()
        assert mail.subject == mail.body == mail.html == "" and mail.purged_at is not None
        assert mail.purpose == "invitation" and mail.to.endswith("@example.se")
    assert old.status == Status.SENT and failed.status == Status.FAILED
    for mail in (recent, waiting):
        mail.refresh_from_db()
        assert "https://example.se/x" in mail.body and mail.purged_at is None
    # A purged failed mail cannot be sent again (it would go out empty); the page says why.
    assert outbox.send_again(mail=failed) is False
    coordinator.language = "en"  # read the English texts whatever the catalogue says
    coordinator.save(update_fields=["language"])
    content = client_for(coordinator).get(outbox_url(tenant)).content.decode()
    assert "gammal@example.se" in content and "misslyckad@example.se" in content
    assert content.count("Removed a few days after delivery") == 2
    again_url = reverse(
        "organisations:outbox_send_again", kwargs={"tenant": tenant.slug, "pk": failed.pk}
    )
    assert again_url not in content


def test_the_purge_runs_daily(settings):
    assert settings.CELERY_BEAT_SCHEDULE["purge-sent-mail-bodies"] == {
        "task": "organisations.tasks.purge_sent_bodies",
        "schedule": 24 * 60 * 60,
    }
    assert settings.OUTBOX_BODY_RETENTION_DAYS == 7


@pytest.mark.django_db
def test_the_operator_sees_status_and_errors_but_no_subject_or_text(admin_client, tenant):
    mail = outbox.queue_mail(
        purpose="invitation",
        to="mottagare@example.se",
        language="en",
        context={"tenant": tenant, "url": "https://example.se/hemlig-inbjudan"},
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(status=Status.FAILED, last_error="554 no thanks")
    mail.refresh_from_db()
    assert "hemlig-inbjudan" in mail.body and mail.subject
    changelist = reverse("admin:organisations_outgoingmail_changelist")
    change = reverse("admin:organisations_outgoingmail_change", args=[mail.pk])
    for url in (changelist, change, changelist + "?q=" + mail.subject.split()[0]):
        content = admin_client.get(url).content.decode()
        assert "hemlig-inbjudan" not in content
        assert mail.subject not in content
    content = admin_client.get(change).content.decode()
    assert "554 no thanks" in content and "mottagare@example.se" in content
    # Searching by a word of the subject finds nothing: the subject is not searched.
    found = admin_client.get(changelist + "?q=" + mail.subject.split()[-1]).content.decode()
    assert "mottagare@example.se" not in found


# --- a real worker ------------------------------------------------------------------------------


@pytest.fixture
def celery_worker_env(tmp_path):
    """The worker's locmem outbox is out of reach: it writes its mail to files instead."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }


def test_two_workers_racing_send_one_mail_once(celery_worker, celery_worker_env):  # noqa: F811
    """Three deliveries of the send task for one mail, on a real worker: one message."""
    mail_dir = Path(celery_worker_env["EMAIL_FILE_PATH"])
    tenant = TenantFactory()
    with transaction.atomic():
        mail = queue(tenant)  # the on-commit task is the first delivery
    tasks.send_outgoing_mail.delay(mail_id=mail.pk)  # the second
    tasks.send_outgoing_mail.delay(mail_id=mail.pk)  # and a third

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        mail.refresh_from_db()
        if mail.status in (Status.SENT, Status.FAILED):
            break
        assert celery_worker.poll() is None, f"the worker died:\n{_worker_log(celery_worker)}"
        time.sleep(0.3)
    assert mail.status == Status.SENT, (
        f"{mail.status} {mail.last_error}\n{_worker_log(celery_worker)}"
    )
    time.sleep(2)  # let the other deliveries run (and find nothing to do)
    files = list(mail_dir.iterdir())
    assert len(files) == 1, _worker_log(celery_worker)
    assert "mottagare@example.se" in files[0].read_text()
    mail.refresh_from_db()
    assert mail.attempts == 1
