from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from demo import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo tenants. Safe to run again."

    def handle(self, *args, **opts):
        with scopes_disabled(), transaction.atomic():
            results = seed()
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Invented people and organisations only.")
        )
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}\n")
        for tenant, logins in results:
            self.stdout.write(f"{tenant.name}  →  http://127.0.0.1:8000/{tenant.slug}/")
            seen = set()
            for email, role in logins:
                if email in seen:
                    continue
                seen.add(email)
                self.stdout.write(f"    {email:<48} {role}")
            self.stdout.write("")
