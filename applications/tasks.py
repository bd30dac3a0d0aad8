"""Background jobs for applications: thin wrappers that load the tenant and run the export
inside its scope (ARCHITECTURE.md, "Background jobs")."""

import logging

from celery import shared_task

from organisations import jobs
from organisations.models import ExportJob

from . import exports

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def make_dossier(*, job_id):
    """Make the matching dossier of an ExportJob (see exports.build_dossier); registered for
    the kind in mentorship.hooks.EXPORT_JOBS."""
    jobs.run_export_job(job_id=job_id, kind=ExportJob.Kind.DOSSIER, build=exports.build_dossier)


@shared_task(ignore_result=True)
def send_application_digests():
    """Daily: each coordinator's and HR contact's summary of new applications (digest.py)."""
    from . import digest

    return digest.send_application_digests()
