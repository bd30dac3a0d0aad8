"""Background jobs of privacy: thin wrappers that load each tenant and run the service
inside its scope (ARCHITECTURE.md, "Background jobs")."""

import logging

from celery import shared_task
from django_scopes import scope

from organisations.models import Tenant

from . import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def apply_retention():
    """Daily (Celery beat): anonymise what each tenant's retention period says is due."""
    for tenant in Tenant.objects.filter(is_active=True):
        with scope(tenant=tenant):
            count = services.apply_retention(tenant=tenant)
            if count:
                logger.info("anonymised %s applications in tenant %s", count, tenant.pk)
