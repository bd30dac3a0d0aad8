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


def _function_lines(path, names):
    """The line numbers of the module-level functions ``names`` in ``path``."""
    lines = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            lines |= set(range(node.lineno, node.end_lineno + 1))
    return lines


def test_only_start_pair_makes_pairs_and_only_end_pair_ends_them():
    """A Pair is created by pairs.services.start_pair alone, and only end_pair sets it ENDED
    (ProposedPair and the like are other models). The benchmarks build test data in bulk."""
    writes = re.compile(
        r"(?<![\w.])Pair\.objects\.(create|get_or_create|bulk_create|update_or_create)\("
        r"|(?<![\w.])Pair\("
        r"|\.status = Pair\.Status\."
        r"|\.update\(.*status=Pair\.Status\.ENDED"
    )
    services = ROOT / "pairs" / "services.py"
    owners = _function_lines(services, {"start_pair", "end_pair"})
    assert owners, "start_pair and end_pair are in pairs/services.py"
    found = []
    for path in _sources():
        name = str(path.relative_to(ROOT))
        if name == "benchmarks/cases.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if (path == services and number in owners) or line.lstrip().startswith("class "):
                continue
            if writes.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_application_views_leave_saving_to_the_services():
    """applications/views.py saves no application itself: the applicant's draft goes through
    applications.services.save_draft. ``form.save(commit=False)`` (an unsaved question or
    theme handed to its service) is all the saving left there."""
    path = ROOT / "applications" / "views.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        source = ast.unparse(node)
        unsaved = any(
            k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in node.keywords
        )
        if (
            (node.func.attr == "save" and not unsaved)
            or (node.func.attr in {"set", "add", "remove", "clear"} and ".themes." in source)
            or (node.func.attr in {"update", "delete"} and source.startswith("Application."))
            or node.func.attr in {"save_answers", "refresh_from_db"}
        ):
            found.append(f"applications/views.py:{node.lineno}: {source[:80]}")
    assert found == []


def test_only_the_jobs_module_writes_export_jobs():
    """An export job's life cycle (asked for, claimed, progress, done, failed, started again,
    its file purged) is organisations/jobs.py's: no other module creates or updates the rows.
    The benchmark makes one to time the dossier."""
    writes = (
        r"ExportJob(\.objects)?(\.\w+\([^)]*\))*\."
        r"(create|bulk_create|get_or_create|update_or_create|update|bulk_update|delete)\("
    )
    allowed = {"organisations/jobs.py", "organisations/models.py", "benchmarks/cases.py"}
    assert _offences(writes, allowed) == []
