"""The mentor bank's reads: ``rank_mentors`` ranks the bank's mentors for one adept with the
same criteria as the coordinator's matching (``matching.selectors.load_pool`` +
``matching.criteria``), excluded mentors listed with their reasons."""

from dataclasses import dataclass, field

import numpy as np

from applications.models import Application
from matching import criteria, selectors

from .services import _check_tenant


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
