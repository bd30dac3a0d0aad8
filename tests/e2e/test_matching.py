"""Matching in a real browser, with an accessibility scan of every page.

Västnätet's "Omgång 15" (seed_demo) has 26 nominated mentors and 26 nominated adepts. The test
accepts them (as the coordinator would on the review page), then the coordinator runs a
proposal, pins one pair, forbids another, checks a hand-picked mentor live (htmx), recomputes,
compares the two proposals, publishes, and opens the end-pair page. Finally a matched adept
signs in and sees their mentor's name on their participant page.

UI text may be Swedish (compiled catalogue) or English (source strings), so locators use
addresses, ids and ``name`` attributes.
"""

import re

import pytest
from django.core import mail
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from applications import services as application_services
from applications.models import Application
from matching.models import PairConstraint, Proposal, ProposedPair
from organisations.models import User
from pairs.models import Pair
from programmes.models import ParticipantRole, Round

from .conftest import DEMO_COORDINATOR, DEMO_PASSWORD, DEMO_SLUG

pytestmark = pytest.mark.e2e

ADEPT_PASSWORD = "ett-langt-losenord-for-adepten-2026"
FORBID_REASON = "De arbetar redan tätt ihop i ett projekt."


def new_page(browser: Browser) -> Page:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def latest_proposal(round_):
    with scope(tenant=round_.tenant):
        return Proposal.objects.filter(tenant=round_.tenant, round=round_).order_by("-id").first()


