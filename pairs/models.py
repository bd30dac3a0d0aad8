"""The pairs and their year: the pair itself (active, ended), its agreement ("spelregler"),
the meetings it logs and plans, each person's private notes, the checklists (programme content
copied to each round) and each person's answers to them.

The tables keep their names from when these models lived in ``matching``
(``Meta.db_table``), so moving them here moved no data."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from applications.models import Application
from matching.models import Proposal
from organisations.models import Tenant
from programmes.models import Programme, Round


class Pair(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        BY_AGREEMENT = "by_agreement", _("By agreement")
        CHANGED_JOB = "changed_job", _("Changed job")
        LEFT_ORGANISATION = "left_organisation", _("Left the organisation")
        OTHER = "other", _("Other")

    class CostBearer(models.TextChoices):
        ADEPT_UNIT = "adept_unit", _("The adept's unit")
        MENTOR_ORGANISATION = "mentor_organisation", _("The mentor's organisation")
        SHARED = "shared", _("Shared")
        OTHER = "other", _("Other")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="pairs_as_mentor"
    )
    adept = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="pairs_as_adept")
    mentor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_pairs"
    )
    adept_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="adept_pairs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("why the pair ended"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("note"), max_length=2000, blank=True)
    # A participant's request to end the pair early; the coordinator or HR contact handles it
    # (services.end_pair). Cleared when the pair ends or the request is withdrawn.
    end_requested_at = models.DateTimeField(_("asked to end"), null=True, blank=True)
    end_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_request_reason = models.TextField(_("why"), max_length=2000, blank=True)
    # Who bears the pair's costs (seed 004: a retired mentor's by the adept's unit); recorded
    # only where the programme turns it on (services.set_pair_cost).
    cost_bearer = models.CharField(
        _("who bears the costs"), max_length=20, choices=CostBearer.choices, blank=True
    )
    cost_note = models.CharField(_("about the costs"), max_length=300, blank=True)
    created_from = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="created_pairs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        db_table = "matching_pair"
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")
        ordering = ["-started_at", "-id"]
        constraints = [
            # An adept has at most one active pair per application.
            models.UniqueConstraint(
                fields=["adept"], condition=Q(status="active"), name="pair_one_active_per_adept"
            ),
        ]

    def __str__(self):
        return f"{self.mentor} – {self.adept}"

    def year_ends_on(self, tz=None):
        """The last day of the pair's year: the round's official end, or in a continuous
        programme, where pairs start all year round, a year after the pair's own start (None
        when neither is known). ``tz``: the tenant's zone for the start's date."""
        round_ = self.round
        if round_.programme.is_continuous and self.started_at:
            start = timezone.localtime(self.started_at, tz).date() if tz else self.started_at.date()
            try:
                return start.replace(year=start.year + 1)
            except ValueError:  # started on 29 February
                return start.replace(year=start.year + 1, day=28)
        return round_.ends_on


# --- The pair's own work: agreement ("spelregler"), meetings, private notes, checklists -------


class PairAgreement(models.Model):
    """The pair's ground rules: drafted by either, confirmed by both. Any change clears both
    confirmations except the author's own (who confirms by saving)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    pair = models.OneToOneField(Pair, on_delete=models.CASCADE, related_name="agreement")
    how_often = models.TextField(_("how often we meet"), max_length=2000, blank=True)
    where = models.TextField(_("where we meet"), max_length=2000, blank=True)
    cancelling = models.TextField(_("how we cancel or move a meeting"), max_length=2000, blank=True)
    confidentiality = models.TextField(_("confidentiality"), max_length=2000, blank=True)
    personal_not_private = models.TextField(
        _("personal but not private"), max_length=2000, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    adept_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        db_table = "matching_pairagreement"
        verbose_name = _("pair agreement")
        verbose_name_plural = _("pair agreements")

    def __str__(self):
        return f"{self.pair} v{self.version}"

    @property
    def confirmed_by_both(self):
        return bool(self.mentor_confirmed_at and self.adept_confirmed_at)


class PairMeeting(models.Model):
    """One meeting of the pair, logged by either of the two. The private notes live apart
    (PrivateNote), so no query for meetings ever loads a note."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        PHONE = "phone", _("Phone")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(10), MaxValueValidator(600)]
    )
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place"), max_length=200, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The log form's one-time key, so the same form sent twice (a double click, a reload)
    # logs one meeting. Empty for meetings logged without the form (one click on a planned
    # meeting, which its own row guards; the demo data).
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        db_table = "matching_pairmeeting"
        verbose_name = _("pair meeting")
        verbose_name_plural = _("pair meetings")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"], name="pair_meeting_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.pair}: {self.date}"


class PlannedMeeting(models.Model):
    """A meeting the pair has agreed on, in both people's calendar feeds. Once its day has
    passed it is offered for logging as a PairMeeting."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="planned_meetings")
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(10), MaxValueValidator(600)]
    )
    mode = models.CharField(
        _("how"),
        max_length=10,
        choices=PairMeeting.Mode.choices,
        default=PairMeeting.Mode.IN_PERSON,
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    logged_as = models.OneToOneField(
        PairMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="planned"
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        db_table = "matching_plannedmeeting"
        verbose_name = _("planned meeting")
        verbose_name_plural = _("planned meetings")
        ordering = ["starts_at", "id"]

    def __str__(self):
        return f"{self.pair}: {self.starts_at:%Y-%m-%d %H:%M}"


class PrivateNote(models.Model):
    """A note on a meeting that only its author can ever read."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(PairMeeting, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("private note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        db_table = "matching_privatenote"
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")

    def __str__(self):
        return f"note #{self.pk}"


# --- Checklists: programme content, copied to each round; answers private to the person ------


class Audience(models.TextChoices):
    BOTH = "both", _("Mentor and adept")
    MENTOR = "mentor", _("Mentor")
    ADEPT = "adept", _("Adept")


class Checklist(models.Model):
    """A checklist of a programme (``round`` empty: the content the coordinator edits) or a
    round's own copy of it (made when the round is created or copied); a round's pairs see
    the round's copy. ``template_key`` says which built-in template it started from (kept by
    copies), so that code can find, say, seed 004's first checklist in any round."""

    class Timing(models.TextChoices):
        BEFORE_FIRST = "before_first", _("Before the first meeting")
        AFTER_MEETING = "after_meeting", _("After meeting number N")
        NEAR_END = "near_end", _("At the last meeting, or N weeks before the round ends")
        ON_REQUEST = "on_request", _("On request: the participant opens it when they want")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="checklists")
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, null=True, blank=True, related_name="checklists"
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    timing = models.CharField(
        _("when it appears"), max_length=20, choices=Timing.choices, default=Timing.BEFORE_FIRST
    )
    number = models.PositiveSmallIntegerField(
        _("N"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    audience = models.CharField(
        _("for whom"), max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    order = models.PositiveIntegerField(default=0)
    is_retired = models.BooleanField(_("retired"), default=False)
    template_key = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title

    def shown_to(self, role):
        return self.audience in (Audience.BOTH, role)


class ChecklistItem(models.Model):
    """One line of a checklist: something to tick off, or a question with a free-text answer
    private to the person. An item somebody has answered is retired, never deleted."""

    class Kind(models.TextChoices):
        TICK = "tick", _("Something to tick off")
        QUESTION = "question", _("A question with a private free-text answer")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    text = models.TextField(_("text"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    order = models.PositiveIntegerField(default=0)
    is_retired = models.BooleanField(_("retired"), default=False)
    template_key = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text[:60]


class ChecklistItemAnswer(models.Model):
    """One person's answer to one item, in one pair: ticked, or their own text. Private to
    that person (not the partner, not the coordinators); removed when the pair's people are
    anonymised."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    done = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "user", "item"], name="checklist_item_answer_one_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.pair}: {self.item_id}"
