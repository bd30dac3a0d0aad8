from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from organisations.models import Tenant


class ErasureRequest(models.Model):
    """A person asks a tenant to erase what it holds about them (GDPR art. 17). A
    coordinator previews what goes and what stays, then carries it out or declines it with
    a reason; both are services (privacy.services) and logged."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting")
        DONE = "done", _("Carried out")
        DECLINED = "declined", _("Declined")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="erasure_requests"
    )
    message = models.TextField(_("anything you want to add"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason"), max_length=2000, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user"],
                condition=models.Q(status="requested"),
                name="erasurerequest_one_open_per_person",
            )
        ]

    def __str__(self):
        return str(_("Erasure request %(number)s")) % {"number": self.pk}
