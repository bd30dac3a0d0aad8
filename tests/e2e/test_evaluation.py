"""Surveys in a real browser, with an accessibility scan (axe) of every page.

Demo tenant "storvik" (seed 001) has an open mid-term check-in answered by two mentors and two
adepts. The third mentor and the third adept open it from their start page and answer it; the
coordinator then opens the results, where mentors and adepts can now be shown apart (three in
each group), with charts and tables. Demo tenant "kvarnadalen" (seed 002): the coordinator
opens the final evaluation of round 2, which compares with round 1."""

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from evaluation import services
from evaluation.models import Survey, SurveyQuestion, SurveyResponse
from evaluation.selectors import non_respondents
from organisations.models import Tenant

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def new_page(browser: Browser) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def fill_survey(page: Page, questions):
    for q in questions:
        name = q.field_name
        if q.kind == SurveyQuestion.Kind.SCALE:
            page.locator(f"input[name='{name}'][value='4']").check()
        elif q.kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
            page.locator(f"input[name='{name}']").first.check()
        else:
            page.locator(f"textarea[name='{name}']").fill("Bra samtal hittills, vi fortsätter.")


def test_mentor_and_adept_answer_and_the_coordinator_sees_the_results(
    page: Page, browser: Browser, demo_data, live_url, sign_in, assert_accessible
):
    tenant = Tenant.objects.get(slug="storvik")
    with scope(tenant=tenant):
        survey = Survey.objects.select_related("round").get(tenant=tenant, kind=Survey.Kind.MIDTERM)
        waiting = {p.role: p for p in non_respondents(survey=survey)}
        assert set(waiting) == {"mentor", "adept"}
        questions = {role: services.questions_for(survey, role) for role in ("mentor", "adept")}
        before = SurveyResponse.objects.filter(survey=survey).count()
    survey_path = f"/storvik/my/surveys/{survey.pk}/"

    for role in ("mentor", "adept"):
        person = waiting[role].user
        participant_page = page if role == "mentor" else new_page(browser)
        sign_in(participant_page, person.email, DEMO_PASSWORD, check_accessibility=False)
        participant_page.goto(live_url("/storvik/my/"))
        link = participant_page.locator(f"#my-surveys a[href^='{survey_path}']")
        expect(link).to_be_visible()
        assert_accessible(participant_page)
        link.click()
        expect(participant_page.locator("h1")).to_have_text(survey.title)
        assert_accessible(participant_page)
        # Sending with nothing filled in: the error summary, nothing saved.
        participant_page.locator("main form button[type=submit]").click()
        expect(participant_page.locator(".error-summary")).to_be_visible()
        assert_accessible(participant_page)
        fill_survey(participant_page, questions[role])
        participant_page.locator("main form button[type=submit]").click()
        expect(participant_page.locator("#survey-done")).to_be_visible()
        assert_accessible(participant_page)
        # Back on the start page the survey is marked as answered, without a link.
        participant_page.goto(live_url("/storvik/my/"))
        expect(participant_page.locator(f"#my-surveys a[href^='{survey_path}']")).to_have_count(0)

    with scope(tenant=tenant):
        assert SurveyResponse.objects.filter(survey=survey).count() == before + 2

    # --- the coordinator: builder, preview and results --------------------------------------
    coordinator = new_page(browser)
    sign_in(
        coordinator,
        "hanna.koordinator@storvik.demo.example",
        DEMO_PASSWORD,
        check_accessibility=False,
    )
    coordinator.goto(live_url(f"/storvik/manage/rounds/{survey.round_id}/surveys/"))
    expect(coordinator.locator("#survey-table")).to_contain_text(survey.title)
    assert_accessible(coordinator)
    coordinator.goto(live_url(f"/storvik/manage/surveys/{survey.pk}/"))
    expect(coordinator.locator("#questions-title")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.goto(live_url(f"/storvik/manage/surveys/{survey.pk}/preview/?role=mentor"))
    assert_accessible(coordinator)
    coordinator.goto(live_url(f"/storvik/manage/surveys/{survey.pk}/results/"))
    expect(coordinator.locator("#response-rate")).to_be_visible()
    scale = next(q for q in questions["mentor"] if q.kind == SurveyQuestion.Kind.SCALE)
    result = coordinator.locator(f"#result-{scale.pk}")
    # The distribution and, with three in each group now, mentors and adepts apart.
    expect(result.locator("svg[role=img]")).to_have_count(2)
    expect(result.locator("table")).to_have_count(2)
    expect(result.locator("svg[role=img] title").first).not_to_be_empty()
    assert_accessible(coordinator)


def test_coordinator_compares_rounds_in_the_regional_programme(
    page: Page, demo_data, live_url, sign_in, assert_accessible
):
    tenant = Tenant.objects.get(slug="kvarnadalen")
    with scope(tenant=tenant):
        survey = (
            Survey.objects.filter(tenant=tenant, kind=Survey.Kind.FINAL)
            .order_by("-round__starts_on")
            .first()
        )
        question = survey.questions.get(key="goal-development")
    sign_in(
        page,
        "therese.koordinator@kvarnadalen.demo.example",
        DEMO_PASSWORD,
        check_accessibility=False,
    )
    page.goto(live_url(f"/kvarnadalen/manage/surveys/{survey.pk}/results/"))
    result = page.locator(f"#result-{question.pk}")
    # Distribution, mentors and adepts, this round against round 1: three charts, three tables.
    expect(result.locator("svg[role=img]")).to_have_count(3)
    expect(result.locator("table")).to_have_count(3)
    expect(result).to_contain_text("Omgång 1")
    expect(page.locator("#goals-title")).to_be_visible()
    assert_accessible(page)
