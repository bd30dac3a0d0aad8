"""Two seed programmes built on a fresh tenant in the browser only and walked to the pairs'
first meetings (issue 14, "Tests").

The one step outside the browser is ``create_tenant`` (it prints the coordinator's invitation
link). Every other person starts from a link a person has: the tenant's public page, or a link
in a mail read from the outbox (``OutgoingMail``, or allauth's address confirmation in
``django.core.mail.outbox``). From there they only click.

1. Seed 003, the association of chief executives: a continuous programme where the adept
   chooses her mentor. The coordinator sets the association's standard fields, writes the
   relationship checklist from the seed in the checklist editor, says who may join and opens
   self sign-up; a retired former chief executive becomes a mentor through "Bli mentor" (no
   manager question), a new chief executive asks for a mentor through "Jag vill ha en mentor";
   the coordinator accepts both, the adept asks the mentor, who accepts; the pair records its
   first meeting and sees the association's checklist.
2. Seed 004, the hospital group: a continuous programme whose HR picks a mentor from a
   standing bank, usually from another area. The coordinator adds the organisation's areas,
   starts from the hospital's fields and routine checklists, adds the bank's mentors by hand,
   makes another area a weighted preference instead of a hard rule (from the bank's page) and
   invites the HR contact; HR registers a new manager (who gets a set-password mail) and
   assigns the best-ranked mentor; the match does not work, HR ends the pair by agreement and
   assigns another (the earlier mentor is not offered); the new pair records its first
   meeting and sees the routine's checklist.

Every page reached the first time passes axe at 1366 px and at 390 px and is no wider than the
screen at 390 px. The tenant is Swedish; the texts are read from the message catalogue
(``sv()``), so the locators are the words a person reads.
"""

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from applications.models import Application, InterviewNote
from organisations.models import OutgoingMail, Tenant
from pairs.models import Pair, PairMeeting

from .conftest import watch_policies
from .test_journeys import NARROW, WIDE

pytestmark = pytest.mark.e2e

MUNICIPALITIES = [
    ("Tallåsa kommun", "Dalarna", "Tallåsa"),
    ("Rönnviks kommun", "Värmland", "Rönnvik"),
]

# Seed 003's "Checklista mentor-adeptrelationen", as the board writes it in.
RELATIONSHIP_CHECKLIST = [
    "Adepten tar första kontakten med den kommundirektör/kommunchef hen önskar som mentor.",
    "Mentor och adept träffas och kommer överens om att fortsätta med ett antal samtal.",
    "Vid första tillfället kommer ni överens om relationens spelregler: öppenhet, "
    "konfidentialitet, personligt men inte privat.",
    "Lämpligt antal samtal att komma överens om från början är 5–8 under ett år.",
    "Träffas på en neutral plats; besök eller skuggning på adeptens arbetsplats om ni är "
    "överens om det.",
]

PASSWORD = "ett-langt-losenord-for-resan-2026"
LINK = re.compile(r"https?://\S+")


def sv(text):
    """The Swedish a person reads for a source text."""
    with translation.override("sv"):
        return str(translation.gettext(text))


class Person:
    """One person's walk in their own browser context: ``check()`` on every page reached the
    first time (axe at 1366 and 390 px, no horizontal scroll at 390), ``click()`` to go on."""

    def __init__(self, browser, live_url, assert_accessible, visited):
        self.context = browser.new_context(viewport=WIDE, locale="sv-SE")
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.set_default_navigation_timeout(15_000)
        self.check_policies = watch_policies(self.page)
        self.live_url = live_url
        self.assert_accessible = assert_accessible
        self.visited = visited  # shared: a page already scanned is not scanned again

    def key(self):
        # The same page for another person, another object or another tenant is the same
        # template: scanned once in the module (the five journeys share many pages).
        path = urlsplit(self.page.url).path
        return re.sub(r"\d+", "N", re.sub(r"^/[^/]+/", "/T/", path))

    def check(self):
        page = self.page
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        key = self.key()
        if key in self.visited:
            return
        self.visited.add(key)
        self.assert_accessible(page)
        page.set_viewport_size(NARROW)
        self.assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW["width"], f"{page.url} is {width}px wide on a 390px screen"
        page.set_viewport_size(WIDE)
        self.check_policies()

    def goto(self, url):
        self.page.goto(url)
        self.check()

    def click(self, locator, *, check=True):
        try:
            locator.wait_for(timeout=5_000)
        except Exception as error:  # say where the person was, not only what was missing
            text = self.page.locator("body").inner_text()[:2500]
            raise AssertionError(f"{error}\non {self.page.url}:\n{text}") from None
        with self.page.expect_navigation():
            locator.click()
        if check:
            self.check()

    def main(self):
        return self.page.get_by_role("main")

    def close(self):
        self.context.close()


# Pages already scanned by an earlier journey of this module (in this worker process).
VISITED = set()


@pytest.fixture(autouse=True)
def _site_url(settings, live_server):
    """The site's address is where it is served (SITE_URL: the links of mails that no request
    sent, such as a new pair's), as a deployment sets it."""
    settings.SITE_URL = live_server.url


@pytest.fixture
def people(browser, live_url, assert_accessible):
    visited = VISITED
    opened = []

    def person():
        walker = Person(browser, live_url, assert_accessible, visited)
        opened.append(walker)
        return walker

    yield person
    for walker in opened:
        walker.check_policies()
        walker.close()


def last_mail_link(to, *, contains=""):
    """The link in the newest mail to ``to`` (the outbox), as the person would follow it."""
    with scopes_disabled():
        mails = OutgoingMail.objects.filter(to__iexact=to).order_by("-id")
        for outgoing in mails:
            for link in LINK.findall(outgoing.body):
                if contains in link:
                    return link
    for message in reversed(mail.outbox):
        if to.lower() in [address.lower() for address in message.to]:
            for link in LINK.findall(message.body):
                if contains in link:
                    return link
    raise AssertionError(f"No mail to {to} with a link containing {contains!r}")


def create_tenant(live_server, *, slug, name, coordinator):
    out = StringIO()
    call_command(
        "create_tenant",
        "--slug",
        slug,
        "--name",
        name,
        "--contact-email",
        f"info@{slug}.example.se",
        "--coordinator-email",
        coordinator,
        "--base-url",
        live_server.url,
        stdout=out,
    )
    link = LINK.findall(out.getvalue())[-1]
    with scopes_disabled():
        return Tenant.objects.get(slug=slug), link


def sign_up_from_invitation(person, link, email, name):
    """The invitation link: create an account (the address counts as verified), accept."""
    page = person.page
    person.goto(link)
    person.click(person.main().get_by_role("link", name=sv("Create an account")))
    form = page.locator("main form[action$='/accounts/signup/']")
    expect(form.locator("input[name='email']")).to_have_value(email)
    form.locator("input[name='full_name']").fill(name)
    form.locator("input[name='password1']").fill(PASSWORD)
    form.locator("input[name='password2']").fill(PASSWORD)
    person.click(form.get_by_role("button", name=sv("Create account")))
    person.click(person.main().get_by_role("button", name=sv("Accept the invitation")))


