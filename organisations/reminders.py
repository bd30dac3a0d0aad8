"""Reminders sent by Celery beat (``organisations.tasks.send_reminders``, every 15 minutes)
or by ``manage.py send_reminders`` where no beat runs.

Each app has a function that finds what is due at ``now`` and queues its mails with
``queue_once`` (the outbox's ``queue_mail`` with a ``dedupe_key``). The key names the reminder
and what it is about (``deadline:7d:application:42``); the outbox holds at most one mail per
key and tenant (a unique constraint), so a reminder is never sent twice, whether beat runs
twice, two workers race or a reminder function is run again by hand. Sending itself is the
outbox's job: retried with backoff, visible until it succeeds.

The reminder functions are listed, by name, in ``mentorship.hooks.REMINDERS``: a reminder
function takes ``now`` (aware datetime) and returns how many mails it queued (already recorded
keys do not count).
"""

import logging

from django.utils import timezone
from django_scopes import scopes_disabled

from mentorship.hooks import REMINDERS

from .models import OutgoingMail
from .outbox import queue_mail

logger = logging.getLogger(__name__)


def recorded_keys(*, tenant, prefix):
    """The dedupe keys already recorded for the tenant under ``prefix``, in one query: a
    reminder that loops over many people passes them to queue_once as ``known``."""
    return set(
        OutgoingMail.objects.filter(tenant=tenant, dedupe_key__startswith=prefix).values_list(
            "dedupe_key", flat=True
        )
    )


def queue_once(*, known=None, **kwargs):
    """queue_mail with a dedupe key (required); True when this call recorded a new mail,
    False when a mail under that key already exists (sent, waiting or failed). ``known``
    (from recorded_keys) saves the per-mail check; the unique index still decides a race."""
    key = kwargs.get("dedupe_key")
    if not key:
        raise ValueError("a reminder needs a dedupe_key")
    if known is not None:
        if key in known:
            return False
    else:
        tenant = kwargs.get("tenant") or kwargs["context"].get("tenant")
        # Cheap check first: rendering a mail only to throw it away costs more than a query.
        if OutgoingMail.objects.filter(tenant=tenant, dedupe_key=key).exists():
            return False
    return queue_mail(**kwargs).just_created


def run_reminders(*, now=None, names=None):
    """Run every reminder of ``mentorship.hooks.REMINDERS`` (or those named), in its order;
    {name: mails queued}. One failing reminder is logged and does not stop the others."""
    now = now or timezone.now()
    counts = {}
    for name, func in REMINDERS.items():
        if names and name not in names:
            continue
        try:
            with scopes_disabled():
                counts[name] = func(now) or 0
        except Exception:
            logger.exception("reminder %s failed", name)
            counts[name] = None
    return counts
