"""The assignment: as many adepts matched as possible first, then the best total score.

Pure NumPy/SciPy, no database. Mentors are expanded into one column per free place and the
problem is solved exactly with ``scipy.optimize.linear_sum_assignment`` on a lexicographic cost:

* an allowed pair costs ``-(BIG + score)``, a disallowed one ``0`` (the same as no pair), where
  ``BIG`` is larger than any possible difference in total score, so one more matched adept
  always beats any gain in score; it is solved first with 1 for ``BIG``, on which the solver is
  quickest, and again with ``BIG`` only when that answer has fewer pairs than the maximum
  matching of the allowed pairs (its score is the best for its number of pairs, so with the
  most pairs it is the same answer);
* a limit on the number of pairs (the round's maximum) is met by adding ``adepts - limit``
  dummy columns that cost ``-2·BIG``: they are always taken, so at most ``limit`` adepts get a
  real mentor, and among those the count and then the score are maximised as before.

Pinned pairs are fixed first (after checking they fit the mentors' places); their adepts and
the places they use are taken out of the problem.
"""

import time
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Solution:
    pairs: list  # [(adept index, mentor index)], pinned ones included
    pinned: set  # the pinned (adept index, mentor index) among them
    problems: list = field(default_factory=list)  # pins that could not be honoured, as dicts
    unmatched: list = field(default_factory=list)  # adept indices left without a mentor
    limit_reached: bool = False  # the pair limit, not a lack of mentors, stopped more pairs
    seconds: float = 0.0  # time in the solver proper

    @property
    def matched(self):
        return len(self.pairs)


def validate_pins(pins, capacity):
    """Split pins into those that can all hold at once and problems.

    An adept pinned to several mentors, or a mentor pinned to more adepts than their places,
    is a contradiction: none of the pins involved is applied, and the problem is reported.
    ``capacity`` None means unlimited places.
    """
    pins = list(dict.fromkeys(pins))
    problems = []
    by_adept = {}
    for a, m in pins:
        by_adept.setdefault(a, []).append(m)
    dropped = set()
    for a, mentors in by_adept.items():
        if len(mentors) > 1:
            problems.append({"kind": "adept_pinned_twice", "adept": a, "mentors": mentors})
            dropped.update((a, m) for m in mentors)
    kept = [p for p in pins if p not in dropped]
    if capacity is not None:
        by_mentor = {}
        for a, m in kept:
            by_mentor.setdefault(m, []).append(a)
        for m, adepts in by_mentor.items():
            if len(adepts) > capacity[m]:
                problems.append(
                    {
                        "kind": "mentor_over_capacity",
                        "mentor": m,
                        "adepts": adepts,
                        "capacity": int(capacity[m]),
                    }
                )
                dropped.update((a, m) for a in adepts)
        kept = [p for p in kept if p not in dropped]
    return kept, problems


def solve(score, allowed, *, capacity=None, pins=(), max_pairs=None):
    """Assign adepts (rows) to mentors (columns).

    ``score``: (adepts × mentors) points; ``allowed``: booleans of the same shape;
    ``capacity``: places per mentor (None: unlimited); ``pins``: (adept, mentor) pairs to force;
    ``max_pairs``: at most this many pairs in all (pins included), or None.
    """
    n_a, n_m = allowed.shape
    pins, problems = validate_pins(pins, capacity)
    if max_pairs is not None and len(pins) > max_pairs:
        problems.append({"kind": "pins_over_limit", "pins": len(pins), "limit": max_pairs})
    limit = None if max_pairs is None else max(max_pairs - len(pins), 0)

    start = time.perf_counter()
    pinned_adepts = {a for a, _m in pins}
    free = np.array([a for a in range(n_a) if a not in pinned_adepts], dtype=np.int64)
    pairs = []
    limit_reached = False
    if len(free) and n_m and (limit is None or limit > 0):
        if capacity is None:
            pairs, limit_reached = _solve_unlimited(score, allowed, free, limit)
        else:
            places = np.asarray(capacity, dtype=np.int64).copy()
            for _a, m in pins:
                places[m] -= 1
            pairs, limit_reached = _solve_places(score, allowed, free, np.maximum(places, 0), limit)
    elif len(free) and limit == 0 and allowed[free].any():
        limit_reached = True
    seconds = time.perf_counter() - start

    matched = pinned_adepts | {a for a, _m in pairs}
    return Solution(
        pairs=list(pins) + pairs,
        pinned=set(pins),
        problems=problems,
        unmatched=[a for a in range(n_a) if a not in matched],
        limit_reached=limit_reached,
        seconds=seconds,
    )


