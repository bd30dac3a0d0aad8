"""The solver on its own: maximum number of adepts first, then the best total score, with
places, pins and a pair limit. Checked against an independent maximum bipartite matching
(Kuhn's augmenting paths, written here) and against brute force on small instances."""

import itertools
import random

import numpy as np
import pytest

from matching import solver


def maximum_matching(allowed, capacity):
    """Kuhn's algorithm on mentors expanded into places: the size of a maximum matching."""
    n_a, n_m = allowed.shape
    slots = [m for m in range(n_m) for _ in range(capacity[m])]
    owner = [-1] * len(slots)

    def augment(a, seen):
        for s, m in enumerate(slots):
            if allowed[a, m] and s not in seen:
                seen.add(s)
                if owner[s] == -1 or augment(owner[s], seen):
                    owner[s] = a
                    return True
        return False

    return sum(augment(a, set()) for a in range(n_a))


def greedy(score, allowed, capacity):
    """What a naive loop does: best-scoring allowed pair first."""
    left = list(capacity)
    taken, pairs = set(), []
    order = sorted(
        ((score[a, m], a, m) for a, m in zip(*np.nonzero(allowed), strict=True)), reverse=True
    )
    for _s, a, m in order:
        if a not in taken and left[m] > 0:
            taken.add(a)
            left[m] -= 1
            pairs.append((a, m))
    return pairs


def check_feasible(solution, allowed, capacity, pins=()):
    used = {}
    adepts = [a for a, _m in solution.pairs]
    assert len(adepts) == len(set(adepts)), "an adept got two mentors"
    for a, m in solution.pairs:
        if (a, m) not in set(pins):
            assert allowed[a, m], f"disallowed pair {(a, m)}"
        used[m] = used.get(m, 0) + 1
    for m, n in used.items():
        assert n <= capacity[m], f"mentor {m} over capacity"


def test_greedy_strands_an_adept_the_solver_does_not():
    # Adept 0 fits both mentors, mentor 0 best; adept 1 can only have mentor 0.
    score = np.array([[10.0, 9.0], [1.0, 0.0]])
    allowed = np.array([[True, True], [True, False]])
    capacity = [1, 1]
    assert len(greedy(score, allowed, capacity)) == 1  # the trap is real
    solution = solver.solve(score, allowed, capacity=capacity)
    assert sorted(solution.pairs) == [(0, 1), (1, 0)]
    assert solution.matched == maximum_matching(allowed, capacity) == 2
    assert solution.unmatched == []


def test_one_more_pair_beats_a_high_score_even_when_the_quick_solve_misses_it():
    # Solved with an allowed pair costing -(1 + score), adept 0 with mentor 0 (11) beats two
    # pairs at score 0 (2): the solver sees that one pair is fewer than the maximum (2) and
    # solves again with the offset under which one more pair always wins.
    score = np.array([[10.0, 0.0], [0.0, 0.0]])
    allowed = np.array([[True, True], [True, False]])
    solution = solver.solve(score, allowed, capacity=[1, 1])
    assert sorted(solution.pairs) == [(0, 1), (1, 0)]
    assert solution.unmatched == []


@pytest.mark.parametrize("seed", range(40))
def test_random_instances_reach_the_maximum_matching(seed):
    rng = np.random.default_rng(seed)
    n_a, n_m = rng.integers(1, 14), rng.integers(1, 10)
    capacity = rng.integers(1, 4, n_m)
    allowed = rng.random((n_a, n_m)) < rng.uniform(0.1, 0.6)
    score = rng.random((n_a, n_m)) * 40
    solution = solver.solve(score, allowed, capacity=capacity)
    check_feasible(solution, allowed, capacity)
    assert solution.matched == maximum_matching(allowed, capacity)
    assert solution.matched >= len(greedy(score, allowed, capacity))


@pytest.mark.parametrize("seed", range(15))
def test_among_maximum_matchings_the_best_total_score(seed):
    rng = np.random.default_rng(100 + seed)
    n_a, n_m = 5, 4
    allowed = rng.random((n_a, n_m)) < 0.6
    score = rng.integers(0, 20, (n_a, n_m)).astype(float)
    capacity = [1] * n_m
    solution = solver.solve(score, allowed, capacity=capacity)
    best = (0, 0.0)
    for mentors in itertools.product([None, *range(n_m)], repeat=n_a):
        chosen = [m for m in mentors if m is not None]
        if len(chosen) != len(set(chosen)):
            continue
        if any(m is not None and not allowed[a, m] for a, m in enumerate(mentors)):
            continue
        value = (len(chosen), sum(score[a, m] for a, m in enumerate(mentors) if m is not None))
        best = max(best, value)
    got = (solution.matched, sum(score[a, m] for a, m in solution.pairs))
    assert got[0] == best[0]
    assert got[1] == pytest.approx(best[1])


def test_a_mentor_with_two_places_takes_two_adepts():
    score = np.array([[5.0, 1.0], [5.0, 1.0], [5.0, 1.0]])
    allowed = np.ones((3, 2), dtype=bool)
    solution = solver.solve(score, allowed, capacity=[2, 1])
    assert sorted(m for _a, m in solution.pairs) == [0, 0, 1]


