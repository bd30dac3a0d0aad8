"""The round as a workspace in a real browser, at desktop and phone width.

The hospital group's coordinator (demo "sjukhusgruppen", seed 004: a continuous programme
with a mentor bank) signs in, goes from the coordinators' overview to the round and from the
round's menu to the mentor bank, nothing typed into the address bar. At 390 px the header and
the menus are folded into <details> menus that open with a tap. Every page passes axe (WCAG
2.1 A/AA) and none is wider than the screen at 390 px.

UI text may be Swedish (compiled catalogue) or English, so locators use addresses and classes.
"""

import pytest
from django_scopes import scope
from playwright.sync_api import Page, expect

from organisations.models import Tenant
from programmes.models import Round

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

COORDINATOR = "camilla.koordinator@sjukhusgruppen.demo.example"
WIDTHS = [1366, 390]


def fits(page: Page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def check(page: Page, assert_accessible):
    assert_accessible(page)
    fits(page)
    page.check_policies()


def open_menu(page: Page, selector):
    """At phone width a folded menu opens with its summary; at desktop it is open already."""
    menu = page.locator(selector)
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_hospital_coordinator_reaches_the_bank_from_the_round(
    page: Page, demo_data, live_url, sign_in, assert_accessible, width
):
    tenant = Tenant.objects.get(slug="sjukhusgruppen")
    with scope(tenant=tenant):
        round_ = Round.objects.get(tenant=tenant, programme__slug="mentorprogram", name="Löpande")
    round_path = f"/sjukhusgruppen/manage/rounds/{round_.pk}/"
    bank_path = f"/sjukhusgruppen/manage/bank/{round_.pk}/"

    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, COORDINATOR, DEMO_PASSWORD)
    page.goto(live_url("/sjukhusgruppen/"))
    check(page, assert_accessible)

    header_menu = page.locator("header details.header-menu")
    manage_link = header_menu.locator("a[href='/sjukhusgruppen/manage/']")
    if width == 390:
        # Folded: the header is one row with the brand and "Menu"; the links are hidden.
        expect(header_menu).not_to_have_attribute("open", "")
        expect(manage_link).to_be_hidden()
        header_height = page.locator("header").bounding_box()["height"]
        assert header_height < 140, f"the header takes {header_height}px"
        header_menu.locator("summary").click()
        expect(manage_link).to_be_visible()
        box = manage_link.bounding_box()
        assert box["height"] >= 24, "the menu's links are too small to tap"
        check(page, assert_accessible)
    else:
        expect(header_menu).to_have_attribute("open", "")
        expect(header_menu.locator("summary")).to_be_hidden()
    manage_link.click()
    expect(page).to_have_url(live_url("/sjukhusgruppen/manage/"))
    check(page, assert_accessible)

    page.locator(f"main a[href='{round_path}']").first.click()
    expect(page).to_have_url(live_url(round_path))
    check(page, assert_accessible)
    nav = page.locator("nav.round-nav")
    expect(nav.locator("a[aria-current='page']")).to_have_attribute("href", round_path)
    # A continuous programme with a bank: no matching proposals, no nomination list.
    expect(
        nav.locator(f"a[href='/sjukhusgruppen/manage/rounds/{round_.pk}/matching/']")
    ).to_have_count(0)
    expect(nav.locator("a[href*='awaiting_nomination']")).to_have_count(0)
    # The stage control: one primary button forward.
    expect(page.locator("form.transition--forward button.button")).to_have_count(1)

    open_menu(page, "nav.round-nav details")
    nav.locator(f"a[href='{bank_path}']").click()
    expect(page).to_have_url(live_url(bank_path))
    check(page, assert_accessible)
    expect(page.locator(f"nav.round-nav a[href='{bank_path}']")).to_have_attribute(
        "aria-current", "page"
    )
    # The bank's table scrolls in its own labelled, focusable box.
    region = page.locator("main .table-wrap").first
    if region.count():
        expect(region).to_have_attribute("tabindex", "0")
        expect(region).to_have_attribute("role", "region")


def check_at_both_widths(page: Page, assert_accessible):
    """The page as it is, at phone width and at desktop width: each loaded once, scanned twice
    (the layout changes with the width, the markup does not)."""
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        check(page, assert_accessible)


def test_every_page_of_a_cohort_round_fits_and_passes_axe(
    page: Page, demo_data, live_url, sign_in, assert_accessible
):
    """Västnätet's coordinator opens each page of the round's menu of every round on the
    overview: none is wider than the screen at 390 px, every one passes axe at 390 and at
    1366 px; a participant's home and pair page too."""
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "karin.koordinator@vastnatet.demo.example", DEMO_PASSWORD)
    page.goto(live_url("/vastnatet/manage/"))
    check_at_both_widths(page, assert_accessible)
    rounds = page.locator("main a[href*='/manage/rounds/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    assert rounds, "the overview lists the rounds"
    seen = set()
    for round_path in rounds:
        page.goto(live_url(round_path))
        check_at_both_widths(page, assert_accessible)
        hrefs = page.locator("nav.round-nav .round-nav__groups a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        for href in hrefs:
            path = href.split("#")[0]
            if path in seen:
                continue
            seen.add(path)
            page.goto(live_url(path))
            if "/manage/" in path:  # not the round's public page
                expect(page.locator("nav.round-nav a[aria-current]")).to_have_count(1)
            check_at_both_widths(page, assert_accessible)
    assert len(seen) > 10

    tenant = Tenant.objects.get(slug="storvik")
    from pairs.models import Pair

    with scope(tenant=tenant):
        pair = (
            Pair.objects.filter(tenant=tenant, status=Pair.Status.ACTIVE)
            .select_related("adept_user")
            .order_by("id")
            .first()
        )
        adept_email = pair.adept_user.email
    page.context.clear_cookies()
    sign_in(page, adept_email, DEMO_PASSWORD, check_accessibility=False)
    page.goto(live_url("/storvik/my/"))
    check_at_both_widths(page, assert_accessible)
    page.locator(f"#pair-{pair.pk}-page").click()
    check_at_both_widths(page, assert_accessible)
    # The long pair page has its own menu of sections.
    toc = page.locator("nav.page-toc")
    expect(toc.locator("a[href='#agreement']")).to_be_visible()
    toc.locator("a[href='#log']").click()
    expect(page.locator("#meetings-title")).to_be_in_viewport()
