"""Benchmarks: `make bench`. Each prints its figures; none of them asserts a time.

Runs against a throw-away database created like the test database (PostgreSQL from
DATABASE_URL in the test settings) and removed afterwards; then the load test
(benchmarks/load.py) against its own kept database. ``python -m benchmarks load [options]``
runs the load test alone; ``python -m benchmarks <case> ...`` runs the named cases only.
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings.test")
# The load test's baseline view (organisations.views.BenchBaselineView): its URL exists only then.
os.environ.setdefault("BENCH_BASELINE", "1")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from benchmarks import cases, load  # noqa: E402


def main(argv):
    if argv[:1] == ["load"]:
        load.main(argv[1:])
        return
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        names = {a.replace("-", "_") for a in argv}
        selected = [c for c in cases.ALL if not argv or c.__name__ in names]
        for case in selected:
            case(CaptureQueriesContext, time.perf_counter)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    if not argv:
        load.main([])


if __name__ == "__main__":
    main(sys.argv[1:])
