"""Reminders on a real Celery worker against the test Redis: the beat task delivered three times
(sent directly once, as beat sends it twice) records every due reminder once and delivers it
once; a mail the mail server refuses once is retried by the outbox and delivered, once."""

import email
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from organisations import tasks
from organisations.models import OutgoingMail
from pairs.models import Pair
from programmes.models import Audience, ParticipantRole, Round
from tests.applications.test_dossier import _worker_log, celery_worker  # noqa: F401 (fixture)
from tests.factories.applications import ApplicationFactory, EndorsementFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory, TenantFactory
from tests.factories.programmes import ParticipantFactory, RoundFactory, SharedMeetingFactory
from tests.matching.factories import PairFactory

Status = OutgoingMail.Status
Stage = Application.Stage
SITE = "https://paminnelser.example.se"
REFUSED = "utkast@example.se"
OURS = ("application-deadline", "quiet-pairs", "shared-day")
EXPECTED = {
    "utkast@example.se": "reminder_deadline_draft",
    "chef@example.se": "reminder_deadline_endorsement",
    "hr@example.se": "reminder_deadline_hr",
    "mentor@example.se": "reminder_shared_day",
    "adept@example.se": "reminder_shared_day",
    "par-mentor@example.se": "reminder_quiet_pair",
    "par-adept@example.se": "reminder_quiet_pair",
}


class RefusingOnceFileBackend(FileBackend):
    """The worker's mail server: refuses the first message to the address in
    REMINDERS_REFUSE_ONCE_TO (once, whichever process asks: a marker file records it) and
    writes every other message to a file of its own, as the file-based backend does."""

    def send_messages(self, messages):
        refuse = os.environ.get("REMINDERS_REFUSE_ONCE_TO")
        marker = os.environ.get("REMINDERS_REFUSED_MARKER")
        for message in messages:
            if refuse and marker and refuse in message.to:
                try:
                    os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                except FileExistsError:
                    continue
                raise ConnectionRefusedError("421 try again later")
        return super().send_messages(messages)


@pytest.fixture
def celery_worker_env(tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    return {
        "EMAIL_BACKEND": f"{__name__}.RefusingOnceFileBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "REMINDERS_REFUSE_ONCE_TO": REFUSED,
        "REMINDERS_REFUSED_MARKER": str(tmp_path / "refused-once"),
        "SITE_URL": SITE,
    }


def delivered(mail_dir):
    """{recipient: [message, ...]} of what the worker wrote. The file-based backend names a
    file by the second and the connection's id(), so two mails sent in the same second may
    share a file: each message is followed by a line of 79 dashes."""
    found = {}
    separator = b"\n" + b"-" * 79 + b"\n"
    for path in sorted(Path(mail_dir).iterdir()):
        for raw in path.read_bytes().split(separator):
            if raw.strip():
                message = email.message_from_bytes(raw)
                found.setdefault(message["To"], []).append(message)
    return found


def body_of(message):
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


def wait_for(condition, worker, *, seconds=20, what=""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.poll() is None, f"the worker died:\n{_worker_log(worker)}"
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{_worker_log(worker)}")


def due_reminders():
    """One of each reminder due now (the worker runs them at its own ``timezone.now()``)."""
    now = timezone.now()
    today = timezone.localdate()
    tenant = TenantFactory(name="Nätverket Mitt")
    org = OrganisationFactory(tenant=tenant)
    MembershipFactory(tenant=tenant, is_coordinator=True, user__email="samordnare@example.se")
    MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[org],
        user__email="hr@example.se",
    )
    # An application deadline in three days: a draft, a manager to answer, an HR contact.
    open_round = RoundFactory(
        programme__tenant=tenant,
        status=Round.Status.OPEN,
        application_closes_at=now + timedelta(days=3),
    )
    ApplicationFactory(round=open_round, stage=Stage.DRAFT, email=REFUSED)
    EndorsementFactory(
        application=ApplicationFactory(
            round=open_round, stage=Stage.AWAITING_ENDORSEMENT, organisation=org
        ),
        manager_email="chef@example.se",
    )
    ApplicationFactory(round=open_round, stage=Stage.AWAITING_NOMINATION, organisation=org)
    # A running round with a shared day in four days and a pair quiet for three weeks.
    running = RoundFactory(
        programme__tenant=tenant,
        status=Round.Status.RUNNING,
        quiet_pair_weeks=2,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=300),
    )
    ParticipantFactory(round=running, role=ParticipantRole.MENTOR, user__email="mentor@example.se")
    ParticipantFactory(round=running, role=ParticipantRole.ADEPT, user__email="adept@example.se")
    SharedMeetingFactory(round=running, date=today + timedelta(days=4), audience=Audience.EVERYONE)
    PairFactory(
        round=running,
        started_at=now - timedelta(days=21),
        mentor__user__email="par-mentor@example.se",
        adept__user__email="par-adept@example.se",
    )
    return tenant


