"""The mentor bank of a continuous programme (seed 004): HR matches one new manager at a time.

``register_new_manager`` records a new manager as an accepted adept of the standing round;
``assign`` makes the pair through the same path as a published proposal (a one-pair
``Proposal`` handed to ``matching.services.publish``) and tells the mentor to get in touch.
The ranking of the bank for one adept is a read: ``bank.selectors.rank_mentors``.

Every continuous programme's standing bank (also where the adept chooses, seed 003):
``set_places`` changes a mentor's number of places under the same row lock as accepting an
adept; ``answer_availability`` pauses, removes or brings back a mentor (``models.BankMentor``)
and is the answer to the yearly question that ``ask_availability`` (Celery beat) mails;
``participant_added_by_hand`` (a hook of ``programmes.services.add_participant``) makes a
person added by hand an accepted applicant.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications import services as application_services
from applications.models import Application, Theme
from applications.services import is_own_address, own_address_message
from choosing import services as choosing_services
from matching import criteria, selectors, services
from matching.models import Proposal, ProposedPair
from mentorship.mail import recipient_language
from mentorship.web import site_url
from organisations import rules
from organisations.outbox import queue_mail
from organisations.services import log_activity
from pairs.models import Pair
from programmes import services as programme_services
from programmes.models import Participant, ParticipantRole, Programme, Round

from .models import BankMentor

Stage = Application.Stage

# Labels for the activity log, loaded by BankConfig.ready(). The actions keep their
# ``matching.`` names: the log rows written before the bank became an app use them.
ACTIVITY_LABELS = {
    "matching.bank_registered": gettext_lazy("New manager registered for the mentor bank"),
    "matching.bank_assigned": gettext_lazy("Mentor chosen from the bank"),
    "bank.places_changed": gettext_lazy("Mentor's number of places changed"),
    "bank.mentor_paused": gettext_lazy("Mentor paused in the mentor bank"),
    "bank.mentor_left": gettext_lazy("Mentor left the mentor bank"),
    "bank.mentor_returned": gettext_lazy("Mentor back in the mentor bank"),
    "bank.availability_asked": gettext_lazy("Mentor asked: still available?"),
    "bank.availability_answered": gettext_lazy("Mentor answered: still available?"),
}


def _check_tenant(tenant, *objects):
    for obj in objects:
        if obj is not None and obj.tenant_id != tenant.pk:
            raise PermissionDenied


def _may_act_for(membership, organisation):
    return rules.is_coordinator(membership) or (
        organisation is not None and organisation.pk in rules.hr_organisation_ids(membership)
    )


# --- registering a new manager ---------------------------------------------------------------


@transaction.atomic
def register_new_manager(
    *,
    tenant,
    actor,
    membership,
    round_,
    full_name,
    email,
    organisation,
    job_title="",
    manager_level="",
    years_as_manager=None,
    manager_email="",
    manager_name="",
    region="",
    matching_wishes="",
    themes=(),
    base_url="",
):
    """A newly recruited manager as an accepted adept of the standing round (HR offers them a
    mentor from the bank). Creates the person's account when there is none; the person is
    mailed, in their language, a link to their programme page and (an account without a
    password) a sign-in link that sets one. HR contacts only for their own organisations;
    coordinators for any."""
    _check_tenant(tenant, round_, organisation)
    if not _may_act_for(membership, organisation):
        raise PermissionDenied
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Give the new manager's e-mail address.")})
    if is_own_address(manager_email, email):
        raise ValidationError({"manager_email": own_address_message()})
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name.strip())
    if Application.objects.filter(round=round_, user=user, role=ParticipantRole.ADEPT).exists():
        raise ValidationError(
            {"email": _("%(email)s is already an adept in this round.") % {"email": email}}
        )
    application = Application.objects.create(
        tenant=tenant,
        round=round_,
        user=user,
        role=ParticipantRole.ADEPT,
        stage=Stage.ACCEPTED,
        full_name=full_name.strip(),
        email=email,
        organisation=organisation,
        job_title=job_title,
        manager_level=manager_level or "",
        years_as_manager=years_as_manager,
        manager_email=(manager_email or "").strip().lower(),
        manager_name=manager_name,
        region=region or organisation.region,
        matching_wishes=matching_wishes,
    )
    if themes:
        ids = [getattr(t, "pk", t) for t in themes]
        application.themes.set(
            Theme.objects.filter(tenant=tenant, programme_id=round_.programme_id, pk__in=ids)
        )
    reason = _("Registered as a new manager by HR, to be matched from the mentor bank.")
    # The first history row; as an accepted person the new manager takes part in the round.
    application_services.change_stage(
        application=application, to_stage=Stage.ACCEPTED, actor=actor, reason=reason, created=True
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.bank_registered",
        obj=application,
        after={"stage": Stage.ACCEPTED},
        data={"organisation": organisation.name},
    )
    participant = Participant.objects.get(round=round_, user=user, role=ParticipantRole.ADEPT)
    programme_services.send_welcome(participant, base_url=base_url or site_url())
    return application


# --- assigning ---------------------------------------------------------------------------------


@transaction.atomic
def assign(*, tenant, actor, round_, adept_app, mentor_app):
    """Make the pair: a one-pair proposal published by ``matching.services.publish`` (active pair, both
    matched, participants, the normal mail to both), then a mail asking the mentor to get in
    touch with the adept. A pair that breaks a hard rule is refused."""
    _check_tenant(tenant, round_, adept_app, mentor_app)
    if adept_app.round_id != round_.pk or mentor_app.round_id != round_.pk:
        raise ValidationError(_("Pair a mentor's application with an adept's of this round."))
    problems = services.check_pair(round_=round_, mentor_app=mentor_app, adept_app=adept_app)
    if problems:
        raise ValidationError([p["reason"] for p in problems])
    pool_settings = selectors.settings_for(round_=round_)
    pool = selectors.load_pool(
        tenant=tenant,
        round_=round_,
        settings=pool_settings,
        adept_ids=[adept_app.pk],
        mentor_ids=[mentor_app.pk],
    )
    score, explanation = criteria.explain_pair(pool, pool_settings, pool.adepts[0], pool.mentors[0])
    proposal = Proposal.objects.create(
        tenant=tenant,
        round=round_,
        name=(_("Mentor bank: %(a)s") % {"a": adept_app.full_name or adept_app.email})[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
        summary={"adepts": 1, "mentors": 1, "matched": 1, "unmatched": 0, "bank": True},
    )
    ProposedPair.objects.create(
        tenant=tenant,
        proposal=proposal,
        mentor=mentor_app,
        adept=adept_app,
        score=round(score, 4),
        explanation=explanation,
    )
    # The mentor's mail asks them to get in touch with the adept (seed 004); the adept gets
    # the usual one.
    (pair,) = services.publish(
        tenant=tenant, actor=actor, proposal=proposal, mentor_mail="bank_assigned"
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.bank_assigned",
        obj=pair,
        data={"mentor": mentor_app.pk, "adept": adept_app.pk, "score": round(score, 2)},
    )
    return pair


# --- people added by hand ------------------------------------------------------------------


def participant_added_by_hand(*, participant, actor):
    """Hook (mentorship.hooks.ON_PARTICIPANT_ADDED): a person the coordinator added under
    "Participants" is an accepted applicant of the round too, so they appear wherever
    applicants do (the list adepts choose from, the bank, matching). An application the person
    already has in that role is left as it is."""
    round_ = participant.round
    user = participant.user
    if Application.objects.filter(round=round_, user=user, role=participant.role).exists():
        return None
    application = Application.objects.create(
        tenant_id=round_.tenant_id,
        round=round_,
        user=user,
        role=participant.role,
        stage=Stage.ACCEPTED,
        full_name=user.full_name,
        email=user.email,
        organisation=participant.organisation,
        region=participant.organisation.region if participant.organisation else "",
    )
    application_services.change_stage(
        application=application,
        to_stage=Stage.ACCEPTED,
        actor=actor,
        reason=_("Added by hand by the coordinator."),
        created=True,
    )
    return application


# --- the mentor's places -------------------------------------------------------------------


def _lock_mentor(tenant, mentor_app):
    """The mentor's application row, locked as accepting an adept locks it
    (choosing.services.accept, pairs.services.start_pair)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("user", "round", "round__programme", "tenant", "organisation")
        .get(tenant=tenant, pk=mentor_app.pk, role=ParticipantRole.MENTOR)
    )