def sign_up_from_public_page(person, email, name):
    """From "Become a mentor"/"I want a mentor" (already clicked): create an account, confirm
    the address from the mail, come back to the role choice."""
    page = person.page
    person.click(person.main().get_by_role("link", name=sv("Create an account")))
    form = page.locator("main form[action$='/accounts/signup/']")
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='full_name']").fill(name)
    form.locator("input[name='password1']").fill(PASSWORD)
    form.locator("input[name='password2']").fill(PASSWORD)
    person.click(form.get_by_role("button", name=sv("Create account")))
    person.goto(last_mail_link(email, contains="/accounts/confirm-email/"))
    person.click(person.main().get_by_role("button"))


def add_organisation(person, name, *, kind, region="", place="", parent=None):
    """From the coordinator menu's "Organisations": one more organisation."""
    page = person.page
    person.click(page.locator("nav.subnav").get_by_role("link", name=sv("Organisations")))
    person.click(person.main().get_by_role("link", name=sv("Add an organisation")))
    form = page.locator("main form")
    form.locator("input[name='name']").fill(name)
    form.locator("select[name='kind']").select_option(kind)
    form.locator("input[name='region']").fill(region)
    form.locator("input[name='place']").fill(place)
    if parent:
        form.locator("select[name='parent']").select_option(label=parent)
    person.click(form.get_by_role("button", name=sv("Save")))
    expect(person.main()).to_contain_text(name)


# --- 1. seed 003: the association of chief executives ----------------------------------------


def test_seed_003_the_association_builds_its_programme_and_a_pair_meets(
    people, live_server, transactional_db
):
    coordinator_email = "ingrid.styrelsen@example.se"
    tenant, invitation = create_tenant(
        live_server,
        slug="kommunchefer",
        name="Föreningen för kommunchefer",
        coordinator=coordinator_email,
    )

    # --- the coordinator (a board member): the invitation, the programme ---------------------
    board = people()
    page = board.page
    sign_up_from_invitation(board, invitation, coordinator_email, "Ingrid Sandström")
    board.click(page.get_by_role("link", name=sv("Manage programmes")))
    # The members' municipalities.
    for name, region, place in MUNICIPALITIES:
        add_organisation(board, name, kind="municipality", region=region, place=place)
    board.click(page.locator("nav.subnav").get_by_role("link", name=sv("Programmes")))
    board.click(board.main().get_by_role("link", name=sv("New programme")))
    form = page.locator("main form")
    form.locator("input[name='name']").fill("Mentorskap för nya kommunchefer")
    form.locator("input[name='slug']").fill("mentorskap")
    form.locator("textarea[name='description']").fill(
        "Föreningen ger nya kollegor möjlighet till kontakt med en mer erfaren kollega för "
        "stödjande samtal om rollen som kommundirektör/kommunchef."
    )
    form.locator("textarea[name='target_group']").fill(
        "Nya kommundirektörer/kommunchefer som adepter; erfarna, aktiva eller nyligen "
        "avgångna/pensionerade, som mentorer."
    )
    form.locator("input[name='kind'][value='continuous']").check()
    form.locator("input[name='matching_mode'][value='adept_chooses']").check()
    board.click(form.get_by_role("button", name=sv("Save")))
    programme_url = page.url

    # The association's standard fields: phone, municipality, active/left/retired.
    board.click(board.main().get_by_role("link", name=sv("Standard fields and mentor cards")))
    board.main().locator("input[name='preset'][value='association']").check()
    board.click(board.main().get_by_role("button", name=sv("Use the template")))
    expect(page.locator("select[name='mentor__career_status']")).to_have_value("required")
    board.click(page.get_by_role("link", name="Mentorskap för nya kommunchefer").first)

    # The relationship checklist from the seed, written in the checklist editor.
    board.click(board.main().get_by_role("link", name=sv("Checklists")))
    form = page.locator("main form:has(#create-checklist)")
    form.locator("input[name='title']").fill("Checklista mentor-adeptrelationen")
    form.locator("input[name='timing'][value='before_first']").check()
    form.locator("input[name='audience'][value='both']").check()
    board.click(form.locator("#create-checklist"))
    for text in RELATIONSHIP_CHECKLIST:
        form = page.locator("main form:has(#add-item)")
        form.locator("textarea[name='new-text']").fill(text)
        form.locator("input[name='new-kind'][value='tick']").check()
        board.click(form.locator("#add-item"))
    for text in RELATIONSHIP_CHECKLIST:
        expect(board.main()).to_contain_text(text)
    board.goto(programme_url)

    # The standing round: who may join, self sign-up for both roles; then open it.
    board.click(board.main().get_by_role("link", name=sv("New round")))
    form = page.locator("main form")
    form.locator("input[name='name']").fill("Löpande")
    form.locator("textarea[name='call_text']").fill(
        "Vill du bli mentor eller få en mentor? Anmäl ditt intresse här."
    )
    form.locator("input[name='min_pair_meetings']").fill("5")
    form.locator("[name='cadence_text']").fill("5–8 samtal under ett år")
    form.locator("input[name='mentor_manager_levels'][value='senior_executive']").check()
    form.locator("input[name='adept_manager_levels'][value='senior_executive']").check()
    form.locator("[name='mentor_criteria']").fill(
        "Lång erfarenhet av kommundirektörs-/kommunchefsrollen; aktiv, nyligen avgången "
        "eller pensionerad."
    )
    form.locator("[name='adept_criteria']").fill("Ny i rollen som kommundirektör/kommunchef.")
    form.locator("input[name='mentor_self_signup']").check()
    form.locator("input[name='adept_self_signup']").check()
    board.click(form.get_by_role("button", name=sv("Save")))
    board.click(board.main().locator("form.transition--forward button"))
    expect(board.main()).to_contain_text(sv("Open for applications"))

    # --- a retired former chief executive: "Bli mentor" on the public page -------------------
    mentor_email = "bengt.astrom@example.se"
    mentor = people()
    mentor.goto(mentor.live_url(f"/{tenant.slug}/"))
    mentor.click(mentor.main().get_by_role("link", name=re.compile("Mentorskap för nya")))
    mentor.click(mentor.main().get_by_role("link", name=sv("Become a mentor")))
    sign_up_from_public_page(mentor, mentor_email, "Bengt Åström")
    form = mentor.page.locator("main form[method='post']")
    expect(form.locator("input[name='role'][value='mentor']")).to_be_checked()
    mentor.click(form.get_by_role("button", name=sv("Start my application")))
    form = mentor.page.locator("main form[hx-post]")
    form.locator("input[name='phone']").fill("070-174 06 42")
    form.locator("input[name='career_status'][value='retired']").check()
    expect(form.locator("#section-manager")).to_be_hidden()  # retired: no manager question
    form.locator("select[name='organisation']").select_option(label="Tallåsa kommun")
    form.locator("input[name='place']").fill("Tallåsa")
    form.locator("input[name='job_title']").fill("F.d. kommundirektör, pensionär")
    form.locator("select[name='manager_level']").select_option("senior_executive")
    form.locator("input[name='years_as_manager']").fill("24")
    form.locator("input[name='capacity']").fill("2")
    form.locator("textarea[name='motivation']").fill(
        "Som pensionerad kommundirektör har jag tid att dela med mig av min erfarenhet."
    )
    form.locator("input[name='consent']").check()
    mentor.click(form.get_by_role("button", name=sv("Submit the application")))
    expect(mentor.page.locator("main form[hx-post]")).to_have_count(0)  # sent in

    # --- a new chief executive: "Jag vill ha en mentor" ------------------------------------------
    adept_email = "sofie.wahlgren@example.se"
    adept = people()
    adept.goto(adept.live_url(f"/{tenant.slug}/"))
    adept.click(adept.main().get_by_role("link", name=re.compile("Mentorskap för nya")))
    adept.click(adept.main().get_by_role("link", name=sv("I want a mentor")))
    sign_up_from_public_page(adept, adept_email, "Sofie Wahlgren")
    form = adept.page.locator("main form[method='post']")
    expect(form.locator("input[name='role'][value='adept']")).to_be_checked()
    adept.click(form.get_by_role("button", name=sv("Start my application")))
    form = adept.page.locator("main form[hx-post]")
    form.locator("input[name='phone']").fill("070-552 18 90")
    form.locator("select[name='organisation']").select_option(label="Rönnviks kommun")
    form.locator("input[name='place']").fill("Rönnvik")
    form.locator("input[name='job_title']").fill("Kommundirektör")
    form.locator("select[name='manager_level']").select_option("senior_executive")
    form.locator("input[name='years_as_manager']").fill("9")
    form.locator("textarea[name='motivation']").fill(
        "Ny i rollen sedan fyra månader och vill ha en erfaren kollega att samtala med."
    )
    form.locator("input[name='discussed_with_manager']").check()
    form.locator("input[name='consent']").check()
    adept.click(form.get_by_role("button", name=sv("Submit the application")))
    expect(adept.page.locator("main form[hx-post]")).to_have_count(0)

    # --- the board accepts both, from the to-do list ------------------------------------------
    overview = page.locator("nav.subnav").get_by_role("link", name=sv("Overview"))
    for name in ("Bengt Åström", "Sofie Wahlgren"):
        board.click(overview)
        item = page.locator(".todo li.todo-item[data-key='applications.under_review']")
        board.click(item.get_by_role("link"))
        board.click(page.get_by_role("table").get_by_role("link", name=name))
        decide = page.locator("main form").filter(
            has=page.locator("input[name='action'][value='decide']")
        )
        decide.locator("input[name='decision'][value='accepted']").check()
        board.click(decide.get_by_role("button"))
        expect(page.locator("main .badge").first).to_have_text(sv("Accepted"))

    # --- the adept chooses the mentor, who accepts ---------------------------------------------
    adept.click(adept.page.locator("header").get_by_role("link", name=sv("My start page")))
    adept.click(adept.main().get_by_role("link", name=sv("Your programme")))
    adept.click(adept.page.locator("#choose-mentor-link"))
    card = adept.main().locator("li").filter(has_text="Bengt Åström")
    expect(card).to_contain_text("070-174 06 42")  # the association's card: phone
    expect(card).to_contain_text(sv("Retired"))
    adept.click(card.get_by_role("link", name=re.compile(sv("Ask this mentor"))))
    adept.page.locator("main textarea[name='message']").fill(
        "Jag är ny kommundirektör i Rönnvik och skulle gärna samtala om samspelet med politiken."
    )
    adept.click(adept.main().get_by_role("button", name=sv("Send the request")))

    # The mentor follows the mail's link (signing in on the way) and accepts.
    mentor.goto(last_mail_link(mentor_email, contains="/my/requests/"))
    mentor.click(mentor.main().get_by_role("button", name=re.compile(sv("Accept"))))
    expect(mentor.main()).to_contain_text("Sofie Wahlgren")

    # --- both see their pair; the association's checklist; the first meeting ------------------
    mentor.click(mentor.page.locator("header").get_by_role("link", name=sv("Your pair")))
    checklist = mentor.page.locator("section[id^=checklist-]")
    expect(checklist).to_have_count(1)
    expect(checklist).to_contain_text("Checklista mentor-adeptrelationen")
    for text in RELATIONSHIP_CHECKLIST:
        expect(checklist).to_contain_text(text)

    adept.click(adept.page.locator("header").get_by_role("link", name=sv("My start page")))
    adept.click(adept.main().get_by_role("link", name=re.compile("Bengt Åström")))
    checklist = adept.page.locator("section[id^=checklist-]")
    expect(checklist).to_contain_text(RELATIONSHIP_CHECKLIST[0])
    checklist.get_by_label(RELATIONSHIP_CHECKLIST[0]).check()  # she made the first contact
    adept.click(checklist.get_by_role("button", name=re.compile(sv("Save my answers"))))
    expect(
        adept.page.locator("section[id^=checklist-]").get_by_label(RELATIONSHIP_CHECKLIST[0])
    ).to_be_checked()
    form = adept.page.locator("main form:has(#log-meeting)")
    form.locator("input[name='date']").fill(timezone.localdate().isoformat())
    form.locator("input[name='minutes']").fill("90")
    form.locator("input[name='place']").fill("Stadshotellet i Karlstad (neutral plats)")
    adept.click(form.locator("#log-meeting"))
    expect(adept.page.locator("#meeting-list")).to_contain_text("Stadshotellet")

    mentor.page.reload()
    expect(mentor.page.locator("#meeting-list")).to_contain_text("Stadshotellet")
    with scope(tenant=tenant):
        pair = Pair.objects.get(mentor_user__email=mentor_email)
        assert pair.adept_user.email == adept_email and pair.status == Pair.Status.ACTIVE
        assert PairMeeting.objects.filter(pair=pair).count() == 1
        assert Application.objects.get(user__email=mentor_email).career_status == "retired"


