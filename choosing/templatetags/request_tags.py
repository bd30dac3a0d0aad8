"""``{% mentor_request_links tenant request.user as links %}``: for the participant's home, in
programmes where the adept chooses a mentor: whether to link to "Choose a mentor" (an accepted
adept without a mentor) and to the mentor's requests (with the number still open)."""

from django import template

from applications.models import Application

from .. import selectors
from ..models import MentorRequest

register = template.Library()


@register.simple_tag
def mentor_request_links(tenant, user):
    if not getattr(user, "is_authenticated", False):
        return {}
    adept_apps = selectors.adept_applications(tenant=tenant, user=user)
    mentor_apps = selectors.mentor_applications(tenant=tenant, user=user)
    choose = any(a.stage == Application.Stage.ACCEPTED for a in adept_apps)
    open_requests = (
        MentorRequest.objects.filter(
            tenant=tenant, mentor__in=mentor_apps, status=MentorRequest.Status.ASKED
        ).count()
        if mentor_apps
        else 0
    )
    if not choose and not mentor_apps:
        return {}
    return {"choose": choose, "mentor": bool(mentor_apps), "open_requests": open_requests}
