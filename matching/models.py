"""Matching: the round's settings, proposals and their pairs, and the coordinator's pins and
forbids. The pairs made from them live in ``pairs``, the adepts' requests to a mentor in
``choosing``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from applications.models import Application
from organisations.models import Tenant
from programmes.models import Round

WEIGHT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


def _weight(label, default):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=WEIGHT_VALIDATORS,
        help_text=_("0 (ignored) to 10 (matters most)."),
    )


class MatchingSettings(models.Model):
    """Per round: which hard rules apply and how much each preference weighs."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="matching_settings")

    # Hard rules, each switchable.
    require_different_organisation = models.BooleanField(
        _("mentor and adept from different organisations"), default=True
    )
    allow_different_area = models.BooleanField(
        _("different areas of the same organisation count as different"),
        default=False,
        help_text=_("For example two areas of one hospital group, or two departments of one city."),
    )
    require_outside_manager_line = models.BooleanField(
        _("the mentor is not the adept's manager or above the adept in their line"), default=True
    )
    enforce_capacity = models.BooleanField(
        _("a mentor takes at most the number of adepts they offered"), default=True
    )
    require_eligibility = models.BooleanField(
        _("both meet the round's eligibility criteria"), default=True
    )
    exclude_earlier_pairs = models.BooleanField(
        _("never propose a pair that has existed before"), default=True
    )

    # Preferences: points = weight × a score between 0 and 1.
    weight_geography = _weight(_("geography"), 6)
    weight_experience = _weight(_("mentor's experience and level"), 5)
    weight_sector = _weight(_("different sector"), 3)
    weight_themes = _weight(_("shared themes"), 6)
    weight_wishes = _weight(_("the adept's wishes"), 5)
    weight_language = _weight(_("shared language"), 3)
    weight_other_area = _weight(_("another area or unit of the same organisation"), 0)
    weight_other_field = _weight(_("different fields of work"), 0)
    weight_education = _weight(_("education"), 0)
    weight_described_experience = _weight(_("the mentor's described experience"), 0)

    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self):
        return f"{self.round}"


class Proposal(models.Model):
    """One computed assignment of a round's adepts to its mentors, adjusted and then published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    name = models.CharField(_("name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Counts, the solver's figures, problems (e.g. contradictory pins) and, for every adept
    # left unmatched, why.
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("matching proposal")
        verbose_name_plural = _("matching proposals")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name or f"{self.round} #{self.pk}"


class ProposedPair(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    adept = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0)
    # {criterion: {"points": float, "reason": str}}; "hard_rules" says whether any rule is broken.
    explanation = models.JSONField(default=dict, blank=True)
    pinned = models.BooleanField(default=False)
    override_reason = models.TextField(max_length=2000, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "adept"], name="proposedpair_one_per_adept"
            ),
        ]

    def __str__(self):
        return f"{self.mentor} – {self.adept}"


class PairConstraint(models.Model):
    """The coordinator's decision about one possible pair: always (pin) or never (forbid)."""

    class Kind(models.TextChoices):
        PIN = "pin", _("Always pair these two")
        FORBID = "forbid", _("Never pair these two")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pair_constraints")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    adept = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("pin or forbid")
        verbose_name_plural = _("pins and forbids")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "mentor", "adept"], name="pairconstraint_unique_pair"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.mentor} – {self.adept}"
