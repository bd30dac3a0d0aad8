"""Every write in the organisations app: one function per change, keyword-only."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from mentorship.mail import recipient_language
from mentorship.web import absolute
from organisations.outbox import queue_mail

from .models import ActivityLog, Invitation, Membership, Organisation, OutgoingMail, Role, Tenant

INVITATION_SALT = "organisations.invitation"
# The person behind an unusable invitation link reaches the coordinators at most this often.
RENEWAL_REQUEST_INTERVAL = timedelta(days=1)


def log_activity(*, tenant, actor, action, obj=None, before=None, after=None, data=None):
    """Record who did what to which object. Every state-changing service calls this."""
    payload = dict(data or {})
    if before is not None:
        payload["before"] = before
    if after is not None:
        payload["after"] = after
    entry = ActivityLog(
        tenant=tenant,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        data=payload,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(type(obj))
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:300]
    entry.save()
    return entry


def _snapshot(instance, fields):
    out = {}
    for name in fields:
        value = getattr(instance, name)
        if hasattr(value, "pk"):
            value = str(value)
        out[name] = value
    return out


# --- tenants -------------------------------------------------------------------------------


@transaction.atomic
def create_tenant(
    *,
    slug,
    name,
    contact_email,
    coordinator_email,
    default_language="sv",
    timezone_name="Europe/Stockholm",
    retention_months=24,
    is_active=True,
    actor=None,
    base_url="",
):
    """Create a tenant and give it its first coordinator.

    An existing user becomes coordinator at once; anybody else gets an invitation
    (returned so the caller can show the link).
    """
    coordinator_email = coordinator_email.strip()
    try:
        validate_email(coordinator_email)
    except ValidationError as exc:
        raise ValidationError({"coordinator_email": exc.messages}) from exc
    tenant = Tenant(
        slug=slug,
        name=name,
        contact_email=contact_email,
        default_language=default_language,
        timezone=timezone_name,
        retention_months=retention_months,
        is_active=is_active,
    )
    tenant.full_clean()
    tenant.save()
    with scope(tenant=tenant):
        log_activity(
            tenant=tenant,
            actor=actor,
            action="tenant.created",
            obj=tenant,
            after={"slug": slug, "name": name},
        )
        user = get_user_model().objects.filter(email__iexact=coordinator_email).first()
        if user is not None:
            Membership.objects.create(tenant=tenant, user=user, is_coordinator=True)
            log_activity(
                tenant=tenant,
                actor=actor,
                action="membership.created",
                obj=user,
                after={"roles": [Role.COORDINATOR]},
            )
            return tenant, None
        invitation = invite(
            tenant=tenant,
            actor=actor,
            email=coordinator_email,
            role=Role.COORDINATOR,
            base_url=base_url,
        )
    return tenant, invitation


# --- the public page ---------------------------------------------------------------------

TENANT_PAGE_FIELDS = (
    "introduction",
    "contact_email",
    "nominator_name",
    "accessibility_shortcomings",
    "require_two_factor",
)


@transaction.atomic
def update_tenant_page(
    *,
    tenant,
    actor,
    introduction,
    contact_email,
    nominator_name=None,
    accessibility_shortcomings=None,
    require_two_factor=None,
):
    """The public page's introduction and contact address, the name of the nominating
    role, the tenant's own known accessibility shortcomings and the two-factor policy for
    staff roles (None: unchanged), changed by a coordinator."""
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    before = _snapshot(tenant, TENANT_PAGE_FIELDS)
    tenant.introduction = introduction
    tenant.contact_email = contact_email
    if nominator_name is not None:
        tenant.nominator_name = " ".join(nominator_name.split())
    if require_two_factor is not None:
        tenant.require_two_factor = require_two_factor
    if accessibility_shortcomings is not None:
        tenant.accessibility_shortcomings = accessibility_shortcomings.strip()
    tenant.save(update_fields=list(TENANT_PAGE_FIELDS))
    log_activity(
        tenant=tenant,
        actor=actor,
        action="tenant.page_updated",
        obj=tenant,
        before=before,
        after=_snapshot(tenant, TENANT_PAGE_FIELDS),
    )
    return tenant


# --- organisations -----------------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "kind", "region", "place", "parent", "is_active")


@transaction.atomic
def save_organisation(*, tenant, actor, organisation):
    """Create or update a member organisation (validated by its form)."""
    if organisation.parent_id and organisation.parent.tenant_id != tenant.pk:
        raise ValidationError({"parent": _("Choose an organisation of your own.")})
    organisation.tenant = tenant
    creating = organisation.pk is None
    before = None
    if not creating:
        before = _snapshot(Organisation.objects.get(pk=organisation.pk), ORGANISATION_FIELDS)
    organisation.save()
    log_activity(
        tenant=tenant,
        actor=actor,
        action="organisation.created" if creating else "organisation.updated",
        obj=organisation,
        before=before,
        after=_snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


@transaction.atomic
def set_organisation_active(*, tenant, actor, organisation, active):
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk, tenant=tenant)
    if organisation.is_active == active:
        return organisation
    organisation.is_active = active
    organisation.save(update_fields=["is_active"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="organisation.reactivated" if active else "organisation.archived",
        obj=organisation,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return organisation


# --- invitations -------------------------------------------------------------------------


def invitation_key(invitation):
    """The signed key that goes into the link (tampering breaks the signature)."""
    # A fixed signature (no timestamp): the same invitation always has the same link; its
    # expiry lives in the database.
    return signing.Signer(salt=INVITATION_SALT).sign(invitation.token)


def invitation_url(invitation, base_url=""):
    path = reverse(
        "organisations:invitation",
        kwargs={"tenant": invitation.tenant.slug, "key": invitation_key(invitation)},
    )
    return f"{base_url}{path}"


class InvitationError(Exception):
    """Why an invitation link cannot be used (shown to the person)."""

    def __init__(self, code, message, invitation=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.invitation = invitation


def resolve_invitation(*, tenant, key):
    """Find the invitation behind a link or raise InvitationError with a clear reason."""
    try:
        token = signing.Signer(salt=INVITATION_SALT).unsign(key)
    except signing.BadSignature as exc:
        raise InvitationError(
            "tampered",
            _("This invitation link is not valid. Check that you copied the whole link."),
        ) from exc
    invitation = Invitation.objects.filter(tenant=tenant, token=token).first()
    if invitation is None:
        raise InvitationError("unknown", _("This invitation link is not valid."))
    if invitation.revoked_at:
        raise InvitationError("revoked", _("This invitation has been withdrawn."), invitation)
    if invitation.accepted_at:
        raise InvitationError("used", _("This invitation has already been used."), invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationError("expired", _("This invitation has expired."), invitation)
    return invitation


@transaction.atomic
def invite(*, tenant, actor, email, role, organisations=(), base_url=""):
    """Invite a person to a role. A pending invitation to the same address and role is replaced."""
    email = email.strip().lower()
    organisations = list(organisations)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role == Role.HR_CONTACT and not organisations:
        raise ValidationError(
            {"organisations": _("An HR contact needs at least one organisation.")}
        )
    if any(org.tenant_id != tenant.pk for org in organisations):
        raise ValidationError({"organisations": _("Choose organisations of your own.")})
    now = timezone.now()
    Invitation.objects.filter(
        tenant=tenant, email=email, role=role, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        tenant=tenant,
        email=email,
        role=role,
        invited_by=actor if actor else None,
        expires_at=now + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    invitation.organisations.set(organisations)
    log_activity(
        tenant=tenant,
        actor=actor,
        action="invitation.sent",
        obj=invitation,
        after={"email": email, "role": role, "organisations": [o.name for o in organisations]},
    )
    existing = get_user_model().objects.filter(email=email).first()
    queue_mail(
        purpose="invitation",
        to=email,
        language=recipient_language(user=existing, tenant=tenant),
        context={
            "tenant": tenant,
            "invitation": invitation,
            # Lazy, so it is translated into the recipient's language when the mail is rendered.
            "role_label": Role(invitation.role).label,
            # Names, not model objects: the mail lists them in words ("A, B och C").
            "organisations": [o.name for o in organisations],
            "inviter": actor.get_full_name() if actor else "",
            "url": absolute(invitation_url(invitation), base_url),
            "expires_at": invitation.expires_at,
        },
    )
    return invitation


def already_has_role(*, tenant, email, role, organisations=()):
    """Whether the address already has the role here (an HR contact: for every organisation
    named), so that inviting it again would change nothing."""
    membership = (
        Membership.objects.filter(tenant=tenant, user__email__iexact=email.strip())
        .prefetch_related("organisations")
        .first()
    )
    if membership is None:
        return False
    if role == Role.COORDINATOR:
        return membership.is_coordinator
    mine = {o.pk for o in membership.organisations.all()}
    return membership.is_hr_contact and all(o.pk in mine for o in organisations)


def split_addresses(text):
    """The addresses in a pasted text: one a line, or separated by commas, semicolons or
    spaces; lower-cased, each once, in the order given."""
    out = []
    for part in re.split(r"[,;\s]+", text or ""):
        part = part.strip().strip("<>").lower()
        if part and part not in out:
            out.append(part)
    return out


MAX_BULK_INVITATIONS = 200


@transaction.atomic
def invite_many(*, tenant, actor, emails, role, organisations=(), base_url=""):
    """Invite several people to the same role (and organisations) through ``invite``.

    All addresses are checked first: any that is not an e-mail address refuses the whole
    list (a ValidationError naming them) and nobody is invited. Addresses that already have
    the role are skipped. Returns (invitations, skipped addresses).
    """
    emails = [e.strip().lower() for e in emails if e and e.strip()]
    organisations = list(organisations)
    if not emails:
        raise ValidationError({"emails": _("Write at least one e-mail address.")})
    if len(emails) > MAX_BULK_INVITATIONS:
        raise ValidationError(
            {
                "emails": _("At most %(n)s addresses at a time.") % {"n": MAX_BULK_INVITATIONS},
            }
        )
    invalid = []
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            invalid.append(email)
    if invalid:
        raise ValidationError(
            {
                "emails": _("These are not e-mail addresses: %(list)s. Nobody was invited.")
                % {"list": ", ".join(invalid)}
            }
        )
    invitations, skipped = [], []
    for email in emails:
        if already_has_role(tenant=tenant, email=email, role=role, organisations=organisations):
            skipped.append(email)
            continue
        invitations.append(
            invite(
                tenant=tenant,
                actor=actor,
                email=email,
                role=role,
                organisations=organisations,
                base_url=base_url,
            )
        )
    return invitations, skipped


@transaction.atomic
def revoke_invitation(*, tenant, actor, invitation):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, tenant=tenant)
    if invitation.accepted_at or invitation.revoked_at:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_activity(tenant=tenant, actor=actor, action="invitation.revoked", obj=invitation)
    return invitation


@transaction.atomic
def accept_invitation(*, tenant, invitation, user):
    """Give the signed-in person the invited role. Single use, and only for the invited address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, tenant=tenant)
    if invitation.accepted_at:
        raise InvitationError("used", _("This invitation has already been used."), invitation)
    if invitation.revoked_at:
        raise InvitationError("revoked", _("This invitation has been withdrawn."), invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationError("expired", _("This invitation has expired."), invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationError(
            "wrong_user",
            _(
                "You are signed in as %(current)s, but the invitation was sent to %(invited)s. "
                "Sign out and open the link again, or ask for an invitation to your own address."
            )
            % {"current": user.email, "invited": invitation.email},
            invitation,
        )
    membership, created = Membership.objects.get_or_create(tenant=tenant, user=user)
    before = {
        "is_coordinator": membership.is_coordinator,
        "is_hr_contact": membership.is_hr_contact,
    }
    if invitation.role == Role.COORDINATOR:
        membership.is_coordinator = True
    else:
        membership.is_hr_contact = True
    membership.save()
    membership.organisations.add(*invitation.organisations.all())
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _mark_email_verified(user, invitation.email)
    log_activity(
        tenant=tenant,
        actor=user,
        action="invitation.accepted",
        obj=invitation,
        before=None if created else before,
        after={
            "is_coordinator": membership.is_coordinator,
            "is_hr_contact": membership.is_hr_contact,
        },
    )
    return membership


def _mark_email_verified(user, email):
    """Following the invitation link proves the person reads that mailbox."""
    from allauth.account.models import EmailAddress

    has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=email, defaults={"email": email, "primary": not has_primary}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


@transaction.atomic
def request_new_invitation(*, tenant, invitation, base_url=""):
    """The person behind an expired, used or withdrawn link asks the coordinators for a new one.

    The link is public, so the request is a fixed message (who asks, and where to send a new
    invitation), reaching the coordinators at most once a day per invitation. Returns whether
    it did.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, tenant=tenant)
    now = timezone.now()
    last = invitation.renewal_requested_at
    if last is not None and last > now - RENEWAL_REQUEST_INTERVAL:
        return False
    invitation.renewal_requested_at = now
    invitation.save(update_fields=["renewal_requested_at"])
    log_activity(
        tenant=tenant,
        actor=None,
        action="invitation.renewal_requested",
        obj=invitation,
        data={"email": invitation.email},
    )
    coordinators = Membership.objects.filter(tenant=tenant, is_coordinator=True).select_related(
        "user"
    )
    recipients = {m.user.email: m.user for m in coordinators}
    recipients.setdefault(tenant.contact_email, None)
    team_path = reverse("organisations:team", kwargs={"tenant": tenant.slug})
    for address, user in recipients.items():
        queue_mail(
            purpose="invitation_renewal_requested",
            to=address,
            language=recipient_language(user=user, tenant=tenant),
            context={
                "tenant": tenant,
                "invitation": invitation,
                # Lazy, so it is translated into the recipient's language when the mail is rendered.
                "role_label": Role(invitation.role).label,
                "url": absolute(f"{team_path}#renewal-requests", base_url),
            },
        )
    return True


# --- memberships -------------------------------------------------------------------------


def _lock_with_coordinators(tenant, membership):
    """Lock the membership and every coordinator membership of the tenant, in one statement
    and always in the order of their ids: two coordinators demoting (or removing) each other
    at the same moment then wait for one another instead of deadlocking, and the second sees
    the first one's change. Returns the locked membership and the number of coordinators."""
    locked = list(
        Membership.objects.select_for_update()
        .filter(Q(is_coordinator=True) | Q(pk=membership.pk), tenant=tenant)
        .order_by("pk")
    )
    mine = next((m for m in locked if m.pk == membership.pk), None)
    if mine is None:
        raise Membership.DoesNotExist
    return mine, sum(1 for m in locked if m.is_coordinator)


@transaction.atomic
def update_membership(*, tenant, actor, membership, is_coordinator, is_hr_contact, organisations):
    membership, coordinators = _lock_with_coordinators(tenant, membership)
    organisations = list(organisations)
    if any(org.tenant_id != tenant.pk for org in organisations):
        raise ValidationError({"organisations": _("Choose organisations of your own.")})
    if not is_coordinator and not is_hr_contact:
        raise ValidationError(_("Choose at least one role, or remove the person instead."))
    if is_hr_contact and not organisations:
        raise ValidationError(
            {"organisations": _("An HR contact needs at least one organisation.")}
        )
    if membership.is_coordinator and not is_coordinator and coordinators <= 1:
        raise ValidationError(_("The last coordinator cannot be removed."))
    before = {
        "is_coordinator": membership.is_coordinator,
        "is_hr_contact": membership.is_hr_contact,
        "organisations": sorted(o.name for o in membership.organisations.all()),
    }
    membership.is_coordinator = is_coordinator
    membership.is_hr_contact = is_hr_contact
    membership.save()
    membership.organisations.set(organisations if is_hr_contact else [])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="membership.updated",
        obj=membership.user,
        before=before,
        after={
            "is_coordinator": is_coordinator,
            "is_hr_contact": is_hr_contact,
            "organisations": sorted(o.name for o in organisations),
        },
    )
    return membership


@transaction.atomic
def remove_membership(*, tenant, actor, membership):
    membership, coordinators = _lock_with_coordinators(tenant, membership)
    if membership.is_coordinator and coordinators <= 1:
        raise PermissionDenied(_("The last coordinator cannot be removed."))
    user = membership.user
    membership.delete()
    log_activity(tenant=tenant, actor=actor, action="membership.removed", obj=user)


@transaction.atomic
@transaction.atomic
def set_application_digest(*, membership, actor, enabled):
    """A coordinator or HR contact turns their daily summary of new applications on or off
    (their account page); logged in the tenant. Turned on again, the next summary starts
    from now, not from the day it was turned off."""
    membership = Membership.objects.select_for_update().get(
        pk=membership.pk, tenant=membership.tenant
    )
    if actor is None or membership.user_id != actor.pk:
        raise PermissionDenied
    if membership.application_digest == enabled:
        return membership
    membership.application_digest = enabled
    fields = ["application_digest"]
    if enabled:
        membership.digest_sent_at = timezone.now()
        fields.append("digest_sent_at")
    membership.save(update_fields=fields)
    log_activity(
        tenant=membership.tenant,
        actor=actor,
        action="membership.digest_turned_on" if enabled else "membership.digest_turned_off",
        obj=membership,
        before={"application_digest": not enabled},
        after={"application_digest": enabled},
    )
    return membership


def update_profile(*, user, full_name, phone, language):
    user.full_name = full_name
    user.phone = phone
    user.language = language
    user.save(update_fields=["full_name", "phone", "language"])
    return user


# --- retention -----------------------------------------------------------------------------

ANONYMISED = "anonymised@invalid"
# Shorter texts (initials, "Bo") would match inside unrelated words; a name or an address is
# always longer, and a longer text is what could identify someone.
SCRUB_MIN_LENGTH = 4


def _scrubbed(value, needles, replacement):
    """``value`` (a str, or JSON: dicts, lists) with every needle replaced, case-insensitive."""
    if isinstance(value, str):
        for needle in needles:
            if needle.lower() in value.lower():
                value = re.sub(re.escape(needle), replacement, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {k: _scrubbed(v, needles, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, needles, replacement) for v in value]
    return value


def scrub_people(*, tenant, texts, addresses):
    """Remove people from the tenant's outbox and activity log (retention): the one place that
    knows where names, addresses and free texts were copied to when they were recorded.

    ``texts`` are what identified them (names, addresses, reasons, free texts); ``addresses``
    their e-mail addresses. A mail to one of the addresses, or whose subject or text holds any
    of ``texts``, keeps its purpose, status and dates (the outbox's counts) but loses its
    recipient, subject and text. A log row keeps its action, actor, object and date; the texts
    are replaced in its label and in its data (before/after too). Returns (mails, log rows)
    changed.
    """
    addresses = {a.strip().lower() for a in addresses if a and a.strip()}
    needles = sorted(
        {t.strip() for t in [*texts, *addresses] if t and len(t.strip()) >= SCRUB_MIN_LENGTH},
        key=len,
        reverse=True,  # the longest first, so a name is not cut up by a part of it
    )
    if not needles:
        return 0, 0
    replacement = _("Anonymised")

    def matching(fields):
        q = Q()
        for needle in needles:
            for name in fields:
                q |= Q(**{f"{name}__icontains": needle})
        return q

    mails = (
        OutgoingMail.objects.filter(tenant=tenant)
        .annotate(reply_text=Cast("reply_to", TextField()))
        .filter(matching(["to", "subject", "body", "html", "reply_text"]))
    )
    changed_mails = 0
    for mail in mails:
        mail.to = ANONYMISED if mail.to.lower() in addresses else mail.to
        mail.subject = mail.body = mail.html = ""
        mail.reply_to = [a for a in mail.reply_to if a.lower() not in addresses]
        mail.last_error = _scrubbed(mail.last_error, needles, replacement)
        mail.dedupe_key = _scrubbed(mail.dedupe_key, needles, replacement)
        mail.save(
            update_fields=["to", "subject", "body", "html", "reply_to", "last_error", "dedupe_key"]
        )
        changed_mails += 1
    entries = (
        ActivityLog.objects.filter(tenant=tenant)
        .annotate(data_text=Cast("data", TextField()))
        .filter(matching(["object_repr", "data_text"]))
    )
    changed_entries = 0
    for entry in entries:
        entry.object_repr = _scrubbed(entry.object_repr, needles, replacement)
        entry.data = _scrubbed(entry.data, needles, replacement)
        entry.save(update_fields=["object_repr", "data"])
        changed_entries += 1
    return changed_mails, changed_entries
