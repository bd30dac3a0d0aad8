"""The mentor bank (seed 004) in a real browser, with an accessibility scan of every page.

An HR contact of Västkustens sjukhusgrupp (demo "sjukhusgruppen") signs in, follows the link
from the HR page to the mentor bank, registers a newly recruited manager, sees the bank's
mentors ranked for them with the reasons (and those excluded, with why), chooses the first,
and sees the confirmation. The mentor gets the mail asking them to get in touch.

UI text may be Swedish (compiled catalogue) or English (source strings), so locators use
addresses, ids and ``name`` attributes.
"""

import re

import pytest
from django.core import mail
from django_scopes import scope
from playwright.sync_api import Page, expect

from applications.models import Application
from organisations.models import Tenant
from pairs.models import Pair
from programmes.models import Round

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

HR_EMAIL = "sanna.hr@sjukhusgruppen.demo.example"
NEW_MANAGER = "Hugo Nyberg"
NEW_EMAIL = "hugo.nyberg@sjukhusgruppen.demo.example"


def test_hr_registers_a_new_manager_and_chooses_a_mentor_from_the_bank(
    page: Page, demo_data, live_url, sign_in, assert_accessible
):
    tenant = Tenant.objects.get(slug="sjukhusgruppen")
    with scope(tenant=tenant):
        round_ = Round.objects.get(tenant=tenant, programme__slug="mentorprogram", name="Löpande")
    bank_path = f"/sjukhusgruppen/hr/bank/{round_.pk}/"

    sign_in(page, HR_EMAIL, DEMO_PASSWORD)
    page.goto(live_url("/sjukhusgruppen/hr/"))
    assert_accessible(page)
    page.locator(f"main a[href='{bank_path}']").click()
    expect(page).to_have_url(live_url(bank_path))
    assert_accessible(page)

    page.locator(f"main a[href='{bank_path}new/']").click()
    expect(page).to_have_url(live_url(f"{bank_path}new/"))
    assert_accessible(page)
    # Only Sanna's own areas are offered.
    options = page.locator("#id_organisation option").all_inner_texts()
    assert sorted(o for o in options if o.strip("-— ")) == ["Akutområdet", "Medicinområdet"]
    page.fill("#id_full_name", NEW_MANAGER)
    page.fill("#id_email", NEW_EMAIL)
    page.select_option("#id_organisation", label="Medicinområdet")
    page.fill("#id_job_title", "Enhetschef, avdelning 12")
    page.select_option("#id_manager_level", "first_line")
    page.fill("#id_years_as_manager", "0")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")

    with scope(tenant=tenant):
        adept = Application.objects.get(tenant=tenant, round=round_, email=NEW_EMAIL)
        assert adept.stage == Application.Stage.ACCEPTED
    expect(page).to_have_url(live_url(f"{bank_path}adepts/{adept.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_MANAGER)
    assert_accessible(page)
    # Ranked suggestions with a reason per criterion; "usually from another area" is a
    # preference in one employer, so a mentor of the manager's own area comes after the others.
    cards = page.locator("#suggested-title ~ ol > li")
    assert cards.count() >= 1
    expect(cards.first.locator("dl dt").first).to_be_visible()
    expect(cards.first.locator("dl dd").first).not_to_be_empty()
    expect(cards.first.locator("h3 + p")).not_to_contain_text("Medicinområdet")
    first_name = cards.first.locator("h3").inner_text().split("\n")[0].strip()
    first_name = re.sub(r"\s*\d+([.,]\d+)?\s*(poäng|points)\s*$", "", first_name).strip()

    mail.outbox.clear()
    cards.first.locator("form button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page).to_have_url(re.compile(rf"{bank_path}pairs/\d+/$"))
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text(NEW_MANAGER)
    expect(page.locator("main")).to_contain_text(first_name)

    with scope(tenant=tenant):
        pair = Pair.objects.select_related("mentor").get(
            tenant=tenant, adept=adept, status=Pair.Status.ACTIVE
        )
        assert pair.mentor.full_name == first_name
        mentor_email = pair.mentor.email or pair.mentor.user.email
    to_mentor = [m for m in mail.outbox if m.to == [mentor_email]]
    assert any(NEW_MANAGER in m.body and NEW_EMAIL in m.body for m in to_mentor)
    assert any(m.to == [NEW_EMAIL] for m in mail.outbox)

    page.locator(f"main a[href='{bank_path}']").first.click()
    assert_accessible(page)
    expect(page.locator("main table")).to_contain_text(NEW_MANAGER)
