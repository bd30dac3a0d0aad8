"""The two-factor policy for staff roles, and the audit of sign-ins and second factors.

Policy. A tenant with ``require_two_factor`` on sends a coordinator or HR contact who has no
second factor to :class:`~organisations.views.TwoFactorRequiredView` before any
``/<tenant>/manage/`` or ``/<tenant>/hr/`` page (the middleware calls :func:`must_set_up`).
A second factor is an allauth.mfa authenticator of a kind that signs in (an authenticator app,
a security key or a passkey; recovery codes alone do not count), or a session whose identity
provider asserted that it did the second factor itself.

Hook for identity providers: a sign-in flow whose assertion says multi-factor authentication
was done (OIDC ``amr`` containing ``mfa``/``otp``/``hwk``, an ``acr`` the tenant trusts, a SAML
``AuthnContextClassRef`` for multi-factor) sets ``request.session[MFA_BY_PROVIDER] = True``
after the sign-in (:func:`mark_mfa_by_provider`). The flag lives and dies with the session.

Audit. Sign-ins, failed sign-ins, failed second-factor codes and second factors added or
removed are written to the activity log of every tenant where the person has a membership
(coordinators and HR contacts: the people the policy is about, whose sign-ins a coordinator
may need to review). A sign-in is outside any tenant (``/accounts/``), so there is no single
tenant to write to. Nobody else's sign-in reaches a tenant's log; every event also goes to
the application log as one line with the user's id, or a hash of the address typed when no
account has it. No password, code, token or address is ever recorded.
"""

import hashlib
import logging

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .activity import register
from .models import Membership, User

logger = logging.getLogger("mentorship.security")

# Set true by an identity provider's sign-in when its assertion says MFA was done.
MFA_BY_PROVIDER = "mfa_by_provider"
# Where the person was going when the policy stopped them: offered again after the set-up.
SETUP_NEXT = "mfa_setup_next"

SIGN_IN_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

register(
    {
        "account.signed_in": _("Signed in"),
        "account.sign_in_failed": _("Failed sign-in"),
        "account.second_factor_failed": _("Wrong second-factor code at sign-in"),
        "mfa.added": _("Second factor added"),
        "mfa.removed": _("Second factor removed"),
        "mfa.recovery_codes_renewed": _("New recovery codes made"),
    }
)

KIND_LABELS = {
    Authenticator.Type.TOTP: "totp",
    Authenticator.Type.WEBAUTHN: "webauthn",
    Authenticator.Type.RECOVERY_CODES: "recovery_codes",
}


def mark_mfa_by_provider(request):
    """For a provider's sign-in flow: this session did its second factor at the provider."""
    request.session[MFA_BY_PROVIDER] = True


def has_second_factor(request):
    if request.session.get(MFA_BY_PROVIDER):
        return True
    return Authenticator.objects.filter(user=request.user, type__in=SIGN_IN_FACTORS).exists()


def must_set_up(request, tenant, membership):
    """True when the tenant's policy stops this signed-in member here."""
    if not tenant.require_two_factor or membership is None:
        return False
    if not (membership.is_coordinator or membership.is_hr_contact):
        return False
    return not has_second_factor(request)


def remember_next(request, path):
    request.session[SETUP_NEXT] = path


def pending_next(request):
    """The staff page the policy stopped the person on, once they have a second factor."""
    path = request.session.get(SETUP_NEXT)
    if not path or not request.user.is_authenticated:
        return None
    if not url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return None
    if not has_second_factor(request):
        return None
    return path


# --- audit -------------------------------------------------------------------------------


def _address_hash(address):
    normalised = (address or "").strip().lower().encode()
    return hashlib.sha256(settings.SECRET_KEY.encode() + b":" + normalised).hexdigest()[:16]


def _provider(kwargs):
    sociallogin = kwargs.get("sociallogin")
    account = getattr(sociallogin, "account", None)
    return getattr(account, "provider", "") or ""


