"""Background jobs for the outbox (ARCHITECTURE.md, "Background jobs")."""

from celery import shared_task

from mentorship import mail


@shared_task(acks_late=True, ignore_result=True)
def send_outgoing_mail(*, mail_id):
    """Send one recorded mail (see mentorship.mail.send_outgoing): safe to run twice."""
    return mail.send_outgoing(mail_id=mail_id)


@shared_task(ignore_result=True)
def drain_outbox():
    """Every minute: send mails whose task was lost or whose retry is due."""
    return mail.drain_outbox()


@shared_task(ignore_result=True)
def purge_sent_bodies():
    """Daily: remove the subject and text of mails delivered some days ago."""
    return mail.purge_sent_bodies()


@shared_task(ignore_result=True)
def send_reminders():
    """Every 15 minutes: queue the reminders that are due (mentorship.reminders)."""
    from mentorship import reminders

    return reminders.run_reminders()
