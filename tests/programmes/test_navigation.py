"""The round as a workspace: its menu grouped by stage shows what applies to the programme's
kind and the round's steps, marks the current page, and the stage control moves forward with
one primary button and back only after a confirmation.

The coordinator reads English (account language), so English texts are asserted.
"""

import html
import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from organisations.models import ActivityLog, User
from programmes.models import ParticipantRole, Programme, Round
from programmes.navigation import round_navigation, stage_control
from tests.factories.applications import ApplicationFactory
from tests.factories.programmes import (
    EligibilityFactory,
    ProgrammeFactory,
    RoundFactory,
    SharedMeetingFactory,
)

S = Round.Status
NAV = re.compile(r'<nav class="round-nav".*?</nav>', re.S)
LINK = re.compile(r'<a href="([^"]*)"\s*(?:aria-current="(\w+)")?\s*>([^<]*)</a>')
GROUP = re.compile(
    r'data-group="(\w+)">\s*<span class="round-nav__label">(?:<svg.*?</svg>)?([^<]*)</span>'
    r"(.*?)</ul>",
    re.S,
)


@pytest.fixture
def client(coordinator):
    User.objects.filter(pk=coordinator.pk).update(language="en")
    c = Client()
    c.force_login(coordinator)
    return c


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


def nav_of(content):
    """{group label: [(link text, href, aria-current)]} of the round's menu on a page."""
    match = NAV.search(content)
    assert match, "the page has no round menu"
    groups = {}
    for _key, label, body in GROUP.findall(match.group(0)):
        groups[label.strip()] = [
            (text.strip(), href, current) for href, current, text in LINK.findall(body)
        ]
    return groups


def labels(groups):
    return {label: [text for text, _href, _cur in links] for label, links in groups.items()}


def current_links(groups):
    return [
        (text, current) for links in groups.values() for text, _href, current in links if current
    ]


@pytest.fixture
def programme(tenant):
    return ProgrammeFactory(tenant=tenant)


@pytest.fixture
def cohort(tenant):
    """A network's cohort round in review: the organisations nominate, managers endorse,
    everyone is interviewed, the coordinators match."""
    programme = ProgrammeFactory(tenant=tenant, name="Mentorprogrammet IOR")
    return RoundFactory(
        programme=programme,
        name="Omgång 15",
        status=S.REVIEW,
        requires_nomination=True,
        requires_endorsement=True,
        requires_interview=True,
        application_closes_at=timezone.now() - timedelta(days=1),
    )


@pytest.fixture
def bank_round(tenant):
    """A hospital group's standing programme: HR assigns mentors from a bank."""
    programme = ProgrammeFactory(
        tenant=tenant,
        name="Mentorbanken",
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.HR_ASSIGNS,
    )
    return RoundFactory(programme=programme, name="Löpande", status=S.RUNNING)


def test_a_cohort_round_with_nomination_shows_its_steps_and_the_matching(tenant, cohort, client):
    ApplicationFactory(round=cohort, stage=Application.Stage.AWAITING_NOMINATION)
    content = page(client, reverse("programmes:round_dashboard", args=[tenant.slug, cohort.pk]))
    groups = nav_of(content)
    assert list(groups) == [
        "Overview",
        "Setup",
        "Applications",
        "Matching",
        "Pairs",
        "Follow-up",
    ]
    assert labels(groups)["Setup"] == [
        "Settings and eligibility",
        "The application form",
        "Standard fields and mentor cards",
        "Shared meeting days",
        "Checklists",
        "New round from this one",
        "Public page",
    ]
    assert labels(groups)["Applications"] == [
        "All applications",
        "Waiting for the manager",
        "Waiting for nomination",
        "Interviews and review",
    ]
    review = reverse("applications:review_list", args=[tenant.slug, cohort.pk])
    assert ("Waiting for nomination", f"{review}?stage=awaiting_nomination", "") in groups[
        "Applications"
    ]
    assert labels(groups)["Matching"] == ["Matching"]
    assert labels(groups)["Follow-up"] == ["Messages", "Surveys", "Round report"]
    assert "Mentor bank" not in content
    # The overview is this page; the old row of links is gone.
    assert current_links(groups) == [("The round at a glance", "page")]
    assert 'class="actions plain-list"' not in content
    # The applications section counts what waits for nomination.
    assert "Waiting for nomination</th>" in content
    # No shared day yet: a cohort is told.
    assert "No shared meeting days are scheduled." in content


