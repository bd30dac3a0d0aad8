"""Background jobs for the outbox, the reminders and the export jobs (ARCHITECTURE.md,
"Background jobs")."""

from celery import shared_task
from django_scopes import scopes_disabled

from . import jobs, outbox, reminders
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


@shared_task(ignore_result=True)
def drain_export_jobs():
    """Every minute: hand over export jobs whose task was lost or whose worker died."""
    return jobs.drain_jobs()


@shared_task(ignore_result=True)
def purge_expired_exports():
    """Delete the files of expired exports (every hour, see CELERY_BEAT_SCHEDULE)."""
    with scopes_disabled():
        return jobs.purge_expired()
