"""The pair's own work, for its two people only: the agreement ("spelregler", seeds 003 and
004), the meetings they log (with a private note only its author can ever read); the
checklists and their answers (private to the person) are ``pairs.checklists``.

Every service logs activity, never the text of a private note nor checklist answers."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import services as application_services
from applications.models import Application
from mentorship.mail import recipient_language
from mentorship.web import absolute, set_password_link
from organisations.outbox import queue_mail
from organisations.services import log_activity
from programmes import services as programme_services
from programmes.models import Round

from .models import (
    ChecklistItemAnswer,
    Pair,
    PairAgreement,
    PairMeeting,
    PlannedMeeting,
    PrivateNote,
)

NOTE_MAX = 4000
MINUTES_MIN = 10
MINUTES_MAX = 600
PLAN_AHEAD_DAYS = 400
REASON_MAX = 2000

AGREEMENT_FIELDS = ("how_often", "where", "cancelling", "confidentiality", "personal_not_private")


ACTIVITY_LABELS = {
    "pair.cost_recorded": gettext_lazy("Who bears the costs recorded"),
    "matching.agreement_saved": gettext_lazy("Pair agreement drafted or changed"),
    "matching.agreement_confirmed": gettext_lazy("Pair agreement confirmed"),
    "matching.pair_meeting_logged": gettext_lazy("Pair meeting logged"),
    "matching.checklist_saved": gettext_lazy("Checklist answered"),
    "matching.meeting_planned": gettext_lazy("Pair meeting planned"),
    "matching.planned_meeting_cancelled": gettext_lazy("Planned pair meeting cancelled"),
    "matching.end_requested": gettext_lazy("Participant asked to end the pair"),
    "matching.end_request_withdrawn": gettext_lazy("Request to end the pair withdrawn"),
    "checklist.created": gettext_lazy("Checklist created"),
    "checklist.updated": gettext_lazy("Checklist changed"),
    "checklist.moved": gettext_lazy("Checklist moved"),
    "checklist.retired": gettext_lazy("Checklist retired"),
    "checklist.restored": gettext_lazy("Checklist brought back"),
    "checklist.deleted": gettext_lazy("Checklist deleted"),
    "checklist.item_added": gettext_lazy("Checklist item added"),
    "checklist.item_updated": gettext_lazy("Checklist item changed"),
    "checklist.item_moved": gettext_lazy("Checklist item moved"),
    "checklist.item_retired": gettext_lazy("Checklist item retired"),
    "checklist.item_restored": gettext_lazy("Checklist item brought back"),
    "checklist.item_deleted": gettext_lazy("Checklist item deleted"),
    "checklist.from_template": gettext_lazy("Checklists added from a template"),
    "checklist.copied_again": gettext_lazy("Round's checklists copied from the programme again"),
}


# --- access -------------------------------------------------------------------------------


def pair_of(*, tenant, user, pk):
    """The pair ``pk`` of this tenant if the user is one of its two people, else 404
    (coordinators, other participants and other tenants alike)."""
    if tenant is None or not getattr(user, "is_authenticated", False):
        raise Http404
    pair = (
        Pair.objects.filter(tenant=tenant, pk=pk)
        .filter(status__in=[Pair.Status.ACTIVE, Pair.Status.ENDED])
        .filter(Q(mentor_user=user) | Q(adept_user=user))
        .select_related("round", "round__programme", "mentor", "adept", "mentor_user", "adept_user")
        .first()
    )
    if pair is None:
        raise Http404
    return pair


def role_in(pair, user):
    return "mentor" if pair.mentor_user_id == user.pk else "adept"


def _check(pair, tenant, user):
    if pair.tenant_id != tenant.pk or user.pk not in (pair.mentor_user_id, pair.adept_user_id):
        raise Http404


# --- the agreement ----------------------------------------------------------------------


@transaction.atomic
def save_agreement(*, tenant, actor, pair, data):
    """Draft or change the agreement. A change clears both confirmations, except the author's:
    saving it is the author's confirmation. Returns (agreement, changed)."""
    _check(pair, tenant, actor)
    if pair.status != Pair.Status.ACTIVE:
        raise ValidationError(_("The pair has ended; the agreement can no longer be changed."))
    agreement = PairAgreement.objects.select_for_update().filter(pair=pair).first()
    values = {f: (data.get(f) or "").strip() for f in AGREEMENT_FIELDS}
    if not any(values.values()):
        raise ValidationError(_("Write at least one of the ground rules."))
    if agreement is not None and all(getattr(agreement, f) == values[f] for f in AGREEMENT_FIELDS):
        return agreement, False
    now = timezone.now()
    if agreement is None:
        agreement = PairAgreement(tenant=tenant, pair=pair, version=1)
    else:
        agreement.version += 1
    for f, v in values.items():
        setattr(agreement, f, v)
    agreement.drafted_by = actor
    agreement.mentor_confirmed_at = now if role_in(pair, actor) == "mentor" else None
    agreement.adept_confirmed_at = now if role_in(pair, actor) == "adept" else None
    agreement.save()
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.agreement_saved",
        obj=pair,
        data={"version": agreement.version},
    )
    return agreement, True


