"""The Content-Security-Policy breaks nothing: real Chromium walks public, signed-in,
coordinator and admin pages, reports no policy violation, and htmx still works."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_COORDINATOR, DEMO_PASSWORD

# Chromium reports every refused script, style or frame here as well as in the console.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched(page: Page):
    """The page, with the CSP and Permissions-Policy complaints of the browser collected."""
    complaints = []
    page.add_init_script(RECORD_VIOLATIONS)

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            complaints.append(f"{page.url}: {text}")

    page.on("console", on_console)

    def check():
        complaints.extend(
            f"{page.url}: {violation}" for violation in page.evaluate("window.__violations || []")
        )
        assert not complaints, "\n".join(complaints)

    page.check_policy = check
    return page


def test_pages_break_no_policy_and_htmx_still_works(watched, live_url, demo_data, sign_in):
    from django_scopes import scopes_disabled

    from programmes.models import Round

    page = watched
    with scopes_disabled():
        round_ = Round.objects.filter(programme__tenant=demo_data).order_by("pk").first()
        programme_pk = round_.programme_id
    slug = demo_data.slug

    for path in ("/", f"/{slug}/", "/accounts/login/", "/admin/login/"):
        response = page.goto(live_url(path))
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        page.check_policy()

    sign_in(page, DEMO_COORDINATOR, DEMO_PASSWORD, check_accessibility=False)
    for path in (
        f"/{slug}/manage/",
        f"/{slug}/manage/rounds/{round_.pk}/applications/",
        f"/{slug}/manage/programmes/{programme_pk}/statistics/",  # inline SVG charts
        "/me/",
    ):
        response = page.goto(live_url(path))
        assert response.status == 200, path
        assert response.headers["cache-control"] == "private, no-store"
        page.check_policy()

    # htmx: the form builder previews a question as it is typed (hx-get on input).
    page.goto(live_url(f"/{slug}/manage/rounds/{round_.pk}/form/"))
    page.locator("#id_label").fill("Vad vill du lära dig under året?")
    expect(page.locator("#question-preview")).to_contain_text("Vad vill du lära dig under året?")
    page.check_policy()