# --- 2. seed 004: the hospital group's mentor bank ---------------------------------------------

AREAS = ["Område Medicin", "Område Kirurgi", "Område Psykiatri"]
# The bank's mentors, added by the coordinator: (name, e-mail, area).
BANK = [
    ("Maria Medicin", "maria.medicin@nu.example.se", "Område Medicin"),
    ("Karl Kirurg", "karl.kirurg@nu.example.se", "Område Kirurgi"),
    ("Petra Psykiatri", "petra.psykiatri@nu.example.se", "Område Psykiatri"),
]


def set_password_from_mail(person, email, *, contains="/accounts/password/reset/key/"):
    """A person created by HR or a coordinator: the mail's set-password link, then sign in,
    landing on the page the mail is about (its ``next``), not on the start page."""
    page = person.page
    link = last_mail_link(email, contains=contains)
    person.goto(link)
    form = page.locator("main form")
    form.locator("input[name='password1']").fill(PASSWORD)
    form.locator("input[name='password2']").fill(PASSWORD)
    person.click(form.locator("button[name='action']"))  # signed in on the way
    landing = parse_qs(urlsplit(link).query)["next"][0]
    assert landing != "/"
    expect(page).to_have_url(person.live_url(landing))


def test_seed_004_the_hospital_bank_assigns_rematches_and_the_pair_meets(
    people, live_server, transactional_db
):
    coordinator_email = "malin.hr-specialist@nu.example.se"
    tenant, invitation = create_tenant(
        live_server, slug="nu-sjukvarden", name="NU-sjukvården", coordinator=coordinator_email
    )

    # --- the coordinator (HR specialist): the invitation, the organisation and its areas ------
    coordinator = people()
    page = coordinator.page
    sign_up_from_invitation(coordinator, invitation, coordinator_email, "Malin Johansson")
    coordinator.click(page.get_by_role("link", name=sv("Manage programmes")))
    add_organisation(coordinator, "NU-sjukvården", kind="region", region="Västra Götaland")
    for area in AREAS:
        add_organisation(coordinator, area, kind="area", parent="NU-sjukvården")

    # --- the programme: continuous, HR assigns from the bank; the hospital's fields and routine
    coordinator.click(page.locator("nav.subnav").get_by_role("link", name=sv("Programmes")))
    coordinator.click(coordinator.main().get_by_role("link", name=sv("New programme")))
    form = page.locator("main form")
    form.locator("input[name='name']").fill("Mentorprogram för nya chefer")
    form.locator("input[name='slug']").fill("mentorprogram")
    form.locator("textarea[name='target_group']").fill(
        "I första hand nya chefer; mentorer är vanligtvis erfarna första linjens chefer."
    )
    form.locator("input[name='kind'][value='continuous']").check()
    form.locator("input[name='matching_mode'][value='hr_assigns']").check()
    coordinator.click(form.get_by_role("button", name=sv("Save")))
    programme_url = page.url
    coordinator.click(
        coordinator.main().get_by_role("link", name=sv("Standard fields and mentor cards"))
    )
    coordinator.main().locator("input[name='preset'][value='hospital_bank']").check()
    coordinator.click(coordinator.main().get_by_role("button", name=sv("Use the template")))
    coordinator.click(page.get_by_role("link", name="Mentorprogram för nya chefer").first)
    coordinator.click(coordinator.main().get_by_role("link", name=sv("Checklists")))
    template = page.locator("main form:has(#add-template)")
    template.locator("input[name='template'][value='routine']").check()
    coordinator.click(template.locator("#add-template"))
    expect(page.locator("#checklist-list > li")).to_have_count(3)
    coordinator.goto(programme_url)

    # The standing round: HR registers new managers, no self sign-up; open it.
    coordinator.click(coordinator.main().get_by_role("link", name=sv("New round")))
    form = page.locator("main form")
    form.locator("input[name='name']").fill("Löpande")
    form.locator("input[name='min_pair_meetings']").fill("6")
    form.locator("[name='cadence_text']").fill("Minst 6 träffar under året, gärna en i månaden")
    form.locator("[name='mentor_criteria']").fill(
        "En erfaren chef som adepten inte står i beroendeställning till."
    )
    form.locator("[name='adept_criteria']").fill("Ny chef i NU-sjukvården.")
    coordinator.click(form.get_by_role("button", name=sv("Save")))
    coordinator.click(coordinator.main().locator("form.transition--forward button"))
    expect(coordinator.main()).to_contain_text(sv("Open for applications"))

    # The bank's mentors, added by hand under "Participants" (each gets a set-password mail).
    nav = page.locator("nav.round-nav")
    coordinator.click(nav.get_by_role("link", name=sv("Participants")))
    for name, email, area in BANK:
        form = page.locator("main form[method='post']").filter(
            has=page.locator("input[name='email']")
        )
        form.locator("input[name='full_name']").fill(name)
        form.locator("input[name='email']").fill(email)
        form.locator("input[name='role'][value='mentor']").check()
        form.locator("select[name='organisation']").select_option(label=area)
        coordinator.click(form.get_by_role("button"))
        expect(coordinator.main()).to_contain_text(name)

    # Area as a preference: the weight on the matching settings page, reached from the bank.
    coordinator.click(nav.get_by_role("link", name=sv("Mentor bank")))
    coordinator.click(page.locator("#bank-settings"))
    settings = page.locator("main form:has([name='weight_other_area'])")
    # "Usually from another area": not a hard rule (one employer), but a heavy preference.
    settings.locator("[name='require_different_organisation']").uncheck()
    settings.locator("[name='weight_other_area']").fill("9")
    coordinator.click(settings.get_by_role("button", name=sv("Save the settings")))
    expect(page.locator("[name='weight_other_area']")).to_have_value("9")

    # The HR contact (HR manager) for the three areas: invited, signs up from the mail.
    hr_email = "anna-sofia.johansson@nu.example.se"
    coordinator.click(
        page.locator("nav.subnav").get_by_role("link", name=sv("Coordinators and HR contacts"))
    )
    form = page.locator("main form:has(input[name='email'][type='email'])").first
    form.locator("input[name='email']").fill(hr_email)
    form.locator("input[name='role'][value='hr_contact']").check()
    for area in ["NU-sjukvården", *AREAS]:
        form.get_by_label(area, exact=True).check()
    coordinator.click(form.get_by_role("button", name=sv("Send invitation")))
    hr = people()
    sign_up_from_invitation(hr, last_mail_link(hr_email), hr_email, "Anna Sofia Johansson")

    # --- HR registers a new manager and assigns a mentor from the bank -----------------------
    adept_email = "nora.nychef@nu.example.se"
    hr.click(hr.main().get_by_role("link", name=sv("Applicants from my organisations")))
    hr.click(hr.main().get_by_role("link", name=re.compile(sv("Mentor bank"))))
    hr.click(hr.main().get_by_role("link", name=sv("Register a new manager")))
    form = hr.page.locator("main form")
    form.locator("input[name='full_name']").fill("Nora Nychef")
    form.locator("input[name='email']").fill(adept_email)
    form.locator("select[name='organisation']").select_option(label="Område Medicin")
    form.locator("input[name='job_title']").fill("Enhetschef, medicinavdelning 12")
    form.locator("textarea[name='matching_wishes']").fill("Gärna någon från ett annat område.")
    hr.click(form.get_by_role("button", name=sv("Register and show suggested mentors")))
    suggested = hr.page.locator("main ol.card-list > li")
    expect(suggested).to_have_count(3)
    # Area as a preference: both mentors from another area come before the one from hers.
    expect(suggested.last).to_contain_text("Maria Medicin")
    first = suggested.first
    first_name = first.locator("h3").evaluate("h => h.firstChild.textContent.trim()")
    assert first_name in ("Karl Kirurg", "Petra Psykiatri")
    expect(first).to_contain_text("Olika områden inom NU-sjukvården")
    expect(first).not_to_contain_text("önskade ”område”")  # the wish is not a word in names
    hr.click(first.get_by_role("button", name=re.compile(sv("Choose this mentor"))))
    first_mentor = next(m for m in BANK if m[0] == first_name)
    second_mentor = next(m for m in BANK if m[0] not in (first_name, "Maria Medicin"))

    # The new manager and the mentor: the set-password link in their mails, then the pair.
    adept = people()
    set_password_from_mail(adept, adept_email)  # the mail's page: her pair
    expect(adept.main()).to_contain_text(first_mentor[0])
    expect(adept.page.locator("section[id^=checklist-]").first).to_contain_text(
        "Checklista: Inför första träffen"
    )
    mentor = people()
    set_password_from_mail(mentor, first_mentor[1])
    expect(mentor.main()).to_contain_text("Nora Nychef")

    # --- the match does not feel right: ended by agreement through HR, a new mentor ---------
    hr.click(hr.page.locator("header").get_by_role("link", name=sv("HR contact")))
    hr.click(hr.main().get_by_role("link", name=sv("Pairs with people from my organisations")))
    row = hr.page.get_by_role("row").filter(has_text="Nora Nychef")
    hr.click(row.get_by_role("link", name=re.compile(sv("End pair"))))
    form = hr.page.locator("main form")
    form.locator("input[name='end_reason'][value='by_agreement']").check()
    form.locator("textarea[name='end_note']").fill("Matchningen upplevdes inte tillräckligt god.")
    hr.click(form.get_by_role("button", name=sv("End the pair")))
    hr.click(hr.page.locator("header").get_by_role("link", name=sv("HR contact")))
    hr.click(hr.main().get_by_role("link", name=re.compile(sv("Mentor bank"))))
    hr.click(hr.main().get_by_role("link", name="Nora Nychef"))
    suggested = hr.page.locator("main ol.card-list > li")
    expect(suggested.first).to_contain_text(second_mentor[0])  # the earlier mentor is not offered
    expect(hr.page.locator("main ol.card-list")).not_to_contain_text(first_mentor[0])
    hr.click(suggested.first.get_by_role("button", name=re.compile(sv("Choose this mentor"))))

    # --- the new pair: the mentor gets in touch, the first meeting, the routine's checklist --
    second = people()
    set_password_from_mail(second, second_mentor[1])
    expect(second.main()).to_contain_text("Nora Nychef")
    checklist = second.page.locator("section[id^=checklist-]").first
    expect(checklist).to_contain_text("Checklista: Inför första träffen")
    form = second.page.locator("main form:has(#log-meeting)")
    form.locator("input[name='date']").fill(timezone.localdate().isoformat())
    form.locator("input[name='minutes']").fill("120")
    form.locator("input[name='place']").fill("Konferensrum Vänersborg (neutral plats)")
    second.click(form.locator("#log-meeting"))
    expect(second.page.locator("#meeting-list")).to_contain_text("Konferensrum")

    adept.click(adept.page.locator("header").get_by_role("link", name=sv("My start page")))
    adept.click(adept.main().get_by_role("link", name=re.compile(second_mentor[0])))
    expect(adept.page.locator("#meeting-list")).to_contain_text("Konferensrum")
    with scope(tenant=tenant):
        pairs = Pair.objects.filter(adept_user__email=adept_email).order_by("id")
        assert [(p.mentor_user.email, p.status) for p in pairs] == [
            (first_mentor[1], Pair.Status.ENDED),
            (second_mentor[1], Pair.Status.ACTIVE),
        ]
        assert PairMeeting.objects.filter(pair=pairs[1]).count() == 1


