"""The pages added for the audit's fixes, at desktop and phone width: a put-forward link
(signed out, signed in as the invited person, expired) and the team page's "asked for a new
invitation" section. Axe finds no WCAG 2.1 A/AA violation and no page scrolls sideways."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Page, expect

from applications import services
from applications.models import PutForward
from organisations.services import request_new_invitation
from tests.applications.test_services import coordinator_membership, hr_membership, open_round
from tests.e2e.conftest import DEMO_PASSWORD, at_both_widths
from tests.factories.organisations import InvitationFactory, OrganisationFactory, UserFactory
from tests.factories.programmes import ProgrammeFactory

WIDTHS = [1366, 390]


def fits(page: Page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


@pytest.fixture
def links(transactional_db, live_server, tenant):
    organisation = OrganisationFactory(tenant=tenant, name="Alingsås kommun")
    round_ = open_round(programme=ProgrammeFactory(tenant=tenant), name="Omgång 15")
    hr = hr_membership(tenant, organisation, full_name="Hanna HR", email="hanna@alingsas.example")
    coordinator = coordinator_membership(tenant, full_name="Sara Samordnare").user
    coordinator.language = "en"
    coordinator.set_password(DEMO_PASSWORD)
    coordinator.save()
    common = {"tenant": tenant, "actor": hr.user, "membership": hr, "round_": round_}
    common["organisation"] = organisation
    fresh = services.put_forward(
        **common, role="mentor", full_name="Alva Alingsås", email="alva@alingsas.example"
    )
    expired = services.put_forward(
        **common, role="adept", full_name="Elin Ek", email="elin@alingsas.example"
    )
    PutForward.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    alva = UserFactory(email="alva@alingsas.example", full_name="Alva Alingsås", language="en")
    alva.set_password(DEMO_PASSWORD)
    alva.save()
    old = InvitationFactory(
        tenant=tenant,
        email="a.very.long.address.of.a.hr.contact@hallsberg-och-askersund.example.se",
        expires_at=timezone.now() - timedelta(days=2),
    )
    request_new_invitation(tenant=tenant, invitation=old)
    for user in (coordinator, alva):  # verified addresses, as after their first sign-in
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return {
        "fresh": f"/{tenant.slug}/put-forward/{fresh.token}/",
        "expired": f"/{tenant.slug}/put-forward/{expired.token}/",
        "team": f"/{tenant.slug}/manage/team/",
        "alva": alva,
        "coordinator": coordinator,
    }


def test_put_forward_and_renewal_pages_at_desktop_and_phone_width(
    page: Page, links, live_url, sign_in, assert_accessible
):
    page.set_viewport_size({"width": 1366, "height": 900})
    assert_accessible = at_both_widths(assert_accessible)
    for path in (links["fresh"], links["expired"]):
        page.goto(live_url(path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        fits(page)
    # Signed out, the page is in the tenant's language (Swedish) or English.
    expect(page.locator("main")).to_contain_text(re.compile(r"expired|gått ut"))

    sign_in(page, links["alva"].email, DEMO_PASSWORD, next_path=links["fresh"])
    expect(page.get_by_role("button", name="Start my application")).to_be_visible()
    assert_accessible(page)
    fits(page)

    page.context.clear_cookies()
    sign_in(page, links["coordinator"].email, DEMO_PASSWORD, next_path=links["team"])
    section = page.locator("#renewal-requests")
    expect(section).to_contain_text("hallsberg-och-askersund")
    expect(section.get_by_role("button", name="Send a new invitation")).to_be_visible()
    assert_accessible(page)
    fits(page)
