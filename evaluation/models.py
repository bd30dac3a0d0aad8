"""Surveys of a round (mid-term check-in and final evaluation) on the seed 002 model: questions
grouped under relevance, implementation and goal fulfilment; anonymous responses.

Anonymity is a property of the data, not of the views:

- ``Respondent`` is the only row that links a person to a survey ("who has answered"); it drives
  reminders and the response rate and holds nothing of the answers.
- ``SurveyResponse``, ``SurveyAnswer`` and ``GoalRating`` carry no user, no respondent and no
  time, and their keys are random UUIDs, so neither a key's order nor a timestamp lines a
  response up with the respondent who gave it. A response keeps only the role (mentor/adept),
  which the results split by (withheld below the survey's threshold).
- The goal texts shown back in the final survey are never copied into a response, only the
  rating.
- Answers are *released* to the results in batches (``Survey.release``): a response counts in
  results, counts and reports only once it is ``released``, which ``services.release_batches``
  sets for at least ``RELEASE_BATCH`` new responses at a time (or for all of them once the survey
  has closed, see ``results.released_q``). So a coordinator who watches the results while one
  person answers sees nothing change, and cannot tell that person's answers from the others'.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from organisations.models import Tenant
from programmes.models import Audience, ParticipantRole, Round

MIN_GROUP = 3  # results are shown only for groups of at least this many respondents
RELEASE_BATCH = 3  # new answers reach the results only this many at a time
SCALE = (1, 2, 3, 4, 5)


class Criterion(models.TextChoices):
    """The analysis frame of seed 002 (after the OECD evaluation criteria)."""

    RELEVANCE = "relevance", _("Relevance")
    IMPLEMENTATION = "implementation", _("Implementation")
    GOAL_FULFILMENT = "goal_fulfilment", _("Goal fulfilment")
    OTHER = "other", _("Other")


class Survey(models.Model):
    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("Mid-term check-in")
        FINAL = "final", _("Final evaluation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Release(models.TextChoices):
        BATCHES = "batches", _("In batches of at least 3 new answers")
        AFTER_CLOSE = "closed", _("Only after the survey closes")

    class Phase(models.TextChoices):
        """Derived from status and dates (``Survey.phase``)."""

        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FINAL)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("introduction"),
        max_length=4000,
        blank=True,
        help_text=_("Shown at the top of the survey."),
    )
    audience = models.CharField(
        _("sent to"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    ask_goals = models.BooleanField(
        _("follow up each person's own goals"),
        default=False,
        help_text=_(
            "Shows each participant the goals from their application (and the focus they "
            "wrote down before the first meeting) and asks whether they were reached."
        ),
    )
    results_min_group = models.PositiveSmallIntegerField(
        _("smallest group whose results are shown"),
        default=MIN_GROUP,
        validators=[MinValueValidator(MIN_GROUP), MaxValueValidator(100)],
        help_text=_("At least 3: smaller groups could identify a person."),
    )
    release = models.CharField(
        _("results show new answers"),
        max_length=10,
        choices=Release.choices,
        default=Release.BATCHES,
        help_text=_(
            "Answers reach the results a few at a time, so nobody can tell which answers came "
            "from the person who has just answered."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["opens_at", "id"]

    def __str__(self):
        return self.title

    def phase(self, now=None):
        now = now or timezone.now()
        if self.status == self.Status.DRAFT:
            return self.Phase.DRAFT
        if self.closes_at and now >= self.closes_at:
            return self.Phase.CLOSED
        if self.opens_at and now < self.opens_at:
            return self.Phase.SCHEDULED
        return self.Phase.OPEN

    @property
    def current_phase(self):
        return self.phase()

    def is_open(self, now=None):
        return self.phase(now) == self.Phase.OPEN

    @property
    def roles(self):
        return Audience.roles(self.audience)


class QuestionAudience(models.TextChoices):
    BOTH = "both", _("Mentors and adepts")
    MENTOR = "mentor", _("Mentors")
    ADEPT = "adept", _("Adepts")


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale 1–5")
        SINGLE = "single", _("One choice from a list")
        MULTIPLE = "multiple", _("Several choices from a list")
        TEXT = "text", _("Free text")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    # A stable name for the built-in template's questions, so that rounds compare.
    key = models.SlugField(max_length=60, blank=True)
    criterion = models.CharField(
        _("criterion"), max_length=20, choices=Criterion.choices, default=Criterion.OTHER
    )
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    audience = models.CharField(
        _("asked of"),
        max_length=10,
        choices=QuestionAudience.choices,
        default=QuestionAudience.BOTH,
    )
    required = models.BooleanField(_("an answer is required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    def asked_of(self, role):
        return self.audience in (QuestionAudience.BOTH, role)

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    @property
    def field_name(self):
        return f"q_{self.pk}"


class Respondent(models.Model):
    """Who has answered a survey (in which role): reminders and the response rate. The only link
    between a person and a survey; nothing in it points at the response."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=ParticipantRole.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user", "role"], name="respondent_once_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.survey}: {self.user}"


class SurveyResponse(models.Model):
    """One anonymous set of answers: the role only, no person, no time, a random key; and
    whether it has been released to the results (in a batch, never alone)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    role = models.CharField(_("role"), max_length=10, choices=ParticipantRole.choices)
    released = models.BooleanField(default=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.survey} ({self.get_role_display()})"


class SurveyAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    # One of: number (scale 1–5), choices (single: one item; multiple: any), text.
    number = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(max_length=4000, blank=True)
    text_hidden = models.BooleanField(_("hidden by the coordinator"), default=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="surveyanswer_one_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question}"


class GoalRating(models.Model):
    """Whether a person's own goal was reached: the rating only, never the goal's text."""

    class Source(models.TextChoices):
        APPLICATION = "application", _("The goals in the application")
        FOCUS = "focus", _("The focus written down before the first meeting")
        GENERAL = "general", _("Own goals for the year")

    class Rating(models.TextChoices):
        REACHED = "reached", _("Reached")
        PARTLY = "partly", _("Partly reached")
        NOT = "not", _("Not reached")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="goal_ratings"
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("goal rating")
        verbose_name_plural = _("goal ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "source"], name="goalrating_one_per_source"
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.get_rating_display()}"
