"""The HR contact's link to the mentor bank of continuous programmes where HR assigns mentors."""

from django import template

from programmes.models import Programme, Round

register = template.Library()


@register.simple_tag
def bank_rounds(tenant):
    """The tenant's running or open rounds whose programme has a mentor bank HR assigns from."""
    return list(
        Round.objects.filter(
            tenant=tenant, programme__matching_mode=Programme.MatchingMode.HR_ASSIGNS
        )
        .exclude(status__in=[Round.Status.CLOSED, Round.Status.ARCHIVED, Round.Status.DRAFT])
        .select_related("programme")
        .order_by("programme__name", "name")
    )
