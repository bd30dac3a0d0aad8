"""allauth hooks for sign-in through a tenant's own identity provider.

Who may come in through a provider is decided here, in ``pre_social_login``, before allauth
logs anybody in or creates anything:

- the provider belongs to the tenant whose sign-in page the person started from (the session
  says which); a provider of another tenant is refused;
- the provider returned an address, in one of the domains it serves, that it did not call
  unverified (a provider is trusted for the domains the tenant gave it: Entra ID and most SAML
  federations send no "verified" flag, an explicit ``email_verified: false`` is refused);
- the address already has an account (linked now, the address counts as verified), an open
  invitation or application link in this tenant, or the provider allows sign-up for its
  domains; otherwise nobody is created.

A refusal is a page that says why, and a row in the tenant's activity log (no address).
"""

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from organisations.adapters import SIGNUP_ALLOWED_SESSION_KEY
from organisations.adapters import AccountAdapter as BaseAccountAdapter
from organisations.models import Invitation, User
from organisations.twofactor import mark_mfa_by_provider

from . import services
from .claims import claims_of
from .selectors import domain_of, exclusive_tenants_for, provider_of_app

# The tenant whose sign-in page started a provider sign-in (set by identity.views.SignInView).
SESSION_TENANT = "identity_tenant"
# The provider this session signed in through (its pk), for the signed-out page.
SESSION_PROVIDER = "identity_provider"


def refuse(request, *, provider, tenant, reason, message, status=403):
    if provider is not None:
        with scope(tenant=tenant):
            services.record_refusal(tenant=tenant, provider=provider, reason=reason)
    response = render(
        request,
        "identity/refused.html",
        {"message": message, "tenant": tenant, "provider": provider},
        status=status,
    )
    raise ImmediateHttpResponse(response)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """Only the apps of identity providers; on a tenant's pages only that tenant's."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        tenant = getattr(request, "tenant", None) if request is not None else None
        out = []
        for app in apps:
            if app.pk is None:
                continue
            idp = provider_of_app(app)
            if idp is None or (tenant is not None and idp.tenant_id != tenant.pk):
                continue
            out.append(app)
        return out

    def pre_social_login(self, request, sociallogin):
        idp = provider_of_app(sociallogin.provider.app)
        if idp is None or not idp.tenant.is_active:
            refuse(
                request,
                provider=None,
                tenant=None,
                reason="unknown_provider",
                message=_("This sign-in service is not connected to any programme."),
            )
        tenant = idp.tenant
        with scope(tenant=tenant):
            self._check(request, sociallogin, idp, tenant)

    def _check(self, request, sociallogin, idp, tenant):
        def no(reason, message):
            refuse(request, provider=idp, tenant=tenant, reason=reason, message=message)

        if request.session.get(SESSION_TENANT) != tenant.slug:
            no(
                "other_tenant",
                _(
                    "%(provider)s signs in to %(tenant)s only. Start from the sign-in page of "
                    "the programme you want to reach."
                )
                % {"provider": idp.name, "tenant": tenant.name},
            )
        claims = claims_of(sociallogin)
        if not claims.email:
            no(
                "no_email",
                _(
                    "Your account at %(provider)s did not tell us your e-mail address, and we "
                    "need it to find your account. Ask your IT support to release the e-mail "
                    "address to this service, or sign in with your password."
                )
                % {"provider": idp.name},
            )
        if claims.email_verified is False:
            no(
                "unverified_email",
                _(
                    "%(provider)s says that the e-mail address of your account has not been "
                    "verified, so it cannot be used to sign in. Verify it with your "
                    "organisation, or sign in with your password."
                )
                % {"provider": idp.name},
            )
        if domain_of(claims.email) not in idp.domains:
            no(
                "unknown_domain",
                _(
                    "Your account at %(provider)s has an address at %(domain)s, which this "
                    "provider does not sign in for %(tenant)s. Sign in with your password, or "
                    "ask the programme's coordinators."
                )
                % {"provider": idp.name, "domain": domain_of(claims.email), "tenant": tenant.name},
            )

        # The provider's address, verified, is the one allauth keeps.
        sociallogin.email_addresses = [
            EmailAddress(email=claims.email, verified=True, primary=True)
        ]
        if sociallogin.user is not None and not sociallogin.is_existing:
            sociallogin.user.email = claims.email

        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            user = User.objects.filter(email__iexact=claims.email).first()
            if user is not None:
                if not user.is_active:
                    no("inactive", _("This account has been closed."))
                services.link_account(
                    request=request,
                    tenant=tenant,
                    provider=idp,
                    sociallogin=sociallogin,
                    user=user,
                    email=claims.email,
                )
            elif not self._may_sign_up(request, idp, tenant, claims.email):
                no(
                    "no_account",
                    _(
                        "There is no account for %(email)s in %(tenant)s yet. Accounts are "
                        "created when the programme's coordinators invite you or when you "
                        "apply through a round's application link."
                    )
                    % {"email": claims.email, "tenant": tenant.name},
                )
        if user is not None:
            services.fill_profile(tenant=tenant, user=user, name=claims.name, title=claims.title)
        request.session[SESSION_PROVIDER] = idp.pk
        if claims.mfa:
            # The provider did the second factor: the tenant's two-factor policy counts it.
            mark_mfa_by_provider(request)

    def _may_sign_up(self, request, idp, tenant, email):
        if idp.allow_signup or request.session.get(SIGNUP_ALLOWED_SESSION_KEY):
            return True
        return Invitation.objects.filter(
            tenant=tenant,
            email__iexact=email,
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        ).exists()

    def is_open_for_signup(self, request, sociallogin):
        # pre_social_login has refused everyone who may not get an account.
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        claims = claims_of(sociallogin)
        user.full_name = claims.name[:200]
        user.language = translation.get_language() or ""
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        idp = provider_of_app(sociallogin.provider.app)
        with scope(tenant=idp.tenant):
            services.record_account_created(tenant=idp.tenant, provider=idp, user=user)
            claims = claims_of(sociallogin)
            services.fill_profile(tenant=idp.tenant, user=user, name="", title=claims.title)
        return user


class AccountAdapter(BaseAccountAdapter):
    """organisations' adapter, and no password sign-in for an address whose tenant signs it
    in only through its provider (any sign-in that is not through a provider: password,
    password reset link, e-mail confirmation)."""

    def get_logout_redirect_url(self, request):
        """Asked before the session ends: a session that came through a provider goes on to
        the tenant's signed-out page, which offers the provider's own sign-out."""
        pk = request.session.get(SESSION_PROVIDER)
        slug = request.session.get(SESSION_TENANT)
        if pk and slug:
            url = reverse("identity:signed_out", kwargs={"tenant": slug})
            return f"{url}?provider={int(pk)}"
        return super().get_logout_redirect_url(request)

    def pre_login(self, request, user, **kwargs):
        response = super().pre_login(request, user, **kwargs)
        if response is not None:
            return response
        if (kwargs.get("signal_kwargs") or {}).get("sociallogin") is not None:
            return None
        tenants = exclusive_tenants_for(
            email=user.email, user=user, tenant_slug=request.session.get(SESSION_TENANT)
        )
        if tenants:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return render(
                request,
                "identity/password_blocked.html",
                {"tenants": tenants},
                status=403,
            )
        return None