# --- the cohort programmes' shared steps (seeds 000, 001, 002) ---------------------------------


def name_the_nominating_role(person, name):
    """The overview's "public page and nominating role": the tenant's own word for it."""
    person.click(person.main().locator("a[href$='/manage/public-page/']"))
    form = person.page.locator("main form")
    form.locator("input[name='nominator_name']").fill(name)
    person.click(form.get_by_role("button", name=sv("Save")))
    expect(person.main()).to_contain_text(name)  # the public page names it
    person.click(person.main().get_by_role("link", name=sv("Manage programmes")))


def new_cohort_programme(person, *, name, slug, target_group):
    """A cohort programme whose coordinators match; returns its page's address."""
    page = person.page
    person.click(page.locator("nav.subnav").get_by_role("link", name=sv("Programmes")))
    person.click(person.main().get_by_role("link", name=sv("New programme")))
    form = page.locator("main form")
    form.locator("input[name='name']").fill(name)
    form.locator("input[name='slug']").fill(slug)
    form.locator("textarea[name='target_group']").fill(target_group)
    form.locator("input[name='kind'][value='cohort']").check()
    form.locator("input[name='matching_mode'][value='coordinator']").check()
    person.click(form.get_by_role("button", name=sv("Save")))
    return page.url


def new_round_form(person, *, name, starts, days=390):
    """The programme's "New round", open since yesterday, the deadline in three weeks;
    returns the form for the round's own settings (saved with save_round)."""
    today = timezone.localdate()
    person.click(person.main().get_by_role("link", name=sv("New round")))
    form = person.page.locator("main form")
    form.locator("input[name='name']").fill(name)
    form.locator("input[name='application_opens_at']").fill(
        f"{today - timedelta(days=1):%Y-%m-%d}T08:00"
    )
    form.locator("input[name='application_closes_at']").fill(
        f"{today + timedelta(days=21):%Y-%m-%d}T23:59"
    )
    form.locator("input[name='starts_on']").fill(f"{starts:%Y-%m-%d}")
    form.locator("input[name='ends_on']").fill(f"{starts + timedelta(days=days):%Y-%m-%d}")
    return form