def test_a_continuous_round_with_a_bank_shows_the_bank_and_no_cohort_steps(
    tenant, bank_round, client
):
    ApplicationFactory(round=bank_round, stage=Application.Stage.ACCEPTED)
    content = page(client, reverse("programmes:round_dashboard", args=[tenant.slug, bank_round.pk]))
    groups = nav_of(content)
    bank = reverse("matching_bank:manage_bank_home", args=[tenant.slug, bank_round.pk])
    mentors = reverse("matching_bank:manage_bank_mentors", args=[tenant.slug, bank_round.pk])
    assert groups["Matching"] == [("Mentor bank", bank, ""), ("Mentors in the bank", mentors, "")]
    assert labels(groups)["Applications"] == ["All applications"]
    assert f'"{reverse("matching:home", args=[tenant.slug, bank_round.pk])}"' not in content
    assert "nomination" not in content.lower()
    assert "No shared meeting days are scheduled." not in content

    # On the bank page, the bank is the current page of the round's menu.
    groups = nav_of(page(client, bank))
    assert current_links(groups) == [("Mentor bank", "page")]
    groups = nav_of(page(client, mentors))
    assert current_links(groups) == [("Mentors in the bank", "page")]


def test_an_adept_chooses_programme_has_only_the_bank_under_matching(tenant, client):
    """No matching of its own, but the board sees its mentors and their places (issue 14)."""
    programme = ProgrammeFactory(
        tenant=tenant,
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.ADEPT_CHOOSES,
    )
    round_ = RoundFactory(programme=programme, status=S.RUNNING)
    groups = round_navigation(round_, tenant=tenant)
    assert [g.key for g in groups] == [
        "overview",
        "setup",
        "applications",
        "matching",
        "pairs",
        "follow_up",
    ]
    assert [link.label for link in groups[3].links] == ["Mentors in the bank"]


def test_a_closed_round_offers_no_matching_actions(tenant, cohort, client):
    Round.objects.filter(pk=cohort.pk).update(status=S.CLOSED)
    home = reverse("matching:home", args=[tenant.slug, cohort.pk])
    groups = nav_of(
        page(client, reverse("programmes:round_dashboard", args=[tenant.slug, cohort.pk]))
    )
    assert groups["Matching"] == [("Proposals", home, "")]

    content = page(client, home)
    assert "Run a proposal" not in content
    assert reverse("matching:run", args=[tenant.slug, cohort.pk]) not in content
    assert "Save the settings" not in content
    assert "The round is closed" in content
    assert current_links(nav_of(content)) == [("Proposals", "page")]
    # Posting anyway is refused.
    response = client.post(reverse("matching:run", args=[tenant.slug, cohort.pk]), follow=True)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The round is closed: no new proposals are computed for it."
    ]


def test_the_current_page_is_marked_and_every_round_page_has_the_menu(tenant, cohort, client):
    application = ApplicationFactory(round=cohort, stage=Application.Stage.AWAITING_NOMINATION)
    meeting = SharedMeetingFactory(round=cohort, title="Uppstart")
    a = [tenant.slug, cohort.pk]
    review = reverse("applications:review_list", args=a)
    expected = {
        review: ("All applications", "page"),
        f"{review}?stage=awaiting_nomination": ("Waiting for nomination", "page"),
        reverse("applications:review_detail", args=[tenant.slug, application.pk]): (
            "All applications",
            "true",
        ),
        reverse("programmes:round_edit", args=a): ("Settings and eligibility", "page"),
        reverse("applications:form_builder", args=a): ("The application form", "page"),
        reverse("applications:field_settings", args=[tenant.slug, cohort.programme_id])
        + f"?round={cohort.pk}": ("Standard fields and mentor cards", "page"),
        reverse("programmes:meeting_create", args=a): ("Shared meeting days", "true"),
        reverse("programmes:meeting_detail", args=[tenant.slug, meeting.pk]): (
            "Shared meeting days",
            "true",
        ),
        reverse("programmes:round_copy", args=a): ("New round from this one", "page"),
        reverse("matching:home", args=a): ("Matching", "page"),
        reverse("matching:pairs", args=a): ("Pairs", "page"),
        reverse("programmes:participant_list", args=a): ("Participants", "page"),
        reverse("round_messages:list", args=a): ("Messages", "page"),
        reverse("round_messages:compose", args=a): ("Messages", "true"),
        reverse("evaluation:survey_list", args=a): ("Surveys", "page"),
        reverse("reports:round", args=a): ("Round report", "page"),
    }
    for path, link in expected.items():
        groups = nav_of(page(client, path))
        assert current_links(groups) == [link], path
    # A page of the tenant (not of a round) has no round menu.
    content = page(client, reverse("organisations:dashboard", args=[tenant.slug]))
    assert 'class="round-nav"' not in content


