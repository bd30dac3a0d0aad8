"""Every change of a tenant's identity providers and every link of an account to one.

A provider is two rows: allauth's ``SocialApp`` (the protocol settings and the secret) and our
``IdentityProvider`` (whose, which domains, what it may do). The activity log records who
changed what, never the secret (only that it was changed) and never a token.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.services import log_activity

from .claims import SAML_ATTRIBUTES
from .models import IdentityProvider

PROTOCOL = {IdentityProvider.Kind.OIDC: "openid_connect", IdentityProvider.Kind.SAML: "saml"}
LOGGED_FIELDS = ("name", "domains", "organisation", "exclusive", "allow_signup")


class ProviderError(Exception):
    pass


def _snapshot(provider):
    out = {name: getattr(provider, name) for name in LOGGED_FIELDS}
    out["organisation"] = str(provider.organisation) if provider.organisation else ""
    app = provider.app
    if provider.kind == IdentityProvider.Kind.OIDC:
        out["issuer"] = app.settings.get("server_url", "")
        out["client_id"] = app.client_id
    else:
        out["idp_entity_id"] = app.settings.get("idp", {}).get("entity_id", "")
        out["metadata_url"] = app.settings.get("identity", {}).get("metadata_url", "")
    return out


def next_provider_id(tenant):
    """``<tenant-slug>-<n>``, never reused within the tenant (the number only grows)."""
    prefix = f"{tenant.slug}-"
    used = [
        int(pid[len(prefix) :])
        for pid in SocialApp.objects.filter(provider_id__startswith=prefix).values_list(
            "provider_id", flat=True
        )
        if pid[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(used, default=0) + 1}"


def oidc_settings(*, issuer, end_session_endpoint=""):
    """allauth's settings of an OpenID Connect app; the provider's own sign-out address
    (``end_session_endpoint`` of its discovery document) is kept for the signed-out page."""
    out = {"server_url": issuer, "fetch_userinfo": True, "oauth_pkce_enabled": True}
    if end_session_endpoint:
        out["identity"] = {"end_session_endpoint": end_session_endpoint}
    return out


def saml_settings(*, idp, metadata_url=""):
    mapping = {
        key: names
        for key, names in SAML_ATTRIBUTES.items()
        if key in ("uid", "email", "email_verified", "first_name", "last_name")
    }
    return {
        "idp": idp,
        "attribute_mapping": mapping,
        "advanced": {
            "strict": True,
            "reject_idp_initiated_sso": True,
            "want_name_id": False,
        },
        "identity": {"metadata_url": metadata_url},
    }


def _check_domains(*, tenant, domains, exclude=None):
    if not domains:
        raise ProviderError(_("Give at least one e-mail domain."))
    others = IdentityProvider.objects.filter(tenant=tenant)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others:
        taken = sorted(set(domains) & set(other.domains))
        if taken:
            raise ProviderError(
                _("%(domains)s already sign in through %(provider)s.")
                % {"domains": ", ".join(taken), "provider": other.name}
            )


@transaction.atomic
def create_provider(
    *,
    tenant,
    actor,
    kind,
    name,
    domains,
    organisation=None,
    exclusive=False,
    allow_signup=False,
    protocol_settings,
    client_id="",
    secret="",
):
    _check_domains(tenant=tenant, domains=domains)
    if organisation is not None and organisation.tenant_id != tenant.pk:
        raise ProviderError(_("Choose an organisation of this tenant."))
    provider_id = next_provider_id(tenant)
    app = SocialApp.objects.create(
        provider=PROTOCOL[kind],
        provider_id=provider_id,
        name=name,
        # SAML's URLs carry the app's client id (allauth's "organization slug").
        client_id=client_id if kind == IdentityProvider.Kind.OIDC else provider_id,
        secret=secret,
        settings=protocol_settings,
    )
    provider = IdentityProvider.objects.create(
        tenant=tenant,
        kind=kind,
        name=name,
        domains=domains,
        organisation=organisation,
        exclusive=exclusive,
        allow_signup=allow_signup,
        app=app,
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="identity.provider_added",
        obj=provider,
        after=_snapshot(provider),
        data={"provider_id": provider_id, "kind": kind},
    )
    return provider


@transaction.atomic
def update_provider(
    *,
    tenant,
    actor,
    provider,
    name,
    domains,
    organisation=None,
    exclusive=False,
    allow_signup=False,
    protocol_settings,
    client_id=None,
    secret=None,
):
    """``secret`` None or empty keeps the saved one (it is never shown, so never resent)."""
    provider = IdentityProvider.objects.select_for_update().get(pk=provider.pk, tenant=tenant)
    _check_domains(tenant=tenant, domains=domains, exclude=provider)
    if organisation is not None and organisation.tenant_id != tenant.pk:
        raise ProviderError(_("Choose an organisation of this tenant."))
    before = _snapshot(provider)
    provider.name = name
    provider.domains = domains
    provider.organisation = organisation
    provider.exclusive = exclusive
    provider.allow_signup = allow_signup
    provider.save()
    app = provider.app
    app.name = name
    app.settings = protocol_settings
    if provider.kind == IdentityProvider.Kind.OIDC and client_id is not None:
        app.client_id = client_id
    secret_changed = bool(secret)
    if secret_changed:
        app.secret = secret
    app.save()
    log_activity(
        tenant=tenant,
        actor=actor,
        action="identity.provider_changed",
        obj=provider,
        before=before,
        after=_snapshot(provider),
        data={"provider_id": app.provider_id, "secret_changed": secret_changed},
    )
    return provider


@transaction.atomic
def delete_provider(*, tenant, actor, provider):
    """The provider goes with the links of accounts to it; the accounts stay (they sign in
    with a password, or a new provider links them again)."""
    provider = IdentityProvider.objects.select_for_update().get(pk=provider.pk, tenant=tenant)
    app = provider.app
    log_activity(
        tenant=tenant,
        actor=actor,
        action="identity.provider_removed",
        obj=provider,
        before=_snapshot(provider),
        data={"provider_id": app.provider_id},
    )
    SocialAccount.objects.filter(provider=app.provider_id).delete()
    provider.delete()
    app.delete()


def link_account(*, request, tenant, provider, sociallogin, user, email):
    """The first sign-in through a provider: the account with the same address gets the link,
    and the provider's verified address counts as verified."""
    sociallogin.connect(request, user)
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user, email=email, verified=True, primary=not user.emailaddress_set.exists()
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    log_activity(
        tenant=tenant,
        actor=user,
        action="identity.account_linked",
        obj=provider,
        data={"provider_id": provider.provider_id},
    )


def record_account_created(*, tenant, provider, user):
    log_activity(
        tenant=tenant,
        actor=user,
        action="identity.account_created",
        obj=provider,
        data={"provider_id": provider.provider_id},
    )


def record_refusal(*, tenant, provider, reason):
    """A refused provider sign-in: which provider and why, not who (the person is unknown
    to us or not allowed in; their address stays out of the log)."""
    log_activity(
        tenant=tenant,
        actor=None,
        action="identity.sign_in_refused",
        obj=provider,
        data={"provider_id": provider.provider_id, "reason": reason},
    )


def fill_profile(*, tenant, user, name, title):
    """Name and title from the provider fill empty fields only."""
    from applications.models import Application

    if name and not user.full_name:
        user.full_name = name[:200]
        user.save(update_fields=["full_name"])
    if title:
        Application.objects.filter(tenant=tenant, user=user, job_title="").update(
            job_title=title[:200]
        )
