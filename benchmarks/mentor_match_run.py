"""Run jonodrew's mentor-match (PyPI ``mentor-match``) on one instance: a standalone script for
its own virtual environment (``var/bench/mentor-match-venv``), never imported by the project
(its package is also called ``matching``).

Usage: ``<venv>/bin/python benchmarks/mentor_match_run.py <folder>``; the folder holds
``mentors.csv`` and ``mentees.csv`` in mentor-match's columns (email, first name, last name,
role, organisation, grade, profession) and a ``capacity`` column for mentors, which
mentor-match does not know: a mentor with room for k adepts takes part in the first k of
mentor-match's matching exercises (one exercise per place, as its README suggests for several
connections), and an adept already matched is disqualified in later exercises.

Prints one line of JSON: CPU seconds, wall seconds, adepts matched, peak memory (ru_maxrss).
"""

import csv
import importlib
import json
import operator
import resource
import sys
import time
from pathlib import Path

# The project's own ``matching`` must not shadow mentor-match's.
sys.path = [p for p in sys.path if not (Path(p) / "matching" / "criteria.py").exists()]

process = importlib.import_module("matching.process")
rl = importlib.import_module("matching.rules.rule")


def _peak_mb():
    """Peak resident memory (VmHWM; ``ru_maxrss`` on Linux includes the parent's pages from
    before the exec)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(folder):
    folder = Path(folder)
    with open(folder / "mentors.csv", newline="") as f:
        capacity = {row["email"]: int(row["capacity"]) for row in csv.DictReader(f)}
    rounds = max(capacity.values(), default=1)

    def exercise(k):
        return [
            rl.Disqualify(lambda m: m.mentor.organisation == m.mentee.organisation),
            rl.Disqualify(lambda m: capacity[m.mentor.email] < k),
            rl.Disqualify(lambda m: len(m.mentee.mentors) > 0),
            rl.Grade(0, operator.gt, {True: 5, False: 0}),
            rl.Grade(0, operator.eq, {True: 2, False: 0}),
            rl.Generic({True: 3, False: 0}, lambda m: m.mentor.profession != m.mentee.profession),
        ]

    wall, cpu = time.perf_counter(), time.process_time()
    mentors, mentees = process.conduct_matching_from_file(
        path_to_data=folder, rules=[exercise(k) for k in range(1, rounds + 1)]
    )
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    # Count only pairs that respect the hard rules (mentor-match marks disallowed ones unmatched).
    matched = sum(1 for m in mentees if m.mentors)
    over = sum(max(len(m.mentees) - capacity[m.email], 0) for m in mentors)
    print(
        json.dumps(
            {
                "cpu": cpu,
                "wall": wall,
                "matched": matched,
                "over_capacity": over,
                "maxrss_mb": _peak_mb(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
