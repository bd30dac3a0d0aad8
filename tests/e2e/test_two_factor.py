"""A coordinator in a tenant that requires two-factor authentication is stopped before the
management pages until she sets it up: with a passkey (WebAuthn, a virtual authenticator in
real Chromium, then signing in with the passkey alone) or with an authenticator app."""

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_COORDINATOR, DEMO_PASSWORD, DEMO_SLUG, at_both_widths

MANAGE = f"/{DEMO_SLUG}/manage/"
REQUIRED = f"/{DEMO_SLUG}/two-factor-required/"


@pytest.fixture
def strict(demo_data):
    demo_data.require_two_factor = True
    demo_data.save(update_fields=["require_two_factor"])
    return demo_data


def virtual_authenticator(page: Page):
    """A platform authenticator (like a laptop's fingerprint reader) that keeps passkeys."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def stopped_and_explained(page, live_url, check):
    page.goto(live_url(MANAGE))
    expect(page).to_have_url(live_url(REQUIRED))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Västnätet")
    check(page)


def reauthenticate_if_asked(page, check):
    if "/accounts/reauthenticate/" in page.url:
        check(page)
        page.locator("main input[type=password]").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").first.click()


def test_a_coordinator_is_stopped_until_she_adds_a_passkey_then_signs_in_with_it(
    page: Page, strict, live_url, sign_in, assert_accessible
):
    from organisations.models import ActivityLog

    check = at_both_widths(assert_accessible)
    cdp, authenticator_id = virtual_authenticator(page)
    sign_in(page, DEMO_COORDINATOR, DEMO_PASSWORD)
    stopped_and_explained(page, live_url, check)
    # Her account page and the set-up stay open.
    page.goto(live_url("/me/"))
    expect(page).to_have_url(live_url("/me/"))
    page.locator(".subnav a[href='/accounts/2fa/']").click()
    expect(page).to_have_url(live_url("/accounts/2fa/"))
    check(page)

    page.locator("main a[href='/accounts/2fa/webauthn/add/']").click()
    reauthenticate_if_asked(page, check)
    expect(page).to_have_url(live_url("/accounts/2fa/webauthn/add/"))
    check(page)
    page.locator("#id_name").fill("Arbetsdatorn")
    page.locator("#id_passwordless").check()
    page.locator("#mfa_webauthn_add").click()
    # First second factor: allauth shows the recovery codes, with the way back.
    expect(page).to_have_url(live_url("/accounts/2fa/recovery-codes/"))
    back = page.locator(f"main a[href='{MANAGE}']")
    expect(back).to_be_visible()
    check(page)
    back.click()
    expect(page).to_have_url(live_url(MANAGE))

    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1
    assert credentials["credentials"][0]["isResidentCredential"] is True

    page.goto(live_url("/accounts/2fa/webauthn/"))
    expect(page.locator("main table")).to_contain_text("Arbetsdatorn")
    check(page)

    # Signed out, she signs in with the passkey alone: no password typed.
    page.locator("header form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state("load")
    page.goto(live_url(f"/accounts/login/?next={MANAGE}"))
    check(page)
    page.locator("#passkey_login").click()
    expect(page).to_have_url(live_url(MANAGE))

    with scopes_disabled():
        logged = list(
            ActivityLog.objects.filter(tenant=strict, action__in=["account.signed_in", "mfa.added"])
            .order_by("id")
            .values_list("action", "data")
        )
    assert logged == [
        ("account.signed_in", {"method": "password"}),
        ("mfa.added", {"kind": "webauthn", "passkey": True}),
        ("mfa.added", {"kind": "recovery_codes"}),
        ("account.signed_in", {"method": "passkey"}),
    ]


def test_a_coordinator_sets_up_an_authenticator_app_and_signs_in_with_a_code(
    page: Page, strict, live_url, sign_in, assert_accessible
):
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    def code(secret):
        counter = next(iter(yield_hotp_counters_from_time()))
        return format_hotp_value(hotp_value(secret, counter))

    check = at_both_widths(assert_accessible)
    sign_in(page, DEMO_COORDINATOR, DEMO_PASSWORD, check_accessibility=False)
    stopped_and_explained(page, live_url, check)
    page.locator("main a[href='/accounts/2fa/totp/activate/']").click()
    reauthenticate_if_asked(page, check)
    expect(page).to_have_url(live_url("/accounts/2fa/totp/activate/"))
    check(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("main input[name=code]").fill("000000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(re.compile("kod|code", re.I))
    expect(page).to_have_url(live_url("/accounts/2fa/totp/activate/"))
    page.locator("main input[name=code]").fill(code(secret))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_url("/accounts/2fa/recovery-codes/"))
    page.locator(f"main a[href='{MANAGE}']").click()
    expect(page).to_have_url(live_url(MANAGE))

    # The next sign-in asks for the code after the password.
    page.locator("header form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state("load")
    page.goto(live_url(f"/accounts/login/?next={MANAGE}"))
    form = page.locator("main form[action$='/accounts/login/']")
    form.locator("input[name=login]").fill(DEMO_COORDINATOR)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    check(page)
    page.locator("main input[name=code]").fill(code(secret))
    page.locator(
        "main form[action='/accounts/2fa/authenticate/'] button[type=submit]"
    ).first.click()
    expect(page).to_have_url(live_url(MANAGE))
