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


@shared_task(acks_late=True, ignore_result=True)
def make_dossier(*, job_id):
    """Make the matching dossier of an ExportJob (see exports.build_dossier)."""
    with scopes_disabled():
        # Only to learn the job's tenant; everything else runs inside that tenant's scope.
        job = ExportJob.objects.select_related("tenant", "requested_by").filter(pk=job_id).first()
    if job is None:
        logger.warning("Dossier job %s no longer exists", job_id)
        return
    tenant = job.tenant
    language = (job.requested_by.language if job.requested_by else "") or tenant.default_language
    with (
        scope(tenant=tenant),
        translation.override(language),
        timezone.override(zoneinfo.ZoneInfo(tenant.timezone)),
    ):
        # build_dossier re-checks that the person who asked is still a coordinator.
        exports.build_dossier(job=job)


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