@transaction.atomic
def confirm_agreement(*, tenant, actor, pair, version=None):
    """The actor confirms the current version (if ``version`` is given, only that version:
    a confirmation of a text that has since changed is refused)."""
    _check(pair, tenant, actor)
    agreement = PairAgreement.objects.select_for_update().filter(pair=pair).first()
    if agreement is None:
        raise ValidationError(_("There is no agreement to confirm yet."))
    if version is not None and int(version) != agreement.version:
        raise ValidationError(
            _("The agreement has changed since you opened the page. Read it again and confirm.")
        )
    field = f"{role_in(pair, actor)}_confirmed_at"
    if getattr(agreement, field) is None:
        setattr(agreement, field, timezone.now())
        agreement.save(update_fields=[field])
        log_activity(
            tenant=tenant,
            actor=actor,
            action="matching.agreement_confirmed",
            obj=pair,
            data={"version": agreement.version},
        )
    return agreement


def _meeting_errors(*, minutes, mode, place):
    """The checks a logged and a planned meeting share: length, how, place."""
    errors = {}
    if minutes is None or not MINUTES_MIN <= minutes <= MINUTES_MAX:
        errors["minutes"] = _("The length must be between %(a)s and %(b)s minutes.") % {
            "a": MINUTES_MIN,
            "b": MINUTES_MAX,
        }
    if mode not in PairMeeting.Mode.values:
        errors["mode"] = _("Choose in person, online or phone.")
    if len(place or "") > 200:
        errors["place"] = _("The place can be at most 200 characters.")
    return errors


# --- meetings -----------------------------------------------------------------------------


def _logged_with(tenant, pair, token):
    """The meeting already logged with this form key, or None."""
    if token is None:
        return None
    meeting = PairMeeting.objects.filter(tenant=tenant, idempotency_key=token).first()
    if meeting is not None and meeting.pair_id != pair.pk:
        raise ValidationError(_("This form has already been used. Reload the page and try again."))
    return meeting


