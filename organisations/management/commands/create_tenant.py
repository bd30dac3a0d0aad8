from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from organisations import services


class Command(BaseCommand):
    help = (
        "Create a tenant and its first coordinator (an existing user, or an invitation by e-mail)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--contact-email", required=True)
        parser.add_argument("--coordinator-email", required=True)
        parser.add_argument("--language", default="sv", choices=["sv", "en"])
        parser.add_argument("--timezone", default="Europe/Stockholm")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the app is served, for the invitation link.",
        )

    def handle(self, *args, **opts):
        try:
            with scopes_disabled():
                tenant, invitation = services.create_tenant(
                    slug=opts["slug"],
                    name=opts["name"],
                    contact_email=opts["contact_email"],
                    coordinator_email=opts["coordinator_email"],
                    default_language=opts["language"],
                    timezone_name=opts["timezone"],
                    base_url=opts["base_url"].rstrip("/"),
                )
        except ValidationError as exc:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(messages) from exc
        self.stdout.write(self.style.SUCCESS(f"Created tenant {tenant.slug} ({tenant.name})."))
        if invitation:
            self.stdout.write(f"Invitation sent to {invitation.email}:")
            self.stdout.write(services.invitation_url(invitation, opts["base_url"].rstrip("/")))
        else:
            self.stdout.write(f"{opts['coordinator_email']} is the coordinator.")
