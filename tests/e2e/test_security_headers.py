"""The Content-Security-Policy breaks nothing: real Chromium walks public, signed-in,
coordinator and admin pages, reports no policy violation, and htmx still works."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_COORDINATOR, DEMO_PASSWORD


def test_pages_break_no_policy_and_htmx_still_works(page: Page, live_url, demo_data, sign_in):
    from django_scopes import scopes_disabled

    from programmes.models import Round

    with scopes_disabled():
        round_ = Round.objects.filter(programme__tenant=demo_data).order_by("pk").first()
        programme_pk = round_.programme_id
    slug = demo_data.slug

    for path in ("/", f"/{slug}/", "/accounts/login/", "/admin/login/"):
        response = page.goto(live_url(path))
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        page.check_policies()

    sign_in(page, DEMO_COORDINATOR, DEMO_PASSWORD, check_accessibility=False)
    for path in (
        f"/{slug}/manage/",
        f"/{slug}/manage/rounds/{round_.pk}/applications/",
        f"/{slug}/manage/programmes/{programme_pk}/statistics/",  # inline SVG charts
        "/me/",
        # allauth's own pages (not overridden here), the TOTP QR code is a data: image
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
    ):
        response = page.goto(live_url(path))
        assert response.status == 200, path
        assert response.headers["cache-control"] == "private, no-store"
        page.check_policies()

    # htmx: the form builder previews a question as it is typed (hx-get on input).
    page.goto(live_url(f"/{slug}/manage/rounds/{round_.pk}/form/"))
    page.locator("#id_label").fill("Vad vill du lära dig under året?")
    expect(page.locator("#question-preview")).to_contain_text("Vad vill du lära dig under året?")
    page.check_policies()
