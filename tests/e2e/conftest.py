"""Browser tests: real Chromium (Playwright) against pytest-django's live server.

Every test in this directory is marked ``e2e`` (``pytest -m "not e2e"`` skips them) and
uses ``live_server`` with a transactional database, so the server thread sees what the
test writes. ``assert_accessible(page)`` runs axe-core (WCAG 2.1 A and AA) on the page.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

E2E_DIR = Path(__file__).resolve().parent

DEMO_SLUG = "vastnatet"
DEMO_COORDINATOR = "karin.koordinator@vastnatet.demo.example"
DEMO_PASSWORD = "mentor-demo-2026"

# Success criteria of WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}

# Labels and names that come from a message catalogue: Swedish or English source text.
EMAIL_LABEL = re.compile(r"e-?post|e-?mail", re.IGNORECASE)
PASSWORD_LABEL = re.compile(r"^\s*(lösenord|password)\b", re.IGNORECASE)


@pytest.hookimpl(trylast=True)  # after pytest-django's own reordering
def pytest_collection_modifyitems(config, items):
    """Mark the tests in this directory (the hook sees every collected item) and run them
    after the others.

    Once Playwright has started in a process, later database tests there can leave a
    connection open, and the test database then cannot be dropped at the end ("database
    ... is being accessed by other users"). Browser tests last avoids that, and the fast
    tests report first.
    """
    browser_tests = []
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            browser_tests.append(item)
    if browser_tests:
        ids = {id(item) for item in browser_tests}
        items[:] = [item for item in items if id(item) not in ids] + browser_tests


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig):
    """The system Chromium (Playwright cannot download its own here).

    pytest-playwright's fixture is session-scoped, so an override must be too: a
    function-scoped override (as in tests/conftest.py) fails with ScopeMismatch when the
    session-scoped ``browser`` asks for it. This one stands on its own.
    """
    args = {
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
    if pytestconfig.getoption("--headed"):
        args["headless"] = False
    if pytestconfig.getoption("--slowmo"):
        args["slow_mo"] = pytestconfig.getoption("--slowmo")
    return args


@pytest.fixture(scope="session")
def axe():
    return Axe()


def _violation_report(url, violations):
    lines = [f"{len(violations)} accessibility violation(s) (WCAG 2.1 A/AA) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = ", ".join(str(t) for t in node.get("target", []))
            lines.append(f"    target: {target}")
            lines.append(f"    html:   {node.get('html', '').strip()[:300]}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("    " + summary.replace("\n", "\n    "))
    return "\n".join(lines)


# Every id that occurs more than once, and every label whose ``for`` names no element.
# axe 4.x no longer reports duplicate ids (WCAG 4.1.1 is obsolete), but a label whose id is
# taken twice names the wrong field for a screen reader.
FIND_DUPLICATE_IDS = """
() => {
    const seen = new Map();
    for (const el of document.querySelectorAll("[id]")) {
        seen.set(el.id, (seen.get(el.id) || 0) + 1);
    }
    const duplicates = [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n}×)`);
    const orphans = [...document.querySelectorAll("label[for]")]
        .filter((label) => !document.getElementById(label.htmlFor))
        .map((label) => `label for=${label.htmlFor}`);
    return duplicates.concat(orphans);
}
"""


def assert_unique_ids(page: Page):
    """No id occurs twice on the page, and every ``<label for>`` names an element."""
    problems = page.evaluate(FIND_DUPLICATE_IDS)
    assert not problems, f"Ids taken twice on {page.url}: " + ", ".join(problems)


@pytest.fixture
def assert_accessible(axe):
    """``assert_accessible(page)``: axe-core finds no WCAG 2.1 A/AA violation on the page,
    and no id is taken twice (so every label names its own field)."""

    def check(page: Page):
        page.wait_for_load_state("load")
        assert_unique_ids(page)
        results = axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        if violations:
            raise AssertionError(_violation_report(page.url, violations))
        return results

    return check


def at_both_widths(assert_accessible):
    """``assert_accessible`` for a journey walked once at desktop width: each page is scanned
    at 390 px (and must not be wider than the screen there), then at the width the test set.
    A page is loaded once and scanned twice: the layout changes with the width, the markup
    does not. Tests of what only happens at one width (a folded menu) keep their own widths."""

    def check(page: Page):
        size = page.viewport_size
        page.set_viewport_size({"width": 390, "height": 844})
        try:
            assert_accessible(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{page.url} is {width}px wide at 390 px"
        finally:
            page.set_viewport_size(size)
        return assert_accessible(page)

    return check


@pytest.fixture
def live_url(live_server):
    """``live_url("/path/")``: the live server's address for a path."""

    def build(path="/"):
        return f"{live_server.url}{path}"

    return build


class DemoTemplate:
    """The seeded demo kept as a PostgreSQL template database, so each browser test gets a
    fresh copy in well under a second instead of running ``seed_demo`` again.

    The first test that asks seeds the (empty) test database and clones it to
    ``<test database>_demo``; later tests drop the test database and create it again from
    that template. The live server's request threads close their connections after each
    request; any that linger are ended (``pg_terminate_backend``, ``WITH (FORCE)``). The template is dropped at the end.
    """

    def __init__(self):
        self.name = None

    @staticmethod
    def _admin(sql):
        import psycopg
        from django.db import connection

        params = connection.get_connection_params()
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(sql)

    def load(self):
        from django.db import connection, connections

        test_db = connection.settings_dict["NAME"]
        if self.name is None:
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            connections.close_all()
            self.name = f"{test_db}_demo"
            self._admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{test_db}' AND pid <> pg_backend_pid()"
            )
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
            self._admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{test_db}"')
        else:
            connections.close_all()
            self._admin(f'DROP DATABASE "{test_db}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{test_db}" TEMPLATE "{self.name}"')
        # The copy has the content types of the seeding time; flushes since made new ones.
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()

    def drop(self):
        if self.name is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.name = None


@pytest.fixture(scope="session")
def demo_template(django_db_setup, django_db_blocker):
    template = DemoTemplate()
    yield template
    with django_db_blocker.unblock():
        template.drop()


@pytest.fixture
def demo_data(live_server, transactional_db, demo_template):
    """The demo tenants and people (``seed_demo``) in the database the live server reads."""
    demo_template.load()
    from organisations.models import Tenant

    return Tenant.objects.get(slug=DEMO_SLUG)


# Chromium reports every script, style or frame the Content-Security-Policy refuses as an
# event (and in the console).
RECORD_POLICY_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
    );
});
"""


def watch_policies(page: Page):
    """Collect the browser's Content-Security-Policy and Permissions-Policy complaints.

    Returns ``check()``, which fails listing them (those of the current document included)."""
    complaints = []
    page.add_init_script(RECORD_POLICY_VIOLATIONS)

    def on_console(message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            complaints.append(f"{page.url}: {message.text}")

    page.on("console", on_console)

    def check():
        if not page.is_closed():
            violations = page.evaluate("window.__violations || []")
            complaints.extend(f"{page.url}: {violation}" for violation in violations)
            page.evaluate("window.__violations = []")
        found = list(dict.fromkeys(complaints))
        complaints.clear()
        assert not found, "The browser refused inline code or a feature:\n" + "\n".join(found)

    return check


@pytest.fixture
def page(page: Page):
    """pytest-playwright's page, failing fast instead of waiting 30 s for a missing element,
    and failing the test if the browser reports a Content-Security-Policy violation."""
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    page.check_policies = watch_policies(page)  # a test may also check after each step
    yield page
    page.check_policies()


@pytest.fixture
def sign_in(live_url, assert_accessible):
    """``sign_in(page, email, password)`` through the real login form (checked with axe)."""

    def do_sign_in(page: Page, email, password, *, next_path=None, check_accessibility=True):
        path = "/accounts/login/" + (f"?next={next_path}" if next_path else "")
        page.goto(live_url(path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if check_accessibility:
            assert_accessible(page)
        form = page.locator("main form[action$='/accounts/login/']")
        form.get_by_label(EMAIL_LABEL).fill(email)
        form.get_by_label(PASSWORD_LABEL).fill(password)
        form.get_by_role("button").click()  # the form's only button: "Sign in"
        page.wait_for_load_state("load")
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    return do_sign_in


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started after the test database exists so that it
    stops (closing its connections) before the database is dropped."""
    return live_server
