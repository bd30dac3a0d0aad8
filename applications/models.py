"""Applications to a round, the form's custom questions, endorsements, nominations, history."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from organisations.models import Organisation, Tenant
from programmes.models import ManagerLevel, ParticipantRole, Programme, Round


class Theme(models.Model):
    """A theme applicants can pick (the coordinator keeps the list per programme)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("theme"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("shown on the form"), default=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="theme_unique_name"),
        ]

    def __str__(self):
        return self.name


class QuestionAudience(models.TextChoices):
    BOTH = "both", _("Mentors and adepts")
    MENTOR = "mentor", _("Mentors")
    ADEPT = "adept", _("Adepts")


class Question(models.Model):
    """A custom question on a round's application form."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("One choice from a list")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices from a list")
        YES_NO = "yes_no", _("Yes or no")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(
        _("kind of answer"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    audience = models.CharField(
        _("asked of"),
        max_length=10,
        choices=QuestionAudience.choices,
        default=QuestionAudience.BOTH,
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("shown on the form"), default=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]

    def __str__(self):
        return self.label

    def asked_of(self, role):
        return self.audience in (QuestionAudience.BOTH, role)

    @property
    def field_name(self):
        return f"q_{self.pk}"


class CareerStatus(models.TextChoices):
    ACTIVE = "active", _("Active in the role")
    RECENTLY_LEFT = "recently_left", _("Recently left the role")
    RETIRED = "retired", _("Retired")


class FieldSettings(models.Model):
    """A programme's choice of standard fields per role, of what the adept sees on a mentor's
    card, and whether who bears a pair's costs is recorded (``standard_fields``). No row: the
    programme asks what every programme asked before."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="field_settings"
    )
    # {role: {field name: "off" | "optional" | "required"}}
    fields = models.JSONField(default=dict, blank=True)
    # The mentor card's fields (``standard_fields.CARD_KEYS``); None: as before.
    card_fields = models.JSONField(null=True, blank=True)
    records_pair_cost = models.BooleanField(
        _("record who bears the costs of each pair"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("standard fields")
        verbose_name_plural = _("standard fields")

    def __str__(self):
        return f"{self.programme}"


class Application(models.Model):
    class Stage(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        AWAITING_ENDORSEMENT = "awaiting_endorsement", _("Waiting for the manager's support")
        AWAITING_NOMINATION = "awaiting_nomination", _("Waiting for the organisation's nomination")
        NOMINATED = "nominated", _("Nominated")
        DECLINED_BY_ORGANISATION = (
            "declined_by_organisation",
            _("Not nominated by the organisation"),
        )
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Declined")
        MATCHED = "matched", _("Matched")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    role = models.CharField(_("applying as"), max_length=10, choices=ParticipantRole.choices)
    stage = models.CharField(
        _("stage"), max_length=30, choices=Stage.choices, default=Stage.DRAFT, db_index=True
    )

    full_name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    career_status = models.CharField(
        _("status"), max_length=20, choices=CareerStatus.choices, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    work_field = models.CharField(
        _("field of work"),
        max_length=200,
        blank=True,
        help_text=_("For example social services, schools, health care or technical services."),
    )
    current_assignment = models.TextField(_("current assignment"), max_length=4000, blank=True)
    manager_level = models.CharField(
        _("manager level"), max_length=30, choices=ManagerLevel.choices, blank=True
    )
    years_as_manager = models.PositiveSmallIntegerField(
        _("years as a manager"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    # Asked where the round's eligibility wants years at a manager level (Eligibility).
    years_in_level = models.PositiveSmallIntegerField(
        _("years at your current manager level"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text=_("Years in the role you have now, at the manager level you chose."),
    )
    managers_reporting = models.PositiveSmallIntegerField(
        _("managers reporting to you"), null=True, blank=True, validators=[MaxValueValidator(1000)]
    )
    region = models.CharField(_("where you work (county or region)"), max_length=100, blank=True)
    place = models.CharField(_("place or municipality"), max_length=200, blank=True)
    education = models.TextField(_("education"), max_length=4000, blank=True)
    work_experience = models.TextField(_("work experience"), max_length=4000, blank=True)
    motivation = models.TextField(
        _("what you want from the programme"), max_length=4000, blank=True
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="applications", verbose_name=_("themes")
    )
    matching_wishes = models.TextField(_("wishes for the matching"), max_length=2000, blank=True)
    prefers_other_sector = models.BooleanField(_("a partner from another sector"), default=False)
    languages = models.CharField(
        _("languages you can hold the talks in"), max_length=200, blank=True, default="svenska"
    )
    available_for_shared_days = models.BooleanField(
        _("can take part in the shared days"), default=False
    )
    capacity = models.PositiveSmallIntegerField(
        _("number of adepts you can take"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    manager_name = models.CharField(_("your manager's name"), max_length=200, blank=True)
    manager_email = models.EmailField(_("your manager's e-mail address"), blank=True)
    discussed_with_manager = models.BooleanField(
        _("I have discussed the application with my manager"), default=False
    )
    consent_given_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)

    version = models.PositiveIntegerField(default=1)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user", "role"], name="application_unique_person_role"
            ),
        ]

    def __str__(self):
        return f"{self.full_name or self.email} ({self.get_role_display()})"

    @property
    def is_open_for_editing(self):
        return self.stage in (self.Stage.DRAFT,) or (
            self.stage
            in (
                self.Stage.SUBMITTED,
                self.Stage.AWAITING_ENDORSEMENT,
                self.Stage.AWAITING_NOMINATION,
            )
            and self.round.accepting_applications()
        )


class StageChange(models.Model):
    """Every stage transition: who, when, from, to and why."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_stage = models.CharField(max_length=30, choices=Application.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Application.Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}"


def _token():
    return secrets.token_urlsafe(32)


class Endorsement(models.Model):
    """The applicant's own manager confirming (or not) their support, through a signed link."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="endorsements"
    )
    manager_name = models.CharField(max_length=200, blank=True)
    manager_email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    supports = models.BooleanField(null=True)
    comment = models.TextField(max_length=2000, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.manager_email} – {self.application}"


class Nomination(models.Model):
    """The member organisation's decision (the HR contact's)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="nominations"
    )
    nominated = models.BooleanField()
    motivation = models.TextField(_("motivation"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.application}: {self.nominated}"


class InterviewNote(models.Model):
    """The coordinators' interview booking and notes. Only coordinators see them."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="interview"
    )
    booking = models.CharField(_("interview booked"), max_length=300, blank=True)
    notes = models.TextField(_("interview notes"), max_length=20000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    def __str__(self):
        return f"{self.application}"


def put_forward_expiry():
    """Put-forward links last as long as invitations."""
    return timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


class PutForward(models.Model):
    """An HR contact puts a person forward: they are invited to complete an application.

    Like an invitation, the link is single use (``used_at``) and expires (``expires_at``).
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=ParticipantRole.choices)
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=put_forward_expiry)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    def __str__(self):
        return self.email