def save_and_open_round(person, form):
    """Save the new round, open it from its dashboard; returns the dashboard's address."""
    person.click(form.get_by_role("button", name=sv("Save")))
    dashboard = person.page.url
    person.click(person.main().locator("form.transition--forward button"))
    expect(person.main()).to_contain_text(sv("Open for applications"))
    return dashboard


def invite_nominator(person, email, organisations):
    """The team page: an invitation as the nominating role for these organisations."""
    page = person.page
    person.click(
        page.locator("nav.subnav").get_by_role("link", name=sv("Coordinators and HR contacts"))
    )
    form = page.locator("main form:has(input[name='email'][type='email'])").first
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='role'][value='hr_contact']").check()
    for organisation in organisations:
        form.get_by_label(organisation, exact=True).check()
    person.click(form.get_by_role("button", name=sv("Send invitation")))


def apply_from_public_page(person, tenant, email, name, *, role, programme):
    """The round's public page: "Apply", an account, the address confirmed, the role chosen;
    returns the application form."""
    person.goto(person.live_url(f"/{tenant.slug}/"))
    person.click(person.main().get_by_role("link", name=re.compile(re.escape(programme))))
    person.click(person.main().get_by_role("link", name=sv("Apply")).first)
    sign_up_from_public_page(person, email, name)
    form = person.page.locator("main form[method='post']")
    form.locator(f"input[name='role'][value='{role}']").check()
    person.click(form.get_by_role("button", name=sv("Start my application")))
    return person.page.locator("main form[hx-post]")


def fill_application(form, *, organisation, title, level, years, motivation, **more):
    """The standard fields every cohort asks; ``more``: other inputs by name."""
    form.locator("select[name='organisation']").select_option(label=organisation)
    form.locator("input[name='job_title']").fill(title)
    form.locator("select[name='manager_level']").select_option(level)
    form.locator("input[name='years_as_manager']").fill(years)
    form.locator("textarea[name='motivation']").fill(motivation)
    for name, value in more.items():
        form.locator(f"[name='{name}']").fill(value)
    discussed = form.locator("input[name='discussed_with_manager']")
    if discussed.count():
        discussed.check()
    form.locator("input[name='consent']").check()


def submit_application(person, form):
    """Submit; the application went in (it can still be edited before the deadline), else
    say what the page says is missing."""
    person.click(form.get_by_role("button", name=sv("Submit the application")))
    button = person.main().get_by_role("button", name=sv("Submit the application"))
    if button.count():
        raise AssertionError(person.main().inner_text()[:3000])
    expect(person.main()).to_contain_text(sv("Thank you! Your application has been submitted."))


