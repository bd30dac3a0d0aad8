"""The demo package (``demo/``): one module per seed tenant, every story told through the
services, and ``seed_demo`` idempotent down to the row counts of every table."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django_scopes import scopes_disabled

import demo
from tests.demo_seed import snapshot

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "demo"


def row_counts():
    """{table: rows} of every model's table."""
    with scopes_disabled():
        return {
            model._meta.db_table: model._base_manager.count()
            for model in apps.get_models()
            if not model._meta.proxy
        }


snapshot("row_counts")(row_counts)


def test_seed_demo_twice_gives_identical_row_counts_per_table(demo_seed):
    after_first = demo_seed.after_first["row_counts"]
    assert row_counts() == after_first
    assert demo_seed.first == demo_seed.second
    # There was something to count: every tenant's story, its history and its outbox.
    for table in (
        "organisations_tenant",
        "applications_application",
        "applications_stagechange",
        "organisations_activitylog",
        "organisations_outgoingmail",
        "matching_pair",
    ):
        assert after_first.get(table), table


def test_one_module_per_seed_tenant_in_seeding_order(demo_seed):
    slugs = [spec["slug"] for spec in demo.tenant_specs()]
    assert slugs == ["vastnatet", "storvik", "kvarnadalen", "kommundirektorer", "sjukhusgruppen"]
    assert slugs == demo.TENANT_MODULES
    for slug in slugs:
        assert slug in demo_seed.first


def _demo_sources():
    return sorted(DEMO.rglob("*.py"))


def test_the_demo_never_imports_stage_change():
    """Stages move through applications.services alone: the demo never touches StageChange."""
    found = []
    for path in _demo_sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and any(
                a.name == "StageChange" for a in node.names
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Name | ast.Attribute) and (
                getattr(node, "id", None) == "StageChange"
                or getattr(node, "attr", None) == "StageChange"
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_the_demo_never_creates_pairs_or_participants_itself():
    """Pairs come from matching.services.start_pair (ended by end_pair), participants from
    programmes.services.ensure_participant(s_bulk); the demo builds neither row itself, nor
    sets a pair's status or an application's stage."""
    creating = {"create", "get_or_create", "bulk_create", "update_or_create"}
    found = []
    for path in _demo_sources():
        name = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            # Pair(...) / Participant(...)
            if isinstance(func, ast.Name) and func.id in {"Pair", "Participant"}:
                found.append(f"{name}:{node.lineno}: {ast.unparse(node)[:60]}")
            # Pair.objects.create(...) and the like
            if (
                isinstance(func, ast.Attribute)
                and func.attr in creating
                and isinstance(func.value, ast.Attribute)
                and isinstance(func.value.value, ast.Name)
                and func.value.value.id in {"Pair", "Participant"}
            ):
                found.append(f"{name}:{node.lineno}: {ast.unparse(node)[:60]}")
            # .update(status=...) / .update(stage=...) on any queryset
            if isinstance(func, ast.Attribute) and func.attr == "update":
                keys = {k.arg for k in node.keywords}
                if keys & {"status", "stage"} and "OutgoingMail" not in ast.unparse(node):
                    found.append(f"{name}:{node.lineno}: {ast.unparse(node)[:60]}")
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if ".stage = " in line or ".status = Pair.Status" in line:
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_the_demo_is_no_django_app_and_no_hook():
    """A plain package that seed_demo calls; nothing registers it anywhere else."""
    from django.conf import settings

    from mentorship import hooks

    assert "demo" not in settings.INSTALLED_APPS
    assert not hasattr(hooks, "DEMO_EXTENSIONS")
    for old in ("organisations", "programmes", "applications", "matching", "evaluation"):
        assert not (ROOT / old / "demo.py").exists(), old
