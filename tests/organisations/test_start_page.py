"""The start page for every role, the header's own links, /me/ in a tenant's context, the
tenant's public page and "Continue with your application" on a round's page."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from applications.models import Application
from organisations.models import ActivityLog, Tenant
from programmes.models import Participant, Programme, Round
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import (
    MembershipFactory,
    OrganisationFactory,
    TenantFactory,
    UserFactory,
)
from tests.factories.programmes import ParticipantFactory, ProgrammeFactory, RoundFactory
from tests.matching.factories import PairFactory

Stage = Application.Stage


def english_user(**kwargs):
    return UserFactory(language="en", **kwargs)


def page_of(user, url=None):
    client = Client()
    client.force_login(user)
    response = client.get(url or reverse("start"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def open_round(tenant, **kwargs):
    programme = ProgrammeFactory(tenant=tenant, name="Chefsprogrammet")
    return RoundFactory(
        programme=programme,
        name="Omgång 5",
        status=Round.Status.OPEN,
        application_closes_at=timezone.now() + timedelta(days=20),
        **kwargs,
    )


def test_an_applicant_with_a_draft_gets_straight_to_it(tenant):
    user = english_user()
    draft = ApplicationFactory(
        round=open_round(tenant), user=user, stage=Stage.DRAFT, submitted_at=None
    )
    page = page_of(user)
    edit = reverse("applications:edit", args=[tenant.slug, draft.pk])
    assert f'<a href="{edit}">Continue with your draft</a>' in page
    assert "Chefsprogrammet: Omgång 5" in page
    assert tenant.name in page
    assert "You have no coordinator or HR contact role" not in page


def test_a_submitted_application_shows_its_stage(tenant):
    user = english_user()
    application = ApplicationFactory(
        round=open_round(tenant), user=user, stage=Stage.AWAITING_ENDORSEMENT
    )
    page = page_of(user)
    assert "Your application: Waiting for the manager's support" in page
    assert reverse("applications:edit", args=[tenant.slug, application.pk]) in page


def test_a_withdrawn_application_or_a_closed_round_is_no_link(tenant):
    user = english_user()
    ApplicationFactory(round=open_round(tenant), user=user, stage=Stage.WITHDRAWN)
    closed = RoundFactory(programme__tenant=tenant, status=Round.Status.CLOSED)
    ApplicationFactory(round=closed, user=user, stage=Stage.DRAFT)
    page = page_of(user)
    assert "Continue with your draft" not in page
    assert "Your application" not in page
    assert "You have no part in a programme yet." in page


def test_a_participant_and_their_pair(tenant):
    round_ = open_round(tenant)
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.RUNNING)
    pair = PairFactory(round=round_, mentor__full_name="Maria Mentor")
    pair.adept_user.language = "en"
    pair.adept_user.save()
    ParticipantFactory(round=round_, user=pair.adept_user, role="adept")
    page = page_of(pair.adept_user)
    assert "Your pair with Maria Mentor" in page
    assert reverse("matching_pairwork:pair", args=[tenant.slug, pair.pk]) in page
    assert "Your programme" in page
    assert reverse("programmes:participant_home", args=[tenant.slug]) in page


def test_a_mentor_in_a_bank(tenant):
    programme = ProgrammeFactory(tenant=tenant, kind=Programme.Kind.CONTINUOUS, name="Banken")
    round_ = RoundFactory(programme=programme, status=Round.Status.RUNNING, name="Löpande")
    user = english_user()
    ParticipantFactory(round=round_, user=user, role="mentor")
    page = page_of(user)
    assert "You are a mentor in the bank" in page
    assert "Banken: Löpande" in page


def test_an_hr_contact_sees_the_decisions_waiting(tenant):
    org = OrganisationFactory(tenant=tenant)
    hr = MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[org],
        user__language="en",
    )
    round_ = open_round(tenant, requires_nomination=True)
    for _ in range(3):
        ApplicationFactory(round=round_, organisation=org, stage=Stage.AWAITING_NOMINATION)
    ApplicationFactory(round=round_, stage=Stage.AWAITING_NOMINATION)  # another organisation
    page = page_of(hr.user)
    assert "3 applications wait for your decision" in page
    hr_list = reverse("applications:hr_list", args=[tenant.slug, round_.pk])
    assert f"{hr_list}?stage=awaiting_nomination" in page
    assert "Applicants from my organisations" in page


def test_a_coordinator_sees_the_applications_waiting_for_review(tenant):
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en").user
    round_ = open_round(tenant)
    ApplicationFactory(round=round_)
    ApplicationFactory(round=round_, stage=Stage.DRAFT)
    page = page_of(coordinator)
    assert "1 application waits for your review" in page
    review = reverse("applications:review_list", args=[tenant.slug, round_.pk])
    assert f"{review}?stage=submitted" in page
    assert "Manage programmes" in page
    # Someone else's tenant: no review link.
    assert "waits for your review" not in page_of(english_user())


def test_every_tenant_is_listed_and_an_inactive_one_is_not(tenant):
    user = english_user()
    MembershipFactory(tenant=tenant, user=user, is_coordinator=True)
    other = TenantFactory(name="Annat nätverk")
    with scopes_disabled():
        ApplicationFactory(round=open_round(other), user=user, stage=Stage.DRAFT)
        closed = TenantFactory(name="Nedlagt förbund", is_active=False)
        ApplicationFactory(round=open_round(closed), user=user, stage=Stage.DRAFT)
    page = page_of(user)
    assert tenant.name in page and "Annat nätverk" in page
    assert "Nedlagt förbund" not in page
    assert page.count("Continue with your draft") == 1


def test_someone_elses_draft_is_not_shown(tenant):
    user = english_user()
    ApplicationFactory(round=open_round(tenant), stage=Stage.DRAFT)
    assert "Continue with your draft" not in page_of(user)


def test_the_anonymous_start_page_explains_how_to_get_in(db):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    page = html.unescape(client.get(reverse("start")).content.decode())
    assert "How to get in" in page
    assert "invited by e-mail" in page
    assert reverse("account_login") in page


def test_the_header_carries_the_own_links_on_the_tenants_pages(tenant):
    user = english_user()
    draft = ApplicationFactory(
        round=open_round(tenant), user=user, stage=Stage.DRAFT, submitted_at=None
    )
    page = page_of(user, reverse("organisations:tenant_home", args=[tenant.slug]))
    header = page.split("</header>")[0]
    edit = reverse("applications:edit", args=[tenant.slug, draft.pk])
    assert f'<a href="{edit}">Your draft</a>' in header
    assert f'href="{reverse("profile")}?tenant={tenant.slug}"' in header


def test_my_details_keep_the_tenant(tenant):
    user = english_user()
    url = reverse("profile") + f"?tenant={tenant.slug}"
    page = page_of(user, url)
    header = page.split("</header>")[0]
    assert tenant.name in header
    assert reverse("organisations:tenant_home", args=[tenant.slug]) in header
    client = Client()
    client.force_login(user)
    response = client.post(url, {"full_name": "Ny Namnsson", "phone": "", "language": "en"})
    assert response.status_code == 302
    assert response["Location"] == url
    # An unknown tenant is no context, and no error.
    page = page_of(user, reverse("profile") + "?tenant=finns-inte")
    assert "Mentor programmes" in page.split("</header>")[0]


def test_the_round_page_offers_to_continue_the_application(tenant):
    user = english_user()
    round_ = open_round(tenant)
    application = ApplicationFactory(round=round_, user=user, stage=Stage.DRAFT)
    url = reverse("programmes:public_round", args=[tenant.slug, round_.pk])
    page = page_of(user, url)
    edit = reverse("applications:edit", args=[tenant.slug, application.pk])
    assert f'href="{edit}">Continue with your application</a>' in page
    assert reverse("applications:apply", args=[tenant.slug, round_.pk]) not in page
    # After the deadline too.
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.REVIEW)
    assert "Continue with your application" in page_of(user, url)
    # Someone without an application is asked to apply.
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.OPEN)
    page = page_of(english_user(), url)
    assert "Continue with your application" not in page
    assert reverse("applications:apply", args=[tenant.slug, round_.pk]) in page


def test_the_tenants_public_page_introduces_programmes_and_contact(tenant):
    Tenant.objects.filter(pk=tenant.pk).update(
        introduction="Vi är tolv kommuner som utvecklar chefer tillsammans."
    )
    open_round(tenant, requires_nomination=True)
    continuous = ProgrammeFactory(tenant=tenant, kind=Programme.Kind.CONTINUOUS, name="Banken")
    RoundFactory(programme=continuous, status=Round.Status.RUNNING, name="Löpande")
    client = Client()
    client.cookies["mentorship_language"] = "en"
    page = html.unescape(
        client.get(reverse("organisations:tenant_home", args=[tenant.slug])).content.decode()
    )
    assert "Vi är tolv kommuner" in page
    assert "Chefsprogrammet: Omgång 5" in page
    assert "your organisation's HR contact nominates the applicants" in page
    assert "Banken: Löpande" in page and "Runs all year" in page
    assert "New managers are registered by their HR contact" in page
    assert "Contact" in page and f"mailto:{tenant.contact_email}" in page


def test_a_coordinator_edits_the_public_page(tenant):
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en").user
    client = Client()
    client.force_login(coordinator)
    url = reverse("organisations:tenant_page_edit", args=[tenant.slug])
    home = reverse("organisations:tenant_home", args=[tenant.slug])
    assert url in page_of(coordinator, home)
    response = client.post(url, {"introduction": "Välkommen!", "contact_email": "nej"})
    assert response.status_code == 200
    assert "Enter a valid email address." in html.unescape(response.content.decode())
    response = client.post(url, {"introduction": "Välkommen!", "contact_email": "hr@ex.se"})
    assert response.status_code == 302 and response["Location"] == home
    tenant.refresh_from_db()
    assert (tenant.introduction, tenant.contact_email) == ("Välkommen!", "hr@ex.se")
    assert ActivityLog.objects.filter(tenant=tenant, action="tenant.page_updated").exists()


# --- the same number of queries at 3 and 30 applications ----------------------------------


def populate(n):
    """A person with n drafts and n pairs in one tenant, and HR contact for n applicants."""
    tenant = TenantFactory()
    user = english_user()
    org = OrganisationFactory(tenant=tenant)
    MembershipFactory(
        tenant=tenant, user=user, is_coordinator=True, is_hr_contact=True, organisations=[org]
    )
    for i in range(n):
        round_ = open_round(tenant, requires_nomination=True)
        ApplicationFactory(round=round_, user=user, stage=Stage.DRAFT)
        ApplicationFactory(round=round_, organisation=org, stage=Stage.AWAITING_NOMINATION)
        pair = PairFactory(round=round_, mentor__user=user)
        Participant.objects.get_or_create(
            tenant=tenant, round=round_, user=user, role="mentor", organisation=org
        )
        assert pair.mentor_user == user
    return tenant, user


@pytest.mark.parametrize("where", ["start", "tenant"])
def test_the_query_count_does_not_grow_with_the_data(db, where):
    counts = []
    for n in (3, 30):
        with scopes_disabled():
            tenant, user = populate(n)
        url = reverse("start")
        if where == "tenant":
            url = reverse("organisations:tenant_home", args=[tenant.slug])
        client = Client()
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        page = html.unescape(response.content.decode())
        if where == "start":
            assert page.count("Continue with your draft") == n
        else:
            assert "Your draft" in page.split("</header>")[0]
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
