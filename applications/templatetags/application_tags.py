from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def answers_list(application, questions):
    """(question, answer as text) for the custom questions asked of the applicant's role."""
    rows = []
    for question in questions or []:
        if not question.asked_of(application.role):
            continue
        value = (application.answers or {}).get(str(question.pk))
        if isinstance(value, list):
            value = ", ".join(value)
        elif value == "yes":
            value = _("Yes")
        elif value == "no":
            value = _("No")
        rows.append((question.label, value or ""))
    return rows


@register.simple_tag
def open_rounds_for_hr(tenant):
    from programmes.models import Round

    return list(
        Round.objects.filter(tenant=tenant)
        .exclude(status__in=[Round.Status.DRAFT, Round.Status.ARCHIVED])
        .select_related("programme")
        .order_by("-id")
    )


@register.simple_tag
def my_applications(tenant, user):
    from applications.models import Application

    if not user.is_authenticated:
        return []
    return list(
        Application.objects.filter(tenant=tenant, user=user).select_related(
            "round", "round__programme"
        )
    )


@register.simple_tag
def my_applications_in_round(round_, user):
    """The person's own applications in the round (not withdrawn), for "Continue with your
    application" on the round's public page."""
    from applications.models import Application

    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Application.objects.filter(tenant=round_.tenant_id, round=round_, user=user)
        .exclude(stage=Application.Stage.WITHDRAWN)
        .order_by("role")
    )