def _solve_unlimited(score, allowed, free, limit):
    """No limit on places: every adept simply gets their best allowed mentor (exact, since
    adepts do not compete); with a pair limit, the adepts whose best pair scores highest."""
    sub_allowed = allowed[free]
    masked = np.where(sub_allowed, score[free], -np.inf)
    best = masked.argmax(axis=1)
    has = sub_allowed.any(axis=1)
    rows = np.nonzero(has)[0]
    limit_reached = False
    if limit is not None and len(rows) > limit:
        order = np.argsort(-masked[rows, best[rows]], kind="stable")
        rows = np.sort(rows[order[:limit]])
        limit_reached = True
    return [(int(free[r]), int(best[r])) for r in rows], limit_reached


def _solve_places(score, allowed, free, places, limit):
    # Leave out mentors no free adept may have, and adepts with no such mentor: they cannot
    # change the result, and the dense problem gets smaller.
    every_adept = len(free) == allowed.shape[0]
    reachable = allowed if every_adept else allowed[free]
    places = np.where(reachable.any(axis=0), places, 0)
    with_place = places > 0
    keep = (reachable if with_place.all() else reachable[:, with_place]).any(axis=1)
    if not keep.all():
        free = free[keep]
        every_adept = False
    if not len(free) or not with_place.any():
        return [], False
    slots = np.repeat(np.arange(len(places)), places)
    # The cost in one array, built in place: -(big + score) where allowed, 0 elsewhere. Without
    # a copy of the rows or columns when every adept and every mentor's one place is in it.
    one_each = len(slots) == len(places) and every_adept
    sub_allowed = allowed if one_each else allowed[np.ix_(free, slots)]
    sub_score = score if one_each else score[np.ix_(free, slots)]
    if sub_score.min() < 0:
        sub_score = np.maximum(sub_score, 0.0)
    n_dummies = 0 if limit is None else max(len(free) - limit, 0)
    from scipy.optimize import linear_sum_assignment  # on first use: see criteria._sparse

    def assign(offset):
        """The assignment with an allowed pair costing -(offset + score), a forbidden 0."""
        cost = np.subtract(-offset, sub_score)  # -(offset + score), in one pass
        cost[~sub_allowed] = 0.0
        if n_dummies:
            cost = np.hstack([cost, np.full((len(free), n_dummies), -2.0 * offset)])
        rows, cols = linear_sum_assignment(cost)
        real = cols < len(slots)
        rows, cols = rows[real], cols[real]
        real = sub_allowed[rows, cols]
        return rows[real], cols[real]

    big = float(sub_score.max()) * min(len(free), len(slots)) + 1.0
    if n_dummies:
        rows, cols = assign(big)
    else:
        # First with the offset 1, on which the solver is quickest. Its answer has the best
        # score among the assignments with as many pairs as it has; when that is as many as
        # can be (every adept or every place, else the maximum matching of the allowed pairs),
        # it is the answer. Otherwise again with ``big``, where one more pair always wins.
        rows, cols = assign(1.0)
        if len(rows) < min(len(free), len(slots)) and len(rows) < _most_pairs(sub_allowed):
            rows, cols = assign(big)
    pairs = list(zip(free[rows].tolist(), slots[cols].tolist(), strict=True))
    # Did the limit (not the mentors) keep somebody out? Only if, without it, more would fit.
    limit_reached = bool(n_dummies) and len(pairs) == limit
    return pairs, limit_reached


def _most_pairs(allowed):
    """The most pairs the allowed pairs can make at all (a maximum bipartite matching)."""
    from scipy import sparse
    from scipy.sparse.csgraph import maximum_bipartite_matching

    graph = sparse.csr_matrix(allowed.astype(np.int8))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
