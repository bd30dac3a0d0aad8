"""Background jobs of the reporting app (ARCHITECTURE.md, "Background jobs")."""

from celery import shared_task

from organisations.jobs import run_export_job
from organisations.models import ExportJob

from . import reports


@shared_task(acks_late=True, ignore_result=True)
def make_round_report(*, job_id):
    """Make the round report of an ExportJob (see reports.build_round_report), in the language
    of the coordinator who asked for it; registered for the kind in
    mentorship.hooks.EXPORT_JOBS."""
    run_export_job(
        job_id=job_id, kind=ExportJob.Kind.ROUND_REPORT, build=reports.build_round_report
    )