def test_reminders_on_a_real_worker_are_recorded_and_delivered_once(
    celery_worker,  # noqa: F811
    celery_worker_env,
    settings,
):
    from mentorship.celery import app

    mail_dir = celery_worker_env["EMAIL_FILE_PATH"]
    tenant = due_reminders()

    # The task sent three times: once directly and twice as beat sends it (by name, from the
    # schedule). Results are kept for this test, to know when each run has finished.
    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    runs = [
        tasks.send_reminders.apply_async(ignore_result=False),
        app.send_task(entry["task"], ignore_result=False),
        app.send_task(entry["task"], ignore_result=False),
    ]
    counts = [run.get(timeout=25) for run in runs]
    assert all(counts[0][name] is not None for name in OURS), counts
    # Each mail was recorded by exactly one of the three runs.
    assert sum(c[name] for c in counts for name in OURS) == len(EXPECTED), counts

    rows = list(OutgoingMail.objects.filter(tenant=tenant))
    assert sorted((m.to, m.purpose) for m in rows) == sorted(EXPECTED.items())
    assert len({m.dedupe_key for m in rows}) == len(rows)
    assert OutgoingMail.objects.exclude(tenant=tenant).count() == 0

    def settled():
        statuses = dict(OutgoingMail.objects.values_list("to", "status"))
        return (
            statuses.get(REFUSED) == Status.WAITING
            and list(statuses.values()).count(Status.SENT) == len(EXPECTED) - 1
        )

    wait_for(settled, celery_worker, what="the first deliveries")
    refused = OutgoingMail.objects.get(to=REFUSED)
    assert refused.attempts == 1 and "421 try again later" in refused.last_error
    assert refused.next_attempt_at > timezone.now()  # backoff: not before its time
    time.sleep(1)  # any stray delivery would show now
    files = delivered(mail_dir)
    assert sorted(files) == sorted(set(EXPECTED) - {REFUSED}), _worker_log(celery_worker)
    assert all(len(messages) == 1 for messages in files.values()), files

    # The retry is due (as if its backoff had passed): beat's drain, delivered twice, sends it
    # once; the send task delivered again for it finds nothing to do.
    OutgoingMail.objects.filter(pk=refused.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    drains = [
        app.send_task(settings.CELERY_BEAT_SCHEDULE["drain-outbox"]["task"], ignore_result=False)
        for _ in range(2)
    ]
    again = tasks.send_outgoing_mail.apply_async(
        kwargs={"mail_id": refused.pk}, ignore_result=False
    )
    assert sorted(d.get(timeout=25) for d in drains) == [0, 1]
    assert again.get(timeout=25) is None
    # And beat's next run of the reminders records nothing new.
    later = app.send_task(entry["task"], ignore_result=False).get(timeout=25)
    assert all(later[name] == 0 for name in OURS), later

    refused.refresh_from_db()
    assert refused.status == Status.SENT and refused.attempts == 2
    assert OutgoingMail.objects.count() == len(EXPECTED)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {Status.SENT}
    time.sleep(1)
    files = delivered(mail_dir)
    assert sorted(files) == sorted(EXPECTED), _worker_log(celery_worker)
    assert all(len(messages) == 1 for messages in files.values()), files

    # What arrived: the draft reminder with its absolute link to the draft.
    draft = Application.objects.get(email=REFUSED)
    [message] = files[REFUSED]
    edit = reverse("applications:edit", kwargs={"tenant": tenant.slug, "pk": draft.pk})
    assert f"{SITE}{edit}" in body_of(message)
    home = reverse("programmes:participant_home", kwargs={"tenant": tenant.slug})
    assert f"{SITE}{home}" in body_of(files["mentor@example.se"][0])
    pair = Pair.objects.get(tenant=tenant)
    page = reverse("matching_pairwork:pair", kwargs={"tenant": tenant.slug, "pk": pair.pk})
    assert f"{SITE}{page}" in body_of(files["par-adept@example.se"][0])
