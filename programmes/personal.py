"""The programmes' own links for a person (``mentorship.hooks.PERSONAL_LINKS``): the rounds
they take part in, or their place in a mentor bank. One query."""

from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.personal import PersonalLink, tenant_filter

from .models import Participant, ParticipantRole, Programme, Round


def personal_links(*, user, tenant):
    participations = (
        Participant.objects.filter(user=user, **tenant_filter(tenant))
        .exclude(round__status=Round.Status.ARCHIVED)
        .select_related("tenant", "round__programme")
        .order_by("-round__starts_on", "id")
    )
    links, seen = [], set()
    for participant in participations:
        round_ = participant.round
        if (participant.tenant_id, round_.pk) in seen:
            continue  # both roles in one round: one link
        seen.add((participant.tenant_id, round_.pk))
        url = reverse("programmes:participant_home", kwargs={"tenant": participant.tenant.slug})
        in_bank = (
            round_.programme.kind == Programme.Kind.CONTINUOUS
            and participant.role == ParticipantRole.MENTOR
        )
        links.append(
            PersonalLink(
                tenant=participant.tenant,
                text=_("You are a mentor in the bank") if in_bank else _("Your programme"),
                short=_("My programme"),
                url=url,
                context=f"{round_.programme.name}: {round_.name}",
                order=40,
                key="programmes.bank" if in_bank else "programmes.participant",
            )
        )
    return links
