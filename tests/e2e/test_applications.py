"""Applications in a real browser, with an accessibility scan of every page.

The whole chain for seed 000's open round (Västnätet, "Omgång 15", which asks for the manager's
support and the organisation's nomination): a visitor applies and creates an account, their
manager confirms from a link in the mail (no account), the organisation's HR contact nominates,
a coordinator saves interview notes, accepts, and downloads the matching dossier as a PDF.
An HR contact of another organisation never sees the applicant.

UI text may be Swedish (compiled catalogue) or English (source strings), so locators use
roles with names matching both, or addresses, ids and ``name`` attributes.
"""

import re
import subprocess
import time

import pytest
from django.core import mail
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from applications import services
from applications.models import Application, Endorsement, InterviewNote, Question
from demo.common import ensure_user
from organisations.models import ExportJob, Organisation
from programmes.models import Participant, Round

from .conftest import DEMO_COORDINATOR, DEMO_PASSWORD, DEMO_SLUG, EMAIL_LABEL, PASSWORD_LABEL

pytestmark = pytest.mark.e2e

APPLICANT_NAME = "Åsa Öberg-Ängström"
APPLICANT_EMAIL = "asa.oberg-angstrom@alvby.example"
APPLICANT_PASSWORD = "ett-langt-losenord-2026"
MANAGER_NAME = "Göran Åkesson"
MANAGER_EMAIL = "goran.akesson@alvby.example"
ORGANISATION = "Älvby stad"
HR_ALVBY = "olle.hr@vastnatet.demo.example"
HR_OTHER = "sara.hr@vastnatet.demo.example"  # Region Västerhav, Länsstyrelsen i Kustlän
INTERVIEW_NOTES = "Tydlig bild av sitt ledarskap; vill utveckla sin förändringsledning."


def text(*alternatives):
    """A name matching any of the alternatives (Swedish and English), case-insensitive."""
    return re.compile("|".join(alternatives), re.IGNORECASE)


def at(url):
    """The page at this address, with or without a fragment (kept from an error summary link)."""
    return re.compile("^" + re.escape(url) + "(#.*)?$")


def new_page(browser: Browser) -> Page:
    """A page in a fresh browser context (no cookies: another person), failing fast."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def error_summary(page: Page):
    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", level=2))
    expect(summary).to_be_visible()
    return summary


def link_in_mail(to, pattern):
    """The first address matching ``pattern`` in the last mail sent to ``to``."""
    sent = [m for m in mail.outbox if m.to == [to]]
    assert sent, f"no mail to {to}: {[m.to for m in mail.outbox]}"
    found = re.search(pattern, sent[-1].body)
    assert found, sent[-1].body
    return found.group(0)


def wait_until(condition, timeout=10.0):
    """Poll the database (the live server commits in its own thread) until ``condition()``."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.1)


def round_15(tenant):
    with scope(tenant=tenant):
        return Round.objects.select_related("programme").get(
            tenant=tenant, programme__slug="over-granserna", name="Omgång 15"
        )


