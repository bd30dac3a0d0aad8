"""Programmes and rounds in a real browser, with an accessibility scan of every page.

The coordinator creates a programme, a round with dates and eligibility, and a shared meeting
day with a split kickoff (everyone in the morning, mentors only in the afternoon), opens the
round for applications and looks at its public page. An adept of the round then answers the day
on "My programme" and fetches their personal calendar: the adept's day ends when their part ends.

UI text may be Swedish (compiled catalogue) or English (source strings), so locators use
roles with names matching both, or addresses, ids and ``name`` attributes.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from programmes.models import (
    Eligibility,
    MeetingResponse,
    Participant,
    Programme,
    Round,
    SharedMeeting,
)

from .conftest import DEMO_COORDINATOR, DEMO_PASSWORD, DEMO_SLUG

pytestmark = pytest.mark.e2e

PROGRAMME_NAME = "Ledarskap över gränserna – Åbacka"
PROGRAMME_SLUG = "ledarskap-abacka"
ROUND_NAME = "Omgång 1 – våren"
DAY_TITLE = "Uppstart på Kajen"
ADEPT_NAME = "Örjan Äppelqvist"
ADEPT_EMAIL = "orjan.appelqvist@alvby.example"
ADEPT_PASSWORD = "ett-langt-losenord-2026"


def text(*alternatives):
    """A name matching any of the alternatives (Swedish and English), case-insensitive."""
    return re.compile("|".join(alternatives), re.IGNORECASE)


SAVE = text("^Spara$", "^Save$")
OPEN_STATUS = text("Öppen för ansökningar", "Open for applications")


def coordinator_menu(page: Page):
    """The coordinator menu: the navigation landmark holding the activity log link."""
    activity = page.locator("a[href$='/manage/activity/']")
    return page.get_by_role("navigation").filter(has=activity)


def at(url):
    """The page at this address, with or without a fragment (kept from an error summary link)."""
    return re.compile("^" + re.escape(url) + "(#.*)?$")


def error_summary(page: Page):
    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", level=2))
    expect(summary).to_be_visible()
    return summary


def new_page(browser: Browser) -> Page:
    """A page in a fresh browser context (no cookies: another person), failing fast."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


@pytest.fixture
def adept_account(demo_data):
    """A person who already has an account (verified address) and is not yet in any round."""
    user = get_user_model().objects.create_user(
        email=ADEPT_EMAIL, password=ADEPT_PASSWORD, full_name=ADEPT_NAME
    )
    EmailAddress.objects.create(user=user, email=ADEPT_EMAIL, verified=True, primary=True)
    return user


