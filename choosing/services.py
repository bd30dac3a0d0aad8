"""The adept chooses a mentor (association-style programmes, seed 003): the writes.

The adept browses the mentors who volunteered in their round (``selectors.mentors_for``) and
``ask``s one; the mentor ``accept``s (an active ``Pair`` through ``pairs.services.start_pair``,
both applications matched) or ``decline``s with a note; the adept may ``withdraw`` an open
request. Capacity holds when two adepts ask at the same moment: ``accept`` locks the mentor's
application row and counts the active pairs again under that lock, so the second of two
simultaneous accepts waits for the first and is then refused.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application
from matching import selectors as matching_selectors
from matching.services import _check_tenant, check_pair
from mentorship.mail import recipient_language
from mentorship.web import absolute, site_url
from organisations.outbox import queue_mail
from organisations.services import log_activity
from pairs.models import Pair
from pairs.services import start_pair
from programmes.models import ParticipantRole

from .models import MentorRequest
from .selectors import ADEPT_CHOOSES, active_pairs

Stage = Application.Stage
MESSAGE_MAX = 2000


def _name(app):
    return app.full_name or app.email or app.user.full_name or app.user.email


def _mail(purpose, *, recipient, partner, request, **context):
    queue_mail(
        purpose=purpose,
        to=recipient.email or recipient.user.email,
        language=recipient_language(user=recipient.user, tenant=request.tenant),
        context={
            "request": request,
            "recipient": recipient,
            "recipient_name": _name(recipient),
            "partner": partner,
            "partner_name": _name(partner),
            "round": request.round,
            "programme": request.round.programme,
            "tenant": request.tenant,
            **context,
        },
    )


def _lock_apps(tenant, *ids):
    return {
        a.pk: a
        for a in Application.objects.select_for_update(of=("self",))
        .select_related("user", "round", "round__programme", "tenant", "organisation")
        .filter(tenant=tenant, pk__in=ids)
        .order_by("pk")  # always the same order: no deadlock between two accepts
    }


@transaction.atomic
def ask(*, tenant, actor, adept_app, mentor_app, message="", base_url=""):
    """The adept asks one mentor. Refused unless the adept is accepted (not yet matched) in an
    adept-chooses round, has no other open request, and the mentor has a place left."""
    _check_tenant(tenant, adept_app, mentor_app)
    apps = _lock_apps(tenant, adept_app.pk, mentor_app.pk)
    adept, mentor = apps[adept_app.pk], apps[mentor_app.pk]
    if actor is None or adept.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ValidationError(_("Keep the message to %(n)s characters.") % {"n": MESSAGE_MAX})
    round_ = adept.round
    if adept.role != ParticipantRole.ADEPT or round_.programme.matching_mode != ADEPT_CHOOSES:
        raise ValidationError(_("In this programme the coordinator matches mentors and adepts."))
    if mentor.role != ParticipantRole.MENTOR or mentor.round_id != round_.pk:
        raise ValidationError(_("Choose one of the mentors of your round."))
    if adept.stage != Stage.ACCEPTED:
        raise ValidationError(
            _("You can ask a mentor once your application is accepted and you have no mentor.")
        )
    if Pair.objects.filter(tenant=tenant, adept=adept, status=Pair.Status.ACTIVE).exists():
        raise ValidationError(_("You already have a mentor."))
    if MentorRequest.objects.filter(
        tenant=tenant, adept=adept, status=MentorRequest.Status.ASKED
    ).exists():
        raise ValidationError(
            _("You have already asked a mentor. Wait for the answer or withdraw that request.")
        )
    if mentor.stage not in matching_selectors.MENTOR_STAGES:
        raise ValidationError(_("%(m)s no longer takes adepts.") % {"m": _name(mentor)})
    if mentor_is_away(mentor):
        raise ValidationError(_("%(m)s no longer takes adepts.") % {"m": _name(mentor)})
    if active_pairs(mentor.pk) >= (mentor.capacity or 1):
        raise ValidationError(
            _("%(m)s has no place left. Choose another mentor.") % {"m": _name(mentor)}
        )
    # The round's hard rules (e.g. not someone in the adept's own line of managers) hold here too.
    breaches = [
        b["reason"]
        for b in check_pair(round_=round_, mentor_app=mentor, adept_app=adept)
        if b["rule"] not in ("availability", "capacity")
    ]
    if breaches:
        raise ValidationError(breaches)
    request = MentorRequest.objects.create(
        tenant=tenant, round=round_, adept=adept, mentor=mentor, message=message
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.mentor_requested",
        obj=request,
        data={"mentor": mentor.pk, "adept": adept.pk},
    )
    _mail(
        "mentor_request",
        recipient=mentor,
        partner=adept,
        request=request,
        url=absolute(
            reverse("matching_requests:incoming", kwargs={"tenant": tenant.slug}), base_url
        ),
    )
    return request


def _lock_request(tenant, request):
    return (
        MentorRequest.objects.select_for_update(of=("self",))
        .select_related("round", "round__programme", "tenant")
        .get(pk=request.pk, tenant=tenant)
    )


@transaction.atomic
def accept(*, tenant, actor, request):
    """The mentor accepts: an active pair, both applications matched, both participants, mail.

    The mentor's application row is locked first and the active pairs counted again under the
    lock; when the places are gone the request is refused (and stays open for a decline)."""
    _check_tenant(tenant, request)
    apps = _lock_apps(tenant, request.adept_id, request.mentor_id)
    request = _lock_request(tenant, request)
    adept, mentor = apps[request.adept_id], apps[request.mentor_id]
    if actor is None or mentor.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if request.status != MentorRequest.Status.ASKED:
        raise ValidationError(_("This request is no longer open."))
    if mentor.stage not in matching_selectors.MENTOR_STAGES:
        raise ValidationError(_("You no longer take adepts in this round."))
    if active_pairs(mentor.pk) >= (mentor.capacity or 1):
        raise ValidationError(
            _(
                "You have no place left: all your %(n)s places are taken. Decline the request "
                "or ask the coordinator to raise your number of places."
            )
            % {"n": mentor.capacity or 1}
        )
    if (
        adept.stage != Stage.ACCEPTED
        or Pair.objects.filter(tenant=tenant, adept=adept, status=Pair.Status.ACTIVE).exists()
    ):
        raise ValidationError(_("%(a)s already has a mentor.") % {"a": _name(adept)})
    round_ = request.round
    if (
        round_.max_pairs is not None
        and matching_selectors.active_pair_count(round_) >= round_.max_pairs
    ):
        raise ValidationError(_("The round has reached its number of pairs."))

    now = timezone.now()
    request.status = MentorRequest.Status.ACCEPTED
    request.decided_at = now
    request.save(update_fields=["status", "decided_at"])
    pair = start_pair(
        tenant=tenant,
        round_=round_,
        mentor_app=mentor,
        adept_app=adept,
        actor=actor,
        reason=_("%(m)s accepted the adept's request.") % {"m": _name(mentor)},
        started_at=now,
        log_data={"mentor_request": request.pk},
        # One mail for the one event: the adept's below (the mentor has just accepted on the
        # page; "the matching is done" would be wrong where the adept chooses).
        notify=False,
    )
    _mail(
        "mentor_request_accepted",
        recipient=adept,
        partner=mentor,
        request=request,
        url=absolute(
            reverse("matching_pairwork:pair", kwargs={"tenant": tenant.slug, "pk": pair.pk})
        ),
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.mentor_request_accepted",
        obj=request,
        data={"pair": pair.pk, "mentor": mentor.pk, "adept": adept.pk},
    )
    if active_pairs(mentor.pk) >= (mentor.capacity or 1):
        decline_open_requests(tenant=tenant, mentor_app=mentor, why=FULL)
    return pair


def mentor_is_away(mentor_app):
    """The mentor paused or left the standing bank (bank.models.BankMentor)."""
    return Application.objects.filter(
        pk=mentor_app.pk, bank_entry__status__in=matching_selectors.BANK_AWAY
    ).exists()


FULL, PAUSED, LEFT = "full", "paused", "left"


def decline_open_requests(*, tenant, mentor_app, why, base_url=""):
    """Decline every open request to a mentor who became full, paused or left the bank, each
    with a kind mail to the adept linking to the list to choose again. The caller holds the
    mentor's row lock (accept, bank.services). Returns the requests declined."""
    _check_tenant(tenant, mentor_app)
    requests = list(
        MentorRequest.objects.select_for_update(of=("self",))
        .filter(tenant=tenant, mentor=mentor_app, status=MentorRequest.Status.ASKED)
        .select_related("round", "round__programme", "tenant", "adept", "adept__user")
        .order_by("pk")
    )
    if not requests:
        return []
    url = (base_url or site_url()) + reverse(
        "matching_requests:mentors", kwargs={"tenant": tenant.slug}
    )
    now = timezone.now()
    for request in requests:
        request.status = MentorRequest.Status.DECLINED
        request.decided_at = now
        request.save(update_fields=["status", "decided_at"])
        log_activity(
            tenant=tenant,
            actor=None,
            action="matching.mentor_request_auto_declined",
            obj=request,
            data={"mentor": mentor_app.pk, "adept": request.adept_id, "why": why},
        )
        _mail(
            "mentor_request_auto_declined",
            recipient=request.adept,
            partner=mentor_app,
            request=request,
            why=why,
            url=url,
        )
    return requests