def record_for_member_tenants(*, user, action, actor, data):
    """One activity row in each tenant where ``user`` has a membership, concerning the
    person (shown by the name the tenant's team list shows)."""
    from .services import log_activity

    with scopes_disabled():
        # allauth passes request.user (a lazy object) for the second factors.
        user = User.objects.get(pk=user.pk)
        memberships = list(Membership.objects.filter(user=user).select_related("tenant"))
        for membership in memberships:
            log_activity(
                tenant=membership.tenant, actor=actor, action=action, obj=user, data=dict(data)
            )
    return len(memberships)


def _how_signed_in(request, kwargs):
    """How, from allauth's record of this session's authentications (no secrets in it):
    ``method`` password, passkey, code or provider, and the second factor used, if any."""
    data = {"method": "password"}
    records = request.session.get("account_authentication_methods", []) if request else []
    for record in records:
        method = record.get("method")
        if method == "socialaccount":
            data["method"] = "provider"
            data["provider"] = record.get("provider", "")
        elif method == "code":
            data["method"] = "code"
        elif method == "mfa" and record.get("passwordless"):
            data["method"] = "passkey"
        elif method == "mfa":
            data["second_factor"] = KIND_LABELS.get(record.get("type"), record.get("type"))
    provider = _provider(kwargs)
    if provider:
        data["method"] = "provider"
        data["provider"] = provider
    if request is not None and request.session.get(MFA_BY_PROVIDER):
        data["mfa_by_provider"] = True
    return data


def on_signed_in(sender, request, user, **kwargs):
    data = _how_signed_in(request, kwargs)
    record_for_member_tenants(user=user, action="account.signed_in", actor=user, data=data)
    logger.info("sign-in user_id=%s method=%s", user.pk, data["method"])


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    address = credentials.get("email") or credentials.get("username") or ""
    with scopes_disabled():
        user = User.objects.filter(email__iexact=address.strip()).first() if address else None
    if user is None:
        logger.info("failed sign-in unknown_address=%s", _address_hash(address))
        return
    record_for_member_tenants(user=user, action="account.sign_in_failed", actor=None, data={})
    logger.info("failed sign-in user_id=%s", user.pk)


def on_second_factor_failed(sender, request, user, authenticator=None, **kwargs):
    kind = KIND_LABELS.get(getattr(authenticator, "type", None), "")
    data = {"kind": kind}
    if kwargs.get("reauthentication"):
        data["reauthentication"] = True
    record_for_member_tenants(
        user=user, action="account.second_factor_failed", actor=None, data=data
    )
    logger.info("failed second factor user_id=%s kind=%s", user.pk, kind)


def _authenticator_event(action):
    def receiver(sender, request, user, authenticator, **kwargs):
        kind = KIND_LABELS.get(authenticator.type, authenticator.type)
        data = {"kind": kind}
        if authenticator.type == Authenticator.Type.WEBAUTHN:
            passwordless = authenticator.wrap().is_passwordless
            if passwordless is not None:
                data["passkey"] = bool(passwordless)
        record_for_member_tenants(user=user, action=action, actor=user, data=data)
        logger.info("%s user_id=%s kind=%s", action, user.pk, kind)

    return receiver


on_authenticator_added = _authenticator_event("mfa.added")
on_authenticator_removed = _authenticator_event("mfa.removed")
on_authenticator_reset = _authenticator_event("mfa.recovery_codes_renewed")


def connect():
    # allauth's own "logged in" (password, passkey, provider), not Django's: a test's
    # force_login or a script's login() is no sign-in of a person.
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals
    from django.contrib.auth import signals as auth_signals

    account_signals.user_logged_in.connect(on_signed_in, dispatch_uid="audit-signed-in")
    auth_signals.user_login_failed.connect(on_sign_in_failed, dispatch_uid="audit-sign-in-failed")
    mfa_signals.authentication_failed.connect(
        on_second_factor_failed, dispatch_uid="audit-second-factor-failed"
    )
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="audit-mfa-added")
    mfa_signals.authenticator_removed.connect(
        on_authenticator_removed, dispatch_uid="audit-mfa-removed"
    )
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid="audit-mfa-reset")
