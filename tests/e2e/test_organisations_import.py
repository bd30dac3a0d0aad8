"""Issue 14, deliver 7 in the browser, at desktop and phone width: a coordinator imports the
member organisations from a semicolon-separated CSV (Swedish Excel), checks the preview and
sees them in the list; an HR contact selects two applicants on the HR list and nominates both
with one motivation. Axe finds no WCAG 2.1 A/AA violation and no page scrolls sideways."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Page, expect

from applications.models import Application
from organisations.models import Organisation
from programmes.models import Round
from tests.e2e.conftest import DEMO_PASSWORD, at_both_widths
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory

pytestmark = pytest.mark.e2e
Stage = Application.Stage

CSV = (
    "\ufeffnamn;typ;län;ort;del_av;hr_kontakter\r\n"
    "Borås stad;Kommun;Västra Götalands län;Borås;;hr@boras.example.se\r\n"
    "Borås stad, socialförvaltningen;Område eller förvaltning;Västra Götalands län;Borås;"
    "Borås stad;\r\n"
    "Region Väst;Region;Västra Götalands län;Göteborg;;\r\n"
).encode()


def fits(page: Page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def person(tenant, email, **roles):
    user = MembershipFactory(tenant=tenant, user__email=email, user__language="en", **roles).user
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def test_coordinator_imports_organisations_from_a_file(
    page: Page, transactional_db, live_server, tenant, live_url, sign_in, assert_accessible
):
    coordinator = person(tenant, "samordnare@example.se", is_coordinator=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    assert_accessible = at_both_widths(assert_accessible)
    listing = f"/{tenant.slug}/manage/organisations/"
    sign_in(page, coordinator.email, DEMO_PASSWORD, next_path=listing)
    main = page.locator("main")
    main.get_by_role("link", name="Import from a file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import organisations")
    assert_accessible(page)
    fits(page)

    page.get_by_label("File (CSV or Excel .xlsx)").set_input_files(
        {"name": "organisationer.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(main).to_contain_text("3 organisations will be created.")
    expect(main).to_contain_text("1 HR contact will be invited.")
    assert not Organisation.objects.filter(tenant=tenant).exists()
    assert_accessible(page)
    fits(page)

    page.get_by_role("button", name="Import these organisations").click()
    expect(main).to_contain_text("3 organisations created.")
    table = main.locator("table")
    for name in ("Borås stad", "Borås stad, socialförvaltningen", "Region Väst"):
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert_accessible(page)
    fits(page)
    unit = Organisation.objects.get(tenant=tenant, name="Borås stad, socialförvaltningen")
    assert unit.parent.name == "Borås stad"


def test_hr_contact_nominates_two_applicants_at_once(
    page: Page, transactional_db, live_server, tenant, live_url, sign_in, assert_accessible
):
    organisation = OrganisationFactory(tenant=tenant, name="Alingsås kommun")
    hr = person(
        tenant,
        "hr@alingsas.example.se",
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[organisation],
    )
    round_ = RoundFactory(
        programme=ProgrammeFactory(tenant=tenant),
        status=Round.Status.OPEN,
        application_closes_at=timezone.now() + timedelta(days=10),
        requires_nomination=True,
        nomination_quota=3,
    )
    applicants = [
        ApplicationFactory(
            round=round_,
            organisation=organisation,
            stage=Stage.AWAITING_NOMINATION,
            full_name=name,
        )
        for name in ("Anna Andersson", "Bertil Berg", "Cecilia Ceder")
    ]
    page.set_viewport_size({"width": 1366, "height": 900})
    assert_accessible = at_both_widths(assert_accessible)
    sign_in(page, hr.email, DEMO_PASSWORD, next_path=f"/{tenant.slug}/hr/rounds/{round_.pk}/")
    main = page.locator("main")
    expect(page.get_by_label("Select all on this page")).to_be_visible()
    assert_accessible(page)
    fits(page)

    page.get_by_label("Select Anna Andersson").check()
    page.get_by_label("Select Bertil Berg").check()
    page.get_by_label("Motivation for all the selected").fill("Båda är redo för nästa steg.")
    page.get_by_role("button", name="Nominate", exact=True).click()
    expect(main).to_contain_text("2 applicants nominated.")
    expect(main).to_contain_text("2 of 3 nominations used")
    assert_accessible(page)
    fits(page)
    stages = [Application.objects.get(pk=a.pk).stage for a in applicants]
    assert stages == [Stage.NOMINATED, Stage.NOMINATED, Stage.AWAITING_NOMINATION]