def _taken(mentor_app):
    return Pair.objects.filter(mentor_id=mentor_app.pk, status=Pair.Status.ACTIVE).count()


@transaction.atomic
def set_places(*, tenant, actor, membership, mentor_app, capacity):
    """The coordinator (any mentor) or an HR contact (mentors of their organisations) changes
    how many adepts a mentor takes, at any time. Under the mentor's row lock, as accepting an
    adept: never below the adepts the mentor has now. A mentor left with no free place has
    their open requests declined (the adepts choose again)."""
    _check_tenant(tenant, mentor_app)
    mentor = _lock_mentor(tenant, mentor_app)
    if not _may_act_for(membership, mentor.organisation):
        raise PermissionDenied
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= MAX_PLACES:
        raise ValidationError(
            {"capacity": _("Give a number of places from 1 to %(n)s.") % {"n": MAX_PLACES}}
        )
    taken = _taken(mentor)
    if capacity < taken:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(name)s has %(n)s adept now: give at least %(n)s place.",
                    "%(name)s has %(n)s adepts now: give at least %(n)s places.",
                    taken,
                )
                % {"name": mentor.full_name or mentor.email, "n": taken}
            }
        )
    before = mentor.capacity
    if capacity == before:
        return mentor
    mentor.capacity = capacity
    mentor.save(update_fields=["capacity", "updated_at"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="bank.places_changed",
        obj=mentor,
        before={"capacity": before},
        after={"capacity": capacity},
    )
    if taken >= capacity:
        choosing_services.decline_open_requests(
            tenant=tenant, mentor_app=mentor, why=choosing_services.FULL
        )
    return mentor


# --- pausing, leaving and coming back ------------------------------------------------------

MAX_PLACES = 10
STATUS_ACTIONS = {
    BankMentor.Status.ACTIVE: "bank.mentor_returned",
    BankMentor.Status.PAUSED: "bank.mentor_paused",
    BankMentor.Status.LEFT: "bank.mentor_left",
}
ANSWER_STATUS = {
    BankMentor.Answer.YES: BankMentor.Status.ACTIVE,
    BankMentor.Answer.PAUSE: BankMentor.Status.PAUSED,
    BankMentor.Answer.LEAVE: BankMentor.Status.LEFT,
}


def bank_mentor_applications(*, tenant, user):
    """The person's mentor applications (accepted or matched) in continuous programmes."""
    return list(
        Application.objects.filter(
            tenant=tenant,
            user=user,
            role=ParticipantRole.MENTOR,
            stage__in=selectors.MENTOR_STAGES,
            round__programme__kind=Programme.Kind.CONTINUOUS,
        )
        .select_related("round", "round__programme", "bank_entry")
        .order_by("round__programme__name", "id")
    )


def _entry(tenant, mentor):
    entry, _created = BankMentor.objects.select_for_update().get_or_create(
        tenant=tenant, application=mentor
    )
    return entry


def _check_bank_mentor(tenant, actor, mentor_app):
    _check_tenant(tenant, mentor_app)
    mentor = _lock_mentor(tenant, mentor_app)
    if actor is None or mentor.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if not mentor.round.programme.is_continuous or mentor.stage not in selectors.MENTOR_STAGES:
        raise ValidationError(_("Only a mentor of a standing mentor bank can pause or leave it."))
    return mentor


def _apply_status(tenant, actor, mentor, entry, status, now):
    before = entry.status
    if before == status:
        return False
    entry.status = status
    entry.status_changed_at = now
    log_activity(
        tenant=tenant,
        actor=actor,
        action=STATUS_ACTIONS[status],
        obj=mentor,
        before={"bank_status": before},
        after={"bank_status": status},
    )
    if status != BankMentor.Status.ACTIVE:
        choosing_services.decline_open_requests(
            tenant=tenant,
            mentor_app=mentor,
            why=choosing_services.PAUSED
            if status == BankMentor.Status.PAUSED
            else choosing_services.LEFT,
        )
    return True


@transaction.atomic
def answer_availability(*, tenant, actor, mentor_app, answer):
    """The mentor pauses, leaves or comes back to the bank (no new application), which is also
    their answer to the yearly "are you still available?": yes, pause or leave. Away, they are
    left out of the lists to choose from and their open requests are declined (each adept is
    mailed a link to choose again); their current pairs go on."""
    if answer not in BankMentor.Answer.values:
        raise ValidationError(_("Choose one of the answers."))
    mentor = _check_bank_mentor(tenant, actor, mentor_app)
    entry = _entry(tenant, mentor)
    now = timezone.now()
    entry.answer = answer
    entry.answered_at = now
    _apply_status(tenant, actor, mentor, entry, ANSWER_STATUS[answer], now)
    entry.save()
    log_activity(
        tenant=tenant,
        actor=actor,
        action="bank.availability_answered",
        obj=mentor,
        data={"answer": answer},
    )
    return entry


# --- the yearly question -------------------------------------------------------------------

ASK_EVERY = timedelta(days=365)


def mentors_to_ask(*, now):
    """The mentors of continuous programmes' standing rounds (not left) whose last answer
    (or, never asked, their application) is more than a year old, not asked in that year."""
    year_ago = now - ASK_EVERY
    return (
        Application.objects.filter(
            role=ParticipantRole.MENTOR,
            stage__in=selectors.MENTOR_STAGES,
            round__programme__kind=Programme.Kind.CONTINUOUS,
            round__status__in=Round.CONTINUOUS_FOLLOWING,
            tenant__is_active=True,
            user__is_active=True,
        )
        .exclude(bank_entry__status=BankMentor.Status.LEFT)
        .filter(Q(bank_entry__answered_at__lt=year_ago) | Q(bank_entry__answered_at__isnull=True))
        .filter(Q(bank_entry__asked_at__lt=year_ago) | Q(bank_entry__asked_at__isnull=True))
        .filter(Q(bank_entry__answered_at__isnull=False) | Q(created_at__lt=year_ago))
        .select_related("user", "tenant", "round", "round__programme", "bank_entry")
        .order_by("pk")
    )


def ask_availability(*, now=None):
    """Once a year per mentor (Celery beat, bank.tasks.ask_availability): mail "are you still
    available?" with a link to answer. Each mentor's asking is recorded in its own
    transaction (a failure leaves the others asked). Returns the number of mails queued."""
    now = now or timezone.now()
    queued = 0
    for mentor in mentors_to_ask(now=now):
        tenant = mentor.tenant
        with transaction.atomic():
            entry, _created = BankMentor.objects.select_for_update().get_or_create(
                tenant=tenant, application=mentor
            )
            entry.asked_at = now
            entry.save(update_fields=["asked_at", "updated_at"])
            url = site_url() + reverse("matching_bank:availability", kwargs={"tenant": tenant.slug})
            queue_mail(
                purpose="bank_availability",
                to=mentor.email or mentor.user.email,
                language=recipient_language(user=mentor.user, tenant=tenant),
                context={
                    "tenant": tenant,
                    "round": mentor.round,
                    "programme": mentor.round.programme,
                    "name": mentor.full_name or mentor.user.full_name,
                    "last_answer": entry.answered_at,
                    "url": url,
                },
                dedupe_key=f"bank-availability:{mentor.pk}:{now.date().isoformat()}",
            )
            log_activity(tenant=tenant, actor=None, action="bank.availability_asked", obj=mentor)
            queued += 1
    return queued
