"""Reads shared by views and tasks."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from . import personal
from .models import ActivityLog, Invitation, Membership, Organisation


def memberships_for_user(user):
    """Every tenant and role a person has, for their start page.

    The one cross-tenant read outside middleware: a person's own memberships
    are theirs to see whichever tenant they belong to.
    """
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user, tenant__is_active=True)
            .select_related("tenant")
            .prefetch_related("organisations")
            .order_by("tenant__name")
        )


def start_page_places(*, user, memberships):
    """The start page's cards: every tenant where the person has a part (a role, a draft or
    an application, a pair, a programme, a place in a mentor bank), sorted by name, each
    ``{"tenant", "membership", "links"}``. A fixed number of queries, whatever the number
    of tenants and the amount of data (the full "Att göra" is on each overview)."""
    if not user.is_authenticated:
        return []
    places = {}
    for membership in memberships:
        places[membership.tenant_id] = {
            "tenant": membership.tenant,
            "membership": membership,
            "links": [],
        }
    for link in personal.links_for(user=user):
        place = places.setdefault(
            link.tenant.pk,
            {"tenant": link.tenant, "membership": None, "links": []},
        )
        place["links"].append(link)
    return sorted(places.values(), key=lambda place: place["tenant"].name)


def membership_for(*, tenant, user):
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(tenant=tenant, user=user)
        .prefetch_related("organisations")
        .first()
    )


def organisations_for(*, tenant, include_inactive=True):
    qs = Organisation.objects.filter(tenant=tenant).select_related("parent")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("name")


def team_for(*, tenant):
    return (
        Membership.objects.filter(tenant=tenant)
        .select_related("user")
        .prefetch_related("organisations")
        .order_by("user__full_name", "user__email")
    )


def pending_invitations(*, tenant):
    from django.utils import timezone

    return (
        Invitation.objects.filter(
            tenant=tenant,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .prefetch_related("organisations")
    )


def renewal_requests(*, tenant):
    """Invitations whose person asked for a new one that has not been sent yet."""
    newer = Invitation.objects.filter(
        tenant=tenant,
        email=OuterRef("email"),
        role=OuterRef("role"),
        created_at__gt=OuterRef("created_at"),
    )
    return (
        Invitation.objects.filter(
            tenant=tenant, renewal_requested_at__isnull=False, accepted_at__isnull=True
        )
        .exclude(Exists(newer))
        .prefetch_related("organisations")
        .order_by("-renewal_requested_at")
    )


def activity_filters():
    """The activity page's filters: {key: (label, actions)}."""
    from .viewlog import REFUSED, VIEW_ACTIONS

    return {
        "views": (_("Views of personal data"), VIEW_ACTIONS),
        "refused": (_("Refused attempts"), (REFUSED,)),
    }


def activity_for(*, tenant, action_prefix="", show=""):
    """The tenant's log, newest first; ``show`` is a key of ``activity_filters``."""
    qs = ActivityLog.objects.filter(tenant=tenant).select_related("actor", "content_type")
    if action_prefix:
        qs = qs.filter(action__startswith=action_prefix)
    filters = activity_filters()
    if show in filters:
        qs = qs.filter(action__in=filters[show][1])
    return qs
