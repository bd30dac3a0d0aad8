"""The mentor bank's reads: ``rank_mentors`` ranks the bank's mentors for one adept with the
same criteria as the coordinator's matching (``matching.selectors.load_pool`` +
``matching.criteria``), excluded mentors listed with their reasons."""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from applications.models import Application
from matching import criteria, selectors
from pairs.models import Pair, PairMeeting
from programmes.models import ParticipantRole

from .models import BankMentor
from .services import _check_tenant

Stage = Application.Stage


@dataclass
class Suggestion:
    mentor: Application
    score: float
    explanation: list = field(default_factory=list)  # [{"key", "label", "points", "reason"}]
    breaches: list = field(default_factory=list)  # [{"rule", "reason"}]; empty: may be chosen
    rank: int = 0

    @property
    def allowed(self):
        return not self.breaches


def rank_mentors(*, tenant, round_, adept_app, limit=10, settings=None):
    """(suggestions, excluded): the bank's mentors with a free place for this adept, best first
    (at most ``limit``), and every mentor a hard rule excludes, with the reasons.

    Same criteria as the coordinator's matching. A fixed number of queries, whatever the size."""
    _check_tenant(tenant, round_, adept_app)
    settings = settings or selectors.settings_for(round_=round_)
    pool = selectors.load_pool(
        tenant=tenant, round_=round_, settings=settings, adept_ids=[adept_app.pk]
    )
    if not pool.adepts or not pool.mentors:
        return [], []
    adept = pool.adepts[0]
    masks = criteria.blocked_masks(pool, settings)
    allowed = criteria.allowed_matrix(masks, pool.shape)[0]
    score = criteria.score_matrix(pool, settings)[0]
    mentor_apps = {
        a.pk: a
        for a in Application.objects.filter(
            tenant=tenant, pk__in=[m.application_id for m in pool.mentors]
        ).select_related("organisation", "user")
    }
    labels = {p.key: p.label for p in criteria.PREFERENCES}

    def build(j, breaches=()):
        mentor = pool.mentors[j]
        total, explanation = criteria.explain_pair(pool, settings, adept, mentor)
        rows = [
            {"key": key, "label": str(labels.get(key, key)), **item}
            for key, item in explanation.items()
        ]
        return Suggestion(
            mentor=mentor_apps[mentor.application_id],
            score=round(total, 2),
            explanation=rows,
            breaches=list(breaches),
        )

    ok = np.nonzero(allowed)[0]
    # Best first; ties by name then id, so the order is stable.
    ok = sorted(ok, key=lambda j: (-score[j], pool.mentors[j].name, pool.mentors[j].application_id))
    suggestions = [build(j) for j in ok[:limit]] if limit else [build(j) for j in ok]
    for rank, suggestion in enumerate(suggestions, start=1):
        suggestion.rank = rank
    excluded = [
        build(j, criteria.breaches(pool, settings, adept, pool.mentors[j]))
        for j in sorted(np.nonzero(~allowed)[0], key=lambda j: pool.mentors[j].name)
    ]
    return suggestions, excluded


# --- the standing mentor bank page ------------------------------------------------------------


