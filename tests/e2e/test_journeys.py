"""Journeys through the workspace in a real browser, walked only by clicking links from where
the person starts: the address bar is used once, for the sign-in page.

1. A coordinator works through a day from "Att göra" alone: decides a submitted application
   and one under review, matches the accepted applicants and publishes the proposal, sends a failed mail again and
   looks at who has not answered for a shared day; each item's count goes down or it goes.
2. An HR contact nominates from the HR home's item, and its count goes down.
3. An applicant with a draft reaches it from the start page in one click.
4. The hospital group's coordinator (a continuous programme whose HR contacts assign mentors
   from a bank) reaches the mentor bank from the round's menu.

Every page visited passes axe (WCAG 2.1 A/AA) at 1366 px and at 390 px, and none is wider than
the screen at 390 px. The data comes from the test factories and the services, in English (the
people's language), so the locators read the texts a person reads.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import Page, expect

from applications.models import Application
from organisations.models import OutgoingMail
from programmes import services as programme_services
from programmes.models import Participant, ParticipantRole, Programme, Round
from tests.applications.test_services import coordinator_membership, hr_membership, open_round
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import OrganisationFactory, UserFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory, SharedMeetingFactory
from tests.matching.factories import AcceptedAdeptFactory, AcceptedMentorFactory

from .conftest import EMAIL_LABEL, PASSWORD_LABEL

pytestmark = pytest.mark.e2e

PASSWORD = "ett-langt-losenord-for-resan-2026"
WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 390, "height": 844}
Stage = Application.Stage


def can_sign_in(user):
    user.language = "en"
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


# The sign-in page is the same for everyone: checked by the first journey only.
CHECKED_ONCE = set()


class Walk:
    """One person's walk: ``check()`` on every page they reach (axe at both widths, the
    width at 390 px), ``click()`` to go on; ``visited`` lists the pages."""

    def __init__(self, page: Page, assert_accessible):
        self.page = page
        self.assert_accessible = assert_accessible
        self.visited = []

    def check(self):
        page = self.page
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if page.url in self.visited:  # the same page again (after a form): checked already
            return
        self.visited.append(page.url)
        self.assert_accessible(page)
        page.set_viewport_size(NARROW)
        # static/js/menu.js folds the menus on the narrow screen; wait for the header's.
        expect(page.locator("header details.header-menu")).not_to_have_attribute("open", "")
        self.assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        assert width <= inner, f"{page.url} is {width}px wide on a {inner}px screen"
        page.set_viewport_size(WIDE)
        expect(page.locator("header details.header-menu")).to_have_attribute("open", "")
        page.check_policies()

    def click(self, locator, *, check=True):
        with self.page.expect_navigation():
            locator.click()
        if check:
            self.check()

    def sign_in(self, user):
        """The one address typed: the sign-in page. Then the start page."""
        page = self.page
        page.set_viewport_size(WIDE)
        page.goto(self.live_url("/accounts/login/"))
        if "sign-in" not in CHECKED_ONCE:
            self.check()
            CHECKED_ONCE.add("sign-in")
        form = page.locator("main form[action$='/accounts/login/']")
        form.get_by_label(EMAIL_LABEL).fill(user.email)
        form.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
        self.click(form.get_by_role("button"), check=False)
        expect(page).to_have_url(self.live_url("/"))
        self.check()


@pytest.fixture
def walk(page: Page, live_url, assert_accessible):
    walker = Walk(page, assert_accessible)
    walker.live_url = live_url
    return walker


def todo(page, key):
    return page.locator(f".todo li.todo-item[data-key='{key}']")


# --- 1. the coordinator's day -----------------------------------------------------------------


@pytest.fixture
def day(transactional_db, live_server, tenant):
    coordinator = can_sign_in(coordinator_membership(tenant, full_name="Sara Samordnare").user)
    programme = ProgrammeFactory(tenant=tenant, name="Chefsprogrammet")
    reviewing = RoundFactory(programme=programme, name="Omgång 15", status=Round.Status.REVIEW)
    for name in ("Siri Inskickad", "Sam Inskickad"):
        ApplicationFactory(round=reviewing, full_name=name, stage=Stage.SUBMITTED)
    ApplicationFactory(round=reviewing, full_name="Ulla Granskad", stage=Stage.UNDER_REVIEW)
    matching = RoundFactory(programme=programme, name="Omgång 16", status=Round.Status.MATCHING)
    for index in range(2):
        AcceptedMentorFactory(round=matching, full_name=f"Mona Mentor {index + 1}")
        AcceptedAdeptFactory(round=matching, full_name=f"Adam Adept {index + 1}")
    running = RoundFactory(programme=programme, name="Omgång 14", status=Round.Status.RUNNING)
    participants = [
        Participant.objects.create(
            tenant=tenant,
            round=running,
            user=UserFactory(full_name=name),
            role=ParticipantRole.ADEPT,
        )
        for name in ("Pia Deltagare", "Per Deltagare")
    ]
    meeting = SharedMeetingFactory(
        round=running, title="Uppstartsdag", date=timezone.localdate() + timedelta(days=3)
    )
    OutgoingMail.objects.create(
        tenant=tenant,
        purpose="test",
        to="ulla.mottagare@example.se",
        language="sv",
        subject="Välkommen till programmet",
        body="Hej!",
        status=OutgoingMail.Status.FAILED,
    )
    return {
        "tenant": tenant,
        "coordinator": coordinator,
        "matching": matching,
        "participants": participants,
        "meeting": meeting,
    }


def test_a_coordinator_works_through_the_day_from_the_to_do_list(walk, day):
    page = walk.page
    tenant = day["tenant"]
    overview_link = page.locator(f"nav.subnav a[href='/{tenant.slug}/manage/']")

    walk.sign_in(day["coordinator"])
    walk.click(page.get_by_role("link", name="Manage programmes"))
    expect(page.get_by_role("heading", name="To do")).to_be_visible()
    expect(todo(page, "applications.submitted")).to_contain_text(
        "2 submitted applications are not reviewed yet"
    )
    expect(todo(page, "applications.accepted")).to_contain_text(
        "4 accepted applicants are not matched"
    )
    expect(todo(page, "outbox.failed")).to_contain_text("1 mail could not be sent")
    expect(todo(page, "programmes.shared_day")).to_contain_text(
        "2 participants have not answered for “Uppstartsdag”"
    )

    # Submitted, not reviewed: the filtered list, one applicant, the decision.
    walk.click(todo(page, "applications.submitted").get_by_role("link"))
    expect(page).to_have_url(re.compile(r"/applications/\?stage=submitted$"))
    expect(page.locator("main")).to_contain_text("Sam Inskickad")
    walk.click(page.get_by_role("table").get_by_role("link", name="Siri Inskickad"))
    decide = page.locator("main form").filter(
        has=page.locator("input[name='action'][value='decide']")
    )
    decide.locator("input[name='decision'][value='accepted']").check()
    walk.click(decide.get_by_role("button"))
    expect(page.locator("main .badge")).to_have_text("Accepted")
    walk.click(overview_link, check=False)
    expect(todo(page, "applications.submitted")).to_contain_text(
        "1 submitted application is not reviewed yet"
    )

    # Under review, not decided (where an application goes after its interview notes).
    under_review = todo(page, "applications.under_review")
    expect(under_review).to_contain_text("1 application under review waits for your decision")
    walk.click(under_review.get_by_role("link"))
    expect(page).to_have_url(re.compile(r"/applications/\?stage=under_review$"))
    walk.click(page.get_by_role("table").get_by_role("link", name="Ulla Granskad"))
    decide.locator("input[name='decision'][value='waitlisted']").check()
    walk.click(decide.get_by_role("button"), check=False)
    walk.click(overview_link, check=False)
    expect(todo(page, "applications.under_review")).to_have_count(0)

    # Accepted, not matched: the list, then the round's matching page, a proposal.
    walk.click(todo(page, "applications.accepted").get_by_role("link"))
    expect(page).to_have_url(re.compile(r"/applications/\?stage=accepted$"))
    expect(page.locator("main")).to_contain_text("Adam Adept 1")
    matching_path = f"/{tenant.slug}/manage/rounds/{day['matching'].pk}/matching/"
    walk.click(page.locator(f"nav.round-nav a[href='{matching_path}']"))
    page.locator("input[name='name']").fill("Förslag 1")
    walk.click(page.locator("form[action$='/matching/run/'] button[type='submit']"))
    expect(page).to_have_url(re.compile(r"/manage/proposals/\d+/$"))
    walk.click(overview_link, check=False)
    # The proposal is made, not published: a new item; the applicants still wait.
    expect(todo(page, "matching.proposal")).to_contain_text("1 proposal is not published")
    expect(todo(page, "applications.accepted")).to_contain_text("4 accepted applicants")
    walk.click(todo(page, "matching.proposal").get_by_role("link"), check=False)
    walk.click(page.get_by_role("link", name="Publish this proposal"))
    walk.click(page.locator("main form button[type='submit']"))
    expect(page).to_have_url(re.compile(r"/matching/pairs/$"))
    walk.click(overview_link, check=False)
    expect(todo(page, "matching.proposal")).to_have_count(0)
    expect(todo(page, "applications.accepted")).to_have_count(0)

    # A mail that failed: the outbox's failed mails, send it again.
    walk.click(todo(page, "outbox.failed").get_by_role("link"))
    expect(page).to_have_url(re.compile(r"/outbox/\?status=failed$"))
    expect(page.locator("main")).to_contain_text("ulla.mottagare@example.se")
    walk.click(page.get_by_role("button", name="Send again"))
    walk.click(overview_link, check=False)
    expect(todo(page, "outbox.failed")).to_have_count(0)

    # A shared day in three days: who has not answered. When one of them answers (on her
    # own page), the item counts one less.
    walk.click(todo(page, "programmes.shared_day").get_by_role("link"))
    expect(page.locator("main")).to_contain_text("Pia Deltagare")
    expect(page.locator("main")).to_contain_text("Per Deltagare")
    with scope(tenant=tenant):
        programme_services.respond_to_meeting(
            tenant=tenant,
            participant=day["participants"][0],
            meeting=day["meeting"],
            attending=True,
        )
    walk.click(overview_link, check=False)
    expect(todo(page, "programmes.shared_day")).to_contain_text(
        "1 participant has not answered for “Uppstartsdag”"
    )
    # Only the one left to review remains of the morning's list.
    expect(page.locator(".todo li.todo-item")).to_have_count(2)
    assert len(walk.visited) >= 10


# --- 2. the HR contact nominates ----------------------------------------------------------------


def test_an_hr_contact_nominates_from_the_item_on_the_hr_home(walk, transactional_db, tenant):
    organisation = OrganisationFactory(tenant=tenant, name="Alingsås kommun")
    round_ = open_round(
        programme=ProgrammeFactory(tenant=tenant, name="Chefsprogrammet"),
        name="Omgång 15",
        requires_nomination=True,
    )
    hr = can_sign_in(
        hr_membership(
            tenant,
            organisation,
            full_name="Hanna HR",
            email="hanna.hr.med.en.lang.adress@alingsas-kommun.example.se",
        ).user
    )
    for name in ("Nora Nominera", "Nils Nominera"):
        ApplicationFactory(
            round=round_, full_name=name, organisation=organisation, stage=Stage.AWAITING_NOMINATION
        )
    page = walk.page

    walk.sign_in(hr)
    walk.click(page.get_by_role("link", name="Applicants from my organisations"))
    item = todo(page, "applications.hr_nomination")
    expect(item).to_contain_text("2 applications wait for your decision")
    expect(item).to_contain_text("Deadline")
    walk.click(item.get_by_role("link"))
    expect(page).to_have_url(re.compile(r"\?stage=awaiting_nomination$"))
    walk.click(page.get_by_role("link", name="Nora Nominera"))
    page.get_by_label("Nominate", exact=True).check()
    walk.click(page.get_by_role("button", name="Save the decision"))
    walk.click(page.locator("header").get_by_role("link", name="HR contact"), check=False)
    expect(todo(page, "applications.hr_nomination")).to_contain_text(
        "1 application waits for your decision"
    )
    with scope(tenant=tenant):
        assert Application.objects.get(full_name="Nora Nominera").stage == Stage.NOMINATED


# --- 3. the applicant's draft -------------------------------------------------------------------


def test_an_applicant_reaches_her_draft_from_the_start_page_in_one_click(
    walk, transactional_db, tenant
):
    round_ = open_round(programme=ProgrammeFactory(tenant=tenant, name="Chefsprogrammet"))
    applicant = can_sign_in(UserFactory(full_name="Dora Utkast"))
    draft = ApplicationFactory(
        round=round_, user=applicant, stage=Stage.DRAFT, submitted_at=None, organisation=None
    )
    page = walk.page

    walk.sign_in(applicant)
    walk.click(page.get_by_role("link", name="Continue with your draft"))
    expect(page).to_have_url(walk.live_url(f"/{tenant.slug}/my/applications/{draft.pk}/"))


# --- 4. the hospital group's mentor bank --------------------------------------------------------


def test_the_hospital_coordinator_reaches_the_bank_from_the_rounds_menu(
    walk, transactional_db, tenant
):
    """A tenant set up as the hospital group's (demo/sjukhusgruppen.py): one continuous
    programme whose HR contacts assign mentors from a bank, its round always running."""
    programme = ProgrammeFactory(
        tenant=tenant,
        name="Mentorprogram för nya chefer",
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.HR_ASSIGNS,
    )
    round_ = RoundFactory(programme=programme, name="Löpande", status=Round.Status.RUNNING)
    AcceptedAdeptFactory(round=round_, full_name="Nina Nychef")
    coordinator = can_sign_in(coordinator_membership(tenant, full_name="Camilla Koordinator").user)
    page = walk.page
    round_path = f"/{tenant.slug}/manage/rounds/{round_.pk}/"
    bank_path = f"/{tenant.slug}/manage/bank/{round_.pk}/"

    walk.sign_in(coordinator)
    walk.click(page.get_by_role("link", name="Manage programmes"))
    walk.click(page.locator(f"main a[href='{round_path}']").first)
    nav = page.locator("nav.round-nav")
    expect(nav.locator(f"a[href='{round_path}matching/']")).to_have_count(0)
    walk.click(nav.locator(f"a[href='{bank_path}']"))
    expect(page).to_have_url(walk.live_url(bank_path))
    expect(page.locator(f"nav.round-nav a[href='{bank_path}']")).to_have_attribute(
        "aria-current", "page"
    )
