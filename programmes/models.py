"""Programmes, rounds, eligibility, participants and shared meeting days."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from organisations.models import Organisation, Tenant


class ParticipantRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    ADEPT = "adept", _("Adept")


class ManagerLevel(models.TextChoices):
    FIRST_LINE = "first_line", _("First-line manager")
    MANAGER_OF_MANAGERS = "manager_of_managers", _("Manager of managers")
    SENIOR_EXECUTIVE = "senior_executive", _("Senior executive")


class StepRoles(models.TextChoices):
    """Whom a round's step concerns (the manager's support, the nomination, the interview)."""

    BOTH = "both", _("Mentors and adepts")
    ADEPT = "adept", _("Adepts only")
    MENTOR = "mentor", _("Mentors only")


# The steps a round may ask of an application: ``Round.requires_<step>`` says the round has
# the step at all, ``Round.<step>_for`` for which roles.
STEPS = ("endorsement", "nomination", "interview")


def step_q(step, *, round_path="round__", role_path="role"):
    """A filter on rows with a role and a round: those whose role has the step in the round."""
    return Q(**{f"{round_path}requires_{step}": True}) & (
        Q(**{f"{round_path}{step}_for": StepRoles.BOTH})
        | Q(**{f"{round_path}{step}_for": F(role_path)})
    )


def step_scope_q(step, *, round_path="round__", role_path="role"):
    """The rows the step concerns: every row of a round without the step, otherwise the rows
    of the roles that have it (e.g. the applicants an HR contact sees where only adepts are
    nominated)."""
    return Q(**{f"{round_path}requires_{step}": False}) | step_q(
        step, round_path=round_path, role_path=role_path
    )


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    MENTORS = "mentors", _("Mentors only")
    ADEPTS = "adepts", _("Adepts only")

    @classmethod
    def roles(cls, audience):
        return {
            cls.EVERYONE: {ParticipantRole.MENTOR, ParticipantRole.ADEPT},
            cls.MENTORS: {ParticipantRole.MENTOR},
            cls.ADEPTS: {ParticipantRole.ADEPT},
        }[audience]


class Programme(models.Model):
    class Kind(models.TextChoices):
        COHORT = "cohort", _("Cohort: rounds with an application window")
        CONTINUOUS = "continuous", _("Continuous: a standing mentor bank, matched on demand")

    class MatchingMode(models.TextChoices):
        COORDINATOR = "coordinator", _("The coordinators match mentors and adepts")
        HR_ASSIGNS = "hr_assigns", _("HR picks a mentor from the bank for each new manager")
        ADEPT_CHOOSES = "adept_chooses", _("The adept chooses a mentor, who accepts")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=60)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    target_group = models.TextField(_("target group"), max_length=4000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COHORT)
    matching_mode = models.CharField(
        _("how pairs are made"),
        max_length=20,
        choices=MatchingMode.choices,
        default=MatchingMode.COORDINATOR,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="programme_unique_slug"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_continuous(self):
        return self.kind == self.Kind.CONTINUOUS


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        REVIEW = "review", _("Review")
        MATCHING = "matching", _("Matching")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="rounds")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example “Round 15” or “2026”.")
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    call_text = models.TextField(
        _("call for applications"),
        max_length=20000,
        blank=True,
        help_text=_("Shown on the public page: what the programme offers and why to apply."),
    )
    application_opens_at = models.DateTimeField(_("applications open"), null=True, blank=True)
    application_closes_at = models.DateTimeField(_("application deadline"), null=True, blank=True)
    starts_on = models.DateField(_("programme starts"), null=True, blank=True)
    ends_on = models.DateField(
        _("official part ends"),
        null=True,
        blank=True,
        help_text=_("Pairs may go on meeting after the official end."),
    )
    max_pairs = models.PositiveIntegerField(
        _("maximum number of pairs"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
    )
    cost_text = models.TextField(_("cost"), max_length=4000, blank=True)
    practical_info = models.TextField(_("practical information"), max_length=10000, blank=True)
    min_pair_meetings = models.PositiveSmallIntegerField(
        _("pair meetings, at least"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(200)],
    )
    pair_meeting_minutes = models.PositiveSmallIntegerField(
        _("length of a pair meeting (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(600)],
    )
    cadence_text = models.CharField(
        _("recommended rhythm"),
        max_length=300,
        blank=True,
        help_text=_("For example “about 1.5 hours every 3–4 weeks”."),
    )
    quiet_pair_weeks = models.PositiveSmallIntegerField(
        _("remind a pair after this many weeks without a meeting"),
        default=6,
        validators=[MaxValueValidator(52)],
        help_text=_(
            "Both partners get a reminder, and the coordinator is told if the pair stays quiet "
            "two more weeks. 0 turns the reminder off."
        ),
    )
    report_conclusions = models.TextField(
        _("the coordinator's conclusions"),
        max_length=20000,
        blank=True,
        help_text=_("Printed in the round report after the results."),
    )
    requires_endorsement = models.BooleanField(
        _("the applicant's own manager confirms support"), default=False
    )
    requires_nomination = models.BooleanField(
        _("the member organisation's HR contact nominates"), default=False
    )
    requires_interview = models.BooleanField(_("interview with every applicant"), default=False)
    # For whom each step is asked: both roles (as before the choice existed), or one role.
    endorsement_for = models.CharField(
        _("whose manager confirms support"),
        max_length=10,
        choices=StepRoles.choices,
        default=StepRoles.BOTH,
    )
    nomination_for = models.CharField(
        _("who is nominated"), max_length=10, choices=StepRoles.choices, default=StepRoles.BOTH
    )
    interview_for = models.CharField(
        _("who is interviewed"), max_length=10, choices=StepRoles.choices, default=StepRoles.BOTH
    )
    # A continuous programme's standing round: who may sign up on the public page, and
    # whether the coordinator has paused the intake (services.pause_intake / resume_intake).
    mentor_self_signup = models.BooleanField(
        _("mentors may sign up on the public page"),
        default=False,
        help_text=_("Continuous programmes: “Become a mentor” on the programme's public page."),
    )
    adept_self_signup = models.BooleanField(
        _("adepts may ask for a mentor on the public page"),
        default=False,
        help_text=_(
            "Continuous programmes: “I want a mentor” on the programme's public page. Off: "
            "HR registers new managers."
        ),
    )
    intake_paused_at = models.DateTimeField(_("intake paused"), null=True, blank=True)
    nomination_quota = models.PositiveSmallIntegerField(
        _("nominations per organisation, at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return f"{self.programme.name}: {self.name}"

    @property
    def is_public(self):
        return self.status not in (self.Status.DRAFT, self.Status.ARCHIVED)

    # A continuous programme's standing round takes people in these stages (unless paused)
    # and follows its pairs (quiet pairs, reminders) in these.
    CONTINUOUS_INTAKE = ("open", "running")
    CONTINUOUS_FOLLOWING = ("open", "review", "matching", "running")

    @classmethod
    def following_pairs_q(cls, prefix=""):
        """Rounds whose pairs are followed: running, or a continuous programme's standing
        round whatever its stage name (it takes people while its pairs meet)."""
        return models.Q(**{f"{prefix}status": cls.Status.RUNNING}) | models.Q(
            **{
                f"{prefix}programme__kind": Programme.Kind.CONTINUOUS,
                f"{prefix}status__in": cls.CONTINUOUS_FOLLOWING,
            }
        )

    @property
    def follows_pairs(self):
        if self.status == self.Status.RUNNING:
            return True
        return self.programme.is_continuous and self.status in self.CONTINUOUS_FOLLOWING

    @property
    def takes_people(self):
        """A continuous programme's round whose intake is open (not paused by the coordinator)."""
        return (
            self.programme.is_continuous
            and self.status in self.CONTINUOUS_INTAKE
            and self.intake_paused_at is None
        )

    @property
    def intake_paused(self):
        return self.programme.is_continuous and self.intake_paused_at is not None

    def self_signup_for(self, role):
        return {"mentor": self.mentor_self_signup, "adept": self.adept_self_signup}.get(role, False)

    def accepting_applications(self, now=None, role=None):
        """Whether the public page takes applications (in ``role``, if given). A continuous
        programme's round takes them while its intake is open, in the roles the coordinator
        opened to self sign-up; a cohort round between its opening and its deadline."""
        if self.programme.is_continuous:
            if not self.takes_people:
                return False
            if role:
                return self.self_signup_for(role)
            return self.mentor_self_signup or self.adept_self_signup
        now = now or timezone.now()
        if self.status != self.Status.OPEN:
            return False
        if self.application_opens_at and now < self.application_opens_at:
            return False
        return not (self.application_closes_at and now >= self.application_closes_at)

    def step_roles(self, step):
        """The roles the step concerns in this round, mentor first; () if the round does
        not have the step."""
        if not getattr(self, f"requires_{step}"):
            return ()
        chosen = getattr(self, f"{step}_for")
        return tuple(role for role in ParticipantRole.values if chosen in (StepRoles.BOTH, role))

    def has_step(self, step, role):
        """Whether an application in ``role`` goes through the step in this round."""
        return role in self.step_roles(step)

    def eligibility_for(self, role):
        for rule in self.eligibility.all():
            if rule.role == role:
                return rule
        return None


