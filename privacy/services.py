"""The state changes of retention and of the person's rights: each one service function
with keyword-only arguments, checks that raise a clear error, and an activity-log row.

- ``apply_retention``: the one owner of retention. Anonymises what ``selectors.due_items``
  says is due (cohort rounds from their end, continuous programmes per application from
  the end of its last pair or its last change), through
  ``applications.services.anonymise_applications``, which also clears the later apps'
  texts (mentor requests, private notes, checklist answers, messages) and scrubs the outbox
  and the activity log. Run daily by ``privacy.tasks.apply_retention``.
- ``request_erasure`` / ``carry_out_erasure`` / ``decline_erasure``: GDPR art. 17.
- ``log_extract``: a register extract (GDPR art. 15/20) was downloaded.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application, PutForward
from applications.services import anonymise_applications, forget_actor
from messaging.models import RoundMessageRecipient
from organisations.models import ActivityLog, Membership
from organisations.services import log_activity, scrub_people
from pairs.models import ChecklistItemAnswer, PrivateNote
from programmes.models import CalendarFeed, Participant

from . import selectors
from .models import ErasureRequest

ACTIVITY_LABELS = {
    "privacy.retention_applied": gettext_lazy("Applications anonymised after the retention period"),
    "privacy.extract_downloaded": gettext_lazy("Register extract downloaded"),
    "privacy.erasure_requested": gettext_lazy("Erasure asked for"),
    "privacy.erasure_carried_out": gettext_lazy("Erasure carried out"),
    "privacy.erasure_applications": gettext_lazy("Applications anonymised on an erasure request"),
    "privacy.erasure_declined": gettext_lazy("Erasure request declined"),
}


def apply_retention(*, tenant, actor=None, now=None):
    """Anonymise everything of the tenant whose retention period has run out. Returns how
    many applications were anonymised. Running it again changes nothing."""
    now = now or timezone.now()
    total = 0
    items = selectors.due_items(tenant=tenant, now=now)
    with transaction.atomic():
        cohort = [item for item in items if item.application is None]
        single = [item.application.pk for item in items if item.application is not None]
        for item in cohort:
            ids = Application.objects.filter(
                tenant=tenant, round=item.round, anonymised_at__isnull=True
            ).values_list("pk", flat=True)
            total += anonymise_applications(
                tenant=tenant, application_ids=list(ids), actor=actor, obj=item.round
            )
        if single:
            total += anonymise_applications(tenant=tenant, application_ids=single, actor=actor)
        if total:
            log_activity(
                tenant=tenant,
                actor=actor,
                action="privacy.retention_applied",
                data={"applications": total, "rounds": len(cohort), "one_by_one": len(single)},
            )
    return total


def log_extract(*, tenant, actor, user, file_format):
    """A register extract of ``user`` was made by ``actor`` (themselves or a coordinator)."""
    log_activity(
        tenant=tenant,
        actor=actor,
        action="privacy.extract_downloaded",
        data={"format": file_format, "own": actor.pk == user.pk, "person": user.pk},
    )


@transaction.atomic
def request_erasure(*, tenant, user, message=""):
    """The person asks the tenant to erase their data; one open request at a time."""
    if ErasureRequest.objects.filter(
        tenant=tenant, user=user, status=ErasureRequest.Status.REQUESTED
    ).exists():
        raise ValidationError(_("You have already asked; the coordinators will handle it."))
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(
                tenant=tenant, user=user, message=message.strip()
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already asked; the coordinators will handle it.")
        ) from error
    log_activity(tenant=tenant, actor=user, action="privacy.erasure_requested", obj=request)
    return request


def _open(tenant, erasure_request):
    if erasure_request.tenant_id != tenant.pk:
        raise ValidationError(_("This request belongs to another organisation."))
    if erasure_request.status != ErasureRequest.Status.REQUESTED:
        raise ValidationError(_("This request has already been handled."))


@transaction.atomic
def carry_out_erasure(*, tenant, actor, erasure_request):
    """Erase what the tenant holds about the person of ``erasure_request``, as the preview
    (``selectors.erasure_preview``) lists it: their applications are anonymised (with the
    pairs' texts, requests, messages and the outbox), their own notes and checklist answers,
    their places as participant, their calendar feeds and their role in the tenant go; the
    log rows they made lose their name. What stays: the anonymous rows for the statistics
    and the pairs' link between the two accounts (the rule "not a pair before"). The account
    itself is not the tenant's: it stays for the person's other organisations."""
    _open(tenant, erasure_request)
    user = erasure_request.user
    if Membership.objects.filter(tenant=tenant, user=user, is_coordinator=True).exists():
        raise ValidationError(
            _("The person is a coordinator: take away the role on the team page first.")
        )
    ids = list(Application.objects.filter(tenant=tenant, user=user).values_list("pk", flat=True))
    count = anonymise_applications(
        tenant=tenant,
        application_ids=ids,
        actor=actor,
        obj=erasure_request,
        action="privacy.erasure_applications",
    )
    PrivateNote.objects.filter(tenant=tenant, author=user).delete()
    ChecklistItemAnswer.objects.filter(tenant=tenant, user=user).delete()
    RoundMessageRecipient.objects.filter(tenant=tenant).filter(
        Q(user=user) | Q(email__iexact=user.email)
    ).update(
        user=None,
        email=Concat(Value("anonymised-"), Cast("pk", CharField()), Value("@invalid")),
    )
    scrub_people(tenant=tenant, texts=[user.full_name, user.phone], addresses=[user.email])
    PutForward.objects.filter(tenant=tenant, email__iexact=user.email).update(
        full_name=_("Anonymised"), email="anonymised@invalid"
    )
    participants = Participant.objects.filter(tenant=tenant, user=user).delete()[0]
    CalendarFeed.objects.filter(tenant=tenant, user=user).delete()
    Membership.objects.filter(tenant=tenant, user=user).delete()
    ActivityLog.objects.filter(tenant=tenant, actor=user).update(actor=None)
    forget_actor(tenant=tenant, user=user)
    erasure_request.status = ErasureRequest.Status.DONE
    erasure_request.handled_at = timezone.now()
    erasure_request.handled_by = actor
    erasure_request.message = ""
    erasure_request.save(update_fields=["status", "handled_at", "handled_by", "message"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="privacy.erasure_carried_out",
        obj=erasure_request,
        data={"applications": count, "participations": participants},
    )
    return count


@transaction.atomic
def decline_erasure(*, tenant, actor, erasure_request, reason):
    """Decline a request with a reason (e.g. a legal duty to keep the data for now)."""
    _open(tenant, erasure_request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason, the person is told it."))
    erasure_request.status = ErasureRequest.Status.DECLINED
    erasure_request.handled_at = timezone.now()
    erasure_request.handled_by = actor
    erasure_request.decline_reason = reason
    erasure_request.save(update_fields=["status", "handled_at", "handled_by", "decline_reason"])
    log_activity(tenant=tenant, actor=actor, action="privacy.erasure_declined", obj=erasure_request)
    return erasure_request
