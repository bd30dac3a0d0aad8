"""The modules of our apps import each other one way only.

Every import counts, also those inside functions: a function-level import dodges the error
at start-up but not the tangle, and the next change that moves it to the top of the file
breaks the app. Read from the source with ``ast``, so nothing is imported to check it.

Layering: the shared package ``mentorship`` (rendering mail, headers, logging, the admin
site, the hook points) imports no feature app. Exempt, and only these:

- ``mentorship.urls``: the root URLconf must mount every app's pages, so it imports (or
  includes) the feature apps' URLconfs and views; nothing imports it back.
- ``mentorship.celery``: the Celery application finds the apps' tasks (autodiscovery).
- ``mentorship.settings.*``: the settings name the apps and their tasks, as strings; they
  are listed so that a real import there is not mistaken for a layering error either.

The core app ``organisations`` (tenants, memberships, the activity log, the outbox, the
export jobs) imports no other app either: the feature apps build on it, and what it runs for
them (each export job's task, the reminders) is named in ``mentorship.hooks`` by dotted path.

Migrations and tests are not part of the graph: migrations name other apps by label, and
tests import whatever they test.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = "mentorship"
CORE = "organisations"
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
    "privacy",
)
APPS = (SHARED, *FEATURE_APPS)
LAYERING_EXEMPT = ("mentorship.urls", "mentorship.celery", "mentorship.settings")


def _modules():
    """{dotted module name: (path, is package)} for every module of our apps."""
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts or "tests" in parts:
                continue
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            modules[".".join(parts)] = (path, is_package)
    return modules


def _imported_names(tree, *, package):
    """Every dotted name the module imports, anywhere in it (``from x import y`` gives both
    ``x`` and ``x.y``: y may be a module or a name in x)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            yield module
            for alias in node.names:
                yield f"{module}.{alias.name}"


def import_graph():
    """{module: set of our modules it imports}."""
    modules = _modules()

    def ours(name):
        while name:
            if name in modules:
                return name
            name = name.rpartition(".")[0]
        return None

    graph = {}
    for name, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        package = name if is_package else name.rpartition(".")[0]
        targets = {ours(imported) for imported in _imported_names(tree, package=package)}
        graph[name] = {target for target in targets if target and target != name}
    return graph


def find_cycles(graph):
    """One chain ``a -> b -> a`` for every group of modules that import each other."""
    cycles, state = [], {}

    def visit(module, path):
        state[module] = "open"
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, path)
        path.pop()
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    return cycles


def test_the_graph_sees_imports_inside_functions():
    """Guards the test itself: mail rendering is imported inside a function somewhere, and
    the outbox (imported at the top of organisations.services) is found too."""
    graph = import_graph()
    assert "organisations.outbox" in graph["organisations.services"]
    assert "mentorship.mail" in graph["pairs.services"]  # a function-level import
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a -> b -> c -> a"]


def test_no_module_of_ours_imports_itself_round_about():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_shared_package_imports_no_feature_app():
    wrong = []
    for module, targets in sorted(import_graph().items()):
        if module.split(".")[0] != SHARED or module.startswith(LAYERING_EXEMPT):
            continue
        wrong += [
            f"{module} -> {target}"
            for target in sorted(targets)
            if target.split(".")[0] in FEATURE_APPS
        ]
    assert not wrong, "the shared package imports a feature app:\n" + "\n".join(wrong)


def test_the_core_app_imports_no_feature_app():
    wrong = []
    for module, targets in sorted(import_graph().items()):
        if module.split(".")[0] != CORE:
            continue
        wrong += [
            f"{module} -> {target}"
            for target in sorted(targets)
            if target.split(".")[0] in FEATURE_APPS and target.split(".")[0] != CORE
        ]
    assert not wrong, "the core app imports a feature app:\n" + "\n".join(wrong)
