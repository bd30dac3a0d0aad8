"""Import applications into a round from a CSV or Excel file (docs/import-format.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django_scopes import scope, scopes_disabled

from applications import importing
from organisations.models import Tenant
from programmes.models import Round


class Command(BaseCommand):
    help = (
        "Import applications into a round from a CSV or .xlsx file. All or nothing: a file "
        "with an error imports nothing, and every error is listed with its row number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A CSV (UTF-8 or Excel's Swedish CSV) or .xlsx file.")
        parser.add_argument("--tenant", required=True, help="The tenant's slug.")
        parser.add_argument("--round", required=True, type=int, help="The round's id.")
        parser.add_argument(
            "--stage",
            default=importing.Stage.SUBMITTED,
            choices=[s.value for s in importing.IMPORT_STAGES],
            help="The stage the applications start in (default: submitted).",
        )
        parser.add_argument(
            "--create-organisations",
            action="store_true",
            help="Create unknown organisations instead of reporting them as errors.",
        )
        parser.add_argument(
            "--create-themes",
            action="store_true",
            help="Create themes the programme does not have instead of reporting them.",
        )

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > importing.MAX_BYTES:
            raise CommandError(
                f"{path.name} is larger than {importing.MAX_BYTES // 1024 // 1024} MB."
            )
        with scopes_disabled():
            tenant = Tenant.objects.filter(slug=opts["tenant"].lower()).first()
        if tenant is None:
            raise CommandError(f"No tenant {opts['tenant']!r}.")
        with scope(tenant=tenant), translation.override(tenant.default_language):
            round_ = Round.objects.filter(tenant=tenant, pk=opts["round"]).first()
            if round_ is None:
                raise CommandError(f"Tenant {tenant.slug} has no round {opts['round']}.")
            result = importing.import_applications(
                tenant=tenant,
                round_=round_,
                actor=None,
                data=path.read_bytes(),
                filename=path.name,
                stage=opts["stage"],
                create_organisations=opts["create_organisations"],
                create_themes=opts["create_themes"],
                actor_label="manage.py import_applications",
            )
            if not result.ok:
                for error in result.errors:
                    where = f"row {error.row}" if error.row else "file"
                    column = f" [{error.column}]" if error.column else ""
                    self.stderr.write(f"{where}{column}: {error.message}")
                raise CommandError(
                    f"Nothing was imported: {len(result.errors)} problem(s) in {path.name}."
                )
            for organisation in result.organisations_created:
                self.stdout.write(f"Created organisation: {organisation.name}")
            for theme in result.themes_created:
                self.stdout.write(f"Created theme: {theme.name}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {len(result.created)} applications into {round_} "
                    f"(stage {opts['stage']})."
                )
            )
