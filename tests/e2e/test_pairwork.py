"""The pair page in a real browser, with an accessibility scan of every page.

Demo tenant "storvik" (seed 001): an adept of a demo pair opens the pair page from the partner
card, drafts the agreement; the mentor confirms it; the adept fills the first-meeting checklist
and logs a meeting with a private note, which the mentor's page never shows."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from organisations.models import Tenant
from pairs.models import ChecklistItemAnswer, Pair, PairAgreement, PairMeeting

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

SLUG = "storvik"
NOTE = "Min egen anteckning 5521"


def new_page(browser: Browser) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def test_agreement_checklist_and_a_meeting(
    page: Page, browser: Browser, demo_data, live_url, sign_in, assert_accessible
):
    tenant = Tenant.objects.get(slug=SLUG)
    with scope(tenant=tenant):
        pair = (
            Pair.objects.filter(tenant=tenant, status=Pair.Status.ACTIVE)
            .select_related("adept_user", "mentor_user")
            .order_by("id")
            .first()
        )
        assert pair is not None, "the demo has an active pair in storvik"
        adept_email, mentor_email = pair.adept_user.email, pair.mentor_user.email
        started = timezone.localtime(pair.started_at).date() if pair.started_at else None

    # --- the adept: home → pair page → draft the agreement ----------------------------------
    sign_in(page, adept_email, DEMO_PASSWORD)
    page.goto(live_url(f"/{SLUG}/my/"))
    assert_accessible(page)
    page.locator(f"#pair-{pair.pk}-page").click()
    expect(page.locator("#agreement-title")).to_be_visible()
    assert_accessible(page)
    page.locator("textarea[name=how_often]").fill("En gång i månaden, två timmar")
    page.locator("textarea[name=confidentiality]").fill("Det vi säger stannar mellan oss")
    page.locator("#save-agreement").click()
    expect(page.locator("#agreement-status")).to_be_visible()
    assert_accessible(page)

    # --- the first-meeting checklist -----------------------------------------------------------
    first = page.locator("section[id^=checklist-]").first
    answer = first.locator("textarea").nth(3)  # the values question of seed 004's routine
    answer.fill("Ärlighet och mod")
    first.locator("button[type=submit]").click()
    expect(page.locator("section[id^=checklist-]").first.locator("textarea").nth(3)).to_have_value(
        "Ärlighet och mod"
    )
    assert_accessible(page)

    # --- a meeting in the future: a clear error; then a real one -------------------------------
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    page.locator("input[name=date]").fill(future)
    page.locator("#log-meeting").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    day = timezone.localdate()
    if started and started > day:
        day = started
    page.locator("input[name=date]").fill(day.isoformat())
    page.locator("input[name=minutes]").fill("100")
    page.locator("input[name=place]").fill("Stadsbiblioteket")
    page.locator("textarea[name=note]").fill(NOTE)
    page.locator("#log-meeting").click()
    expect(page.locator("#meeting-list")).to_contain_text("Stadsbiblioteket")
    expect(page.locator("#meeting-list")).to_contain_text(NOTE)
    assert_accessible(page)

    # --- the mentor confirms; never sees the note -----------------------------------------------
    mentor_page = new_page(browser)
    sign_in(mentor_page, mentor_email, DEMO_PASSWORD, check_accessibility=False)
    mentor_page.goto(live_url(f"/{SLUG}/my/pairs/{pair.pk}/"))
    assert_accessible(mentor_page)
    expect(mentor_page.locator("#meeting-list")).to_contain_text("Stadsbiblioteket")
    assert NOTE not in mentor_page.content()
    mentor_page.locator("#confirm-agreement").click()
    expect(mentor_page.locator("#agreement-confirmed")).to_be_visible()
    assert_accessible(mentor_page)

    with scope(tenant=tenant):
        agreement = PairAgreement.objects.get(pair=pair)
        assert agreement.confirmed_by_both
        assert PairMeeting.objects.filter(pair=pair).count() == 1
        assert ChecklistItemAnswer.objects.filter(pair=pair, user=pair.adept_user).exists()
