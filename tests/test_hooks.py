"""The hook points of ``mentorship.hooks``: every implementation is there, in the declared
order, and nothing is registered in an app's ``ready()`` any more."""

import ast
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from mentorship import hooks
from organisations import reminders

ROOT = Path(__file__).resolve().parent.parent
FEATURE_APPS = (
    "organisations",
    "programmes",
    "applications",
    "matching",
    "pairs",
    "bank",
    "choosing",
    "evaluation",
    "reporting",
    "messaging",
)


def _paths(hook_point):
    if isinstance(hook_point, hooks.KeyedHookPoint):
        return [path for _key, path in hook_point.implementations]
    return list(hook_point.implementations)


def test_every_hook_point_of_the_module_is_listed():
    declared = [v for v in vars(hooks).values() if isinstance(v, hooks.HookPoint)]
    assert sorted(h.name for h in declared) == sorted(h.name for h in hooks.HOOK_POINTS)
    assert len({h.name for h in hooks.HOOK_POINTS}) == len(hooks.HOOK_POINTS)


@pytest.mark.parametrize("hook_point", hooks.HOOK_POINTS, ids=lambda h: h.name)
def test_every_implementation_imports_and_is_callable(hook_point):
    assert hook_point.implementations, hook_point.name
    assert hook_point.__doc__ and "Called as" in hook_point.__doc__
    paths = _paths(hook_point)
    assert len(set(paths)) == len(paths), "an implementation is listed twice"
    loaded = list(hook_point.values() if isinstance(hook_point, Mapping) else hook_point)
    assert len(loaded) == len(paths)
    for path, function in zip(paths, loaded, strict=True):
        assert callable(function), path
        assert f"{function.__module__}.{function.__qualname__}" == path


@pytest.mark.parametrize("hook_point", hooks.HOOK_POINTS, ids=lambda h: h.name)
def test_each_hook_point_runs_in_the_declared_order(hook_point):
    if isinstance(hook_point, hooks.KeyedHookPoint):
        assert list(hook_point) == [key for key, _path in hook_point.implementations]
        functions = list(hook_point.values())
    else:
        functions = list(hook_point)
    assert [f"{f.__module__}.{f.__qualname__}" for f in functions] == _paths(hook_point)
    # Loaded once and cached: the same objects each time.
    again = list(hook_point.values()) if isinstance(hook_point, Mapping) else list(hook_point)
    assert all(a is b for a, b in zip(functions, again, strict=True))


def test_the_dashboard_sections_and_the_other_orders():
    from applications import selectors as applications_selectors
    from choosing import services as choosing_services
    from evaluation import selectors as evaluation_selectors
    from messaging import selectors as messaging_selectors
    from messaging import services as messaging
    from pairs import services as pairwork
    from reporting import reports

    assert list(hooks.DASHBOARD_SECTIONS) == [
        messaging_selectors.dashboard_section,
        applications_selectors.dashboard_section,
        evaluation_selectors.dashboard_section,
        reports.dashboard_section,
    ]
    assert list(hooks.ON_ANONYMISE) == [
        choosing_services.anonymise,
        pairwork.anonymise,
        messaging.anonymise,
    ]


def test_the_reminders_are_keyed_by_name_in_alphabetical_order():
    from evaluation import reminders as evaluation_reminders

    names = list(hooks.REMINDERS)
    assert (
        names
        == sorted(names)
        == [
            "application-deadline",
            "quiet-pairs",
            "shared-day",
            "survey-closing",
            "survey-open",
        ]
    )
    assert hooks.REMINDERS["survey-open"] is evaluation_reminders.remind_survey_open
    assert reminders.REMINDERS is hooks.REMINDERS


def test_replacing_the_implementations_reloads_them(monkeypatch):
    before = list(hooks.NEXT_STEPS)
    monkeypatch.setattr(hooks.NEXT_STEPS, "implementations", ("tests.test_hooks.no_steps",))
    assert list(hooks.NEXT_STEPS) == [no_steps]
    monkeypatch.undo()
    assert list(hooks.NEXT_STEPS) == before


def test_a_key_declared_twice_is_refused():
    point = hooks.KeyedHookPoint(
        "twice",
        doc="Called as f(now).",
        implementations=[("a", "tests.test_hooks.no_steps"), ("a", "tests.test_hooks.no_steps")],
    )
    with pytest.raises(ValueError, match="declared twice"):
        list(point)


def no_steps(*, tenant, user, now):
    return []


HOOK_NAMES = (
    "PERSON_FEED_EXTRAS",
    "MATCHED_PAIR_COUNTERS",
    "ROUND_COPY_HOOKS",
    "DASHBOARD_SECTIONS",
    "NEXT_STEPS",
    "ON_ACCEPTED",
    "ON_ANONYMISE",
    "REMINDERS",
)


def _ready_methods():
    for app in FEATURE_APPS:
        path = ROOT / app / "apps.py"
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name == "ready":
                yield app, ast.get_source_segment(path.read_text(), node)


def test_no_app_registers_a_hook_in_ready():
    sources = dict(_ready_methods())
    assert "matching" in sources  # the activity labels are still loaded there
    for app, source in sources.items():
        for name in HOOK_NAMES:
            assert name not in source, f"{app}.apps ready() mentions {name}"
        assert not re.search(r"\.(append|insert|extend)\(", source), f"{app}.apps ready()"
        assert "reminders" not in source, f"{app}.apps ready() imports its reminders"


def test_no_module_declares_or_fills_a_hook_list():
    """The old lists are gone from the apps: only mentorship.hooks declares hook points."""
    wrong = []
    for app in FEATURE_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            for name in HOOK_NAMES:
                if re.search(
                    rf"^{name} = |\b{name}\.(append|insert|extend)\(|\b{name}\[.+\] = ", text, re.M
                ):
                    wrong.append(f"{path.relative_to(ROOT)}: {name}")
            if "reminders.register(" in text:
                wrong.append(f"{path.relative_to(ROOT)}: reminders.register")
    assert not wrong, wrong


def test_every_kind_of_export_job_has_its_task():
    """The core's export jobs (organisations.jobs) are made by the feature apps' tasks, one
    per kind of ``ExportJob``, found through the registry."""
    from applications import tasks as application_tasks
    from organisations import jobs
    from organisations.models import ExportJob
    from reporting import tasks as reporting_tasks

    assert list(hooks.EXPORT_JOBS) == ExportJob.Kind.values
    assert hooks.EXPORT_JOBS[ExportJob.Kind.DOSSIER] is application_tasks.make_dossier
    assert hooks.EXPORT_JOBS[ExportJob.Kind.ROUND_REPORT] is reporting_tasks.make_round_report
    assert jobs.TASKS is hooks.EXPORT_JOBS
