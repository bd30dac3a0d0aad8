"""Background jobs for the outbox (ARCHITECTURE.md, "Background jobs")."""

from celery import shared_task

from . import outbox, reminders
from .outbox import send_outgoing_mail  # noqa: F401 (the per-mail task, found here by Celery)


@shared_task(ignore_result=True)
def drain_outbox():
    """Every minute: send mails whose task was lost or whose retry is due."""
    return outbox.drain_outbox()


@shared_task(ignore_result=True)
def purge_sent_bodies():
    """Daily: remove the subject and text of mails delivered some days ago."""
    return outbox.purge_sent_bodies()


@shared_task(ignore_result=True)
def send_reminders():
    """Every 15 minutes: queue the reminders that are due (organisations.reminders)."""
    return reminders.run_reminders()
