"""Template tags of the matching app for pages outside it (the participant's home)."""

from dataclasses import dataclass

from django import template
from django.db.models import Q

from applications.models import Application
from pairs.models import Pair
from programmes.models import ParticipantRole

register = template.Library()


@dataclass(frozen=True)
class MyPair:
    """One pair as one of its two people sees it: their own role and the other person."""

    pair: Pair
    role: str  # the viewer's role in the pair: "mentor" or "adept"
    partner: Application  # the other person's application: name, title, organisation, contact
    partner_role: str
    partner_user: object  # the other person's account (a fallback for name and e-mail)

    @property
    def is_active(self):
        return self.pair.status == Pair.Status.ACTIVE

    @property
    def partner_name(self):
        user = self.partner_user
        return self.partner.full_name or user.full_name or self.partner.email or user.email

    @property
    def partner_email(self):
        return self.partner.email or self.partner_user.email


class MyPairs(list):
    """The pairs, active first; ``.active`` and ``.ended`` for the two lists on the page."""

    @property
    def active(self):
        return [p for p in self if p.is_active]

    @property
    def ended(self):
        return [p for p in self if not p.is_active]


def pairs_for(*, tenant, user):
    """The active and ended pairs the user is one of, in this tenant: active first (newest
    first), then ended ones. Never anyone else's pairs. One query, whatever the number."""
    if tenant is None or user is None or not getattr(user, "is_authenticated", False):
        return MyPairs()
    pairs = (
        Pair.objects.filter(tenant=tenant, status__in=[Pair.Status.ACTIVE, Pair.Status.ENDED])
        .filter(Q(mentor_user=user) | Q(adept_user=user))
        .select_related(
            "round",
            "round__programme",
            "mentor",
            "adept",
            "mentor__organisation",
            "adept__organisation",
            "mentor_user",
            "adept_user",
        )
        .order_by("-started_at", "-id")
    )
    mine = MyPairs()
    for pair in pairs:
        # Someone who is both mentor and adept of one pair cannot exist; as mentor first.
        if pair.mentor_user_id == user.pk:
            mine.append(
                MyPair(
                    pair, ParticipantRole.MENTOR, pair.adept, ParticipantRole.ADEPT, pair.adept_user
                )
            )
        else:
            mine.append(
                MyPair(
                    pair,
                    ParticipantRole.ADEPT,
                    pair.mentor,
                    ParticipantRole.MENTOR,
                    pair.mentor_user,
                )
            )
    mine.sort(key=lambda p: not p.is_active)  # stable: keeps newest first within each group
    return mine


@register.simple_tag
def my_pairs(tenant, user):
    """``{% my_pairs tenant request.user as pairs %}``: the user's own pairs (see pairs_for)."""
    return pairs_for(tenant=tenant, user=user)