def nominate_from_hr_home(hr, applicant):
    """The HR home's item, the applicant, "Nominate" with a motivation."""
    hr.click(hr.main().get_by_role("link", name=sv("Applicants from my organisations")))
    item = hr.page.locator(".todo li.todo-item[data-key='applications.hr_nomination']")
    hr.click(item.get_by_role("link"))
    hr.click(hr.main().get_by_role("link", name=applicant))
    hr.page.get_by_label(sv("Nominate"), exact=True).check()
    hr.page.locator("textarea[name$='motivation']").fill("En god representant för oss.")
    hr.click(hr.main().get_by_role("button", name=sv("Save the decision")))


def close_applications_now(person, dashboard):
    person.goto(dashboard)
    person.main().locator("summary", has_text=sv("Close applications now")).click()
    person.click(person.main().get_by_role("button", name=sv("Yes, close applications now")))
    expect(person.main()).to_contain_text(sv("Review"))


def accept_open_application(person):
    """On an application's review page: "Accepted", saved."""
    page = person.page
    decide = page.locator("main form").filter(
        has=page.locator("input[name='action'][value='decide']")
    )
    decide.locator("input[name$='decision'][value='accepted']").check()
    person.click(decide.get_by_role("button"))
    expect(page.locator("main .badge").first).to_have_text(sv("Accepted"))


def accept_from_review_list(person, names):
    """The round's "All applications", each applicant in turn accepted."""
    page = person.page
    person.click(page.locator("nav.round-nav").get_by_role("link", name=sv("All applications")))
    review_list = page.url
    for name in names:
        person.goto(review_list)
        person.click(page.get_by_role("table").get_by_role("link", name=name))
        accept_open_application(person)


def match_and_publish(person, dashboard, *, weights=None):
    """To matching, optional preference weights, a proposal, published."""
    page = person.page
    person.goto(dashboard)
    person.click(person.main().locator("form.transition--forward button"))
    person.click(page.locator("nav.round-nav").get_by_role("link", name=sv("Matching")))
    if weights:
        settings = page.locator("main form:has([name='weight_other_field'])")
        for name, value in weights.items():
            settings.locator(f"[name='{name}']").fill(value)
        person.click(settings.get_by_role("button", name=sv("Save the settings")))
    page.locator("input[name='name']").fill("Förslag 1")
    person.click(page.locator("form[action$='/matching/run/'] button[type='submit']"))
    proposal = person.main().inner_text()
    person.click(page.get_by_role("link", name=sv("Publish this proposal")))
    person.click(page.locator("main form button[type='submit']"))
    return proposal


def log_first_meeting(person, place):
    """On the pair's page: today's first meeting, 90 minutes, at ``place``."""
    form = person.page.locator("main form:has(#log-meeting)")
    form.locator("input[name='date']").fill(timezone.localdate().isoformat())
    form.locator("input[name='minutes']").fill("90")
    form.locator("input[name='place']").fill(place)
    person.click(form.locator("#log-meeting"))
    expect(person.page.locator("#meeting-list")).to_contain_text(place)


def active_pairs(tenant):
    with scope(tenant=tenant):
        return {
            (pair.mentor.full_name, pair.adept.full_name)
            for pair in Pair.objects.filter(status=Pair.Status.ACTIVE).select_related(
                "mentor", "adept"
            )
        }


# --- 3. seed 000: a network of employers runs a cohort ------------------------------------------

NETWORK = [
    ("Göteborgs Stad", "Västra Götaland", "Göteborg"),
    ("Borås Stad", "Västra Götaland", "Borås"),
]


