"""Background jobs for applications: thin wrappers that load the tenant and run the export
inside its scope (ARCHITECTURE.md, "Background jobs")."""

import logging

from celery import shared_task
from django_scopes import scope, scopes_disabled

from . import exports, jobs
from .jobs import run_export_job  # noqa: F401  (evaluation.tasks imports it from here)
from .models import ExportJob

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def make_dossier(*, job_id):
    """Make the matching dossier of an ExportJob (see exports.build_dossier)."""
    jobs.run_export_job(job_id=job_id, kind=ExportJob.Kind.DOSSIER, build=exports.build_dossier)


@shared_task(ignore_result=True)
def drain_export_jobs():
    """Every minute: hand over export jobs whose task was lost or whose worker died."""
    return jobs.drain_jobs()


@shared_task(ignore_result=True)
def purge_expired_exports():
    """Delete the files of expired exports (every hour, see CELERY_BEAT_SCHEDULE)."""
    with scopes_disabled():
        return exports.purge_expired()


@shared_task(acks_late=True, ignore_result=True)
def anonymise_expired_applications():
    """Daily: anonymise applications of rounds past each tenant's retention period."""
    from organisations.models import Tenant

    from . import services

    for tenant in Tenant.objects.filter(is_active=True):
        with scope(tenant=tenant):
            for round_ in services.rounds_past_retention(tenant=tenant):
                count = services.anonymise_round(tenant=tenant, round_=round_)
                if count:
                    logger.info("anonymised %s applications in round %s", count, round_.pk)