@transaction.atomic
def log_meeting(
    *, tenant, actor, pair, date, minutes, mode, place="", note="", planned=None, token=None
):
    """Log a meeting of the pair. Not in the future, not before the pair started, 10–600
    minutes, a private note of at most 4000 characters (kept apart, never logged).
    ``planned`` (a PlannedMeeting of the pair, or its id) is marked as held by this log.

    ``token`` is the log form's one-time key: the same form sent again (a double click, a
    reload) returns the meeting logged the first time and writes nothing, also when the two
    requests race (the unique key decides). Returns ``(meeting, created)``.
    """
    _check(pair, tenant, actor)
    existing = _logged_with(tenant, pair, token)
    if existing is not None:
        return existing, False
    errors = {}
    if planned is not None:
        planned = (
            PlannedMeeting.objects.select_for_update()
            .filter(pair=pair, pk=getattr(planned, "pk", planned), cancelled_at__isnull=True)
            .first()
        )
        if planned is None:
            raise Http404
        if planned.logged_as_id:
            raise ValidationError(_("This planned meeting has already been logged."))
    today = timezone.localdate()
    if date is None:
        errors["date"] = _("Give the date of the meeting.")
    elif date > today:
        errors["date"] = _("The meeting cannot be in the future. Log it once it has taken place.")
    elif pair.started_at and date < timezone.localtime(pair.started_at).date():
        errors["date"] = _("The meeting cannot be before the pair started (%(d)s).") % {
            "d": timezone.localtime(pair.started_at).date().isoformat()
        }
    errors.update(_meeting_errors(minutes=minutes, mode=mode, place=place))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("The private note can be at most %(max)s characters (it has %(n)s).") % {
            "max": NOTE_MAX,
            "n": len(note),
        }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            meeting = PairMeeting.objects.create(
                tenant=tenant,
                pair=pair,
                date=date,
                minutes=minutes,
                mode=mode,
                place=(place or "").strip(),
                logged_by=actor,
                idempotency_key=token,
            )
    except IntegrityError:
        # The same form, sent at the same moment: the other request logged it.
        return _logged_with(tenant, pair, token), False
    if note:
        PrivateNote.objects.create(tenant=tenant, meeting=meeting, author=actor, text=note)
    if planned is not None:
        planned.logged_as = meeting
        planned.save(update_fields=["logged_as"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.pair_meeting_logged",
        obj=pair,
        data={"meeting": meeting.pk, "date": date.isoformat(), "minutes": minutes, "mode": mode},
    )
    return meeting, True


def meetings_of(pair):
    """The pair's meetings, newest first; never loads a note."""
    return list(PairMeeting.objects.filter(pair=pair).select_related("logged_by"))


def my_notes(*, pair, user):
    """{meeting id: text} of the user's own notes on the pair's meetings. One query."""
    return dict(
        PrivateNote.objects.filter(
            tenant_id=pair.tenant_id, meeting__pair=pair, author=user
        ).values_list("meeting_id", "text")
    )


# --- planned meetings -----------------------------------------------------------------------


def _partner_user(pair, user):
    return pair.adept_user if pair.mentor_user_id == user.pk else pair.mentor_user


def _tell_partner(pair, actor, purpose, **context):
    from mentorship.mail import recipient_language
    from organisations.outbox import queue_mail

    partner = _partner_user(pair, actor)
    queue_mail(
        purpose=purpose,
        to=partner.email,
        language=recipient_language(user=partner, tenant=pair.tenant),
        context={
            "pair": pair,
            "round": pair.round,
            "tenant": pair.tenant,
            "author": actor,
            "partner": partner,
            "url": pair_url(pair),
            **context,
        },
    )


@transaction.atomic
def plan_meeting(*, tenant, actor, pair, starts_at, minutes, mode, place=""):
    """Plan a meeting: it appears in both people's calendar feeds and the partner is told.
    In the future, within 400 days, 10–600 minutes."""
    _check(pair, tenant, actor)
    if pair.status != Pair.Status.ACTIVE:
        raise ValidationError(_("The pair has ended; no meetings can be planned."))
    errors = {}
    now = timezone.now()
    if starts_at is None:
        errors["starts_at"] = _("Give the date and time of the meeting.")
    elif starts_at <= now:
        errors["starts_at"] = _(
            "A planned meeting must be in the future. Log a past meeting below."
        )
    elif starts_at > now + timedelta(days=PLAN_AHEAD_DAYS):
        errors["starts_at"] = _("Plan at most %(n)s days ahead.") % {"n": PLAN_AHEAD_DAYS}
    errors.update(_meeting_errors(minutes=minutes, mode=mode, place=place))
    if errors:
        raise ValidationError(errors)
    planned = PlannedMeeting.objects.create(
        tenant=tenant,
        pair=pair,
        starts_at=starts_at,
        minutes=minutes,
        mode=mode,
        place=(place or "").strip(),
        created_by=actor,
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.meeting_planned",
        obj=pair,
        data={"planned": planned.pk, "starts_at": starts_at.isoformat()},
    )
    _tell_partner(pair, actor, "pair_meeting_planned", planned=planned)
    return planned


@transaction.atomic
def cancel_planned(*, tenant, actor, pair, planned_id):
    """Cancel a planned meeting that has not taken place; the partner is told."""
    _check(pair, tenant, actor)
    planned = (
        PlannedMeeting.objects.select_for_update()
        .filter(pair=pair, pk=planned_id, cancelled_at__isnull=True, logged_as__isnull=True)
        .first()
    )
    if planned is None:
        raise Http404
    planned.cancelled_at = timezone.now()
    planned.sequence += 1
    planned.save(update_fields=["cancelled_at", "sequence"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.planned_meeting_cancelled",
        obj=pair,
        data={"planned": planned.pk},
    )
    if planned.starts_at > planned.cancelled_at:
        _tell_partner(pair, actor, "pair_meeting_cancelled", planned=planned)
    return planned


def planned_of(pair, *, now=None):
    """(coming, to log): coming planned meetings, and past ones not yet logged or cancelled."""
    now = now or timezone.now()
    rows = list(
        PlannedMeeting.objects.filter(
            pair=pair, cancelled_at__isnull=True, logged_as__isnull=True
        ).select_related("created_by")
    )
    return [p for p in rows if p.starts_at > now], [p for p in rows if p.starts_at <= now]


# --- asking to end the pair --------------------------------------------------------------


@transaction.atomic
def request_end(*, tenant, actor, pair, reason):
    """A participant asks to end the pair early. The coordinators (and the HR contacts of the
    asker's organisation) are told and handle it with services.end_pair; the reason is for them,
    not for the partner, and is never written to the activity log."""
    from applications.services import hr_contacts_for
    from mentorship.mail import recipient_language
    from organisations.models import Membership
    from organisations.outbox import queue_mail

    _check(pair, tenant, actor)
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != Pair.Status.ACTIVE:
        raise ValidationError(_("The pair has already ended."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say in a few words why you want to end the pair.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {
                "reason": _("At most %(max)s characters (it has %(n)s).")
                % {"max": REASON_MAX, "n": len(reason)}
            }
        )
    if pair.end_requested_at:
        raise ValidationError(_("An end to the pair has already been asked for."))
    pair.end_requested_at = timezone.now()
    pair.end_requested_by = actor
    pair.end_request_reason = reason
    pair.save(update_fields=["end_requested_at", "end_requested_by", "end_request_reason"])
    log_activity(tenant=tenant, actor=actor, action="matching.end_requested", obj=pair)
    pair = Pair.objects.select_related(
        "round",
        "round__programme",
        "tenant",
        "mentor",
        "adept",
        "mentor__organisation",
        "adept__organisation",
    ).get(pk=pair.pk)
    recipients = {
        m.user.pk: (m.user, "coordinator")
        for m in Membership.objects.filter(tenant=tenant, is_coordinator=True).select_related(
            "user"
        )
    }
    # The HR contact of the person who asks (not the partner's, who might pass it on).
    own = pair.mentor if pair.mentor_user_id == actor.pk else pair.adept
    if own.organisation is not None:
        for m in hr_contacts_for(own.organisation):
            recipients.setdefault(m.user.pk, (m.user, "hr"))
    from django.urls import reverse

    from mentorship.web import site_url

    for user, kind in recipients.values():
        url = site_url() + (
            reverse("matching:pairs", kwargs={"tenant": tenant.slug, "round_pk": pair.round_id})
            if kind == "coordinator"
            else reverse("matching:hr_pairs", kwargs={"tenant": tenant.slug})
        )
        queue_mail(
            purpose="pair_end_requested",
            to=user.email,
            language=recipient_language(user=user, tenant=tenant),
            context={
                "pair": pair,
                "round": pair.round,
                "tenant": tenant,
                "requester": actor,
                "reason": reason,
                "url": url,
            },
        )
    return pair


@transaction.atomic
def withdraw_end_request(*, tenant, actor, pair):
    """The person who asked withdraws the request while the pair is still active."""
    _check(pair, tenant, actor)
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != Pair.Status.ACTIVE or pair.end_requested_by_id != actor.pk:
        raise ValidationError(_("There is no request of yours to withdraw."))
    pair.end_requested_at = None
    pair.end_requested_by = None
    pair.end_request_reason = ""
    pair.save(update_fields=["end_requested_at", "end_requested_by", "end_request_reason"])
    log_activity(tenant=tenant, actor=actor, action="matching.end_request_withdrawn", obj=pair)
    return pair


def anonymise(*, application_ids):
    """Retention hook (mentorship.hooks.ON_ANONYMISE): the pair's own texts go too.
    Returns the reasons and notes about the pairs' ending, which mails and log rows may hold."""
    from django.db.models import Q

    pairs = Pair.objects.filter(Q(mentor_id__in=application_ids) | Q(adept_id__in=application_ids))
    texts = [
        text for row in pairs.values_list("end_request_reason", "end_note") for text in row if text
    ]
    PrivateNote.objects.filter(meeting__pair__in=pairs).delete()
    ChecklistItemAnswer.objects.filter(pair__in=pairs).delete()
    PairAgreement.objects.filter(pair__in=pairs).update(
        how_often="", where="", cancelling="", confidentiality="", personal_not_private=""
    )
    PairMeeting.objects.filter(pair__in=pairs).update(place="")
    PlannedMeeting.objects.filter(pair__in=pairs).update(place="")
    pairs.update(end_request_reason="", end_note="")
    return texts


# --- a pair's start and end: the only code that makes a Pair or changes its status ------------

Stage = Application.Stage


def _check_tenant(tenant, *objects):
    for obj in objects:
        if obj is not None and obj.tenant_id != tenant.pk:
            raise PermissionDenied


def pair_url(pair, base_url=""):
    """The pair's page (absolute, for mails): where the two plan and log their meetings."""
    return absolute(
        reverse("matching_pairwork:pair", kwargs={"tenant": pair.tenant.slug, "pk": pair.pk}),
        base_url,
    )


def _mail_pair(pair, purpose, *, mentor_purpose=None, **context):
    """Tell both people; ``mentor_purpose`` gives the mentor a mail of its own. Each mail has
    the pair's page (``url``), the person's programme page (``home_url``) and, for the adept,
    the mentors to choose from (``mentors_url``: where the adept chooses, after a pair ends)."""
    slug = pair.tenant.slug
    links = {
        "url": pair_url(pair),
        "home_url": absolute(reverse("programmes:participant_home", kwargs={"tenant": slug})),
        "mentors_url": absolute(reverse("matching_requests:mentors", kwargs={"tenant": slug})),
    }
    for recipient, partner, is_mentor in (
        (pair.mentor, pair.adept, True),
        (pair.adept, pair.mentor, False),
    ):
        queue_mail(
            purpose=(mentor_purpose or purpose) if is_mentor else purpose,
            to=recipient.email or recipient.user.email,
            language=recipient_language(user=recipient.user, tenant=pair.tenant),
            context={
                "pair": pair,
                "recipient": recipient,
                "partner": partner,
                "is_mentor": is_mentor,
                "round": pair.round,
                "programme": pair.round.programme,
                "tenant": pair.tenant,
                **links,
                # A manager whom HR registered has no password yet (the bank, seed 004).
                "set_password_url": set_password_link(recipient.user, next_url=links["url"]),
                **context,
            },
        )


def start_pair(
    *,
    tenant,
    round_,
    mentor_app,
    adept_app,
    actor,
    reason,
    started_at=None,
    created_from=None,
    log_data=None,
    notify=True,
    mentor_mail="pair_published",
    matched_at=None,
    actor_label=None,
):
    """The one way a ``Pair`` is made: an active pair, both applications still "accepted" moved
    to "matched" (``reason`` in their history), both people participants of the round, the
    activity-log row, and a mail to both (``mentor_mail`` gives the mentor one of its own;
    ``notify=False`` sends none).

    The caller has checked that the pair may be made (publish, an accepted mentor request, the
    demo) and holds the lock on both applications, in its own transaction. ``log_data`` is added
    to the log row (what made the pair). ``matched_at`` ({application pk: time}) is for a pair
    recorded after the fact (the demo): each move to "matched" keeps its own time, and the log
    row is dated at the pair's start."""
    _check_tenant(tenant, round_, mentor_app, adept_app)
    if mentor_app.round_id != round_.pk or adept_app.round_id != round_.pk:
        raise ValidationError(_("Pair a mentor's application with an adept's of this round."))
    pair = Pair.objects.create(
        tenant=tenant,
        round=round_,
        mentor=mentor_app,
        adept=adept_app,
        mentor_user=mentor_app.user,
        adept_user=adept_app.user,
        status=Pair.Status.ACTIVE,
        started_at=started_at or timezone.now(),
        created_from=created_from,
    )
    for application in (mentor_app, adept_app):
        if application.stage == Stage.ACCEPTED:
            application_services.change_stage(
                application=application,
                to_stage=Stage.MATCHED,
                actor=actor,
                reason=reason,
                actor_label=actor_label,
                when=(matched_at or {}).get(application.pk),
            )
        programme_services.ensure_participant(
            round_=round_, user=application.user, role=application.role, application=application
        )
    entry = log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.pair_started",
        obj=pair,
        data={**(log_data or {}), "mentor": mentor_app.pk, "adept": adept_app.pk},
    )
    if matched_at:
        type(entry).objects.filter(pk=entry.pk).update(created_at=pair.started_at)
    if notify:
        _mail_pair(pair, "pair_published", mentor_purpose=mentor_mail)
    return pair


@transaction.atomic
def end_pair(*, tenant, actor, pair, reason, note=""):
    """End an active pair (with a reason), tell both, and send the adept back to be matched
    (unless the round is over: then the pair has had its year and the adept stays matched)."""
    _check_tenant(tenant, pair)
    pair = (
        Pair.objects.select_for_update(of=("self",))
        .select_related("round", "round__programme", "tenant")
        .get(pk=pair.pk, tenant=tenant)
    )
    if pair.status != Pair.Status.ACTIVE:
        raise ValidationError(_("Only an active pair can be ended."))
    if reason not in Pair.EndReason.values:
        raise ValidationError({"end_reason": _("Choose why the pair ended.")})
    note = (note or "").strip()
    if reason == Pair.EndReason.OTHER and not note:
        raise ValidationError({"end_note": _("Say in a few words why the pair ended.")})
    pair.status = Pair.Status.ENDED
    pair.ended_at = timezone.now()
    pair.end_reason = reason
    pair.end_note = note
    pair.save(update_fields=["status", "ended_at", "end_reason", "end_note"])
    # Meetings planned ahead disappear from both calendars.
    PlannedMeeting.objects.filter(
        pair=pair, cancelled_at__isnull=True, logged_as__isnull=True, starts_at__gt=pair.ended_at
    ).update(cancelled_at=pair.ended_at, sequence=F("sequence") + 1)
    locked = {
        a.pk: a
        for a in Application.objects.select_for_update(of=("self",))
        .select_related("user", "round", "tenant")
        .filter(tenant=tenant, pk__in=[pair.mentor_id, pair.adept_id])
    }
    pair.mentor, pair.adept = locked[pair.mentor_id], locked[pair.adept_id]
    # A pair ended once its round is over has had its year: the adept stays matched. Ended
    # while the round runs, the adept goes back to be matched again.
    # In a continuous programme, the pair's own year (from its start) is its round.
    year_end = pair.year_ends_on()
    round_over = pair.round.status in (Round.Status.CLOSED, Round.Status.ARCHIVED) or bool(
        year_end and year_end < timezone.localdate()
    )
    if pair.adept.stage == Stage.MATCHED and not round_over:
        application_services.change_stage(
            application=pair.adept,
            to_stage=Stage.ACCEPTED,
            actor=actor,
            reason=_("The pair with %(m)s ended (%(why)s); to be matched again.")
            % {
                "m": pair.mentor.full_name or pair.mentor.email,
                "why": Pair.EndReason(reason).label,
            },
        )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.pair_ended",
        obj=pair,
        before={"status": Pair.Status.ACTIVE},
        after={"status": Pair.Status.ENDED},
        data={"reason": reason, "note": note},
    )
    _mail_pair(pair, "pair_ended")
    return pair


# --- who bears the pair's costs (issue 14: seed 004, a retired mentor's costs) -----------------


@transaction.atomic
def set_pair_cost(*, tenant, actor, pair, bearer, note=""):
    """Record who bears the pair's costs, where the programme records it (its standard-field
    settings). ``bearer``: one of ``Pair.CostBearer`` or "" (not recorded); "other" needs a note
    saying who. Logged with before and after."""
    if pair.tenant_id != tenant.pk:
        raise Http404
    if not application_services.field_settings(pair.round.programme).records_pair_cost:
        raise ValidationError(_("This programme does not record who bears the costs."))
    if bearer and bearer not in Pair.CostBearer.values:
        raise ValidationError({"cost_bearer": _("Choose who bears the costs.")})
    note = (note or "").strip()
    if bearer == Pair.CostBearer.OTHER and not note:
        raise ValidationError({"cost_note": _("Say who bears the costs.")})
    if len(note) > 300:
        raise ValidationError({"cost_note": _("At most 300 characters.")})
    pair = Pair.objects.select_for_update().get(pk=pair.pk, tenant=tenant)
    before = {"cost_bearer": pair.cost_bearer, "cost_note": pair.cost_note}
    pair.cost_bearer, pair.cost_note = bearer, note
    pair.save(update_fields=["cost_bearer", "cost_note"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="pair.cost_recorded",
        obj=pair,
        before=before,
        after={"cost_bearer": bearer, "cost_note": note},
    )
    return pair
