"""In the browser: a manager of Älvby opens her application, is sent to sign in, goes
through the tenant's e-mail-first page to Älvby's own OpenID Connect provider (the real
django-oauth-toolkit provider of tests/identity/, on 127.0.0.1) and lands on her application.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django_scopes import scope
from playwright.sync_api import expect

from identity import services
from identity.remote import fetch_oidc_configuration
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import MembershipFactory, TenantFactory, UserFactory
from tests.identity.conftest import PASSWORD, start_oidc, stop

from .conftest import EMAIL_LABEL, at_both_widths


@pytest.fixture(scope="module")
def oidc_idp_live(live_server, tmp_path_factory):
    process, idp = start_oidc(tmp_path_factory.mktemp("oidc-e2e"), [live_server.url])
    yield idp
    stop(process)


def test_a_manager_signs_in_with_her_organisations_account(
    page, live_url, oidc_idp_live, transactional_db, assert_accessible
):
    check = at_both_widths(assert_accessible)
    alvby = TenantFactory(slug="alvby", name="Älvby mentorprogram")
    issuer, _doc = fetch_oidc_configuration(oidc_idp_live.issuer)
    with scope(tenant=alvby):
        services.create_provider(
            tenant=alvby,
            actor=None,
            kind="oidc",
            name="Älvby kommun",
            domains=["alvby.se"],
            exclusive=True,
            protocol_settings=services.oidc_settings(issuer=issuer),
            client_id="alvby-client",
            secret="alvby-client-secret",
        )
    maria = UserFactory(email="maria.manager@alvby.se", full_name="")
    application = ApplicationFactory(round__programme__tenant=alvby, user=maria)
    target = f"/alvby/my/applications/{application.pk}/"

    page.goto(live_url(target))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    check(page)
    page.get_by_role(
        "link", name=re.compile("organisationens konto|organisation's account")
    ).click()
    expect(page).to_have_url(re.compile(r"/alvby/sign-in/"))
    check(page)
    page.get_by_label(EMAIL_LABEL).fill(maria.email)
    page.get_by_role("button", name=re.compile("Fortsätt|Continue")).click()
    button = page.get_by_role(
        "button",
        name=re.compile("(Logga in med ditt konto på|Sign in with your account at) Älvby kommun"),
    )
    expect(button).to_be_visible()
    # The exclusive provider: no password here.
    expect(page.locator("input[type=password]")).to_have_count(0)
    check(page)
    button.click()

    # At the provider's own login page.
    expect(page).to_have_url(re.compile(re.escape(oidc_idp_live.base) + "/login/"))
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(live_url(target))
    check(page)
    maria.refresh_from_db()
    assert maria.full_name == "Maria Chef"


def test_a_coordinator_connects_a_provider(
    page, live_url, oidc_idp_live, transactional_db, assert_accessible, sign_in
):
    """From the overview to a saved provider: a wrong issuer first (a form error), then the
    real one; every page scanned at both widths."""
    check = at_both_widths(assert_accessible)
    tenant = TenantFactory(slug="alvby", name="Älvby mentorprogram")
    karin = UserFactory(email="karin@alvby.se", password="ett-langt-losen-1")
    EmailAddress.objects.create(user=karin, email=karin.email, verified=True, primary=True)
    MembershipFactory(tenant=tenant, user=karin, is_coordinator=True)
    sign_in(page, karin.email, "ett-langt-losen-1", next_path="/alvby/manage/")
    page.get_by_role(
        "link", name=re.compile("organisationens konto|organisation's account")
    ).click()
    check(page)
    page.get_by_role("link", name=re.compile("OpenID Connect")).click()
    check(page)
    page.get_by_label(re.compile("Namn som visas|Name shown")).fill("Älvby kommun")
    page.get_by_label(re.compile("Utfärdarens adress|Issuer URL")).fill(
        oidc_idp_live.base + "/nowhere"
    )
    page.get_by_label(re.compile("Klient-id|Client id")).fill("alvby-client")
    page.get_by_label(re.compile("Klienthemlighet|Client secret")).fill("alvby-client-secret")
    page.get_by_label(re.compile("E-postdomäner|E-mail domains")).fill("alvby.se")
    page.get_by_role("button", name=re.compile("Spara|Save")).click()
    expect(page.locator(".error-message").first).to_be_visible()
    check(page)
    page.get_by_label(re.compile("Utfärdarens adress|Issuer URL")).fill(oidc_idp_live.issuer)
    page.get_by_label(re.compile("Klienthemlighet|Client secret")).fill("alvby-client-secret")
    page.get_by_role("button", name=re.compile("Spara|Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Älvby kommun")
    expect(page.get_by_text("/accounts/oidc/alvby-1/login/callback/")).to_be_visible()
    check(page)
    page.get_by_role("link", name=re.compile("Avbryt|Cancel")).click()
    expect(page.get_by_role("link", name="Älvby kommun")).to_be_visible()
    check(page)