# --- the stage control ------------------------------------------------------------------------


def test_the_next_stage_is_the_primary_button_and_is_disabled_with_its_reasons(
    tenant, programme, client
):
    draft = RoundFactory(programme=programme, name="Omgång 16")
    content = page(client, reverse("programmes:round_dashboard", args=[tenant.slug, draft.pk]))
    button = re.search(r"<form[^>]*transition--forward.*?</form>", content, re.S).group(0)
    assert 'class="button"' in button and "disabled" in button
    assert "Move on to “Open for applications”" in button
    assert "Before the round can become “Open for applications”:" in button
    assert "Set an application deadline first." in button
    assert 'aria-describedby="problems-open"' in button
    assert "transition--back" not in content  # a draft has nothing behind it

    Round.objects.filter(pk=draft.pk).update(
        application_closes_at=timezone.now() + timedelta(days=20)
    )
    EligibilityFactory(round=draft, role=ParticipantRole.ADEPT)
    content = page(client, reverse("programmes:round_dashboard", args=[tenant.slug, draft.pk]))
    button = re.search(r"<form[^>]*transition--forward.*?</form>", content, re.S).group(0)
    assert "disabled" not in button and "Before the round can become" not in button


def test_moving_back_is_secondary_and_needs_a_confirmation(tenant, programme, client):
    open_round = RoundFactory(
        programme=programme,
        status=S.OPEN,
        application_closes_at=timezone.now() + timedelta(days=20),
    )
    dashboard = reverse("programmes:round_dashboard", args=[tenant.slug, open_round.pk])
    transition = reverse("programmes:round_transition", args=[tenant.slug, open_round.pk])
    content = page(client, dashboard)
    back = re.search(r'<details class="confirm-step">.*?</details>', content, re.S).group(0)
    assert "Move back to “Draft”" in back
    assert "nobody can apply or submit until you open the round again" in back
    assert 'class="button button--secondary"' in back and 'name="confirm" value="yes"' in back
    forward, backward = stage_control(open_round)
    assert forward.target == S.REVIEW and [m.target for m in backward] == [S.DRAFT]

    # Without the confirmation: a page that says what it undoes, and nothing moves.
    response = client.post(transition, {"status": "draft"})
    assert response.status_code == 200
    confirm = html.unescape(response.content.decode())
    assert "Move the round back to “Draft”?" in confirm
    assert "Drafts and submitted applications are kept" in confirm
    assert Round.objects.get(pk=open_round.pk).status == S.OPEN
    assert not ActivityLog.objects.filter(action="round.status_changed").exists()

    # Confirmed: it moves and is logged.
    response = client.post(transition, {"status": "draft", "confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(dashboard, 302)]
    assert Round.objects.get(pk=open_round.pk).status == S.DRAFT
    log = ActivityLog.objects.get(action="round.status_changed")
    assert log.data["after"] == {"status": "draft"}

    # A jump back that is not allowed is refused with its reason, even confirmed.
    Round.objects.filter(pk=open_round.pk).update(status=S.RUNNING)
    response = client.post(transition, {"status": "open"}, follow=True)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "A round that is “Running” cannot become “Open for applications”."
    ]
    assert Round.objects.get(pk=open_round.pk).status == S.RUNNING
