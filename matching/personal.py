"""The pairs' own links for a person (``mentorship.hooks.PERSONAL_LINKS``): "Your pair" for
each active pair, with the partner's name. One query."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.personal import PersonalLink, tenant_filter
from pairs.models import Pair


def personal_links(*, user, tenant):
    pairs = (
        Pair.objects.filter(status=Pair.Status.ACTIVE, **tenant_filter(tenant))
        .filter(Q(mentor_user=user) | Q(adept_user=user))
        .select_related("tenant", "mentor", "adept", "round__programme")
        .order_by("started_at", "id")
    )
    links = []
    for pair in pairs:
        partner = pair.adept if pair.mentor_user_id == user.pk else pair.mentor
        links.append(
            PersonalLink(
                tenant=pair.tenant,
                text=_("Your pair with %(name)s") % {"name": partner.full_name or partner.email},
                short=_("Your pair"),
                url=reverse(
                    "matching_pairwork:pair", kwargs={"tenant": pair.tenant.slug, "pk": pair.pk}
                ),
                context=f"{pair.round.programme.name}: {pair.round.name}",
                order=30,
                key="pairs.pair",
            )
        )
    return links