@transaction.atomic
def decline(*, tenant, actor, request, note=""):
    """The mentor declines, with a note for the adept (who may then ask someone else)."""
    _check_tenant(tenant, request)
    request = _lock_request(tenant, request)
    apps = _lock_apps(tenant, request.adept_id, request.mentor_id)
    adept, mentor = apps[request.adept_id], apps[request.mentor_id]
    if actor is None or mentor.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if request.status != MentorRequest.Status.ASKED:
        raise ValidationError(_("This request is no longer open."))
    note = (note or "").strip()
    if len(note) > MESSAGE_MAX:
        raise ValidationError(_("Keep the note to %(n)s characters.") % {"n": MESSAGE_MAX})
    request.status = MentorRequest.Status.DECLINED
    request.decided_at = timezone.now()
    request.decline_note = note
    request.save(update_fields=["status", "decided_at", "decline_note"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.mentor_request_declined",
        obj=request,
        data={"mentor": mentor.pk, "adept": adept.pk},
    )
    _mail(
        "mentor_request_declined",
        recipient=adept,
        partner=mentor,
        request=request,
        note=note,
        url=absolute(reverse("matching_requests:mentors", kwargs={"tenant": tenant.slug})),
    )
    return request


@transaction.atomic
def withdraw(*, tenant, actor, request):
    """The adept takes back an open request."""
    _check_tenant(tenant, request)
    request = _lock_request(tenant, request)
    adept = Application.objects.get(tenant=tenant, pk=request.adept_id)
    if actor is None or adept.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if request.status != MentorRequest.Status.ASKED:
        raise ValidationError(_("This request is no longer open."))
    request.status = MentorRequest.Status.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.mentor_request_withdrawn",
        obj=request,
        data={"mentor": request.mentor_id, "adept": adept.pk},
    )
    return request


# Labels for the activity log, loaded by ChoosingConfig.ready(). The actions keep their
# ``matching.`` names: the log rows written before the choosing became an app use them.
ACTIVITY_LABELS = {
    "matching.mentor_requested": gettext_lazy("Adept asked a mentor"),
    "matching.mentor_request_accepted": gettext_lazy("Mentor accepted an adept's request"),
    "matching.mentor_request_declined": gettext_lazy("Mentor declined an adept's request"),
    "matching.mentor_request_withdrawn": gettext_lazy("Adept withdrew a request to a mentor"),
    "matching.mentor_request_auto_declined": gettext_lazy(
        "Request declined: the mentor has no place left or is away"
    ),
}


def anonymise(*, application_ids):
    """Retention hook (applications.services.ON_ANONYMISE): the requests' free texts go too.
    Returns them, since the mails about a request quote them."""
    requests = MentorRequest.objects.filter(
        Q(adept_id__in=application_ids) | Q(mentor_id__in=application_ids)
    )
    texts = [t for row in requests.values_list("message", "decline_note") for t in row if t]
    requests.update(message="", decline_note="")
    return texts
