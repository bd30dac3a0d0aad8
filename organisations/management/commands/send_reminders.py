"""Queue the reminders that are due now; for installations without Celery beat (cron)."""

from django.core.management.base import BaseCommand

from mentorship.hooks import REMINDERS
from organisations.reminders import run_reminders


class Command(BaseCommand):
    help = "Queue due reminders (each is recorded once and never sent twice)."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help=f"Only these: {', '.join(REMINDERS)}")

    def handle(self, *args, names=None, **options):
        for name, count in run_reminders(names=names or None).items():
            self.stdout.write(f"{name}: {'failed' if count is None else count}")
