"""The adept chooses a mentor, in a real browser, with an accessibility scan of every page.

Demo tenant "kommundirektorer" (seed 003): a continuous programme where the adept chooses. Sofie
Wahlgren's application is under review; the test accepts it (as the coordinator would). She
signs in, opens "Choose a mentor" from her programme page, reads the mentors and asks one with
free places; the mentor signs in, opens their requests and accepts; Sofie's programme page then
shows the mentor. Locators use addresses, ids and ``name`` attributes (UI may be Swedish).
"""

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from applications import services as application_services
from applications.models import Application
from choosing import selectors as request_selectors
from choosing.models import MentorRequest
from organisations.models import Membership, Tenant
from pairs.models import Pair

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

SLUG = "kommundirektorer"
MESSAGE = "Jag är ny kommundirektör och vill gärna prata om ledningsgruppen."


def new_page(browser: Browser) -> Page:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def test_adept_asks_a_mentor_who_accepts(
    page: Page, browser: Browser, demo_data, live_url, sign_in, assert_accessible
):
    tenant = Tenant.objects.get(slug=SLUG)
    with scope(tenant=tenant):
        sofie = Application.objects.select_related("user", "round").get(
            tenant=tenant, full_name="Sofie Wahlgren", role="adept"
        )
        assert sofie.stage == Application.Stage.UNDER_REVIEW
        coordinator = Membership.objects.filter(tenant=tenant, is_coordinator=True).first().user
        application_services.decide(application=sofie, actor=coordinator, decision="accepted")
        free = [
            m
            for m in request_selectors.mentors_for(tenant=tenant, round_=sofie.round)
            if m.places_left
        ]
        assert free, "the demo round has a mentor with a free place"
        mentor = free[0]
        mentor_email, mentor_name = mentor.user.email, mentor.full_name

    # --- the adept: programme page → choose a mentor → ask ------------------------------------
    sign_in(page, sofie.user.email, DEMO_PASSWORD)
    page.goto(live_url(f"/{SLUG}/my/"))
    assert_accessible(page)
    page.locator("#choose-mentor-link").click()
    expect(page).to_have_url(live_url(f"/{SLUG}/my/mentors/"))
    expect(page.locator(f"#mentor-{mentor.pk}")).to_contain_text(mentor_name)
    assert_accessible(page)
    page.locator(f"#ask-{mentor.pk}").click()
    expect(page).to_have_url(live_url(f"/{SLUG}/my/mentors/{mentor.pk}/ask/"))
    assert_accessible(page)
    page.locator("textarea[name='message']").fill(MESSAGE)
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(live_url(f"/{SLUG}/my/mentors/"))
    expect(page.locator("#open-request")).to_contain_text(mentor_name)
    assert_accessible(page)
    with scope(tenant=tenant):
        request = MentorRequest.objects.get(tenant=tenant, adept=sofie)
        assert request.mentor_id == mentor.pk and request.message == MESSAGE

    # --- the mentor: programme page → requests → accept ---------------------------------------
    mentor_page = new_page(browser)
    sign_in(mentor_page, mentor_email, DEMO_PASSWORD)
    mentor_page.goto(live_url(f"/{SLUG}/my/"))
    assert_accessible(mentor_page)
    mentor_page.locator("#mentor-requests-link").click()
    expect(mentor_page).to_have_url(live_url(f"/{SLUG}/my/requests/"))
    card = mentor_page.locator(f"#request-{request.pk}")
    expect(card).to_contain_text("Sofie Wahlgren")
    expect(card).to_contain_text(MESSAGE)
    assert_accessible(mentor_page)
    card.locator("button[name='accept']").click()
    expect(mentor_page).to_have_url(live_url(f"/{SLUG}/my/requests/"))
    expect(mentor_page.locator(f"#request-{request.pk}")).to_have_count(0)
    assert_accessible(mentor_page)
    with scope(tenant=tenant):
        assert Pair.objects.filter(
            tenant=tenant, adept=sofie, mentor_id=mentor.pk, status=Pair.Status.ACTIVE
        ).exists()

    # --- the adept's programme page now shows the mentor ---------------------------------------
    page.goto(live_url(f"/{SLUG}/my/"))
    expect(page.locator(".partner-card")).to_contain_text(mentor_name)
    assert_accessible(page)