def test_apply_endorse_nominate_accept_and_dossier(
    page: Page, browser: Browser, demo_data, live_url, sign_in, assert_accessible, tmp_path
):
    tenant = demo_data
    round_ = round_15(tenant)
    assert round_.status == Round.Status.OPEN
    assert round_.requires_endorsement and round_.requires_nomination
    with scope(tenant=tenant):
        required_question = Question.objects.get(round=round_, required=True)
    public = f"/{DEMO_SLUG}/rounds/{round_.pk}/"
    apply = f"/{DEMO_SLUG}/rounds/{round_.pk}/apply/"

    # --- a visitor: the tenant's page, the round, Apply ------------------------------------------
    page.goto(live_url(f"/{DEMO_SLUG}/"))
    page.get_by_role("main").locator(f"a[href='{public}']").click()
    expect(page).to_have_url(live_url(public))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Omgång 15")
    assert_accessible(page)

    page.get_by_role("main").locator(f"a[href='{apply}']").click()
    expect(page).to_have_url(live_url(apply))
    assert_accessible(page)

    # --- an account: sign up, then confirm the address from the mail ---------------------------------
    page.get_by_role("main").locator("a[href^='/accounts/signup/']").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    assert_accessible(page)
    form = page.locator("main form[action='/accounts/signup/']")
    form.locator("input[name='email']").fill(APPLICANT_EMAIL)
    form.locator("input[name='full_name']").fill(APPLICANT_NAME)
    form.locator("input[name='password1']").fill(APPLICANT_PASSWORD)
    form.locator("input[name='password2']").fill(APPLICANT_PASSWORD)
    form.get_by_role("button").click()  # the form's only button: "Create account"

    # Verification is mandatory: the page says a mail has been sent.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    confirm = link_in_mail(APPLICANT_EMAIL, r"https?://\S+/accounts/confirm-email/\S+/")
    page.goto(confirm)
    expect(page.get_by_role("main")).to_contain_text(APPLICANT_EMAIL)
    assert_accessible(page)
    page.locator("main form[method='post']").get_by_role("button").click()  # "Confirm"
    page.wait_for_load_state("load")
    expect(page).not_to_have_url(re.compile(r"/accounts/confirm-email/"))

    # Confirming does not sign the person in (allauth asks them to): sign in on the page shown.
    if page.url.startswith(live_url("/accounts/login/")):
        assert_accessible(page)
        form = page.locator("main form[action$='/accounts/login/']")
        form.get_by_label(EMAIL_LABEL).fill(APPLICANT_EMAIL)
        form.get_by_label(PASSWORD_LABEL).fill(APPLICANT_PASSWORD)
        form.get_by_role("button").click()
        page.wait_for_load_state("load")
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("header form[action='/accounts/logout/']")).to_have_count(1)
    # The way back to the application: the round's page and Apply, as before.
    if not page.url.startswith(live_url(apply)):
        assert_accessible(page)
        page.goto(live_url(public))
        page.get_by_role("main").locator(f"a[href='{apply}']").click()

    # --- choose adept, fill in the application ---------------------------------------------------
    expect(page).to_have_url(live_url(apply))
    assert_accessible(page)
    form = page.locator("main form[method='post']")
    form.locator("input[name='role'][value='adept']").check()
    form.get_by_role("button", name=text("Börja på min ansökan", "Start my application")).click()

    application = Application.objects.get(round=round_, user__email=APPLICANT_EMAIL)
    edit = f"/{DEMO_SLUG}/my/applications/{application.pk}/"
    expect(page).to_have_url(live_url(edit))
    form = page.locator("main form[method='post'][hx-post]")
    expect(form.locator("input[name='full_name']")).to_have_value(APPLICANT_NAME)
    expect(form.locator("input[name='email']")).to_have_value(APPLICANT_EMAIL)
    assert_accessible(page)

    submit = form.get_by_role("button", name=text("Skicka in ansökan", "Submit the application"))
    # Submitting at once: what is missing is listed, the draft is kept.
    submit.click()
    page.wait_for_load_state("load")
    summary = error_summary(page)
    expect(summary.locator("a[href='#id_organisation']")).to_be_visible()
    expect(summary.locator("a[href='#id_consent']")).to_be_visible()
    expect(page.locator("#id_organisation")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    form.locator("select[name='organisation']").select_option(label=ORGANISATION)
    form.locator("input[name='job_title']").fill("Förvaltningschef")
    form.locator("select[name='manager_level']").select_option("manager_of_managers")
    form.locator("input[name='years_as_manager']").fill("4")
    # Seed 000: an adept has been a manager of managers for at least a year.
    form.locator("input[name='years_in_level']").fill("2")
    form.locator("textarea[name='motivation']").fill(
        "Jag vill utveckla mitt strategiska ledarskap och möta chefer från andra verksamheter."
    )
    form.locator(f"input[name='{required_question.field_name}'][value='yes']").check()
    form.locator("input[name='manager_name']").fill(MANAGER_NAME)
    form.locator("input[name='manager_email']").fill(MANAGER_EMAIL)
    form.locator("input[name='discussed_with_manager']").check()
    form.locator("input[name='consent']").check()
    # The draft saves itself a second after the last change (htmx). Let that land first: an
    # autosave racing the submit could overwrite the submitted row (reported to the lead).
    expect(page.locator("#autosave-status")).not_to_be_empty()
    wait_until(lambda: Application.objects.get(pk=application.pk).consent_given_at is not None)
    submit.click()

    expect(page).to_have_url(at(live_url(edit)))
    expect(page.get_by_role("status").filter(has_text=re.compile(r"\w"))).to_be_visible()
    stage = page.get_by_role("region").filter(has=page.locator("h2#stage-title"))
    expect(stage).to_contain_text(text("chefens (stöd|godkännande)", "manager.s support"))
    assert_accessible(page)
    application.refresh_from_db()
    assert application.stage == Application.Stage.AWAITING_ENDORSEMENT
    assert application.organisation.name == ORGANISATION

    # --- the manager: a link in the mail, no account --------------------------------------------------
    endorse_link = link_in_mail(MANAGER_EMAIL, rf"https?://\S+/{DEMO_SLUG}/endorse/\S+/")
    manager = new_page(browser)
    manager.goto(endorse_link)
    expect(manager.get_by_role("heading", level=1)).to_be_visible()
    expect(manager.get_by_role("main")).to_contain_text(APPLICANT_NAME)
    assert_accessible(manager)
    form = manager.locator("main form[method='post']")
    form.locator("input[name='supports'][value='yes']").check()
    form.locator("textarea[name='comment']").fill("Åsa har mitt fulla stöd.")
    form.get_by_role("button").click()  # the form's only button: "Send my answer"
    expect(manager.get_by_role("main")).to_contain_text(APPLICANT_NAME)
    expect(manager.locator("main form")).to_have_count(0)
    assert_accessible(manager)
    manager.context.close()
    application.refresh_from_db()
    assert application.stage == Application.Stage.AWAITING_NOMINATION
    # Olle is told that an applicant of his organisation waits for a nomination.
    assert any(m.to == [HR_ALVBY] for m in mail.outbox)

    # --- the HR contact of Älvby stad nominates -------------------------------------------------------
    hr = new_page(browser)
    sign_in(
        hr, HR_ALVBY, DEMO_PASSWORD, check_accessibility=False
    )  # the login page is scanned above
    hr.goto(live_url(f"/{DEMO_SLUG}/hr/"))
    assert_accessible(hr)
    hr.get_by_role("main").locator(f"a[href='/{DEMO_SLUG}/hr/rounds/{round_.pk}/']").click()
    expect(hr).to_have_url(live_url(f"/{DEMO_SLUG}/hr/rounds/{round_.pk}/"))
    row = hr.get_by_role("table").get_by_role("row").filter(has_text=APPLICANT_NAME)
    expect(row).to_contain_text(ORGANISATION)
    expect(row).to_contain_text(text("nominering", "nomination"))
    assert_accessible(hr)

    row.get_by_role("link", name=APPLICANT_NAME).click()
    expect(hr).to_have_url(live_url(f"/{DEMO_SLUG}/hr/applications/{application.pk}/"))
    expect(hr.get_by_role("heading", level=1)).to_have_text(APPLICANT_NAME)
    expect(hr.get_by_role("main")).to_contain_text(MANAGER_NAME)
    assert_accessible(hr)
    form = hr.locator("main form[method='post']")
    # No decision chosen: the error is on the group of radio buttons.
    form.get_by_role("button").click()
    hr.wait_for_load_state("load")
    summary = error_summary(hr)
    expect(summary.locator("a[href='#id_decision_0']")).to_be_visible()
    assert_accessible(hr)
    form.locator("input[name='decision'][value='nominate']").check()
    form.locator("textarea[name='motivation']").fill("Stark kandidat med tydliga mål.")
    form.get_by_role("button").click()
    expect(hr).to_have_url(at(live_url(f"/{DEMO_SLUG}/hr/rounds/{round_.pk}/")))
    expect(hr.get_by_role("status")).to_be_visible()
    row = hr.get_by_role("table").get_by_role("row").filter(has_text=APPLICANT_NAME)
    expect(row).to_contain_text(text("Nominerad", "Nominated"))
    assert_accessible(hr)
    hr.context.close()
    application.refresh_from_db()
    assert application.stage == Application.Stage.NOMINATED

    # --- a coordinator: interview notes, accept ---------------------------------------------------------
    coordinator = new_page(browser)
    sign_in(coordinator, DEMO_COORDINATOR, DEMO_PASSWORD, check_accessibility=False)
    dashboard = f"/{DEMO_SLUG}/manage/rounds/{round_.pk}/"
    review_list = f"/{DEMO_SLUG}/manage/rounds/{round_.pk}/applications/"
    coordinator.goto(live_url(dashboard))
    assert_accessible(coordinator)
    coordinator.get_by_role("main").locator(f"a[href='{review_list}']").first.click()
    expect(coordinator).to_have_url(live_url(review_list))
    assert_accessible(coordinator)

    detail = f"/{DEMO_SLUG}/manage/applications/{application.pk}/"
    coordinator.get_by_role("table").get_by_role("link", name=APPLICANT_NAME).click()
    expect(coordinator).to_have_url(live_url(detail))
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(APPLICANT_NAME)
    assert_accessible(coordinator)

    interview = coordinator.locator("main form").filter(
        has=coordinator.locator("input[name='action'][value='interview']")
    )
    interview.locator("textarea[name='notes']").fill(INTERVIEW_NOTES)
    interview.get_by_role("button").click()
    expect(coordinator).to_have_url(at(live_url(detail)))
    expect(coordinator.get_by_role("status")).to_be_visible()
    expect(interview.locator("textarea[name='notes']")).to_have_value(INTERVIEW_NOTES)
    assert_accessible(coordinator)

    decide = coordinator.locator("main form").filter(
        has=coordinator.locator("input[name='action'][value='decide']")
    )
    decide.locator("input[name='decision'][value='accepted']").check()
    decide.get_by_role("button").click()
    expect(coordinator).to_have_url(at(live_url(detail)))
    expect(coordinator.get_by_role("status")).to_be_visible()
    expect(coordinator.locator("main .badge")).to_have_text(text("Antagen", "Accepted"))
    assert_accessible(coordinator)
    application.refresh_from_db()
    assert application.stage == Application.Stage.ACCEPTED
    with scope(tenant=tenant):
        assert InterviewNote.objects.get(application=application).notes == INTERVIEW_NOTES
        assert Participant.objects.filter(
            round=round_, user=application.user, role="adept"
        ).exists()

    # --- the matching dossier ------------------------------------------------------------------------------
    coordinator.get_by_role("main").locator(f"a[href='{review_list}']").first.click()
    expect(coordinator).to_have_url(live_url(review_list))
    dossier = f"/{DEMO_SLUG}/manage/rounds/{round_.pk}/dossier/"
    coordinator.get_by_role("main").locator(f"a[href='{dossier}']").click()
    expect(coordinator).to_have_url(live_url(dossier))
    assert_accessible(coordinator)
    # The form's only button: "Make the dossier".
    coordinator.locator("main form[method='post']").get_by_role("button").click()

    expect(coordinator).to_have_url(re.compile(rf"/{DEMO_SLUG}/manage/jobs/\d+/$"))
    job = ExportJob.objects.filter(round=round_, kind=ExportJob.Kind.DOSSIER).latest("pk")
    download = coordinator.locator(f"main a[href='/{DEMO_SLUG}/manage/jobs/{job.pk}/download/']")
    # The job runs in the background; the page polls until the download link appears.
    expect(download).to_be_visible(timeout=30_000)
    assert_accessible(coordinator)

    with coordinator.expect_download() as info:
        download.click()
    pdf = tmp_path / "dossier.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    words = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert APPLICANT_NAME in words
    assert INTERVIEW_NOTES.split(";")[0] in " ".join(words.split())
    coordinator.context.close()


def test_hr_contact_of_another_organisation_does_not_see_the_applicant(
    page: Page, demo_data, live_url, sign_in, assert_accessible
):
    tenant = demo_data
    round_ = round_15(tenant)
    with scope(tenant=tenant):
        alvby = Organisation.objects.get(tenant=tenant, name=ORGANISATION)
        user = ensure_user(APPLICANT_EMAIL, APPLICANT_NAME)
        application = services.start_application(
            round_=round_, user=user, role="adept", organisation=alvby
        )
        question = Question.objects.get(round=round_, required=True)
        Application.objects.filter(pk=application.pk).update(
            job_title="Förvaltningschef",
            manager_level="manager_of_managers",
            years_as_manager=4,
            years_in_level=3,
            motivation="Utveckla mitt ledarskap.",
            manager_name=MANAGER_NAME,
            manager_email=MANAGER_EMAIL,
            discussed_with_manager=True,
            answers={str(question.pk): "yes"},
            consent_given_at=round_.application_opens_at,
        )
        application.refresh_from_db()
        services.submit(application=application, actor=user)
        services.decide_endorsement(
            endorsement=Endorsement.objects.get(application=application), supports=True
        )
        application.refresh_from_db()
    assert application.stage == Application.Stage.AWAITING_NOMINATION

    sign_in(page, HR_OTHER, DEMO_PASSWORD)
    page.goto(live_url(f"/{DEMO_SLUG}/hr/"))
    assert_accessible(page)
    hr_list = f"/{DEMO_SLUG}/hr/rounds/{round_.pk}/"
    page.get_by_role("main").locator(f"a[href='{hr_list}']").click()
    expect(page).to_have_url(live_url(hr_list))
    table = page.get_by_role("table")
    # Sara sees applicants, but only from her own organisations.
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()
    # The organisation is the column before the stage (a selection column may come first).
    for organisation in rows.locator("td:nth-last-child(2)").all_inner_texts():
        assert organisation in {"Region Västerhav", "Länsstyrelsen i Kustlän"}, organisation
    expect(table.get_by_role("link", name=APPLICANT_NAME)).to_have_count(0)
    expect(page.get_by_role("main")).not_to_contain_text(APPLICANT_NAME)
    assert_accessible(page)

    # Nor by its address.
    response = page.goto(live_url(f"/{DEMO_SLUG}/hr/applications/{application.pk}/"))
    assert response.status == 404
    expect(page.get_by_role("main")).not_to_contain_text(APPLICANT_NAME)
    assert_accessible(page)
