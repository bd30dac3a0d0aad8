from django import template
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from organisations.models import Tenant

register = template.Library()


@register.simple_tag
def tenant_sign_in_url(next_url):
    """The tenant's own sign-in page (address first, then its provider) for a sign-in that is
    on its way to one of the tenant's pages; empty when the tenant has no provider."""
    if not next_url or not str(next_url).startswith("/"):
        return ""
    try:
        slug = resolve(str(next_url).split("?", 1)[0]).kwargs.get("tenant")
    except Resolver404:
        return ""
    if not slug:
        return ""
    tenant = Tenant.objects.filter(
        slug=slug, is_active=True, identity_providers__isnull=False
    ).first()
    if tenant is None:
        return ""
    url = reverse("identity:sign_in", kwargs={"tenant": tenant.slug})
    return f"{url}?{urlencode({'next': next_url})}"
