"""The matching comparison of ``make bench`` (benchmarks/compare.py), without timing anything:
the instance it writes for mentor-match and the bare solve's figures."""

import csv
import json

import numpy as np

from benchmarks import compare


def test_the_instance_is_written_in_mentor_match_columns(tmp_path):
    orgs, persons = compare.people(6, 4, 3)
    compare.write_csv(tmp_path, orgs, persons)
    with open(tmp_path / "mentors.csv", newline="") as f:
        mentors = list(csv.DictReader(f))
    with open(tmp_path / "mentees.csv", newline="") as f:
        mentees = list(csv.DictReader(f))
    assert len(mentors) == 4 and len(mentees) == 6
    assert set(mentors[0]) == {
        "email",
        "first name",
        "last name",
        "role",
        "organisation",
        "grade",
        "profession",
        "capacity",
    }
    assert {m["role"] for m in mentees} == {"mentee"}
    assert all(1 <= int(m["capacity"]) <= 3 for m in mentors)
    assert all(int(m["grade"]) in (1, 2, 3) for m in mentors + mentees)
    # The same people, the same every time (ours get them from the same list).
    assert compare.people(6, 4, 3) == (orgs, persons)


def test_the_bare_solve_counts_its_pairs_against_the_maximum(tmp_path, capsys):
    # Two adepts may only have mentor 0 (one place); the third has mentor 1 too. The bare solve
    # maximises the points only, so it gives mentor 0 to the third adept (9 points) and
    # matches one where two are possible: what the project's solver's lexicographic cost avoids.
    allowed = np.array([[True, False], [True, False], [True, True]])
    score = np.array([[5.0, 0.0], [1.0, 0.0], [9.0, 1.0]])
    path = tmp_path / "instance.npz"
    np.savez(path, score=score, allowed=allowed, capacity=np.array([1, 1]))
    compare.child_bare(str(path))
    out = json.loads(capsys.readouterr().out)
    assert out["maximum"] == 2
    assert out["matched"] == 1
    assert out["cpu"] >= 0 and out["maxrss_mb"] > 0


def test_figures_missing_are_dashes():
    assert compare._num(None, 2) == "–"
    assert compare._num(1.23456, 3) == "1.235"
    assert compare._ratio(0.5, 2.0) == "0.25"
    assert compare._ratio(None, 2.0) == "–"
