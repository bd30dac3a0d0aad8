"""The foundation's journeys in a real browser, with an accessibility scan of every page.

UI text may be Swedish (compiled catalogue) or English (source strings), so locators use
roles with names matching both, or addresses, ids and ``name`` attributes.
"""

import re

import pytest
from django.core import mail
from django_scopes import scope
from playwright.sync_api import Page, expect

from organisations import services
from organisations.models import Invitation, Membership, Organisation, Role

from .conftest import DEMO_COORDINATOR, DEMO_PASSWORD, DEMO_SLUG

pytestmark = pytest.mark.e2e

NEW_ORGANISATION = "Testviks kommun"
INVITED_HR = "ny.hr@testvik.example"


def text(*alternatives):
    """A name matching any of the alternatives (Swedish and English), case-insensitive."""
    return re.compile("|".join(alternatives), re.IGNORECASE)


def label(*alternatives):
    """A field label starting with one of the alternatives (labels also say "(required)")."""
    return re.compile(r"^\s*(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


# Role names as the start page, the team table and the invitation show them.
COORDINATOR = text("Koordinator", "Samordnare", "Coordinator")
HR_CONTACT = text("HR-kontakt", "HR-ansvarig", "HR contact")
SAVE = text("^Spara$", "^Save$")


def region(page: Page, heading_id):
    """A <section> landmark, by the id of the heading that names it."""
    return page.get_by_role("region").filter(has=page.locator(f"h2#{heading_id}"))


def coordinator_menu(page: Page):
    """The coordinator menu: the navigation landmark holding the activity log link."""
    activity = page.locator("a[href$='/manage/activity/']")
    return page.get_by_role("navigation").filter(has=activity)


def at(url):
    """The page at this address. After a form with errors, the browser keeps the fragment of
    the error summary link that was followed (``#id_name``) across the redirect."""
    return re.compile("^" + re.escape(url) + "(#.*)?$")


def open_manage_page(page: Page, href):
    """Follow a link in the coordinator menu and check it is marked as the current page."""
    menu = coordinator_menu(page)
    menu.locator(f"a[href='{href}']").click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(menu.locator(f"a[href='{href}']")).to_have_attribute("aria-current", "page")


def test_coordinator_manages_the_network(
    page: Page, demo_data, live_url, sign_in, assert_accessible
):
    tenant = demo_data
    base = f"/{DEMO_SLUG}/manage"

    # Sign in through the login form (the login page is scanned by sign_in).
    sign_in(page, DEMO_COORDINATOR, DEMO_PASSWORD)

    # The start page lists the tenant and the role.
    expect(page).to_have_url(live_url("/"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    roles = region(page, "roles-title")
    card = roles.get_by_role("listitem").filter(has=page.get_by_role("heading", name=tenant.name))
    expect(card.get_by_role("link", name=tenant.name, exact=True)).to_have_attribute(
        "href", f"/{DEMO_SLUG}/"
    )
    expect(card).to_contain_text(COORDINATOR)
    assert_accessible(page)

    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link[href='#main']")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # The tenant's Overview (manage dashboard).
    card.locator(f"a[href='{base}/']").click()
    expect(page).to_have_url(live_url(f"{base}/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(coordinator_menu(page).locator(f"a[href='{base}/']")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator(f"main a[href='{base}/organisations/']")).to_have_text("6")
    assert_accessible(page)

    # Organisations.
    open_manage_page(page, f"{base}/organisations/")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Älvby stad", exact=True)).to_be_visible()
    assert_accessible(page)

    # Add an organisation: first an empty form, which shows the error summary and the field error.
    page.locator(f"main a[href='{base}/organisations/new/']").click()
    expect(page).to_have_url(live_url(f"{base}/organisations/new/"))
    assert_accessible(page)
    form = page.locator("main form[method='post']")
    form.get_by_role("button", name=SAVE).click()
    page.wait_for_load_state("load")

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_be_visible()
    expect(summary.locator("a[href='#id_name']")).to_be_visible()
    name_field = page.locator("#id_name")
    expect(name_field).to_have_attribute("aria-invalid", "true")
    expect(name_field).to_have_attribute("aria-describedby", re.compile(r"\bid_name_error\b"))
    expect(page.locator("#id_name_error")).to_be_visible()
    assert_accessible(page)

    # The summary's link takes the keyboard to the field.
    summary.locator("a[href='#id_name']").click()
    expect(name_field).to_be_focused()

    # Fields whose Swedish label is not settled are found by name; axe has checked their labels.
    form.get_by_label(label("Namn", "Name")).fill(NEW_ORGANISATION)
    form.locator("select[name='kind']").select_option("municipality")
    form.locator("input[name='region']").fill("Västra Götaland")
    form.locator("input[name='place']").fill("Testvik")
    form.get_by_role("button", name=SAVE).click()

    expect(page).to_have_url(at(live_url(f"{base}/organisations/")))
    expect(page.get_by_role("status")).to_contain_text(NEW_ORGANISATION)
    expect(
        page.get_by_role("table").get_by_role("link", name=NEW_ORGANISATION, exact=True)
    ).to_be_visible()
    assert_accessible(page)
    organisation = Organisation.objects.get(tenant=tenant, name=NEW_ORGANISATION)

    # Coordinators and HR contacts: invite an HR contact for the new organisation.
    open_manage_page(page, f"{base}/team/")
    assert_accessible(page)
    invite_form = region(page, "invite-title").locator("form")
    send = invite_form.get_by_role("button")  # the form's only button: "Send invitation"
    # An HR contact without an organisation is refused, with the error on the group of boxes.
    invite_form.get_by_label(label("E-?post", "E-?mail")).fill(INVITED_HR)
    invite_form.locator(f"input[name='role'][value='{Role.HR_CONTACT}']").check()
    send.click()
    page.wait_for_load_state("load")
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(1)
    group = invite_form.get_by_role("group").filter(has=page.locator("input[name='organisations']"))
    expect(group).to_have_attribute("aria-describedby", re.compile(r"\bid_organisations_error\b"))
    expect(page.locator("#id_organisations_error")).to_be_visible()
    # What was filled in is kept.
    expect(invite_form.locator("input[name='email']")).to_have_value(INVITED_HR)
    expect(invite_form.locator(f"input[name='role'][value='{Role.HR_CONTACT}']")).to_be_checked()
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(invite_form.locator("input[name='organisations']").first).to_be_focused()

    invite_form.get_by_role("checkbox", name=NEW_ORGANISATION, exact=True).check()
    send.click()

    expect(page).to_have_url(at(live_url(f"{base}/team/")))
    expect(page.get_by_role("status")).to_contain_text(INVITED_HR)
    pending = region(page, "invitations-title")
    row = pending.get_by_role("row").filter(has_text=INVITED_HR)
    expect(row).to_contain_text(NEW_ORGANISATION)
    expect(row).to_contain_text(HR_CONTACT)
    assert_accessible(page)

    invitation = Invitation.objects.get(tenant=tenant, email=INVITED_HR)
    assert list(invitation.organisations.all()) == [organisation]
    assert [m.to for m in mail.outbox] == [[INVITED_HR]]

    # The activity log shows both changes.
    open_manage_page(page, f"{base}/activity/")
    log = page.get_by_role("table")
    expect(log.get_by_role("row").filter(has_text=NEW_ORGANISATION).first).to_be_visible()
    expect(log.get_by_role("row").filter(has_text=INVITED_HR).first).to_be_visible()
    expect(log).to_contain_text(tenant.memberships.get(is_coordinator=True).user.full_name)
    assert_accessible(page)

    # Switch to English with the header button: the page says so, and the button switches back.
    switch = page.locator("header form[action='/language/']")
    switch.get_by_role("button", name="In English").click()
    expect(page).to_have_url(live_url(f"{base}/activity/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    back = switch.get_by_role("button", name="På svenska")
    expect(back).to_be_visible()
    expect(back).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity log")
    assert_accessible(page)


def test_invited_hr_contact_signs_up_and_accepts(
    page: Page, demo_data, live_url, assert_accessible
):
    tenant = demo_data
    email = "helena.hr@alvby.example"
    with scope(tenant=tenant):
        organisation = Organisation.objects.get(tenant=tenant, name="Älvby stad")
        coordinator = tenant.memberships.get(is_coordinator=True).user
        invitation = services.invite(
            tenant=tenant,
            actor=coordinator,
            email=email,
            role=Role.HR_CONTACT,
            organisations=[organisation],
            base_url=live_url(""),
        )
    # Follow the link in the mail (the key is signed with a timestamp, so take the mail's own).
    assert [m.to for m in mail.outbox] == [[email]]
    found = re.search(
        rf"{re.escape(live_url(''))}/{DEMO_SLUG}/invitation/\S+/", mail.outbox[0].body
    )
    assert found, mail.outbox[0].body
    link = found.group(0)

    # Anonymous: the invitation page says who invited whom to what.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(tenant.name)
    main = page.get_by_role("main")
    expect(main).to_contain_text(email)
    expect(main).to_contain_text("Älvby stad")
    expect(main).to_contain_text(HR_CONTACT)
    assert_accessible(page)

    # Create an account: the invited address is filled in.
    main.locator("a[href^='/accounts/signup/']").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    form = page.locator("main form[action='/accounts/signup/']")
    expect(form.locator("input[name='email']")).to_have_value(email)
    assert_accessible(page)

    form.get_by_label(label("Ditt namn", "Namn", "Your name")).fill("Helena Prov")
    form.locator("input[name='password1']").fill("ett-langt-losenord-2026")
    form.locator("input[name='password2']").fill("ett-langt-losenord-2026")
    form.get_by_role("button").click()  # the form's only button: "Create account"

    # Back on the invitation, now signed in: accept it.
    expect(page).to_have_url(link)
    accept = page.get_by_role("main").get_by_role("button")  # "Accept the invitation"
    expect(accept).to_be_visible()
    assert_accessible(page)
    accept.click()

    # The start page shows the new role.
    expect(page).to_have_url(live_url("/"))
    expect(page.get_by_role("status")).to_contain_text(tenant.name)
    roles = region(page, "roles-title")
    card = roles.get_by_role("listitem").filter(has=page.get_by_role("heading", name=tenant.name))
    expect(card).to_contain_text(HR_CONTACT)
    assert_accessible(page)

    # The HR contact's page lists the organisation.
    card.locator(f"a[href='/{DEMO_SLUG}/hr/']").click()
    expect(page).to_have_url(live_url(f"/{DEMO_SLUG}/hr/"))
    expect(
        page.get_by_role("main").get_by_role("listitem").filter(has_text="Älvby stad")
    ).to_be_visible()
    assert_accessible(page)

    membership = Membership.objects.get(tenant=tenant, user__email=email)
    assert membership.is_hr_contact and not membership.is_coordinator
    assert list(membership.organisations.all()) == [organisation]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
