"""Views of people's application data are logged, one row per page view, with no personal data
in the row; refused attempts are logged as such; the activity page filters both."""

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import Application
from applications.services import endorsement_url
from matching import services as matching_services
from organisations.models import ActivityLog
from organisations.viewlog import REFUSED, VIEWED
from programmes.models import Participant, Round
from tests.bank import test_bank
from tests.choosing import test_requests
from tests.factories.applications import ApplicationFactory, EndorsementFactory
from tests.factories.organisations import MembershipFactory
from tests.factories.programmes import RoundFactory
from tests.matching.test_views import make_world

pytestmark = pytest.mark.django_db

NAME = "Åsa Öberg"


def client_for(user=None):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    if user is not None:
        # The account's language wins over the cookie: read the English texts.
        user.language = "en"
        user.save(update_fields=["language"])
        client.force_login(user)
    return client


def rows(tenant, action=None):
    qs = ActivityLog.objects.filter(tenant=tenant).exclude(action__startswith="survey.")
    if action:
        qs = qs.filter(action=action)
    return list(qs.order_by("id"))


def logged(tenant, client, url, params=None, *, action=VIEWED, status=200):
    """GET ``url`` and return the one row it logged (there must be exactly one)."""
    before = {r.pk for r in rows(tenant)}
    response = client.get(url, params or {})
    assert response.status_code == status
    new = [r for r in rows(tenant) if r.pk not in before]
    assert [r.action for r in new] == [action], [r.action for r in new]
    return new[0]


def assert_no_personal_data(entry, *texts):
    blob = f"{entry.object_repr} {entry.data}"
    for text in texts:
        assert text not in blob


@pytest.fixture
def review(tenant, organisation):
    round_ = RoundFactory(programme__tenant=tenant, status=Round.Status.REVIEW)
    for i in range(3):
        ApplicationFactory(round=round_, organisation=organisation, stage="nominated")
    ApplicationFactory(round=round_, organisation=organisation, stage="nominated", full_name=NAME)
    return round_


def test_the_review_list_and_its_searches_log_one_row_without_the_search_text(
    tenant, coordinator, review
):
    url = reverse("applications:review_list", args=[tenant.slug, review.pk])
    client = client_for(coordinator)
    entry = logged(tenant, client, url)
    assert entry.actor == coordinator
    assert entry.data == {"page": "applications:review_list", "shown": 4}
    entry = logged(tenant, client, url, {"q": "Åsa", "role": "adept", "stage": "", "page": "1"})
    assert entry.data == {
        "page": "applications:review_list",
        "filters": ["role"],
        "searched": True,
        "shown": 1,
    }
    assert_no_personal_data(entry, "Åsa", NAME)


def test_the_hr_list_and_participants_list_are_logged(
    tenant, coordinator, hr_contact, organisation, review
):
    entry = logged(
        tenant,
        client_for(hr_contact),
        reverse("applications:hr_list", args=[tenant.slug, review.pk]),
    )
    assert entry.data["page"] == "applications:hr_list" and entry.data["shown"] == 4
    for application in Application.objects.filter(round=review)[:2]:
        Participant.objects.create(
            tenant=tenant,
            round=review,
            user=application.user,
            role=application.role,
            organisation=organisation,
        )
    entry = logged(
        tenant,
        client_for(coordinator),
        reverse("programmes:participant_list", args=[tenant.slug, review.pk]),
    )
    assert entry.data == {"page": "programmes:participant_list", "shown": 2}
    assert_no_personal_data(entry, NAME)


def test_single_applications_are_logged_and_refused_attempts_too(
    tenant, coordinator, hr_contact, other_tenant, review
):
    application = Application.objects.get(full_name=NAME)
    url = reverse("applications:review_detail", args=[tenant.slug, application.pk])
    entry = logged(tenant, client_for(coordinator), url, action="application.viewed")
    assert entry.object_id == str(application.pk) and entry.data["as"] == "coordinator"

    # An HR contact on the coordinator's page: 403, logged as refused.
    entry = logged(tenant, client_for(hr_contact), url, action=REFUSED, status=403)
    assert entry.actor == hr_contact
    assert entry.data == {
        "page": "applications:review_detail",
        "status": 403,
        "method": "GET",
        "ids": {"pk": application.pk},
    }
    # Another tenant's application under our address: 404, logged as refused.
    foreign = ApplicationFactory(round=RoundFactory(programme__tenant=other_tenant))
    missing = reverse("applications:review_detail", args=[tenant.slug, foreign.pk])
    entry = logged(tenant, client_for(coordinator), missing, action=REFUSED, status=404)
    assert entry.data["status"] == 404 and entry.data["ids"] == {"pk": foreign.pk}
    # An HR contact trying an application outside their organisations.
    outside = ApplicationFactory(round=review, stage="nominated")
    hr_url = reverse("applications:hr_detail", args=[tenant.slug, outside.pk])
    entry = logged(tenant, client_for(hr_contact), hr_url, action=REFUSED, status=404)
    assert entry.actor == hr_contact
    # Anonymous visitors are sent to sign in: nothing to log.
    assert client_for().get(url).status_code == 302


