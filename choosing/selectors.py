"""The adept chooses a mentor: the reads (the adept's and the mentor's applications in
adept-chooses programmes, the round's mentors with their places left, the requests)."""

from django.db.models import Count, Prefetch, Q

from applications.models import Application, Theme
from matching import selectors
from pairs.models import Pair
from programmes.models import ParticipantRole, Programme

from .models import MentorRequest

Stage = Application.Stage
ADEPT_CHOOSES = Programme.MatchingMode.ADEPT_CHOOSES


def adept_applications(*, tenant, user):
    """The user's adept applications (accepted or matched) in adept-chooses programmes."""
    return list(
        Application.objects.filter(
            tenant=tenant,
            user=user,
            role=ParticipantRole.ADEPT,
            stage__in=(Stage.ACCEPTED, Stage.MATCHED),
            round__programme__matching_mode=ADEPT_CHOOSES,
        )
        .select_related("round", "round__programme", "user")
        .order_by("-round__starts_on", "-id")
    )


def mentor_applications(*, tenant, user):
    """The user's mentor applications (accepted or matched) in adept-chooses programmes."""
    return list(
        Application.objects.filter(
            tenant=tenant,
            user=user,
            role=ParticipantRole.MENTOR,
            stage__in=selectors.MENTOR_STAGES,
            round__programme__matching_mode=ADEPT_CHOOSES,
        )
        .select_related("round", "round__programme", "user")
        .order_by("-round__starts_on", "-id")
    )


def active_pairs(mentor_id):
    """The number of the mentor's active pairs (the places taken)."""
    return Pair.objects.filter(mentor_id=mentor_id, status=Pair.Status.ACTIVE).count()


def mentors_for(*, tenant, round_):
    """The round's volunteered mentors with ``taken`` (active pairs) and ``places_left``;
    a fixed number of queries whatever the number of mentors."""
    mentors = list(
        Application.objects.filter(
            tenant=tenant,
            round=round_,
            role=ParticipantRole.MENTOR,
            stage__in=selectors.MENTOR_STAGES,
        )
        .exclude(bank_entry__status__in=selectors.BANK_AWAY)
        .select_related("organisation", "user")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))
        .annotate(
            taken=Count("pairs_as_mentor", filter=Q(pairs_as_mentor__status=Pair.Status.ACTIVE))
        )
        .order_by("full_name", "id")
    )
    for m in mentors:
        m.places_left = max((m.capacity or 1) - m.taken, 0)
    return mentors


def requests_of_adept(*, tenant, adept_app):
    return list(
        MentorRequest.objects.filter(tenant=tenant, adept=adept_app)
        .select_related("mentor", "mentor__organisation", "mentor__user")
        .order_by("-created_at", "-id")
    )


def requests_to_mentor(*, tenant, mentor_app):
    return list(
        MentorRequest.objects.filter(tenant=tenant, mentor=mentor_app)
        .select_related("adept", "adept__organisation", "adept__user")
        .order_by("-created_at", "-id")
    )