def test_seed_000_the_network_nominates_matches_and_a_pair_meets(
    people, live_server, transactional_db
):
    """Seed 000 (Mentorprogrammet IOR): employers' contact persons nominate both roles, only
    the adept's manager confirms support, adepts are managers of managers since at least a
    year, a split kickoff (the adepts leave after lunch), the working group matches."""
    coordinator_email = "boel.petersson@ior.example.se"
    tenant, invitation = create_tenant(
        live_server, slug="natverket-ior", name="Nätverket IOR", coordinator=coordinator_email
    )
    kickoff = timezone.localdate() + timedelta(days=40)

    # --- the programme manager: the network's words, its employers, the programme ------------
    boel = people()
    page = boel.page
    sign_up_from_invitation(boel, invitation, coordinator_email, "Boel O Petersson")
    boel.click(page.get_by_role("link", name=sv("Manage programmes")))
    name_the_nominating_role(boel, "kontaktperson")
    for name, region, place in NETWORK:
        add_organisation(boel, name, kind="municipality", region=region, place=place)
    new_cohort_programme(
        boel, name="Mentorprogrammet IOR", slug="ior", target_group="Chefer över chefer."
    )

    # The round: nomination for both roles, the manager's support for adepts only.
    form = new_round_form(boel, name="Omgång 15", starts=kickoff, days=399)
    form.locator("input[name='number']").fill("15")
    form.locator("input[name='max_pairs']").fill("25")
    form.locator("textarea[name='cost_text']").fill(
        "Kostnadsfritt för deltagarna; resor bekostas av deltagarna själva."
    )
    form.locator("input[name='requires_endorsement']").check()
    form.locator("select[name='endorsement_for']").select_option("adept")
    form.locator("input[name='requires_nomination']").check()
    form.locator("select[name='nomination_for']").select_option("both")
    form.locator("input[name='adept_manager_levels'][value='manager_of_managers']").check()
    form.locator("input[name='adept_min_years_in_level']").fill("1")
    form.locator("textarea[name='adept_criteria']").fill(
        "Chef över chefer och har varit det under minst ett år."
    )
    form.locator("input[name='mentor_manager_levels'][value='manager_of_managers']").check()
    form.locator("input[name='mentor_manager_levels'][value='senior_executive']").check()
    boel.click(form.get_by_role("button", name=sv("Save")))
    dashboard = page.url

    # The kickoff: the adepts end with lunch, the mentors go on with a coaching workshop.
    boel.click(boel.main().get_by_role("link", name=sv("Add a shared meeting day")))
    form = page.locator("main form[method='post']")
    form.locator("input[name='title']").fill("Uppstart")
    form.locator("input[name='date']").fill(f"{kickoff:%Y-%m-%d}")
    form.locator("input[name='starts_at']").fill("09:00")
    form.locator("input[name='ends_at']").fill("15:30")
    form.locator("input[name='audience'][value='everyone']").check()
    form.locator("input[name='place']").fill("Göteborgs Stadshus")
    form.locator("input[name='includes_meal']").check()
    for index, (title, starts_at, ends_at, audience) in enumerate(
        [
            ("Uppstart med lunch", "09:00", "13:00", "everyone"),
            ("Workshop i coaching", "13:00", "15:30", "mentors"),
        ]
    ):
        form.locator(f"input[name='parts-{index}-title']").fill(title)
        form.locator(f"input[name='parts-{index}-starts_at']").fill(starts_at)
        form.locator(f"input[name='parts-{index}-ends_at']").fill(ends_at)
        form.locator(f"select[name='parts-{index}-audience']").select_option(audience)
    boel.click(form.get_by_role("button", name=sv("Save")))
    boel.goto(dashboard)
    boel.click(boel.main().locator("form.transition--forward button"))
    expect(boel.main()).to_contain_text(sv("Open for applications"))

    # Each employer's contact person, invited from the team page.
    contacts = {
        "Göteborgs Stad": "tarja.elmberg@goteborg.example.se",
        "Borås Stad": "lena.winberg@boras.example.se",
    }
    for organisation, email in contacts.items():
        invite_nominator(boel, email, [organisation])

    # --- a mentor from Göteborgs Stad and an adept from Borås Stad apply --------------------
    mentor_email = "lars.strateg@goteborg.example.se"
    mentor = people()
    form = apply_from_public_page(
        mentor, tenant, mentor_email, "Lars Strateg", role="mentor", programme="Mentorprogrammet"
    )
    fill_application(
        form,
        organisation="Göteborgs Stad",
        title="Förvaltningsdirektör",
        level="senior_executive",
        years="18",
        motivation="Jag vill ge en chef över chefer perspektiv från en annan verksamhet.",
    )
    submit_application(mentor, form)

    adept_email = "anna.verksamhet@boras.example.se"
    manager_email = "karin.chef@boras.example.se"
    adept = people()
    form = apply_from_public_page(
        adept, tenant, adept_email, "Anna Verksamhet", role="adept", programme="Mentorprogrammet"
    )
    fill_application(
        form,
        organisation="Borås Stad",
        title="Verksamhetschef, äldreomsorg",
        level="manager_of_managers",
        years="6",
        motivation="Jag vill utveckla mitt ledarskap som chef över chefer.",
        years_in_level="2",
        manager_name="Karin Chef",
        manager_email=manager_email,
    )
    submit_application(adept, form)

    # The adept's manager confirms support from the mail (no account needed).
    manager = people()
    manager.goto(last_mail_link(manager_email))
    expect(manager.main()).to_contain_text("Anna Verksamhet")
    manager.page.locator("input[name$='supports'][value='yes']").check()
    manager.click(manager.main().get_by_role("button", name=sv("Send my answer")))

    # --- each contact person signs up from the invitation and nominates their applicant -----
    for (organisation, email), applicant in zip(
        contacts.items(), ("Lars Strateg", "Anna Verksamhet"), strict=True
    ):
        hr = people()
        sign_up_from_invitation(hr, last_mail_link(email), email, f"Kontaktperson {organisation}")
        nominate_from_hr_home(hr, applicant)

    # --- the working group: closes the window early, accepts both, matches, publishes -------
    close_applications_now(boel, dashboard)
    overview = page.locator("nav.subnav").get_by_role("link", name=sv("Overview"))
    for name in ("Lars Strateg", "Anna Verksamhet"):
        boel.click(overview)
        # Nominated by their employers: the to-do list's item for the review.
        item = page.locator(".todo li.todo-item[data-key='applications.nominated']")
        boel.click(item.get_by_role("link"))
        boel.click(page.get_by_role("table").get_by_role("link", name=name))
        accept_open_application(boel)
    assert "Lars Strateg" in match_and_publish(boel, dashboard)

    # --- the adept: her pair and her part of the kickoff; the first meeting -------------------
    adept.goto(last_mail_link(adept_email, contains="/my/pairs/"))
    expect(adept.main()).to_contain_text("Lars Strateg")
    log_first_meeting(adept, "Borås Stadshus")
    adept.click(adept.page.locator("header").get_by_role("link", name=sv("My programme")))
    day = adept.main().locator("[id^='meeting-']").filter(has_text="Uppstart").first
    expect(day).to_contain_text("13:00")
    expect(day).not_to_contain_text("15:30")

    assert active_pairs(tenant) == {("Lars Strateg", "Anna Verksamhet")}
    with scope(tenant=tenant):
        adept_app = Application.objects.get(user__email=adept_email)
        assert adept_app.endorsements.filter(supports=True).exists()
        assert adept_app.years_in_level == 2
        assert Application.objects.get(user__email=mentor_email).nominations.exists()


# --- 4. seed 001: one city's unit managers, mentors nominated by their area head --------------

CITY_AREAS = ["Stadsområde Nordost", "Stadsområde Centrum", "Förskoleförvaltningen"]


def test_seed_001_area_heads_nominate_the_mentors_and_pairs_cross_the_city(
    people, live_server, transactional_db
):
    """Seed 001 (Göteborgs Stad, Intraservice): the mentors are nominated by their area or
    department head (the tenant's name for the nominating role), adepts apply themselves;
    mentors have been managers for at least five years, adepts for about one; the mentor
    comes from another part of the city (another area is preferred within one employer)."""
    coordinator_email = "evelina.strandhede@intraservice.example.se"
    tenant, invitation = create_tenant(
        live_server, slug="goteborg", name="Göteborgs Stad", coordinator=coordinator_email
    )
    evelina = people()
    page = evelina.page
    sign_up_from_invitation(evelina, invitation, coordinator_email, "Evelina Strandhede")
    evelina.click(page.get_by_role("link", name=sv("Manage programmes")))
    name_the_nominating_role(evelina, "område- eller avdelningschef")
    add_organisation(evelina, "Göteborgs Stad", kind="municipality", region="Västra Götaland")
    for area in CITY_AREAS:
        add_organisation(evelina, area, kind="area", parent="Göteborgs Stad")
    new_cohort_programme(
        evelina,
        name="Mentorprogram för enhetschefer",
        slug="enhetschefer",
        target_group="Enhetschefer som arbetat något år; mentorer med minst fem år som chef.",
    )
    form = new_round_form(
        evelina, name="Program 2027", starts=timezone.localdate() + timedelta(days=50)
    )
    form.locator("input[name='requires_nomination']").check()
    form.locator("select[name='nomination_for']").select_option("mentor")
    form.locator("input[name='adept_manager_levels'][value='first_line']").check()
    form.locator("input[name='adept_min_years']").fill("1")
    form.locator("input[name='mentor_min_years']").fill("5")
    dashboard = save_and_open_round(evelina, form)
    invite_nominator(evelina, "omradeschef@nordost.example.se", ["Stadsområde Nordost"])

    mentor = people()
    form = apply_from_public_page(
        mentor,
        tenant,
        "maria.erfaren@nordost.example.se",
        "Maria Erfaren",
        role="mentor",
        programme="Mentorprogram för enhetschefer",
    )
    fill_application(
        form,
        organisation="Stadsområde Nordost",
        title="Enhetschef, hemtjänst",
        level="first_line",
        years="11",
        motivation="Jag vill dela med mig av mina erfarenheter som chef.",
    )
    submit_application(mentor, form)
    # The mentor waits on her area head, named as the tenant names the role.
    expect(mentor.main()).to_contain_text("område- eller avdelningschef")

    adept = people()
    form = apply_from_public_page(
        adept,
        tenant,
        "ali.ny@centrum.example.se",
        "Ali Nyberg",
        role="adept",
        programme="Mentorprogram för enhetschefer",
    )
    fill_application(
        form,
        organisation="Stadsområde Centrum",
        title="Enhetschef, förskola",
        level="first_line",
        years="1",
        motivation="Jag vill ha någon utanför min egen organisation att reflektera med.",
    )
    submit_application(adept, form)

    head = people()
    sign_up_from_invitation(
        head,
        last_mail_link("omradeschef@nordost.example.se"),
        "omradeschef@nordost.example.se",
        "Områdeschef Nordost",
    )
    nominate_from_hr_home(head, "Maria Erfaren")

    close_applications_now(evelina, dashboard)
    accept_from_review_list(evelina, ["Maria Erfaren", "Ali Nyberg"])
    proposal = match_and_publish(evelina, dashboard)
    assert "Maria Erfaren" in proposal and "Ali Nyberg" in proposal

    adept.goto(last_mail_link("ali.ny@centrum.example.se", contains="/my/pairs/"))
    expect(adept.main()).to_contain_text("Maria Erfaren")
    log_first_meeting(adept, "Stadshuset, Gustaf Adolfs torg")
    assert active_pairs(tenant) == {("Maria Erfaren", "Ali Nyberg")}


