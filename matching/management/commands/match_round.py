"""Compute a matching proposal for a round from the command line, saved as the browser saves it."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django_scopes import scope, scopes_disabled

from matching import selectors, services
from matching.models import ProposedPair
from organisations.models import Tenant
from programmes.models import Round


class Command(BaseCommand):
    help = (
        "Match a round's accepted adepts with its mentors and save the result as a draft "
        "proposal. Optionally write the pairs to a CSV file (mentor_email, adept_email, score)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="The tenant's slug.")
        parser.add_argument("--round", required=True, type=int, help="The round's id.")
        parser.add_argument("--output", help="Write the proposed pairs to this CSV file.")
        parser.add_argument("--name", default="", help="A name for the proposal.")

    def handle(self, *args, **opts):
        with scopes_disabled():
            tenant = Tenant.objects.filter(slug=opts["tenant"].lower()).first()
        if tenant is None:
            raise CommandError(f"No tenant {opts['tenant']!r}.")
        with scope(tenant=tenant), translation.override(tenant.default_language):
            round_ = Round.objects.filter(tenant=tenant, pk=opts["round"]).first()
            if round_ is None:
                raise CommandError(f"Tenant {tenant.slug} has no round {opts['round']}.")
            if round_.status != Round.Status.MATCHING:
                raise CommandError(
                    f"The round is “{round_.get_status_display()}”, not “"
                    f"{Round.Status.MATCHING.label}”: move it to matching on its page first."
                )
            reason = selectors.nothing_to_match(tenant=tenant, round_=round_)
            if reason:
                raise CommandError(reason)
            proposal = services.run_proposal(
                tenant=tenant, actor=None, round_=round_, name=opts["name"]
            )
            pairs = list(
                ProposedPair.objects.filter(tenant=tenant, proposal=proposal)
                .select_related("mentor__user", "adept__user")
                .order_by("-score", "id")
            )
            if opts["output"]:
                path = Path(opts["output"])
                with path.open("w", newline="", encoding="utf-8") as f:
                    writer = csv.writer(f)
                    writer.writerow(["mentor_email", "adept_email", "score"])
                    for p in pairs:
                        writer.writerow(
                            [
                                p.mentor.email or p.mentor.user.email,
                                p.adept.email or p.adept.user.email,
                                f"{p.score:.2f}",
                            ]
                        )
            summary = proposal.summary
            for problem in summary.get("problems", []):
                self.stderr.write(f"Problem: {problem['text']}")
            for entry in summary.get("unmatched_reasons", []):
                self.stdout.write(f"Unmatched: {entry['name']}: {entry['text']}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Proposal {proposal.pk} “{proposal.name}”: {summary['matched']} pairs, "
                    f"{summary['unmatched']} adepts unmatched, {summary['adepts']} adepts and "
                    f"{summary['mentors']} mentors, total score {summary['total_score']}."
                    + (f" Written to {opts['output']}." if opts["output"] else "")
                )
            )
