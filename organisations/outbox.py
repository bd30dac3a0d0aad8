"""The outbox: every mail is recorded (OutgoingMail) in the caller's transaction and sent by
a task (``send_outgoing_mail`` below) after it commits, so a rolled-back change never tells anybody
anything, and a mail server or broker that is down delays a mail but never loses it.

Rendering (the recipient's language, the templates) is ``mentorship.mail``; the outbox page is
``organisations.views.OutboxView``.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from mentorship.mail import render_mail, send_rendered

from .models import OutgoingMail

logger = logging.getLogger(__name__)

# How long a worker may take to send one mail before another may try it again.
SEND_LEASE = timedelta(minutes=10)
# A mail whose task never ran (broker down) is picked up by drain_outbox after this long.
DRAIN_GRACE = timedelta(minutes=1)


def queue_mail(*, purpose, to, language, context, reply_to=None, tenant=None, dedupe_key=""):
    """Render now (in the recipient's language), record the mail in the outbox in the caller's
    transaction and hand it to a worker once that commits.

    A rolled-back change leaves no mail. With ``dedupe_key``, a mail already recorded under
    that key for the tenant is returned and nothing new is sent. Returns the OutgoingMail
    (``mail.just_created`` tells whether this call recorded it).
    """
    tenant = tenant if tenant is not None else context.get("tenant")
    if tenant is None:
        raise ValueError("queue_mail needs the tenant (argument or context['tenant'])")
    subject, body, html = render_mail(purpose=purpose, language=language, context=context)
    fields = {
        "purpose": purpose,
        "to": to,
        "language": language,
        "subject": subject[:998],
        "body": body,
        "html": html or "",
        "reply_to": list(reply_to or []),
    }
    if dedupe_key:
        mail, created = OutgoingMail.objects.get_or_create(
            tenant=tenant, dedupe_key=dedupe_key, defaults=fields
        )
        mail.just_created = created
        if not created:
            return mail
    else:
        mail = OutgoingMail.objects.create(tenant=tenant, **fields)
        mail.just_created = True
    transaction.on_commit(lambda: dispatch(mail_id=mail.pk))
    return mail


# How many mails one task sends: a bulk decision over 1,000 applications is 20 tasks for the
# workers to share, not 1,000 publishes while the coordinator waits.
BATCH_SIZE = 50


def queue_mails(*, tenant, mails):
    """``queue_mail`` for many mails at once (a bulk decision, a message to a whole round):
    each rendered in its recipient's language, all recorded in one insert in the caller's
    transaction, and handed to the workers in batches of BATCH_SIZE once that commits.

    ``mails``: dicts with ``purpose``, ``to``, ``language``, ``context`` and optionally
    ``reply_to`` (no ``dedupe_key``: a bulk step is one decision, not a retry). Returns the
    OutgoingMails."""
    rows = []
    for mail in mails:
        subject, body, html = render_mail(
            purpose=mail["purpose"], language=mail["language"], context=mail["context"]
        )
        rows.append(
            OutgoingMail(
                tenant=tenant,
                purpose=mail["purpose"],
                to=mail["to"],
                language=mail["language"],
                subject=subject[:998],
                body=body,
                html=html or "",
                reply_to=list(mail.get("reply_to") or []),
            )
        )
    if not rows:
        return []
    created = OutgoingMail.objects.bulk_create(rows, batch_size=500)
    ids = [mail.pk for mail in created]
    transaction.on_commit(lambda: dispatch_many(mail_ids=ids))
    return created


def dispatch_many(*, mail_ids):
    """Hand recorded mails to the workers, BATCH_SIZE to a task (see ``dispatch``)."""
    for start in range(0, len(mail_ids), BATCH_SIZE):
        batch = list(mail_ids[start : start + BATCH_SIZE])
        try:
            send_outgoing_mails.apply_async(kwargs={"mail_ids": batch}, retry=False)
        except Exception:
            logger.warning("%s mails not handed to a worker; the outbox will send them", len(batch))
            return


def dispatch(*, mail_id):
    """Hand a recorded mail to a worker. With the broker down the mail stays waiting and
    drain_outbox sends it later: the page that queued it must not fail."""
    try:
        # No publishing retries: the outbox is the retry, and a page must not hang on Redis.
        send_outgoing_mail.apply_async(kwargs={"mail_id": mail_id}, retry=False)
    except Exception:
        logger.warning("mail %s not handed to a worker; the outbox will send it", mail_id)


# Here and not in organisations.tasks with the periodic jobs: queue_mail hands every mail to this
# task, and the task calls back into the outbox, so they share a module rather than importing
# each other. The name stays the one it was registered under (tasks already waiting in Redis).
@shared_task(name="organisations.tasks.send_outgoing_mail", acks_late=True, ignore_result=True)
def send_outgoing_mail(*, mail_id):
    """Send one recorded mail (see send_outgoing): safe to run twice."""
    return send_outgoing(mail_id=mail_id)


@shared_task(name="organisations.tasks.send_outgoing_mails", acks_late=True, ignore_result=True)
def send_outgoing_mails(*, mail_ids):
    """Send a batch of recorded mails (``queue_mails``), each on its own as send_outgoing does:
    one that fails is retried on its own and does not hold back the others."""
    for mail_id in mail_ids:
        send_outgoing(mail_id=mail_id)


def _backoff(attempts):
    """1, 2, 4, 8 … minutes after the first, second, third … failed attempt."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def _describe_error(error):
    """What went wrong, for the outbox page: the kind and the mail server's answer only."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}"[:500]


def send_outgoing(*, mail_id):
    """Send one recorded mail if it is due; returns the status it ends in (or None when it was
    not ours to send: already sent, being sent by someone else, not due yet, gone).

    The row is claimed under a row lock with SKIP LOCKED and marked ``sending`` with a lease,
    so two workers racing (or a task delivered twice) never send it twice. A worker that dies
    mid-send leaves the lease to run out; then drain_outbox tries again (never lost).
    """
    Status = OutgoingMail.Status
    now = timezone.now()
    due = (
        Q(status=Status.WAITING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ) | Q(status=Status.SENDING, next_attempt_at__lte=now)
    with scopes_disabled(), transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True).filter(due, pk=mail_id).first()
        )
        if mail is None:
            return None
        mail.status = Status.SENDING
        mail.attempts += 1
        mail.next_attempt_at = now + SEND_LEASE
        mail.save(update_fields=["status", "attempts", "next_attempt_at"])
    try:
        send_rendered(
            to=mail.to,
            subject=mail.subject,
            body=mail.body,
            html=mail.html or None,
            reply_to=mail.reply_to or None,
            language=mail.language,
        )
    except Exception as error:
        mail.last_error = _describe_error(error)
        if mail.attempts >= OutgoingMail.MAX_ATTEMPTS:
            mail.status = Status.FAILED
            mail.next_attempt_at = None
            logger.error("mail %s failed for good: purpose=%s", mail.pk, mail.purpose)
        else:
            mail.status = Status.WAITING
            mail.next_attempt_at = timezone.now() + _backoff(mail.attempts)
            logger.warning("mail %s not sent, will retry: purpose=%s", mail.pk, mail.purpose)
        fields = ["status", "next_attempt_at", "last_error"]
    else:
        mail.status = Status.SENT
        mail.sent_at = timezone.now()
        mail.next_attempt_at = None
        fields = ["status", "sent_at", "next_attempt_at"]
        logger.info("mail sent: purpose=%s", mail.purpose)
    with scopes_disabled():
        OutgoingMail.objects.filter(pk=mail.pk).update(**{f: getattr(mail, f) for f in fields})
    return mail.status


def due_mail_ids(*, limit=500):
    """Mails due to be sent: waiting and past their next attempt, waiting for more than a
    minute with no attempt yet (their task was lost, e.g. Redis was down), or stuck in
    ``sending`` past the lease (the worker died)."""
    Status = OutgoingMail.Status
    now = timezone.now()
    due = (
        Q(status=Status.WAITING, next_attempt_at__lte=now)
        | Q(status=Status.WAITING, next_attempt_at__isnull=True, created_at__lte=now - DRAIN_GRACE)
        | Q(status=Status.SENDING, next_attempt_at__lte=now)
    )
    with scopes_disabled():
        return list(
            OutgoingMail.objects.filter(due)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )


def drain_outbox():
    """Send every due mail (periodic: CELERY_BEAT_SCHEDULE). Returns how many were sent."""
    sent = 0
    for mail_id in due_mail_ids():
        if send_outgoing(mail_id=mail_id) == "sent":
            sent += 1
    return sent


def purge_sent_bodies(*, now=None):
    """Blank the subject and text of mails delivered more than OUTBOX_BODY_RETENTION_DAYS ago,
    and of mails that failed for good that long after they were recorded (their links have
    expired by then): they hold invitation and endorsement links and personal details. The row
    stays with its recipient, purpose, status, error and dates for the outbox page. Periodic
    (CELERY_BEAT_SCHEDULE, daily); returns how many were purged."""
    Status = OutgoingMail.Status
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_BODY_RETENTION_DAYS)
    with scopes_disabled():
        return (
            OutgoingMail.objects.filter(purged_at__isnull=True)
            .filter(
                Q(status=Status.SENT, sent_at__lte=cutoff)
                | Q(status=Status.FAILED, created_at__lte=cutoff)
            )
            .update(subject="", body="", html="", reply_to=[], purged_at=now)
        )


def send_again(*, mail):
    """A coordinator asks for a failed mail to be sent again: a fresh round of attempts.
    A mail whose text has been removed (purge_sent_bodies) cannot be."""
    with scopes_disabled():
        updated = OutgoingMail.objects.filter(
            pk=mail.pk, status=OutgoingMail.Status.FAILED, purged_at__isnull=True
        ).update(status=OutgoingMail.Status.WAITING, attempts=0, next_attempt_at=None)
    if updated:
        transaction.on_commit(lambda: dispatch(mail_id=mail.pk))
    return bool(updated)
