"""A signed-in person's own direct links, per tenant: their draft, their application, their
pair, their programme, the decisions waiting for them as HR contact. Each feature app
contributes its links (``mentorship.hooks.PERSONAL_LINKS``); this module collects them for
the start page (every tenant) and the header (the page's tenant)."""

from dataclasses import dataclass

from django_scopes import scopes_disabled

from mentorship import hooks


@dataclass(frozen=True)
class PersonalLink:
    """One link: ``text`` is what to do or see ("Continue with your draft"), ``context``
    what it belongs to (the programme and round), ``short`` the header's short label.
    Lower ``order`` first."""

    tenant: object
    text: str
    url: str
    context: str = ""
    short: str = ""
    order: int = 50
    key: str = ""


def links_for(*, user, tenant=None):
    """The person's links in ``tenant`` or (None) in every active tenant, sorted by tenant
    name, then ``order``. Across tenants the person reads only their own rows."""
    if not getattr(user, "is_authenticated", False):
        return []
    links = []
    if tenant is None:
        with scopes_disabled():
            for implementation in hooks.PERSONAL_LINKS:
                links.extend(implementation(user=user, tenant=None) or [])
    else:
        for implementation in hooks.PERSONAL_LINKS:
            links.extend(implementation(user=user, tenant=tenant) or [])
    links.sort(key=lambda link: (link.tenant.name, link.order, link.context))
    return links


def tenant_filter(tenant, prefix="tenant"):
    """``tenant=...`` for one tenant, or every active tenant."""
    if tenant is not None:
        return {prefix: tenant}
    return {f"{prefix}__is_active": True}
