"""The adept chooses a mentor: an adept's request to one mentor.

The model moved here from ``matching`` in the migration state only (``choosing`` 0001); its
table keeps the name ``matching_mentorrequest``, with its rows and ids."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from applications.models import Application
from organisations.models import Tenant
from programmes.models import Round


class MentorRequest(models.Model):
    """An adept's request to one mentor, in a programme where the adept chooses a mentor.

    The adept asks (one open request at a time), the mentor accepts (an active ``Pair``) or
    declines with a note; the adept may withdraw while the request is open."""

    class Status(models.TextChoices):
        ASKED = "asked", _("Asked")
        ACCEPTED = "accepted", pgettext_lazy("mentor request", "Accepted")
        DECLINED = "declined", pgettext_lazy("mentor request", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("mentor request", "Withdrawn")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="mentor_requests")
    adept = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="mentor_requests_sent"
    )
    mentor = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="mentor_requests_received"
    )
    message = models.TextField(_("message to the mentor"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ASKED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_note = models.TextField(_("note to the adept"), max_length=2000, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("mentor request")
        verbose_name_plural = _("mentor requests")
        db_table = "matching_mentorrequest"  # the table it had in matching, rows and all
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["adept"], condition=Q(status="asked"), name="mentorrequest_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.adept} → {self.mentor}"