def test_coordinator_plans_a_round_and_an_adept_answers_the_split_day(
    page: Page, browser: Browser, demo_data, adept_account, live_url, sign_in, assert_accessible
):
    tenant = demo_data
    base = f"/{DEMO_SLUG}/manage"
    today = timezone.localdate()
    opens = today + timedelta(days=7)
    closes = today + timedelta(days=35)
    starts = today + timedelta(days=63)
    ends = starts + timedelta(days=364)

    # --- the coordinator: a programme ----------------------------------------------------------
    sign_in(page, DEMO_COORDINATOR, DEMO_PASSWORD)
    page.goto(live_url(f"{base}/"))
    menu = coordinator_menu(page)
    menu.locator(f"a[href='{base}/programmes/']").click()
    expect(page).to_have_url(live_url(f"{base}/programmes/"))
    expect(menu.locator(f"a[href='{base}/programmes/']")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("main").get_by_role(
        "link", name=text("Nytt mentorprogram", "New programme")
    ).click()
    expect(page).to_have_url(live_url(f"{base}/programmes/new/"))
    assert_accessible(page)

    # An empty form: the summary and the field errors, then fill it in.
    form = page.locator("main form[method='post']")
    form.get_by_role("button", name=SAVE).click()
    page.wait_for_load_state("load")
    summary = error_summary(page)
    expect(summary.locator("a[href='#id_name']")).to_be_visible()
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    form.locator("input[name='name']").fill(PROGRAMME_NAME)
    form.locator("input[name='slug']").fill(PROGRAMME_SLUG)
    form.locator("textarea[name='description']").fill(
        "Mentorer och adepter från olika organisationer i nätverket."
    )
    form.locator("textarea[name='target_group']").fill("Chefer över chefer.")
    form.locator("input[name='kind'][value='cohort']").check()
    form.locator("input[name='matching_mode'][value='coordinator']").check()
    form.get_by_role("button", name=SAVE).click()

    programme = Programme.objects.get(tenant=tenant, slug=PROGRAMME_SLUG)
    expect(page).to_have_url(at(live_url(f"{base}/programmes/{programme.pk}/")))
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME_NAME)
    expect(page.get_by_role("status")).to_be_visible()
    assert_accessible(page)

    # --- a round with dates and eligibility ------------------------------------------------------
    page.locator(f"main a[href='{base}/programmes/{programme.pk}/rounds/new/']").click()
    expect(page).to_have_url(live_url(f"{base}/programmes/{programme.pk}/rounds/new/"))
    assert_accessible(page)

    form = page.locator("main form[method='post']")
    form.locator("input[name='name']").fill(ROUND_NAME)
    form.locator("input[name='number']").fill("1")
    form.locator("textarea[name='call_text']").fill(
        "Vill du bli mentor eller adept? Ansök senast sista ansökningsdag."
    )
    form.locator("input[name='application_opens_at']").fill(f"{opens:%Y-%m-%d}T08:00")
    form.locator("input[name='application_closes_at']").fill(f"{closes:%Y-%m-%d}T23:59")
    # First the programme starts before the deadline: refused, with the error at the deadline.
    form.locator("input[name='starts_on']").fill(f"{closes - timedelta(days=7):%Y-%m-%d}")
    form.locator("input[name='ends_on']").fill(f"{ends:%Y-%m-%d}")
    form.locator("input[name='max_pairs']").fill("12")
    form.locator("input[name='adept_manager_levels'][value='manager_of_managers']").check()
    form.locator("input[name='adept_min_years']").fill("1")
    form.locator("textarea[name='adept_criteria']").fill("Chef över chefer sedan minst ett år.")
    form.locator("input[name='mentor_manager_levels'][value='manager_of_managers']").check()
    form.locator("input[name='mentor_manager_levels'][value='senior_executive']").check()
    form.locator("textarea[name='mentor_criteria']").fill("Erfaren strategisk chef.")
    form.get_by_role("button", name=SAVE).click()
    page.wait_for_load_state("load")

    summary = error_summary(page)
    expect(summary.locator("a[href='#id_application_closes_at']")).to_be_visible()
    expect(page.locator("#id_application_closes_at")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_application_closes_at_error")).to_be_visible()
    # What was filled in is kept.
    expect(form.locator("input[name='name']")).to_have_value(ROUND_NAME)
    expect(
        form.locator("input[name='mentor_manager_levels'][value='senior_executive']")
    ).to_be_checked()
    assert_accessible(page)

    form.locator("input[name='starts_on']").fill(f"{starts:%Y-%m-%d}")
    form.get_by_role("button", name=SAVE).click()

    round_ = Round.objects.get(tenant=tenant, programme=programme, name=ROUND_NAME)
    dashboard = f"{base}/rounds/{round_.pk}/"
    expect(page).to_have_url(at(live_url(dashboard)))
    expect(page.get_by_role("heading", level=1)).to_have_text(ROUND_NAME)
    expect(page.get_by_role("status")).to_be_visible()
    assert_accessible(page)
    assert round_.status == Round.Status.DRAFT
    assert round_.starts_on == starts
    rules = {rule.role: rule for rule in Eligibility.objects.filter(round=round_)}
    assert rules["adept"].manager_levels == ["manager_of_managers"]
    assert rules["adept"].min_years_as_manager == 1
    assert sorted(rules["mentor"].manager_levels) == ["manager_of_managers", "senior_executive"]

    # --- a shared day with a split kickoff -------------------------------------------------------
    page.locator(f"main a[href='{base}/rounds/{round_.pk}/meetings/new/']").click()
    expect(page).to_have_url(live_url(f"{base}/rounds/{round_.pk}/meetings/new/"))
    assert_accessible(page)

    form = page.locator("main form[method='post']")
    form.locator("input[name='title']").fill(DAY_TITLE)
    form.locator("input[name='date']").fill(f"{starts:%Y-%m-%d}")
    form.locator("input[name='starts_at']").fill("09:00")
    form.locator("input[name='ends_at']").fill("15:30")
    # Wrong on purpose: a day for adepts only, with a part for mentors only.
    form.locator("input[name='audience'][value='adepts']").check()
    form.locator("input[name='place']").fill("Konferenshuset Kajen, Älvby")
    form.locator("input[name='includes_meal']").check()
    form.locator("input[name='parts-0-title']").fill("Gemensam start")
    form.locator("input[name='parts-0-starts_at']").fill("09:00")
    form.locator("input[name='parts-0-ends_at']").fill("12:00")
    form.locator("select[name='parts-0-audience']").select_option("everyone")
    form.locator("input[name='parts-1-title']").fill("Workshop i coaching")
    form.locator("input[name='parts-1-starts_at']").fill("13:00")
    form.locator("input[name='parts-1-ends_at']").fill("15:30")
    form.locator("select[name='parts-1-audience']").select_option("mentors")
    form.get_by_role("button", name=SAVE).click()
    page.wait_for_load_state("load")

    summary = error_summary(page)
    expect(summary).to_contain_text("Workshop i coaching")
    expect(summary).to_contain_text(text("mentorer", "mentors"))
    expect(form.locator("input[name='parts-1-title']")).to_have_value("Workshop i coaching")
    assert not SharedMeeting.objects.filter(round=round_).exists()
    assert_accessible(page)

    form.locator("input[name='audience'][value='everyone']").check()
    form.get_by_role("button", name=SAVE).click()

    meeting = SharedMeeting.objects.get(round=round_, title=DAY_TITLE)
    expect(page).to_have_url(at(live_url(f"{base}/meetings/{meeting.pk}/")))
    expect(page.get_by_role("heading", level=1)).to_have_text(DAY_TITLE)
    main = page.get_by_role("main")
    expect(main.get_by_role("listitem").filter(has_text="Gemensam start")).to_contain_text(
        "09:00–12:00"
    )
    expect(main.get_by_role("listitem").filter(has_text="Workshop i coaching")).to_contain_text(
        "13:00–15:30"
    )
    assert_accessible(page)
    assert sorted((p.title, p.audience) for p in meeting.parts.all()) == [
        ("Gemensam start", "everyone"),
        ("Workshop i coaching", "mentors"),
    ]

    # --- open the round from its dashboard ---------------------------------------------------------
    main.locator(f"a[href='{dashboard}']").first.click()
    expect(page).to_have_url(live_url(dashboard))
    transition = page.locator("main form.transition").filter(
        has=page.locator("input[name='status'][value='open']")
    )
    expect(transition.get_by_role("button")).to_contain_text(OPEN_STATUS)
    assert_accessible(page)
    transition.get_by_role("button").click()

    expect(page).to_have_url(at(live_url(dashboard)))
    expect(page.get_by_role("status")).to_contain_text(OPEN_STATUS)
    expect(page.locator("main .badge").first).to_have_text(OPEN_STATUS)
    # The next stage is not possible before the deadline; the button says why.
    review = page.locator("main form.transition").filter(
        has=page.locator("input[name='status'][value='review']")
    )
    expect(review.get_by_role("button")).to_have_accessible_description(
        text("sista ansökningsdag", "deadline")
    )
    assert_accessible(page)
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN

    # --- the public round page ----------------------------------------------------------------------
    public = f"/{DEMO_SLUG}/rounds/{round_.pk}/"
    page.locator(f"nav.round-nav a[href='{public}']").click()
    expect(page).to_have_url(live_url(public))
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROGRAMME_NAME)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ROUND_NAME)
    main = page.get_by_role("main")
    # The window opens in a week: no Apply button yet.
    expect(main.locator(f"a[href='/{DEMO_SLUG}/rounds/{round_.pk}/apply/']")).to_have_count(0)
    expect(main).to_contain_text("Chef över chefer sedan minst ett år.")
    day = main.locator("ul.meeting-list > li").filter(has_text=DAY_TITLE)
    expect(day).to_contain_text("09:00–15:30")
    expect(day.get_by_role("listitem").filter(has_text="Workshop i coaching")).to_contain_text(
        text("endast mentorer", "mentors only")
    )
    assert_accessible(page)

    # --- an adept joins the round -----------------------------------------------------------------
    page.goto(live_url(dashboard))
    participants = f"{base}/rounds/{round_.pk}/participants/"
    page.locator(f"nav.round-nav a[href='{participants}']").click()
    expect(page).to_have_url(live_url(participants))
    assert_accessible(page)

    form = page.locator("main form[method='post']")
    form.locator("input[name='full_name']").fill(ADEPT_NAME)
    form.locator("input[name='email']").fill(ADEPT_EMAIL)
    form.locator("input[name='role'][value='adept']").check()
    form.locator("select[name='organisation']").select_option(label="Älvby stad")
    form.get_by_role("button", name=text("^Lägg till$", "^Add$")).click()

    expect(page).to_have_url(at(live_url(participants)))
    expect(page.get_by_role("status")).to_contain_text(ADEPT_NAME)
    row = page.get_by_role("table").get_by_role("row").filter(has_text=ADEPT_EMAIL)
    expect(row).to_contain_text("Älvby stad")
    expect(row).to_contain_text(text("Adept"))
    assert_accessible(page)
    participant = Participant.objects.get(round=round_, user=adept_account)
    assert participant.role == "adept"

    # --- the adept answers on "My programme" -----------------------------------------------------
    adept = new_page(browser)
    sign_in(adept, ADEPT_EMAIL, ADEPT_PASSWORD)
    expect(adept).to_have_url(live_url("/"))
    mine = f"/{DEMO_SLUG}/my/"
    adept.get_by_role("main").locator(f"a[href='{mine}']").first.click()
    expect(adept).to_have_url(live_url(mine))
    expect(adept.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(adept)

    card = adept.locator(f"article#meeting-{meeting.pk}")
    expect(card.get_by_role("heading", level=3)).to_have_text(DAY_TITLE)
    # The adept sees their own part of the day, not the mentors' workshop.
    expect(card.get_by_role("listitem").filter(has_text="Gemensam start")).to_contain_text(
        "09:00–12:00"
    )
    expect(card.get_by_role("listitem").filter(has_text="Workshop i coaching")).to_have_count(0)

    card.locator(f"input[name='m{meeting.pk}-attending'][value='yes']").check()
    card.locator(f"input[name='m{meeting.pk}-dietary_needs']").fill("Vegetarisk, ingen laktos")
    card.get_by_role("button", name=text("Spara mitt svar", "Save my answer")).click()

    expect(adept).to_have_url(live_url(f"{mine}#meeting-{meeting.pk}"))
    expect(adept.get_by_role("status")).to_contain_text(DAY_TITLE)
    card = adept.locator(f"article#meeting-{meeting.pk}")
    expect(card.locator("strong")).to_contain_text(text("du kommer", "you are coming"))
    expect(card.locator(f"input[name='m{meeting.pk}-attending'][value='yes']")).to_be_checked()
    expect(card.locator(f"input[name='m{meeting.pk}-dietary_needs']")).to_have_value(
        "Vegetarisk, ingen laktos"
    )
    assert_accessible(adept)
    with scope(tenant=tenant):
        response = MeetingResponse.objects.get(meeting=meeting, participant=participant)
    assert response.attending is True
    assert response.dietary_needs == "Vegetarisk, ingen laktos"

    # --- the adept's calendar address --------------------------------------------------------------
    feed_url = adept.get_by_label(text("Din kalenderadress", "Your calendar address")).input_value()
    assert re.fullmatch(re.escape(live_url(f"/{DEMO_SLUG}/calendar/")) + r"[^/]+\.ics", feed_url)
    # A calendar app has no cookies: fetch it from a context that is not signed in.
    anonymous = new_page(browser)
    feed = anonymous.request.get(feed_url)
    assert feed.ok, feed.status
    assert feed.headers["content-type"].startswith("text/calendar")
    ical = feed.text().replace("\r\n ", "")  # unfold long lines
    assert f"SUMMARY:{DAY_TITLE}" in ical
    assert "TZID=Europe/Stockholm" in ical
    assert f"DTSTART;TZID=Europe/Stockholm:{starts:%Y%m%d}T090000" in ical
    # The adepts' part ends at 12:00; the mentors' workshop is not the adept's.
    assert f"DTEND;TZID=Europe/Stockholm:{starts:%Y%m%d}T120000" in ical
    assert f"{starts:%Y%m%d}T153000" not in ical
    anonymous.context.close()
    adept.context.close()
