"""The rights of the person in a real browser, with an accessibility scan of every page at
1366 px and 390 px: Sara finds "My personal data" from her start page, downloads her
register extract (PDF and JSON) and asks for erasure; a coordinator finds the request from
the overview, previews what goes and what stays, and carries it out. Then the public
accessibility statement, from the footer."""

import json
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from applications.models import Application
from privacy.models import ErasureRequest
from tests.e2e.conftest import at_both_widths
from tests.factories.organisations import PASSWORD, OrganisationFactory, TenantFactory
from tests.privacy.test_rights import build

pytestmark = pytest.mark.e2e


def test_person_downloads_and_asks_for_erasure_coordinator_carries_it_out(
    page: Page, live_server, transactional_db, live_url, sign_in, assert_accessible
):
    check = at_both_widths(assert_accessible)
    page.set_viewport_size({"width": 1366, "height": 900})
    with scopes_disabled():
        tenant = TenantFactory(name="Västnätet")
        other = TenantFactory(name="Annat nätverk")
        OrganisationFactory(tenant=other)
        world = build(tenant, other)
        for user in (world.sara, world.coordinator):
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    sign_in(page, world.sara.email, PASSWORD)
    page.goto(live_url("/"))
    page.locator(f".place[data-tenant='{tenant.slug}'] a[href$='/my/data/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("My personal data|Mina personuppgifter")
    )
    check(page)
    with page.expect_download() as info:
        page.locator("a[href$='/my/data/extract.pdf']").click()
    assert info.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as info:
        page.locator("a[href$='/my/data/extract.json']").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["data"]
    assert data["Person"][0]["Name"] == "Sara Svensson"

    page.locator("textarea[name=message]").fill("Jag har slutat som chef")
    page.locator("form[action$='/my/data/erase/'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(re.compile("You asked on|Du bad om"))
    check(page)
    with scopes_disabled():
        request = ErasureRequest.objects.get()

    # --- the coordinator ------------------------------------------------------------------
    page.context.clear_cookies()
    sign_in(page, world.coordinator.email, PASSWORD, check_accessibility=False)
    page.goto(live_url(f"/{tenant.slug}/manage/"))
    page.locator("a[href$='/manage/privacy/retention/']").first.click()
    check(page)
    page.locator("main a[href$='/manage/privacy/requests/']").first.click()
    check(page)
    page.locator(f"a[href$='/manage/privacy/requests/{request.pk}/']").click()
    expect(page.locator("#goes-caption")).to_be_visible()
    expect(page.locator("#stays-caption")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Jag har slutat som chef")
    check(page)
    page.locator("form[action$='/carry-out/'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(re.compile("carried out|genomförd", re.I))
    check(page)
    with scopes_disabled():
        request.refresh_from_db()
        assert request.status == ErasureRequest.Status.DONE
        assert Application.objects.get(pk=world.pair.adept.pk).anonymised_at is not None

    # --- the statement, from the footer of any of the tenant's pages ------------------------
    page.context.clear_cookies()
    page.goto(live_url(f"/{tenant.slug}/"))
    page.locator("footer a[href$='/accessibility/']").click()
    expect(page.locator("main a[href='https://www.digg.se/tdosanmalan']")).to_be_visible()
    check(page)