def test_the_managers_endorsement_page_is_logged_and_a_bad_link_refused(tenant, review):
    application = Application.objects.get(full_name=NAME)
    endorsement = EndorsementFactory(application=application)
    entry = logged(tenant, client_for(), endorsement_url(endorsement), action="application.viewed")
    assert entry.actor is None and entry.data["as"] == "manager"
    assert entry.object_id == str(application.pk)
    bad = reverse("applications:endorse", args=[tenant.slug, "nonsense:key"])
    entry = logged(tenant, client_for(), bad, action=REFUSED, status=410)
    assert entry.data["page"] == "applications:endorse"


def test_the_matching_proposal_page_is_logged(tenant, coordinator):
    round_, _orgs, _mentors, _adepts = make_world(tenant)
    proposal = matching_services.run_proposal(tenant=tenant, actor=None, round_=round_)
    url = reverse("matching:proposal", args=[tenant.slug, proposal.pk])
    entry = logged(tenant, client_for(coordinator), url)
    assert entry.data == {"page": "matching:proposal", "shown": proposal.pairs.count()}


def test_the_bank_suggestions_are_logged(tenant):
    world = test_bank.world.__wrapped__(tenant)
    round_ = world["round"]
    adept = ApplicationFactory(
        round=round_, organisation=world["areas"]["A"], stage="accepted", full_name=NAME
    )
    url = reverse("matching_bank:hr_bank_suggestions", args=[tenant.slug, round_.pk, adept.pk])
    entry = logged(tenant, client_for(world["hr"]), url)
    assert entry.data["page"] == "matching_bank:hr_bank_suggestions"
    assert entry.data["shown"] >= 1 and entry.object_id == str(adept.pk)
    # The coordinator's variant; and an HR contact of another area is refused.
    manage = reverse(
        "matching_bank:manage_bank_suggestions", args=[tenant.slug, round_.pk, adept.pk]
    )
    logged(tenant, client_for(world["coordinator"]), manage)
    logged(tenant, client_for(world["other_hr"]), url, action=REFUSED, status=404)
    logged(tenant, client_for(world["coordinator"]), url, action=REFUSED, status=403)


def test_the_adepts_mentor_list_is_logged(tenant):
    round_, _mentor, adept, _other = test_requests.world.__wrapped__(tenant)
    url = reverse("matching_requests:mentors", args=[tenant.slug])
    entry = logged(tenant, client_for(adept.user), url)
    assert entry.data == {"page": "matching_requests:mentors", "shown": 1, "as": "adept"}
    assert entry.actor == adept.user


def test_the_activity_page_filters_views_and_refused_attempts(tenant, coordinator, review):
    client = client_for(coordinator)
    client.get(reverse("applications:review_list", args=[tenant.slug, review.pk]))
    hr = MembershipFactory(tenant=tenant, is_coordinator=False, is_hr_contact=True).user
    client_for(hr).get(reverse("applications:review_list", args=[tenant.slug, review.pk]))
    url = reverse("organisations:activity", kwargs={"tenant": tenant.slug})
    views = client.get(url, {"kind": "views"})
    assert [e.action for e in views.context["entries"]] == [VIEWED]
    refused = client.get(url, {"kind": "refused"})
    assert [e.action for e in refused.context["entries"]] == [REFUSED]
    content = refused.content.decode()
    assert "Refused attempt to see personal data" in content
    assert '<option value="refused" selected>Refused attempts</option>' in content
    assert "Views of personal data" in content
    # Everything (the activity page is not a page of personal data: it logs nothing itself).
    everything = client.get(url)
    assert {e.action for e in everything.context["entries"]} >= {VIEWED, REFUSED}
