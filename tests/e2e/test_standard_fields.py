"""The standard fields per programme in a real browser (issue 14, part 2), at 1366 and 390 px.

The association of chief executives (seed 003, demo tenant ``kommundirektorer``): its
coordinator opens the programme, follows "Standard fields and mentor cards" and starts from the
association's template; a retired former chief executive then applies as a mentor to a round
that asks for the manager's support, says "retired", is asked no manager question and sends the
application in: it goes to review with no endorsement step. Every page is scanned with axe.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import Page, expect

from applications.models import Application, FieldSettings
from demo.common import ensure_user
from organisations.models import Tenant
from programmes.models import Programme, Round

from .conftest import DEMO_PASSWORD, at_both_widths

pytestmark = pytest.mark.e2e

SLUG = "kommundirektorer"
COORDINATOR = f"ingrid.koordinator@{SLUG}.demo.example"


def text(*alternatives):
    return re.compile("|".join(alternatives), re.IGNORECASE)


def sign_out(page):
    page.context.clear_cookies()


def test_coordinator_sets_the_association_template_and_a_retired_mentor_applies(
    page: Page, demo_data, live_url, sign_in, assert_accessible
):
    page.set_viewport_size({"width": 1366, "height": 900})
    assert_accessible = at_both_widths(assert_accessible)
    tenant = Tenant.objects.get(slug=SLUG)
    with scope(tenant=tenant):
        programme = Programme.objects.get(tenant=tenant, slug="mentorskap")
        # Start from the form as it always was, so the template is what changes it.
        FieldSettings.objects.filter(programme=programme).delete()
        now = timezone.now()
        round_ = Round.objects.create(
            tenant=tenant,
            programme=programme,
            name="Intresseanmälan 2027",
            status=Round.Status.OPEN,
            application_opens_at=now - timedelta(days=1),
            application_closes_at=now + timedelta(days=30),
            requires_endorsement=True,
            # The association's programme is continuous: its intake takes self sign-ups.
            mentor_self_signup=True,
        )
    mentor = ensure_user(f"gunnel.pension@{SLUG}.demo.example", "Gunnel Pensionär")

    # --- the coordinator: programme → standard fields → the association's template -----------
    sign_in(page, COORDINATOR, DEMO_PASSWORD, check_accessibility=False)
    page.goto(live_url(f"/{SLUG}/manage/programmes/{programme.pk}/"))
    settings_url = f"/{SLUG}/manage/programmes/{programme.pk}/fields/"
    page.get_by_role("main").locator(f"a[href='{settings_url}']").click()
    expect(page).to_have_url(live_url(settings_url))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator("input[name='preset'][value='association']").check()
    page.get_by_role("button", name=text("Använd mallen", "Use the template")).click()
    expect(page.locator("select[name='mentor__place']")).to_have_value("required")
    expect(page.locator("select[name='mentor__manager_name']")).to_have_value("off")
    assert_accessible(page)
    with scope(tenant=tenant):
        settings = FieldSettings.objects.get(programme=programme)
        assert settings.fields["mentor"]["career_status"] == "required"
    sign_out(page)

    # --- a retired former chief executive applies as a mentor ----------------------------------
    sign_in(page, mentor.email, DEMO_PASSWORD, check_accessibility=False)
    page.goto(live_url(f"/{SLUG}/rounds/{round_.pk}/apply/"))
    page.locator("input[name='role'][value='mentor']").check()
    page.get_by_role("main").locator("form button[type='submit']").click()
    expect(page).to_have_url(re.compile(rf"/{SLUG}/my/applications/\d+/$"))
    form = page.locator("main form[hx-post]")
    manager_part = form.locator("#section-manager")
    expect(manager_part).to_be_visible()  # no status yet: the manager is asked
    assert_accessible(page)

    form.locator("input[name='phone']").fill("070-174 06 42")
    form.locator("input[name='career_status'][value='retired']").check()
    expect(manager_part).to_be_hidden()  # retired: no manager question
    form.locator("select[name='organisation']").select_option(label="Tallåsa kommun")
    form.locator("input[name='place']").fill("Tallåsa")
    form.locator("textarea[name='motivation']").fill(
        "Som pensionerad kommundirektör har jag tid att dela med mig av min erfarenhet."
    )
    form.locator("select[name='manager_level']").select_option("senior_executive")
    form.locator("input[name='consent']").check()
    assert_accessible(page)
    form.locator("button[name='submit']").click()
    page.wait_for_load_state("load")
    expect(page.locator("main form[hx-post]")).to_have_count(0)  # sent in: no longer a form
    assert_accessible(page)

    with scope(tenant=tenant):
        application = Application.objects.get(round=round_, user=mentor, role="mentor")
        assert application.stage == Application.Stage.UNDER_REVIEW
        assert application.career_status == "retired" and application.place == "Tallåsa"
        assert not application.endorsements.exists()
        assert not application.discussed_with_manager
