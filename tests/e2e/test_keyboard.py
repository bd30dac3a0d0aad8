"""Beyond the scanner: the three main journeys by keyboard alone, and reflow.

Each journey is walked with the keyboard only (Tab, Enter, Space, and typing into fields; no
clicks): a coordinator decides an application, an applicant submits, a participant logs a
meeting. After each action the test asserts where focus lands: on the error summary when the
form comes back with errors, on the field an error links to, on the success message (or the
part of the page it is about) after a success. Every page the journeys visit must reflow at
320 CSS px (WCAG 1.4.10; what 1280 px shows at 400 %) and at 200 % zoom of a 1366 px screen:
no horizontal scrolling.
"""

import pytest
from django_scopes import scope
from playwright.sync_api import Page

from applications import services
from applications.models import Application, Question
from demo.common import ensure_user
from organisations.models import Organisation, Tenant
from pairs.models import Pair, PairMeeting

from .conftest import DEMO_COORDINATOR, DEMO_PASSWORD, DEMO_SLUG
from .test_applications import ORGANISATION, round_15

pytestmark = pytest.mark.e2e

APPLICANT = "tangent.tina@alvby.example"
TAB_LIMIT = 250  # a long page has many links before its form


def is_focused(page: Page, selector):
    return page.evaluate(
        "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def describe_focus(page: Page):
    return page.evaluate(
        "() => { const e = document.activeElement; return e ? e.outerHTML.slice(0, 160) : ''; }"
    )


def assert_focus(page: Page, selector):
    """Focus is on ``selector`` once the page has settled (its scripts have run)."""
    page.wait_for_load_state("load")
    try:
        page.wait_for_function(
            "(s) => !!document.activeElement && document.activeElement.matches(s)",
            arg=selector,
            timeout=5_000,
        )
    except Exception as error:  # Playwright's timeout: say where focus is instead
        raise AssertionError(f"focus is not on {selector} but on {describe_focus(page)}") from error


def tab_to(page: Page, selector):
    """Press Tab until focus is on ``selector`` (as a keyboard user moves through a page)."""
    for _step in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if is_focused(page, selector):
            return
    raise AssertionError(f"Tab never reaches {selector} on {page.url}")


# The innermost elements that reach past the right edge (what makes a page scroll sideways).
WIDER_THAN_SCREEN = """
(width) => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > width + 0.5)
    .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > width + 0.5))
    .slice(0, 5)
    .map((e) => `${Math.round(e.getBoundingClientRect().right)}px ${e.outerHTML.slice(0, 120)} in ${e.parentElement.outerHTML.slice(0, 120)}`)
"""


def assert_reflows(page: Page):
    """No horizontal scrolling at 320 px, nor at 200 % zoom of 1366 × 768 (683 × 384)."""
    size = page.viewport_size
    try:
        for width, height in ((320, 640), (683, 384)):
            page.set_viewport_size({"width": width, "height": height})
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                wider = page.evaluate(WIDER_THAN_SCREEN, width)
                raise AssertionError(
                    f"{page.url} scrolls sideways at {width} px ({scroll} px): {wider}"
                )
    finally:
        page.set_viewport_size(size)


def keyboard_sign_in(page: Page, live_url, email, password=DEMO_PASSWORD):
    page.goto(live_url("/accounts/login/"))
    assert_reflows(page)
    tab_to(page, "input[name=login]")
    page.keyboard.type(email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_coordinator_decides_an_application_by_keyboard(
    page: Page, demo_data, live_url, assert_accessible
):
    tenant = demo_data
    with scope(tenant=tenant):
        # An application waiting for the coordinators' decision, with nothing else missing.
        application = next(
            (
                a
                for a in Application.objects.filter(tenant=tenant).order_by("pk")
                if services.TRANSITIONS.get(a.stage, set()) & services.DECISIONS
                and not services.interview_missing(a)
            ),
            None,
        )
    assert application is not None, "the demo has an application to decide"
    keyboard_sign_in(page, live_url, DEMO_COORDINATOR)
    page.goto(live_url(f"/{DEMO_SLUG}/manage/applications/{application.pk}/"))
    assert_reflows(page)
    decide = "form:has(input[name=action][value=decide]) button[type=submit]"

    # No decision chosen: the form comes back, focus on its error summary.
    tab_to(page, decide)
    page.keyboard.press("Enter")
    assert_focus(page, ".error-summary")
    assert_accessible(page)
    # The summary's link leads to the first choice; Space chooses it ("Accept").
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    assert_focus(page, "input[name=decision]")
    page.keyboard.press("Space")
    assert page.locator("input[name=decision][value=accepted]").is_checked()
    tab_to(page, decide)
    page.keyboard.press("Enter")
    assert_focus(page, ".messages")
    assert_reflows(page)
    with scope(tenant=tenant):
        application.refresh_from_db()
    assert application.stage == Application.Stage.ACCEPTED


def test_an_applicant_submits_by_keyboard(page: Page, demo_data, live_url, assert_accessible):
    tenant = demo_data
    round_ = round_15(tenant)
    with scope(tenant=tenant):
        organisation = Organisation.objects.get(tenant=tenant, name=ORGANISATION)
        user = ensure_user(APPLICANT, "Tina Tangent")
        user.set_password(DEMO_PASSWORD)
        user.save()
        application = services.start_application(
            round_=round_, user=user, role="adept", organisation=organisation
        )
        question = Question.objects.get(round=round_, required=True)
        # Everything filled in but the consent, which the applicant gives by keyboard.
        Application.objects.filter(pk=application.pk).update(
            job_title="Förvaltningschef",
            manager_level="manager_of_managers",
            years_as_manager=4,
            years_in_level=3,
            motivation="Utveckla mitt ledarskap.",
            manager_name="Göran Åkesson",
            manager_email="goran.akesson@alvby.example",
            discussed_with_manager=True,
            answers={str(question.pk): "yes"},
        )
    keyboard_sign_in(page, live_url, APPLICANT)
    page.goto(live_url(f"/{DEMO_SLUG}/my/applications/{application.pk}/"))
    assert_reflows(page)
    submit = "button[name=submit]"

    tab_to(page, submit)
    page.keyboard.press("Enter")
    assert_focus(page, ".error-summary")
    assert_accessible(page)
    assert_reflows(page)
    tab_to(page, ".error-summary a[href='#id_consent']")
    page.keyboard.press("Enter")
    assert_focus(page, "input[name=consent]")
    page.keyboard.press("Space")
    assert page.locator("input[name=consent]").is_checked()
    # Let the draft's own save (a second after a change) land before submitting.
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.trim().length > 0"
    )
    tab_to(page, submit)
    page.keyboard.press("Enter")
    assert_focus(page, ".messages")
    assert_accessible(page)
    assert_reflows(page)
    with scope(tenant=tenant):
        application.refresh_from_db()
    assert application.stage != Application.Stage.DRAFT


def test_a_participant_logs_a_meeting_by_keyboard(
    page: Page, demo_data, live_url, assert_accessible
):
    tenant = Tenant.objects.get(slug="storvik")
    with scope(tenant=tenant):
        pair = (
            Pair.objects.filter(tenant=tenant, status=Pair.Status.ACTIVE)
            .select_related("adept_user")
            .order_by("id")
            .first()
        )
        before = PairMeeting.objects.filter(pair=pair).count()
    keyboard_sign_in(page, live_url, pair.adept_user.email)
    page.goto(live_url("/storvik/my/"))
    assert_reflows(page)
    tab_to(page, f"#pair-{pair.pk}-page")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: f"/my/pairs/{pair.pk}/" in url)
    assert_reflows(page)

    # Five minutes is too short: focus on the error summary, then on the field.
    tab_to(page, "input[name=minutes]")
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    tab_to(page, "#log-meeting")
    page.keyboard.press("Enter")
    assert_focus(page, ".error-summary")
    assert_accessible(page)
    tab_to(page, ".error-summary a[href='#id_minutes']")
    page.keyboard.press("Enter")
    assert_focus(page, "input[name=minutes]")
    page.keyboard.press("Control+A")
    page.keyboard.type("90")
    tab_to(page, "#log-meeting")
    page.keyboard.press("Enter")
    # Logged: the page opens at the list of meetings, and focus is there.
    assert_focus(page, "#meetings-title")
    assert_accessible(page)
    assert_reflows(page)
    with scope(tenant=tenant):
        assert PairMeeting.objects.filter(pair=pair).count() == before + 1
