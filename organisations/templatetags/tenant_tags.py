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


@register.simple_tag(takes_context=True)
def two_factor_continue(context):
    """The staff page the two-factor policy stopped the person on, once they have a second
    factor (None before): the MFA pages offer it as the way back."""
    from organisations import twofactor

    request = context.get("request")
    if request is None:
        return None
    return twofactor.pending_next(request)