def _count(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by().values("mentor_id").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def bank_mentors(*, tenant, round_, organisation_ids=None):
    """Every mentor of the round's bank (accepted or matched mentor applications), with
    ``taken`` (active pairs), ``earlier_count`` (ended pairs), ``last_meeting`` (the last
    meeting logged in any of their pairs), their bank entry (paused, left, the yearly answer)
    and their pairs prefetched (current and earlier adepts). A queryset for ``Listing``; the
    page is a fixed number of queries whatever the number of mentors. ``organisation_ids``:
    an HR contact's organisations (None: every organisation)."""
    _check_tenant(tenant, round_)
    pairs = Pair.objects.filter(mentor_id=OuterRef("pk"))
    mentors = Application.objects.filter(
        tenant=tenant,
        round=round_,
        role=ParticipantRole.MENTOR,
        stage__in=selectors.MENTOR_STAGES,
    )
    if organisation_ids is not None:
        mentors = mentors.filter(organisation_id__in=organisation_ids)
    return (
        mentors.select_related("organisation", "bank_entry")
        .annotate(taken=_count(pairs.filter(status=Pair.Status.ACTIVE)))
        .annotate(
            free=ExpressionWrapper(F("capacity") - F("taken"), output_field=IntegerField()),
            earlier_count=_count(pairs.exclude(status=Pair.Status.ACTIVE)),
            last_meeting=Subquery(
                PairMeeting.objects.filter(pair__mentor_id=OuterRef("pk"))
                .order_by("-date")
                .values("date")[:1]
            ),
            last_pair_start=Subquery(pairs.order_by("-started_at").values("started_at")[:1]),
            bank_status=Coalesce("bank_entry__status", Value(BankMentor.Status.ACTIVE)),
        )
        .prefetch_related(
            Prefetch(
                "pairs_as_mentor",
                queryset=Pair.objects.select_related("adept").order_by("-started_at", "-id"),
                to_attr="all_pairs",
            )
        )
    )


def decorate(mentors):
    """Places left, current and earlier adepts and the last activity of each listed mentor
    (no query: from ``bank_mentors``' annotations and prefetch)."""
    for m in mentors:
        m.places_left = max((m.capacity or 1) - m.taken, 0)
        m.current_adepts = [p.adept for p in m.all_pairs if p.status == Pair.Status.ACTIVE]
        m.earlier_adepts = [p.adept for p in m.all_pairs if p.status != Pair.Status.ACTIVE]
        started = m.last_pair_start.date() if m.last_pair_start else None
        m.last_activity = max([d for d in (m.last_meeting, started) if d], default=None)
        m.entry = getattr(m, "bank_entry", None)
    return mentors


def waiting_adepts(*, tenant, round_, organisation_ids=None):
    """Accepted adepts of the round without an active pair (waiting for a mentor)."""
    adepts = Application.objects.filter(
        tenant=tenant, round=round_, role=ParticipantRole.ADEPT, stage=Stage.ACCEPTED
    ).exclude(pairs_as_adept__status=Pair.Status.ACTIVE)
    if organisation_ids is not None:
        adepts = adepts.filter(organisation_id__in=organisation_ids)
    return list(adepts.select_related("organisation").order_by("created_at", "id"))


def bank_next_steps(*, tenant, user, now):
    """The mentor's place in a standing bank on their home (mentorship.hooks.NEXT_STEPS):
    pause, leave or come back, and the yearly question when it waits. One query."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from programmes.models import Programme
    from programmes.selectors import NextStep

    if not getattr(user, "is_authenticated", False):
        return []
    mentors = list(
        Application.objects.filter(
            tenant=tenant,
            user=user,
            role=ParticipantRole.MENTOR,
            stage__in=selectors.MENTOR_STAGES,
            round__programme__kind=Programme.Kind.CONTINUOUS,
        ).select_related("round__programme", "bank_entry")
    )
    url = reverse("matching_bank:availability", kwargs={"tenant": tenant.slug})
    steps = []
    for m in mentors:
        entry = getattr(m, "bank_entry", None)
        name = m.round.programme.name
        if (
            entry
            and entry.asked_at
            and (not entry.answered_at or entry.answered_at < entry.asked_at)
        ):
            text = _("Tell us whether you are still available as a mentor in %(p)s") % {"p": name}
            order = 20
        elif entry and entry.status != BankMentor.Status.ACTIVE:
            text = _("You are away from the mentor bank of %(p)s: come back when you like") % {
                "p": name
            }
            order = 70
        else:
            text = _("Your place in the mentor bank of %(p)s: pause or leave") % {"p": name}
            order = 80
        steps.append(NextStep(text=text, url=url, order=order))
    return steps
