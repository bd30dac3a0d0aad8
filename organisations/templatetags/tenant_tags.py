"""What a tenant calls things of its own, for templates and mails."""

from django import template

register = template.Library()


@register.filter
def nominator(tenant):
    """The nominating role's name in ``tenant`` ("HR contact" in the active language unless
    the tenant named it): ``{{ tenant|nominator }}``, ``{{ tenant|nominator|capfirst }}``."""
    if tenant is None or not hasattr(tenant, "nominator_label"):
        return ""
    return tenant.nominator_label
