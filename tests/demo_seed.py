"""The seeded demo, built once per test process and shared by the tests that read it.

``seed_demo`` takes seconds; run twice for each of some forty tests it was half of the
suite's time. The first test that asks for ``demo_seed`` (see ``tests/conftest.py``) seeds
the demo twice inside an outer transaction, records both outputs and every snapshot
registered with :func:`snapshot` after the first run, and keeps the transaction open while
the following tests also ask for it. Each test still runs in its own savepoint (pytest-django's
``db``), so what one test writes is gone for the next. When the next test does not ask for
the demo, the outer transaction is rolled back and the database is empty again; the
collection hook moves the demo tests to the front so that happens once per process.

Browser tests cannot share a transaction with the live server; they clone a template
database instead (``tests/e2e/conftest.py``).
"""

from dataclasses import dataclass, field
from io import StringIO

from django.core.management import call_command
from django.db import transaction

SNAPSHOTS = {}


def snapshot(name):
    """Register ``func`` to be called after the first ``seed_demo``: its value is kept as
    ``demo_seed.after_first[name]`` so a test can compare it with the state after the second."""

    def register(func):
        SNAPSHOTS[name] = func
        return func

    return register


def run_seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@dataclass
class DemoSeed:
    first: str = ""
    second: str = ""
    after_first: dict = field(default_factory=dict)


class SharedDemo:
    """The open outer transaction and what seeding it gave."""

    def __init__(self):
        self.atomic = None
        self.result = None

    @property
    def open(self):
        return self.atomic is not None

    def start(self, blocker):
        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            result = DemoSeed(first=run_seed())
            result.after_first = {name: func() for name, func in SNAPSHOTS.items()}
            result.second = run_seed()
            self.result = result
        return result

    def stop(self, blocker):
        if not self.open:
            return
        with blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None
        self.result = None


SHARED = SharedDemo()
