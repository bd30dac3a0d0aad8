from django import template

from programmes import selectors

register = template.Library()


@register.simple_tag
def public_rounds_for(tenant):
    return list(selectors.public_rounds(tenant=tenant))


@register.simple_tag
def rounds_overview(tenant):
    return list(
        selectors.rounds_for(tenant=tenant)
        .exclude(status="archived")
        .order_by("programme__name", "-id")
    )


@register.simple_tag
def my_participations(user):
    return selectors.participations_everywhere(user=user)


@register.simple_tag
def takes_part(tenant, user):
    return bool(selectors.participations_for(tenant=tenant, user=user))


@register.inclusion_tag("includes/round_nav.html", takes_context=True)
def round_nav(context, round_):
    """The round's menu grouped by stage (programmes.navigation), current page marked."""
    from programmes.navigation import round_navigation

    request = context.get("request")
    tenant = context.get("tenant") or round_.tenant
    return {
        "round": round_,
        "tenant": tenant,
        "groups": round_navigation(round_, tenant=tenant, request=request),
    }
