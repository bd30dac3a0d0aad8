"""The round report and the programme's statistics in a real browser, with an accessibility
scan (axe) of every page. Demo tenant "kvarnadalen" (seed 002): the coordinator writes the
conclusions of round 1, makes the PDF (the job runs in-process in the browser tests), follows it
to the download, then opens the statistics of the programme: 22 managers in two rounds."""

import re

import pytest
from django_scopes import scope
from playwright.sync_api import Page, expect

from organisations.models import Membership, Tenant
from programmes.models import Round

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

CONCLUSIONS = "Hög relevans. Programmet är väl genomfört och kan med fördel användas igen."


def test_coordinator_writes_conclusions_makes_the_pdf_and_reads_the_statistics(
    page: Page, demo_data, live_url, sign_in, assert_accessible
):
    tenant = Tenant.objects.get(slug="kvarnadalen")
    with scope(tenant=tenant):
        round_ = Round.objects.select_related("programme").get(tenant=tenant, number=1)
        coordinator = Membership.objects.filter(tenant=tenant, is_coordinator=True).first().user
    sign_in(page, coordinator.email, DEMO_PASSWORD, check_accessibility=False)

    report_path = f"/kvarnadalen/manage/rounds/{round_.pk}/report/"
    page.goto(live_url(report_path))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#participation-title")).to_be_visible()
    expect(page.locator("#surveys-title")).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    assert_accessible(page)

    page.locator("textarea[name='report_conclusions']").fill(CONCLUSIONS)
    page.locator("section[aria-labelledby='conclusions-title'] button[type=submit]").click()
    expect(page.locator("textarea[name='report_conclusions']")).to_have_value(CONCLUSIONS)
    expect(page.locator(".message--success")).to_be_visible()
    assert_accessible(page)
    round_.refresh_from_db()
    assert round_.report_conclusions == CONCLUSIONS

    page.locator(f"form[action='{report_path}pdf/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kvarnadalen/manage/reports/\d+/$"))
    download_link = page.locator("a[href$='/download/']")
    expect(download_link).to_be_visible(timeout=30_000)
    assert_accessible(page)
    with page.expect_download() as info:
        download_link.click()
    assert info.value.suggested_filename.endswith(".pdf")

    page.goto(live_url(f"/kvarnadalen/manage/programmes/{round_.programme_id}/statistics/"))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("22")
    expect(page.locator("main")).to_contain_text("Omgång 2")
    assert_accessible(page)


def fits(page: Page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{page.url} is {width}px wide"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_report_is_in_sections_and_each_chart_has_its_table_folded(
    page: Page, demo_data, live_url, sign_in, assert_accessible, width
):
    """The long report page: a menu of its sections at the top (folded into one button at
    phone width), each survey question a chart with its numbers under "Show table"."""
    tenant = Tenant.objects.get(slug="kvarnadalen")
    with scope(tenant=tenant):
        round_ = Round.objects.get(tenant=tenant, number=1)
        coordinator = Membership.objects.filter(tenant=tenant, is_coordinator=True).first().user
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, coordinator.email, DEMO_PASSWORD, check_accessibility=False)
    page.goto(live_url(f"/kvarnadalen/manage/rounds/{round_.pk}/report/"))
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    fits(page)

    toc = page.locator("nav.report-toc")
    survey_link = toc.locator("a[href^='#survey-']").last
    if width == 390:
        # Folded: one row saying "On this page"; the links show when it opens.
        expect(survey_link).to_be_hidden()
        assert toc.bounding_box()["height"] < 80
        toc.locator("summary").click()
        expect(survey_link).to_be_visible()
        assert survey_link.bounding_box()["height"] >= 24, "the menu's links are too small"
        assert_accessible(page)
    survey_link.click()
    target = survey_link.get_attribute("href")
    expect(page.locator(f"{target} h3").first).to_be_in_viewport()

    question = page.locator(f"{target} .question:has(svg.chart)").first
    chart = question.locator("svg.chart")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    table = question.locator("details.chart-table table")
    expect(table).to_be_hidden()
    question.locator("details.chart-table > summary").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_be_visible()
    assert_accessible(page)
    fits(page)
