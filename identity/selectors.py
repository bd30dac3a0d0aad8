"""Reads shared by the sign-in page, the password rule and the adapter."""

from django_scopes import scopes_disabled

from .models import IdentityProvider


def domain_of(email):
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""


def providers_for_email(*, tenant, email):
    """The tenant's providers serving the address's domain (at most one: a domain belongs to
    one provider per tenant)."""
    domain = domain_of(email)
    if not domain:
        return []
    return [
        p
        for p in IdentityProvider.objects.filter(tenant=tenant).select_related("app")
        if domain in p.domains
    ]


def provider_of_app(app):
    """The IdentityProvider behind an allauth app (the callbacks run outside any tenant)."""
    with scopes_disabled():
        return IdentityProvider.objects.select_related("tenant", "app").filter(app=app).first()


def exclusive_tenants_for(*, email, user=None, tenant_slug=None):
    """Tenants that sign this address in only through their provider: among the tenant the
    person started from (its sign-in page) and the tenants the person belongs to. Two tenants
    may claim one domain; only theirs count. Runs outside a tenant (the password sign-in)."""
    domain = domain_of(email)
    if not domain:
        return []
    with scopes_disabled():
        rows = IdentityProvider.objects.filter(exclusive=True, tenant__is_active=True)
        candidates = [p for p in rows.select_related("tenant") if domain in p.domains]
        if not candidates:
            return []
        tenant_ids = set()
        if user is not None:
            from applications.models import Application
            from organisations.models import Membership

            tenant_ids |= set(
                Membership.objects.filter(user=user).values_list("tenant_id", flat=True)
            )
            tenant_ids |= set(
                Application.objects.filter(user=user).values_list("tenant_id", flat=True)
            )
        return [
            p.tenant
            for p in candidates
            if p.tenant_id in tenant_ids or p.tenant.slug == tenant_slug
        ]