def test_run_pin_forbid_publish_and_the_adept_sees_their_mentor(
    page: Page, browser: Browser, demo_data, live_url, sign_in, assert_accessible
):
    tenant = demo_data
    with scope(tenant=tenant):
        round_ = Round.objects.select_related("programme", "tenant").get(
            tenant=tenant, programme__slug="over-granserna", name="Omgång 15"
        )
        coordinator = User.objects.get(email=DEMO_COORDINATOR)
        nominated = list(
            Application.objects.filter(
                tenant=tenant, round=round_, stage=Application.Stage.NOMINATED
            )
        )
        assert len(nominated) >= 40
        for application in nominated:
            application_services.decide(
                application=application, actor=coordinator, decision="accepted"
            )
    slug = DEMO_SLUG

    # --- the coordinator: the round's matching page, run a proposal --------------------------
    sign_in(page, DEMO_COORDINATOR, DEMO_PASSWORD)
    page.goto(live_url(f"/{slug}/manage/rounds/{round_.pk}/"))
    page.locator(f"nav.round-nav a[href='/{slug}/manage/rounds/{round_.pk}/matching/']").click()
    expect(page).to_have_url(live_url(f"/{slug}/manage/rounds/{round_.pk}/matching/"))
    expect(page.locator("input[name='weight_geography']")).to_be_visible()
    assert_accessible(page)

    page.locator("input[name='name']").fill("Första förslaget")
    page.locator("form[action$='/matching/run/'] button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/manage/proposals/\d+/$"))
    first = latest_proposal(round_)
    assert first.name == "Första förslaget"
    with scope(tenant=tenant):
        pairs = list(
            ProposedPair.objects.filter(proposal=first)
            .select_related("adept", "mentor", "adept__organisation", "mentor__organisation")
            .order_by("-score", "id")
        )
    assert len(pairs) >= 20
    expect(page.locator("table.proposal-pairs tbody tr")).to_have_count(len(pairs))
    expect(page.locator("table.proposal-pairs tbody tr").first).to_contain_text(
        pairs[0].mentor.full_name
    )
    assert_accessible(page)

    to_pin, to_forbid, to_check = pairs[0], pairs[1], pairs[2]
    proposal_url = live_url(f"/{slug}/manage/proposals/{first.pk}/")

    # --- pin one pair ----------------------------------------------------------------------
    page.locator(f"a[href='/{slug}/manage/proposals/{first.pk}/adepts/{to_pin.adept_id}/']").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(to_pin.adept.full_name)
    assert_accessible(page)
    constraint_form = page.locator("form:has(input[name='action'][value='constraint'])")
    constraint_form.locator("input[name='kind'][value='pin']").check()
    constraint_form.locator("button[type='submit']").click()
    expect(page).to_have_url(proposal_url)

    # --- forbid another (a reason is needed) ----------------------------------------------------
    page.locator(
        f"a[href='/{slug}/manage/proposals/{first.pk}/adepts/{to_forbid.adept_id}/']"
    ).click()
    constraint_form = page.locator("form:has(input[name='action'][value='constraint'])")
    constraint_form.locator("input[name='kind'][value='forbid']").check()
    constraint_form.locator("button[type='submit']").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    constraint_form = page.locator("form:has(input[name='action'][value='constraint'])")
    constraint_form.locator("input[name='kind'][value='forbid']").check()
    constraint_form.locator("textarea[name='reason']").fill(FORBID_REASON)
    constraint_form.locator("button[type='submit']").click()
    expect(page).to_have_url(proposal_url)
    with scope(tenant=tenant):
        assert PairConstraint.objects.filter(
            round=round_, mentor=to_pin.mentor, adept=to_pin.adept, kind="pin"
        ).exists()
        assert (
            PairConstraint.objects.get(
                round=round_, mentor=to_forbid.mentor, adept=to_forbid.adept, kind="forbid"
            ).reason
            == FORBID_REASON
        )

    # --- pick a mentor by hand: the rules are checked live -------------------------------------
    # An adept whose organisation also has a mentor: that mentor breaks a hard rule.
    with scope(tenant=tenant):
        mentors_by_org = {}
        for m in Application.objects.filter(
            tenant=tenant, round=round_, role=ParticipantRole.MENTOR
        ).exclude(stage=Application.Stage.NOMINATED):
            mentors_by_org.setdefault(m.organisation_id, []).append(m)
    to_check, same_org_mentor = next(
        (p, m)
        for p in pairs[2:]
        for m in mentors_by_org.get(p.adept.organisation_id, [])
        if m.pk != p.mentor_id and m.stage == Application.Stage.ACCEPTED
    )
    page.goto(live_url(f"/{slug}/manage/proposals/{first.pk}/adepts/{to_check.adept_id}/"))
    page.locator("select[name='mentor']").select_option(str(same_org_mentor.pk))
    expect(page.locator("#check-result .attention")).to_be_visible()
    expect(page.locator("#check-result")).to_contain_text(same_org_mentor.full_name)
    assert_accessible(page)
    page.locator("select[name='mentor']").select_option(str(to_check.mentor_id))
    expect(page.locator("#check-result .attention")).to_have_count(0)
    expect(page.locator("#check-result [role='status']")).to_contain_text(to_check.mentor.full_name)
    assert_accessible(page)

    # --- recompute: the pin holds, the forbidden pair is gone ------------------------------------
    page.goto(proposal_url)
    page.locator("form[action$='/matching/run/'] button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/manage/proposals/\d+/$"))
    second = latest_proposal(round_)
    assert second.pk != first.pk
    with scope(tenant=tenant):
        second_pairs = {
            (p.adept_id, p.mentor_id): p for p in ProposedPair.objects.filter(proposal=second)
        }
    assert second_pairs[(to_pin.adept_id, to_pin.mentor_id)].pinned
    assert (to_forbid.adept_id, to_forbid.mentor_id) not in second_pairs
    assert_accessible(page)

    # --- compare the two proposals ------------------------------------------------------------
    page.goto(
        live_url(f"/{slug}/manage/rounds/{round_.pk}/matching/compare/?a={first.pk}&b={second.pk}")
    )
    expect(page.locator("table.compare tbody tr.differs").first).to_be_visible()
    assert_accessible(page)
    page.goto(live_url(f"/{slug}/manage/rounds/{round_.pk}/matching/"))
    expect(page.locator(f"a[href$='/manage/proposals/{second.pk}/']")).to_be_visible()
    assert_accessible(page)

    # --- publish, with a confirmation step -------------------------------------------------------
    page.goto(live_url(f"/{slug}/manage/proposals/{second.pk}/"))
    mail.outbox.clear()
    page.locator(f"a[href='/{slug}/manage/proposals/{second.pk}/publish/']").click()
    expect(page).to_have_url(live_url(f"/{slug}/manage/proposals/{second.pk}/publish/"))
    assert_accessible(page)
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(live_url(f"/{slug}/manage/rounds/{round_.pk}/matching/pairs/"))
    with scope(tenant=tenant):
        active = list(
            Pair.objects.filter(tenant=tenant, round=round_, status=Pair.Status.ACTIVE)
            .select_related("mentor", "adept", "adept_user")
            .order_by("id")
        )
    assert len(active) == len(second_pairs)
    expect(page.locator("main table tbody tr")).to_have_count(len(active))
    assert_accessible(page)
    recipients = {address for message in mail.outbox for address in message.to}
    pinned_pair = next(p for p in active if p.adept_id == to_pin.adept_id)
    assert pinned_pair.mentor_id == to_pin.mentor_id
    assert (pinned_pair.adept.email or pinned_pair.adept_user.email) in recipients

    # The end-pair page (not submitted here; the flow is covered by the view tests).
    other = next(p for p in active if p.pk != pinned_pair.pk)
    page.locator(
        f"a[href='/{slug}/manage/rounds/{round_.pk}/matching/pairs/{other.pk}/end/']"
    ).click()
    expect(page.locator("input[name='end_reason']").first).to_be_visible()
    assert_accessible(page)

    # --- the matched adept sees their mentor ------------------------------------------------------
    adept_user = pinned_pair.adept_user
    adept_user.set_password(ADEPT_PASSWORD)
    adept_user.save(update_fields=["password"])
    adept_page = new_page(browser)
    sign_in(adept_page, adept_user.email, ADEPT_PASSWORD)
    adept_page.goto(live_url(f"/{slug}/my/"))
    expect(adept_page.get_by_role("main")).to_contain_text(pinned_pair.mentor.full_name)
    assert_accessible(adept_page)
