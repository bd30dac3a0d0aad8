"""Background jobs of the evaluation app: thin wrappers that load the tenant and run the work
inside its scope (ARCHITECTURE.md, "Background jobs")."""

import logging
import zoneinfo

from celery import shared_task
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from applications.models import ExportJob

from . import reports

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def make_round_report(*, job_id):
    """Make the round report of an ExportJob (see reports.build_round_report), in the language
    of the coordinator who asked for it."""
    with scopes_disabled():
        # Only to learn the job's tenant; everything else runs inside that tenant's scope.
        job = (
            ExportJob.objects.select_related("tenant", "requested_by")
            .filter(pk=job_id, kind=ExportJob.Kind.ROUND_REPORT)
            .first()
        )
    if job is None:
        logger.warning("Round report job %s no longer exists", job_id)
        return
    tenant = job.tenant
    language = (job.requested_by.language if job.requested_by else "") or tenant.default_language
    with (
        scope(tenant=tenant),
        translation.override(language),
        timezone.override(zoneinfo.ZoneInfo(tenant.timezone)),
    ):
        # build_round_report re-checks that the person who asked is still a coordinator.
        reports.build_round_report(job=job)