# --- 5. seed 002: municipalities that interview every applicant --------------------------------

SJUHARAD = [
    ("Borås Stad", "Västra Götaland", "Borås"),
    ("Ulricehamns kommun", "Västra Götaland", "Ulricehamn"),
    ("Marks kommun", "Västra Götaland", "Kinna"),
]
# (name, e-mail, role, municipality, field of work, level, years as a manager)
VILJA_APPLICANTS = [
    ("Maja Socialchef", "maja@boras.example.se", "mentor", "Borås Stad", "Socialtjänst",
     "manager_of_managers", "12"),
    ("Mats Rektor", "mats@mark.example.se", "mentor", "Marks kommun", "Skola",
     "manager_of_managers", "9"),
    ("Ada Förskolechef", "ada@ulricehamn.example.se", "adept", "Ulricehamns kommun", "Skola",
     "first_line", "3"),
    ("Alva Enhetschef", "alva@ulricehamn.example.se", "adept", "Ulricehamns kommun",
     "Socialtjänst", "first_line", "2"),
]  # fmt: skip


def test_seed_002_every_applicant_is_interviewed_and_pairs_cross_municipalities_and_fields(
    people, live_server, transactional_db
):
    """Seed 002 (VILJA, Sjuhärad): the form asks current assignment, education and work
    experience; every applicant is interviewed before a decision (accepting without one is
    refused); pairs come from different municipalities *and* fields, as a weighted
    preference set on the matching page."""
    coordinator_email = "konsult@vilja.example.se"
    tenant, invitation = create_tenant(
        live_server, slug="vilja", name="VILJA Sjuhärad", coordinator=coordinator_email
    )
    viljas = people()
    page = viljas.page
    sign_up_from_invitation(viljas, invitation, coordinator_email, "Vera Konsult")
    viljas.click(page.get_by_role("link", name=sv("Manage programmes")))
    for name, region, place in SJUHARAD:
        add_organisation(viljas, name, kind="municipality", region=region, place=place)
    programme_url = new_cohort_programme(
        viljas,
        name="Mentorsprogram i Sjuhärad",
        slug="mentorsprogram",
        target_group="Första linjens chefer som adepter, erfarna chefer som mentorer.",
    )

    # The form asks current assignment, education and work experience of both roles.
    viljas.click(viljas.main().get_by_role("link", name=sv("Standard fields and mentor cards")))
    fields = page.locator("main form:has(select[name='mentor__education'])")
    for role in ("mentor", "adept"):
        for field in ("current_assignment", "education", "work_experience"):
            fields.locator(f"select[name='{role}__{field}']").select_option("required")
    viljas.click(fields.get_by_role("button", name=sv("Save")))
    expect(page.locator("select[name='adept__education']")).to_have_value("required")
    viljas.goto(programme_url)

    form = new_round_form(viljas, name="Program 3", starts=timezone.localdate() + timedelta(45))
    form.locator("input[name='requires_interview']").check()
    form.locator("select[name='interview_for']").select_option("both")
    form.locator("input[name='adept_manager_levels'][value='first_line']").check()
    form.locator("input[name='adept_min_years']").fill("2")
    form.locator("input[name='mentor_min_years']").fill("5")
    dashboard = save_and_open_round(viljas, form)

    # --- four managers apply from the public page ---------------------------------------------
    for name, email, role, municipality, field, level, years in VILJA_APPLICANTS:
        person = people()
        form = apply_from_public_page(
            person, tenant, email, name, role=role, programme="Mentorsprogram i Sjuhärad"
        )
        fill_application(
            form,
            organisation=municipality,
            title=f"Chef inom {field.lower()}",
            level=level,
            years=years,
            motivation="Jag vill reflektera kring mitt ledarskap med en chef från en annan kommun.",
            work_field=field,
            current_assignment=f"Leder verksamhet inom {field}.",
            education="Socionom" if field == "Socialtjänst" else "Lärare",
            work_experience=f"{years} år som chef inom {field}.",
        )
        submit_application(person, form)
        person.close()

    # --- review: accepting without an interview is refused; interviews, then decisions --------
    close_applications_now(viljas, dashboard)
    viljas.click(page.locator("nav.round-nav").get_by_role("link", name=sv("All applications")))
    review_list = page.url
    viljas.click(page.get_by_role("table").get_by_role("link", name="Ada Förskolechef"))
    decide = page.locator("main form").filter(
        has=page.locator("input[name='action'][value='decide']")
    )
    decide.locator("input[name$='decision'][value='accepted']").check()
    viljas.click(decide.get_by_role("button"))
    expect(page.get_by_role("alert")).to_contain_text(sv("Accept without an interview"))
    with scope(tenant=tenant):
        assert not Application.objects.filter(stage=Application.Stage.ACCEPTED).exists()
    for name, *_rest in VILJA_APPLICANTS:
        viljas.goto(review_list)
        viljas.click(page.get_by_role("table").get_by_role("link", name=name))
        interview = page.locator("main form").filter(
            has=page.locator("input[name='action'][value='interview']")
        )
        interview.locator("[name$='notes']").fill(f"Intervju med {name}: motiverad.")
        viljas.click(interview.get_by_role("button"))
        accept_open_application(viljas)

    # --- matching: different municipalities (the rule) and different fields (a preference) ----
    match_and_publish(viljas, dashboard, weights={"weight_other_field": "8"})
    assert active_pairs(tenant) == {
        ("Maja Socialchef", "Ada Förskolechef"),
        ("Mats Rektor", "Alva Enhetschef"),
    }

    # --- a pair meets: the mail's link, signing in on the way ----------------------------------
    ada = people()
    ada.goto(last_mail_link("ada@ulricehamn.example.se", contains="/my/pairs/"))
    form = ada.page.locator("main form[action*='/accounts/login/']")
    form.locator("input[name='login']").fill("ada@ulricehamn.example.se")
    form.locator("input[name='password']").fill(PASSWORD)
    ada.click(form.get_by_role("button", name=re.compile(sv("Sign in"))))
    expect(ada.main()).to_contain_text("Maja Socialchef")
    log_first_meeting(ada, "Borås Stadshus")
    with scope(tenant=tenant):
        assert InterviewNote.objects.exclude(notes="").count() == 4
