"""The workspace cache (organisations/freshness.py): the header's own links and the "Att göra"
lists come from the cache while the tenant's data is unchanged, and are computed again as soon
as a change of the tenant commits, never showing another tenant's or another person's."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services as application_services
from applications.models import Application
from organisations import freshness
from tests.applications.test_services import (
    coordinator_membership,
    hr_membership,
    make_application,
    open_round,
)
from tests.factories.organisations import OrganisationFactory, TenantFactory

Stage = Application.Stage


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.WORKSPACE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_header_links_are_cached_until_the_tenants_data_changes(
    tenant, django_capture_on_commit_callbacks
):
    round_ = open_round(tenant=tenant)
    draft = make_application(round_)
    client = client_for(draft.user)
    page = reverse("programmes:public_round", args=[tenant.slug, round_.pk])

    first, cold = get(client, page)
    assert "Your draft" in first
    again, warm = get(client, page)
    assert "Your draft" in again
    assert warm < cold  # the links' queries are not made again

    # She sends it in: the change commits, the next page shows the new link at once.
    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(application=draft, actor=draft.user)
    after, recomputed = get(client, page)
    assert "Your draft" not in after and "Your application" in after
    assert recomputed == cold


def test_attention_items_follow_a_decision_and_stay_within_their_tenant(
    tenant, django_capture_on_commit_callbacks
):
    round_ = open_round(tenant=tenant)
    org = OrganisationFactory(tenant=tenant)
    submitted = make_application(round_, organisation=org, stage=Stage.SUBMITTED)
    coordinator = coordinator_membership(tenant)
    client = client_for(coordinator.user)
    overview = reverse("organisations:dashboard", args=[tenant.slug])
    item = "1 submitted application is not reviewed yet"

    body, cold = get(client, overview)
    assert item in body
    _body, warm = get(client, overview)
    assert warm < cold

    # A change in another tenant leaves this tenant's values where they are.
    other = TenantFactory()
    generation = freshness.generation(tenant.pk)
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(tenant=other)
    assert freshness.generation(tenant.pk) == generation
    assert get(client, overview)[1] == warm

    # The coordinator decides: the item goes on the next page.
    with django_capture_on_commit_callbacks(execute=True):
        application_services.change_stage(
            application=submitted, to_stage=Stage.UNDER_REVIEW, actor=coordinator.user
        )
    assert freshness.generation(tenant.pk) != generation
    body, _queries = get(client, overview)
    assert item not in body


def test_an_hr_contacts_items_are_their_own(tenant, django_capture_on_commit_callbacks):
    round_ = open_round(tenant=tenant, requires_nomination=True)
    mine, theirs = OrganisationFactory(tenant=tenant), OrganisationFactory(tenant=tenant)
    make_application(round_, organisation=mine, stage=Stage.AWAITING_NOMINATION)
    hr_mine, hr_theirs = hr_membership(tenant, mine), hr_membership(tenant, theirs)
    home = reverse("organisations:hr_home", args=[tenant.slug])
    waiting = "1 application waits for your decision"
    assert waiting in get(client_for(hr_mine.user), home)[0]
    # The other organisation's HR contact is not served the first one's cached items.
    assert waiting not in get(client_for(hr_theirs.user), home)[0]


def test_turned_off_nothing_is_cached(tenant, settings):
    settings.WORKSPACE_CACHE_SECONDS = 0
    round_ = open_round(tenant=tenant)
    draft = make_application(round_)
    client = client_for(draft.user)
    page = reverse("programmes:public_round", args=[tenant.slug, round_.pk])
    assert get(client, page)[1] == get(client, page)[1]