def test_pins_are_forced_and_forbids_respected():
    score = np.array([[9.0, 1.0], [8.0, 7.0]])
    allowed = np.array([[True, True], [False, True]])  # adept 1 may not have mentor 0
    solution = solver.solve(score, allowed, capacity=[1, 1], pins=[(0, 1)])
    assert sorted(solution.pairs) == [(0, 1)]
    assert solution.pinned == {(0, 1)}
    assert solution.unmatched == [1]  # its only allowed mentor is pinned to adept 0


def test_a_pin_may_override_a_disallowed_pair():
    allowed = np.array([[False]])
    solution = solver.solve(np.zeros((1, 1)), allowed, capacity=[1], pins=[(0, 0)])
    assert solution.pairs == [(0, 0)]


def test_contradictory_pins_are_reported_not_applied():
    score = np.ones((3, 2))
    allowed = np.ones((3, 2), dtype=bool)
    twice = solver.solve(score, allowed, capacity=[1, 1], pins=[(0, 0), (0, 1)])
    assert twice.problems == [{"kind": "adept_pinned_twice", "adept": 0, "mentors": [0, 1]}]
    assert twice.pinned == set()
    assert twice.matched == 2  # still the best possible without the pins
    over = solver.solve(score, allowed, capacity=[1, 1], pins=[(0, 0), (1, 0)])
    assert over.problems == [
        {"kind": "mentor_over_capacity", "mentor": 0, "adepts": [0, 1], "capacity": 1}
    ]
    assert over.pinned == set()


def test_pair_limit():
    score = np.array([[1.0, 0.0], [9.0, 0.0], [0.0, 5.0]])
    allowed = np.array([[True, False], [True, False], [False, True]])
    solution = solver.solve(score, allowed, capacity=[1, 1], max_pairs=1)
    assert solution.pairs == [(1, 0)]
    assert solution.limit_reached
    solution = solver.solve(score, allowed, capacity=[1, 1], max_pairs=2)
    assert sorted(solution.pairs) == [(1, 0), (2, 1)]


@pytest.mark.parametrize("seed", range(10))
def test_pair_limit_keeps_count_then_score(seed):
    rng = np.random.default_rng(seed)
    allowed = rng.random((8, 5)) < 0.5
    score = rng.random((8, 5)) * 10
    capacity = [2] * 5
    full = maximum_matching(allowed, capacity)
    for limit in range(0, full + 2):
        solution = solver.solve(score, allowed, capacity=capacity, max_pairs=limit)
        check_feasible(solution, allowed, capacity)
        assert solution.matched == min(limit, full)


def test_unlimited_places_give_every_adept_their_best_mentor():
    score = np.array([[1.0, 3.0], [2.0, 8.0], [0.0, 0.0]])
    allowed = np.array([[True, True], [True, True], [False, False]])
    solution = solver.solve(score, allowed, capacity=None)
    assert sorted(solution.pairs) == [(0, 1), (1, 1)]
    assert solution.unmatched == [2]
    capped = solver.solve(score, allowed, capacity=None, max_pairs=1)
    assert capped.pairs == [(1, 1)] and capped.limit_reached


def test_nothing_to_match():
    assert (
        solver.solve(np.zeros((0, 3)), np.zeros((0, 3), dtype=bool), capacity=[1] * 3).pairs == []
    )
    solution = solver.solve(np.zeros((2, 0)), np.zeros((2, 0), dtype=bool), capacity=[])
    assert solution.unmatched == [0, 1]


def test_a_larger_instance_against_kuhn():
    rng = random.Random(3)
    n_a, n_m = 60, 30
    capacity = [rng.randint(1, 3) for _ in range(n_m)]
    allowed = np.array([[rng.random() < 0.08 for _ in range(n_m)] for _ in range(n_a)])
    score = np.array([[rng.random() * 30 for _ in range(n_m)] for _ in range(n_a)])
    solution = solver.solve(score, allowed, capacity=capacity)
    check_feasible(solution, allowed, capacity)
    assert solution.matched == maximum_matching(allowed, capacity)


def test_the_proposals_explanations_are_stored_as_json_dumps_writes_them():
    import json

    from matching.services import _explanation_encoder

    dumps = _explanation_encoder()
    explanations = [
        {"geography": {"points": 4.2, "reason": "Båda arbetar i Skåne."}},
        {
            "geography": {"points": 4.2, "reason": "Båda arbetar i Skåne."},
            "pin": {"points": 0, "reason": "Fäst “så”"},
        },
        {
            "geography": {"points": 0.0, "reason": "Båda arbetar i Skåne."},
            "hard_rules": {"points": 0, "reason": "x", "extra": [1]},
        },
        {},
    ]
    for explanation in explanations * 2:
        assert dumps(explanation) == json.dumps(explanation, ensure_ascii=False)
        assert json.loads(dumps(explanation)) == explanation
