"""Every action the code writes to the activity log has a human label: the log page and the
dashboard's "latest events" never show an internal code such as ``round.applications_closed_early``."""

import re
from pathlib import Path

from django.conf import settings

from organisations import activity

ACTION = re.compile(r"""\baction=["']([a-z_]+\.[a-z_.]+)["']""")
APPS = [
    "applications", "bank", "choosing", "evaluation", "matching", "messaging", "organisations",
    "pairs", "programmes", "reporting", "mentorship", "demo",
]  # fmt: skip


def written_actions():
    base = Path(settings.BASE_DIR)
    found = {}
    for app in APPS:
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for action in ACTION.findall(path.read_text(encoding="utf-8")):
                found.setdefault(action, str(path.relative_to(base)))
    return found


def test_the_scan_finds_the_actions():
    found = written_actions()
    assert "round.created" in found and "application.moved_back" in found
    assert len(found) > 40


def test_every_written_action_has_a_label():
    missing = {a: where for a, where in written_actions().items() if a not in activity.LABELS}
    assert not missing, f"Activity actions without a label in organisations.activity: {missing}"
