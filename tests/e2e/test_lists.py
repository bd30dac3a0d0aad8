"""The review list at 60 applications, at desktop and phone width: one page of 50 with its
count and page links, the decisions above the table, "select all on this page" (a few lines of
static/js/lists.js) and "all that match the filter" with its confirmation. Axe finds no WCAG
2.1 A/AA violation and no page scrolls sideways."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from applications.models import Application
from programmes.models import ParticipantRole, Round
from tests.applications.test_services import coordinator_membership
from tests.e2e.conftest import DEMO_PASSWORD, at_both_widths
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory

WIDTHS = [1366, 390]
Stage = Application.Stage


def fits(page: Page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


@pytest.fixture
def review(transactional_db, live_server, tenant):
    orgs = [
        OrganisationFactory(tenant=tenant, name=name)
        for name in ("Alingsås kommun", "Västra Götalandsregionens förvaltning för kultur")
    ]
    round_ = RoundFactory(programme=ProgrammeFactory(tenant=tenant), status=Round.Status.RUNNING)
    for i in range(60):
        ApplicationFactory(
            round=round_,
            organisation=orgs[i % 2],
            stage=Stage.UNDER_REVIEW,
            role=ParticipantRole.MENTOR if i % 3 == 0 else ParticipantRole.ADEPT,
            full_name=f"Sökande {i:03}",
            email=f"en.ganska.lang.adress.{i:03}@vastra-gotalandsregionen.example.se",
        )
    coordinator = coordinator_membership(tenant, full_name="Sara Samordnare").user
    coordinator.language = "en"
    coordinator.set_password(DEMO_PASSWORD)
    coordinator.save()
    EmailAddress.objects.update_or_create(
        user=coordinator, email=coordinator.email, defaults={"verified": True, "primary": True}
    )
    return {
        "coordinator": coordinator,
        "round": round_,
        "path": f"/{tenant.slug}/manage/rounds/{round_.pk}/applications/",
    }


def test_review_list_pages_and_decides_from_the_top(
    page: Page, review, live_url, sign_in, assert_accessible
):
    page.set_viewport_size({"width": 1366, "height": 900})
    assert_accessible = at_both_widths(assert_accessible)
    sign_in(page, review["coordinator"].email, DEMO_PASSWORD, next_path=review["path"])
    main = page.locator("main")
    expect(main).to_contain_text("Showing 1–50 of 60")
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.locator("[aria-current=page]")).to_contain_text("1")
    assert_accessible(page)
    fits(page)

    # The decisions sit above the table.
    accept = page.get_by_role("button", name="Accept", exact=True)
    table = page.locator("main table")
    assert accept.bounding_box()["y"] < table.bounding_box()["y"]

    # Select all on this page (shown by the script), then put them on the waiting list.
    select_page = page.get_by_label("Select all on this page")
    expect(select_page).to_be_visible()
    select_page.check()
    expect(page.locator("[data-select-row]:checked")).to_have_count(50)
    page.get_by_label("Select Sökande 000").uncheck()
    expect(select_page).not_to_be_checked()
    page.get_by_role("button", name="Waiting list").click()
    expect(main).to_contain_text("49 applications updated.")
    assert Application.objects.filter(round=review["round"], stage=Stage.WAITLISTED).count() == 49

    # All that match a filter: the mentors still under review, confirmed with their count.
    page.get_by_label("Stage").select_option("under_review")
    page.get_by_role("button", name="Filter").click()
    expect(main).to_contain_text("Showing 1–11 of 11")
    assert_accessible(page)
    fits(page)
    page.get_by_label(re.compile("All 11 applications that match")).check()
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the decision")
    expect(main).to_contain_text("for all 11 applications that match the filter")
    # The filter the count was computed from, in words.
    expect(main.locator(".filter-words")).to_contain_text("Stage: Under review")
    assert_accessible(page)
    fits(page)
    page.get_by_role("button", name=re.compile("Yes, decide for all 11")).click()
    expect(main).to_contain_text("11 applications updated.")
    assert Application.objects.filter(round=review["round"], stage=Stage.DECLINED).count() == 11
    expect(main).to_contain_text("No applications match.")


def test_review_list_sorts_by_a_column_header_and_keeps_the_filter(
    page: Page, review, live_url, sign_in, assert_accessible
):
    """Sorting is a link in the column header (no script needed): a click sorts by it, a
    second click the other way; the filter and search stay; the header says which way."""
    page.set_viewport_size({"width": 1366, "height": 900})
    assert_accessible = at_both_widths(assert_accessible)
    sign_in(page, review["coordinator"].email, DEMO_PASSWORD, next_path=review["path"])
    main = page.locator("main")
    page.get_by_label("Role").select_option("mentor")
    page.get_by_role("button", name="Filter").click()
    expect(main).to_contain_text("Showing 1–20 of 20")
    first_name = page.locator("main table tbody tr").first.locator("td").nth(1)

    name_header = page.locator("main th", has=page.get_by_role("link", name=re.compile("^Name")))
    expect(name_header).not_to_have_attribute("aria-sort", re.compile(".+"))
    page.get_by_role("link", name=re.compile(r"^Name\W+select to sort ascending")).click()
    expect(page).to_have_url(re.compile(r"role=mentor.*sort=name|sort=name.*role=mentor"))
    expect(name_header).to_have_attribute("aria-sort", "ascending")
    expect(first_name).to_have_text("Sökande 000")
    expect(main).to_contain_text("Showing 1–20 of 20")
    assert_accessible(page)
    fits(page)

    page.get_by_role("link", name=re.compile(r"^Name\W+sorted ascending")).click()
    expect(page).to_have_url(re.compile("sort=-name"))
    expect(name_header).to_have_attribute("aria-sort", "descending")
    expect(first_name).to_have_text("Sökande 057")
    assert_accessible(page)
    fits(page)

    # A new search keeps the chosen order.
    page.get_by_label("Search").fill("Sökande 0")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile("sort=-name"))
    expect(name_header).to_have_attribute("aria-sort", "descending")
    expect(first_name).to_have_text("Sökande 057")
