"""Each kind of state has one owner: only its service writes it (issue 12, "Owners").

These read the source tree, as the issue's "done when" does, and name the offending
file:line."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {"tests", "migrations", ".venv", "node_modules", "var"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP:
            continue
        yield path


def _offences(pattern, allowed):
    """file:line of every match of ``pattern`` outside the ``allowed`` files."""
    found = []
    for path in _sources():
        name = str(path.relative_to(ROOT))
        if name in allowed:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(pattern, line):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_only_applications_services_writes_stage_changes():
    """StageChange rows are built and written only in applications/services.py (reading them
    elsewhere is fine)."""
    writes = (
        r"StageChange\(|StageChange\.objects\.(create|bulk_create|get_or_create|update)"
        r"|StageChange\.objects\.filter\(.*\)\.(update|delete)\("
    )
    assert _offences(writes, {"applications/services.py", "applications/models.py"}) == []


def test_nobody_outside_applications_skips_the_transition_check():
    """``check=False`` on change_stage is for applications/services.py alone."""
    found = []
    for path in _sources():
        name = str(path.relative_to(ROOT))
        if name == "applications/services.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if called in {"change_stage", "change_stages_bulk"} and any(
                k.arg == "check" for k in node.keywords
            ):
                found.append(f"{name}:{node.lineno}")
    assert found == []


def test_only_programmes_services_creates_participants():
    """Participants are made by programmes.services.ensure_participant(s_bulk) alone; the
    benchmarks' bulk fixture builder is test data."""
    creates = (
        r"Participant\.objects\.(create|get_or_create|bulk_create|update_or_create)|Participant\("
    )
    allowed = {"programmes/services.py", "programmes/models.py", "benchmarks/cases.py"}
    assert _offences(creates, allowed) == []
