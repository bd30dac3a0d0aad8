"""A coordinator's message to a round in a real browser, with an accessibility scan of every page.

From the round dashboard's "Messages" section: compose (first with nothing filled in: the
error summary), preview (the mail as one recipient sees it, and who gets it), send, and the
message's page listing every recipient with the state of their mail; then the list of messages.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from messaging.models import RoundMessage, RoundMessageRecipient
from organisations.models import OutgoingMail
from tests.factories.organisations import PASSWORD
from tests.messaging.test_messages import build

pytestmark = pytest.mark.e2e

SUBJECT = "Välkommen till uppstarten"
BODY = "Hej!\n\nVi ses på Kajen den 12 maj klockan 9.\n<Ta med> frågor & idéer."


def test_compose_preview_send_and_follow_up(
    page: Page, live_server, transactional_db, live_url, sign_in, assert_accessible
):
    world = build()
    coordinator = world.coordinator
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    expected = [world.mentor_a, world.adept_a, world.adept_b, world.both, world.hr_alvby]
    expected.append(world.hr_cederby)

    sign_in(page, coordinator.email, PASSWORD)
    page.goto(
        live_url(
            reverse(
                "programmes:round_dashboard",
                kwargs={"tenant": world.tenant.slug, "pk": world.round.pk},
            )
        )
    )
    section = page.locator("section[aria-labelledby=messages-title]")
    expect(section).to_contain_text(re.compile("No messages sent yet|Inga meddelanden"))
    assert_accessible(page)
    compose = reverse(
        "round_messages:compose",
        kwargs={"tenant": world.tenant.slug, "round_pk": world.round.pk},
    )
    section.locator(f"a[href='{compose}']").click()

    # --- compose: nothing filled in → the error summary --------------------------------------
    expect(page).to_have_url(live_url(compose))
    expect(page.locator("input[name=audience][value=everyone]")).to_be_checked()
    assert_accessible(page)
    page.locator("button[name=action][value=preview]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)

    # --- a real message → preview ------------------------------------------------------------
    page.locator("input[name=subject]").fill(SUBJECT)
    page.locator("textarea[name=body]").fill(BODY)
    page.locator("button[name=action][value=preview]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("Check the message|Kontrollera")
    )
    table = page.locator("section[aria-labelledby=recipients-title] table")
    for user in expected:
        expect(table).to_contain_text(user.full_name)
    expect(table).to_contain_text("Cederby region")
    expect(table.locator("tbody tr")).to_have_count(len(expected))
    # Plain text, shown as typed (escaped, not as HTML).
    expect(page.locator(".mail-body")).to_contain_text("<Ta med> frågor & idéer.")
    assert not RoundMessage.objects.exists() and mail.outbox == []
    assert_accessible(page)

    # --- send → the message's page ----------------------------------------------------------
    page.locator("button[name=action][value=send]").click()
    message = RoundMessage.objects.get()
    detail = reverse(
        "round_messages:detail",
        kwargs={"tenant": world.tenant.slug, "round_pk": world.round.pk, "pk": message.pk},
    )
    expect(page).to_have_url(live_url(detail))
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    rows = page.locator("section[aria-labelledby=recipients-title] tbody tr")
    expect(rows).to_have_count(len(expected))
    for user in expected:
        expect(rows.filter(has_text=user.email)).to_contain_text(re.compile("Sent|Skickat"))
    assert_accessible(page)
    assert message.recipient_count == len(expected)
    assert RoundMessageRecipient.objects.filter(message=message).count() == len(expected)
    sent = OutgoingMail.objects.filter(tenant=world.tenant, purpose="round_message")
    assert sent.count() == len(expected)
    assert {m.to for m in sent} == {u.email for u in expected}
    assert all(m.reply_to == [coordinator.email] for m in sent)

    # --- the list of messages ----------------------------------------------------------------
    page.locator("main a", has_text=re.compile("^(Messages|Meddelanden)$")).first.click()
    expect(page.locator("main table")).to_contain_text(SUBJECT)
    assert_accessible(page)
