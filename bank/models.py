"""A mentor's place in the standing mentor bank of a continuous programme.

One row per mentor application of a continuous round, made when the mentor first pauses,
leaves or answers the yearly question; no row means an active mentor who has not been asked
yet. A paused or departed mentor is left out of the lists adepts and HR choose from and comes
back without a new application (``bank.services.set_bank_status``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from applications.models import Application
from organisations.models import Tenant


class BankMentor(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("mentor bank", "Active")
        PAUSED = "paused", pgettext_lazy("mentor bank", "Paused")
        LEFT = "left", pgettext_lazy("mentor bank", "Left the bank")

    class Answer(models.TextChoices):
        YES = "yes", _("Still available")
        PAUSE = "pause", _("Pause for now")
        LEAVE = "leave", _("Leave the bank")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="bank_entry"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(
        _("answer to “are you still available?”"),
        max_length=10,
        choices=Answer.choices,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    asked_at = models.DateTimeField(_("last asked"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("mentor in the bank")
        verbose_name_plural = _("mentors in the bank")

    def __str__(self):
        return f"{self.application} ({self.status})"


# Mentors with these statuses are left out of every list to choose a mentor from.
AWAY = (BankMentor.Status.PAUSED, BankMentor.Status.LEFT)
