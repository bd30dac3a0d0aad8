"""Joining a continuous programme and the standing mentor bank, in a real browser (issue 14).

Demo tenant "kommundirektorer" (seed 003): members sign up on the programme's public page.
A new member opens the public page, chooses "Become a mentor", signs in and starts her
application with the mentor role already chosen (the same application flow as a cohort
round). Once her application is in and accepted, the coordinator opens the round's "Mentors
in the bank" from the round's menu, finds her and raises her places from 1 to 3. At 1366 px
and at 390 px (the phone), every page scanned with axe.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import Page, expect

from applications import services as application_services
from applications.models import Application
from demo.common import ensure_user
from organisations.models import Membership, Organisation, Tenant
from programmes.models import ManagerLevel, Programme

from .conftest import DEMO_PASSWORD, at_both_widths

pytestmark = pytest.mark.e2e

SLUG = "kommundirektorer"
NEW_MENTOR = "maj.nymentor@example.se"
NEW_NAME = "Maj Nymentor"


def test_a_mentor_joins_through_become_a_mentor_and_gets_more_places(
    page: Page, demo_data, live_url, sign_in, assert_accessible
):
    page.set_viewport_size({"width": 1366, "height": 900})
    assert_accessible = at_both_widths(assert_accessible)
    tenant = Tenant.objects.get(slug=SLUG)
    with scope(tenant=tenant):
        programme = Programme.objects.get(tenant=tenant, kind=Programme.Kind.CONTINUOUS)
        round_ = programme.rounds.get()
        assert round_.accepting_applications(role="mentor")
        coordinator = Membership.objects.filter(tenant=tenant, is_coordinator=True).first().user
        organisation = Organisation.objects.filter(tenant=tenant).order_by("name").first()
    ensure_user(NEW_MENTOR, NEW_NAME)
    public = reverse("programmes:public_round", args=[SLUG, round_.pk])
    apply = reverse("applications:apply", args=[SLUG, round_.pk])

    # --- the public page: "Become a mentor" -----------------------------------------------------
    page.goto(live_url(public))
    assert_accessible(page)
    become = page.get_by_role("main").locator(f"a[href='{apply}?role=mentor']")
    expect(become).to_be_visible()
    expect(page.get_by_role("main").locator(f"a[href='{apply}?role=adept']")).to_be_visible()
    become.click()
    expect(page).to_have_url(live_url(f"{apply}?role=mentor"))
    assert_accessible(page)
    # Not signed in: sign in and come back to the same choice.
    sign_in(page, NEW_MENTOR, DEMO_PASSWORD, next_path=f"{apply}?role=mentor")
    expect(page).to_have_url(live_url(f"{apply}?role=mentor"))
    form = page.locator("main form[method='post']")
    expect(form.locator("input[name='role'][value='mentor']")).to_be_checked()
    assert_accessible(page)
    form.get_by_role("button", name=re.compile("Börja på min ansökan|Start my application")).click()

    with scope(tenant=tenant):
        application = Application.objects.get(round=round_, user__email=NEW_MENTOR)
    assert application.role == "mentor" and application.stage == Application.Stage.DRAFT
    expect(page).to_have_url(live_url(reverse("applications:edit", args=[SLUG, application.pk])))
    assert_accessible(page)

    # Her application is filled in, sent and accepted (the application pages have tests of
    # their own); then she is one of the bank's mentors.
    with scope(tenant=tenant):
        Application.objects.filter(pk=application.pk).update(
            organisation=organisation,
            job_title="Kommundirektör",
            manager_level=ManagerLevel.SENIOR_EXECUTIVE,
            years_as_manager=12,
            motivation="Jag vill dela med mig av mina år som kommundirektör.",
            phone="070-123 45 67",
            career_status="active",
            place="Alvby",
            discussed_with_manager=True,
            consent_given_at=timezone.now(),
        )
        for question in round_.questions.filter(is_active=True, required=True):
            application.answers[str(question.pk)] = "yes"
        Application.objects.filter(pk=application.pk).update(answers=application.answers)
        application.refresh_from_db()
        application_services.submit(application=application, actor=application.user)
        application.refresh_from_db()
        if application.stage == Application.Stage.SUBMITTED:
            application_services.change_stage(
                application=application,
                to_stage=Application.Stage.UNDER_REVIEW,
                actor=coordinator,
            )
        application_services.decide(application=application, actor=coordinator, decision="accepted")
        application.refresh_from_db()
        assert application.stage == Application.Stage.ACCEPTED
        assert application.capacity == 1

    # --- the coordinator: the round's menu → "Mentors in the bank" → more places -------------------
    page.context.clear_cookies()
    sign_in(page, coordinator.email, DEMO_PASSWORD)
    page.goto(live_url(reverse("programmes:round_dashboard", args=[SLUG, round_.pk])))
    mentors = reverse("matching_bank:manage_bank_mentors", args=[SLUG, round_.pk])
    menu = page.locator(f"nav.round-nav a[href='{mentors}']")
    if not menu.is_visible():
        # On the phone the round's menu is folded: open it.
        page.locator("nav.round-nav details > summary").click()
    menu.click()
    expect(page).to_have_url(live_url(mentors))
    assert_accessible(page)
    page.locator("input[name='q']").fill("Nymentor")
    page.locator("main form[role='search'] button[type='submit']").click()
    row = page.get_by_role("row").filter(has_text=NEW_NAME)
    expect(row).to_contain_text(re.compile("1 av 1|1 of 1"))
    row.locator(f"input#places-{application.pk}").fill("3")
    row.get_by_role("button").click()
    expect(page).to_have_url(live_url(mentors))
    expect(page.get_by_role("row").filter(has_text=NEW_NAME)).to_contain_text(
        re.compile("3 av 3|3 of 3")
    )
    assert_accessible(page)
    with scope(tenant=tenant):
        application.refresh_from_db()
        assert application.capacity == 3
