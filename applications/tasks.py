"""Background jobs for applications: thin wrappers that load the tenant and run the export
inside its scope (ARCHITECTURE.md, "Background jobs")."""

import logging
import zoneinfo

from celery import shared_task
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from . import exports
from .models import ExportJob

logger = logging.getLogger(__name__)


def run_export_job(*, job_id, kind, build):
    """Load an export job, then run ``build(job=...)`` inside its tenant's scope, in the
    language of the coordinator who asked for it and the tenant's time zone."""
    with scopes_disabled():
        # Only to learn the job's tenant; everything else runs inside that tenant's scope.
        job = (
            ExportJob.objects.select_related("tenant", "requested_by")
            .filter(pk=job_id, kind=kind)
            .first()
        )
    if job is None:
        logger.warning("Export job %s (%s) no longer exists", job_id, kind)
        return
    tenant = job.tenant
    language = (job.requested_by.language if job.requested_by else "") or tenant.default_language
    with (
        scope(tenant=tenant),
        translation.override(language),
        timezone.override(zoneinfo.ZoneInfo(tenant.timezone)),
    ):
        # The build re-checks that the person who asked is still a coordinator.
        build(job=job)


@shared_task(acks_late=True, ignore_result=True)
def make_dossier(*, job_id):
    """Make the matching dossier of an ExportJob (see exports.build_dossier)."""
    run_export_job(job_id=job_id, kind=ExportJob.Kind.DOSSIER, build=exports.build_dossier)


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
