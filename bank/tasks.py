"""The bank's periodic job (CELERY_BEAT_SCHEDULE): once a year each mentor is asked whether
they are still available."""

from celery import shared_task
from django_scopes import scopes_disabled

from . import services


@shared_task(ignore_result=True)
def ask_availability():
    """Daily: mail "are you still available?" to the mentors whose last answer is over a year
    old (bank.services.ask_availability)."""
    with scopes_disabled():
        return services.ask_availability()
