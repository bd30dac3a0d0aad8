"""Tenants, member organisations, people and their roles.

Every tenant-owned model carries a direct ``tenant`` foreign key and a
django-scopes manager, so a query made outside a tenant scope raises instead
of leaking another tenant's rows.
"""

import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

RESERVED_SLUGS = frozenset(
    {
        "admin",
        "accounts",
        "static",
        "media",
        "i18n",
        "api",
        "manage",
        "hr",
        "me",
        "start",
        "language",
        "calendar",
        "healthz",
        "invitations",
        "endorse",
        "www",
    }
)


def validate_slug_not_reserved(value):
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved. Choose another one."), code="reserved")


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone."), code="invalid_timezone")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is the login; there are no usernames."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the pages and of the e-mail you get."),
    )
    is_staff = models.BooleanField(_("platform operator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


class Tenant(models.Model):
    """A body that runs mentor programmes. All data belongs to exactly one tenant."""

    slug = models.SlugField(
        _("web address"),
        max_length=50,
        unique=True,
        validators=[MinLengthValidator(2), validate_slug_not_reserved],
        help_text=_("Used in the web address, e.g. /natverket-ior/."),
    )
    name = models.CharField(_("name"), max_length=200)
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="sv"
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Stockholm", validators=[validate_timezone]
    )
    contact_email = models.EmailField(_("contact e-mail"))
    introduction = models.TextField(
        _("introduction"),
        max_length=4000,
        blank=True,
        help_text=_("Shown at the top of the public page: who runs the programmes and for whom."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("retention period (months)"),
        default=24,
        help_text=_(
            "Applications are anonymised this many months after their round has ended; in a "
            "continuous programme, after the end of the person's last pair, or after the "
            "application's last change when it never became a pair."
        ),
    )
    nominator_name = models.CharField(
        _("name of the nominating role"),
        max_length=60,
        blank=True,
        help_text=_(
            "What applicants and mails call the person who nominates applicants, for example "
            "“HR contact”, “head of department” or “contact person”. Written as it appears "
            "inside a sentence. Empty: “HR contact”."
        ),
    )
    # organisations.twofactor: with this on, a coordinator or HR contact without a second
    # factor is sent to set one up before any /manage/ or /hr/ page.
    require_two_factor = models.BooleanField(
        _("require two-factor authentication for coordinators and HR contacts"),
        default=False,
        help_text=_(
            "A coordinator or HR contact who has no authenticator app, security key or passkey "
            "is asked to set one up before opening the management or HR pages."
        ),
    )
    accessibility_shortcomings = models.TextField(
        _("known accessibility shortcomings of your own"),
        max_length=4000,
        blank=True,
        help_text=_(
            "Shown in the accessibility statement after the ones the service knows of, e.g. "
            "a PDF of your own linked from a programme's description. One a line."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = (self.slug or "").lower()
        super().save(*args, **kwargs)

    def clean(self):
        # Addresses are case-insensitive: "Natverket" and "natverket" are the same tenant.
        self.slug = (self.slug or "").lower()
        clash = Tenant.objects.filter(slug=self.slug).exclude(pk=self.pk)
        if self.slug and clash.exists():
            raise ValidationError({"slug": _("This address is already taken.")})

    @property
    def nominator_label(self):
        """The nominating role's name: the tenant's own as typed, or "HR contact" in the active
        language (a mail is rendered in its recipient's)."""
        return " ".join(self.nominator_name.split()) or gettext("HR contact")


class Organisation(models.Model):
    """A member employer or unit inside a tenant."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGION = "region", _("Region")
        AGENCY = "agency", _("State agency")
        UNIVERSITY = "university", _("University")
        AREA = "area", _("Area or department")
        COMPANY = "company", _("Municipal company")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY
    )
    region = models.CharField(
        _("county or region"),
        max_length=100,
        blank=True,
        help_text=_("Used to match people who can meet without long journeys."),
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="organisation_unique_name"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's roles in one tenant (pretix-style flags rather than groups)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_hr_contact = models.BooleanField(_("HR contact"), default=False)
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="hr_memberships",
        verbose_name=_("organisations (as HR contact)"),
    )
    # The daily summary of new applications (applications.digest) for a coordinator or an HR
    # contact: the person turns it off on their account page; ``digest_sent_at`` is where the
    # next summary starts.
    application_digest = models.BooleanField(
        _("daily summary of new applications"),
        default=True,
        help_text=_(
            "One e-mail a day, only when there are new applications, with a link to the list."
        ),
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_user"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.tenant}"

    @property
    def role_labels(self):
        labels = []
        if self.is_coordinator:
            labels.append(_("Coordinator"))
        if self.is_hr_contact:
            labels.append(_("HR contact"))
        return labels


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    HR_CONTACT = "hr_contact", _("HR contact")


def _new_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A signed, single-use, expiring invitation to join a tenant in a role."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="invitations", verbose_name=_("organisations")
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When the person behind the link last asked the coordinators for a new one (at most daily).
    renewal_requested_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_pending(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ActivityLog(models.Model):
    """Who did what, when, to which object, with the state before and after."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "content_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class OutgoingMail(models.Model):
    """The outbox: every mail of a tenant, recorded before it is sent (ARCHITECTURE.md,
    "Background jobs"). A task sends it; a failed send is retried with backoff and flagged
    after the last attempt, never dropped. ``dedupe_key`` (when given) makes a mail unique
    within its tenant, so a reminder recorded once is never sent twice."""

    MAX_ATTEMPTS = 6

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="outgoing_mails")
    purpose = models.CharField(_("purpose"), max_length=100)
    to = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Only the kind of error and the mail server's answer: no personal data beyond the address.
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Subject and text (invitation and endorsement links among them) are removed a few days
    # after delivery (settings.OUTBOX_BODY_RETENTION_DAYS, organisations.outbox.purge_sent_bodies).
    purged_at = models.DateTimeField(_("text removed"), null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="outgoing_mail_unique_dedupe_key",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.purpose} → {self.to} ({self.status})"


class ExportJob(models.Model):
    """A long export (the matching dossier, the round report) made by a Celery task into an
    expiring file. Its life cycle is organisations.jobs; each kind's task is registered in
    mentorship.hooks.EXPORT_JOBS. Moved here from applications with its table."""

    class Kind(models.TextChoices):
        DOSSIER = "dossier", _("Matching dossier (PDF)")
        ROUND_REPORT = "report", _("Round report (PDF)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("programmes.Round", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Kept (without the person) when the account goes, so the purge task still finds the file.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField(max_length=500, blank=True)
    # The life cycle (organisations.jobs): how many times a worker has taken the job, when a
    # waiting job is (again) due to be handed to a worker, and the running job's last sign of
    # life (every progress step), so a job whose worker died is found and tried again.
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        db_table = "applications_exportjob"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"