class Eligibility(models.Model):
    """Who may apply in a role: manager levels, years as a manager, and criteria in words."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="eligibility")
    role = models.CharField(_("role"), max_length=10, choices=ParticipantRole.choices)
    manager_levels = models.JSONField(_("manager levels allowed"), default=list, blank=True)
    min_years_as_manager = models.PositiveSmallIntegerField(
        _("years as a manager, at least"), default=0, validators=[MaxValueValidator(60)]
    )
    # Years at the chosen manager level (or, with no level chosen, in the current role).
    min_years_in_level = models.PositiveSmallIntegerField(
        _("years at the manager level, at least"), default=0, validators=[MaxValueValidator(60)]
    )
    criteria_text = models.TextField(
        _("criteria in words"),
        max_length=4000,
        blank=True,
        help_text=_("Shown to applicants, e.g. “documented good leadership”."),
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("eligibility")
        verbose_name_plural = _("eligibility")
        constraints = [
            models.UniqueConstraint(fields=["round", "role"], name="eligibility_unique_role"),
        ]

    def __str__(self):
        return f"{self.round} – {self.get_role_display()}"

    def manager_level_labels(self):
        labels = dict(ManagerLevel.choices)
        return [labels[level] for level in self.manager_levels if level in labels]

    def level_words(self):
        """The levels in words inside a sentence: "manager of managers or senior executive"
        ("" with no level chosen: the years are then counted in the current role)."""
        labels = [str(label).lower() for label in self.manager_level_labels()]
        if len(labels) < 2:
            return "".join(labels)
        return _("%(levels)s or %(last)s") % {"levels": ", ".join(labels[:-1]), "last": labels[-1]}


class Participant(models.Model):
    """A person taking part in a round as mentor or adept (accepted, matched or added by hand)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=10, choices=ParticipantRole.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user", "role"], name="participant_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class SharedMeeting(models.Model):
    """A programme-wide day: kickoff, inspiration day, closing. May have parts."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    audience = models.CharField(
        _("for whom"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    place = models.CharField(_("place or address"), max_length=300, blank=True)
    host_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hosted by"),
    )
    agenda = models.TextField(_("agenda"), max_length=10000, blank=True)
    includes_meal = models.BooleanField(
        _("a meal is served"),
        default=False,
        help_text=_("Participants are asked for dietary needs."),
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("shared meeting")
        verbose_name_plural = _("shared meetings")
        ordering = ["date", "starts_at"]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    @property
    def audience_roles(self):
        return Audience.roles(self.audience)

    @property
    def location_text(self):
        parts = [
            p
            for p in (self.host_organisation.name if self.host_organisation else "", self.place)
            if p
        ]
        return ", ".join(parts)


class MeetingPart(models.Model):
    """A part of a shared day with its own audience (e.g. mentors' coaching workshop after lunch)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(SharedMeeting, on_delete=models.CASCADE, related_name="parts")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    audience = models.CharField(
        _("for whom"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("part of the day")
        verbose_name_plural = _("parts of the day")
        ordering = ["starts_at"]

    def __str__(self):
        return self.title


class MeetingResponse(models.Model):
    """A participant's answer to a shared day, and afterwards whether they came."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(SharedMeeting, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="responses")
    # None: no answer (a row created when attendance was marked for somebody who never answered).
    attending = models.BooleanField(_("attending"), null=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="response_unique"),
        ]

    def __str__(self):
        return f"{self.participant} – {self.meeting}"


def _feed_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's secret, revocable calendar address in one tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user} ({self.tenant})"
