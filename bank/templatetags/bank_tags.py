"""The HR contact's links to the mentor banks of continuous programmes."""

from django import template
from django.db.models import Q

from programmes.models import Programme, Round

register = template.Library()


@register.simple_tag
def bank_rounds(tenant):
    """The tenant's running or open rounds whose programme has a mentor bank: continuous
    programmes, and those where HR assigns a mentor from the bank."""
    return list(
        Round.objects.filter(
            Q(programme__matching_mode=Programme.MatchingMode.HR_ASSIGNS)
            | Q(programme__kind=Programme.Kind.CONTINUOUS),
            tenant=tenant,
        )
        .exclude(status__in=[Round.Status.CLOSED, Round.Status.ARCHIVED, Round.Status.DRAFT])
        .select_related("programme")
        .order_by("programme__name", "name")
    )
