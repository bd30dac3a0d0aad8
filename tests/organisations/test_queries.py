"""The number of queries a page makes must not grow with the data it shows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Role
from organisations.services import log_activity
from tests.factories.organisations import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    TenantFactory,
    UserFactory,
)

SMALL, LARGE = 3, 30


def populate(n):
    """A tenant with n of everything: organisations (with parents), HR contacts with two
    organisations each, pending invitations with organisations, and activity by n people."""
    tenant = TenantFactory()
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    top = OrganisationFactory(tenant=tenant, name="Moderorganisationen")
    orgs = [OrganisationFactory(tenant=tenant, name=f"Org {i:02d}", parent=top) for i in range(n)]
    for i in range(n):
        MembershipFactory(
            tenant=tenant,
            is_coordinator=False,
            is_hr_contact=True,
            organisations=[orgs[i], orgs[(i + 1) % n]],
        )
        invitation = InvitationFactory(tenant=tenant, role=Role.HR_CONTACT, invited_by=coordinator)
        invitation.organisations.set([orgs[i], orgs[(i + 1) % n]])
        actor = UserFactory()
        log_activity(
            tenant=tenant,
            actor=actor,
            action="organisation.updated",
            obj=orgs[i],
            before={"name": "x"},
            after={"name": orgs[i].name},
        )
        log_activity(tenant=tenant, actor=actor, action="invitation.sent", obj=invitation)
    hr_everywhere = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=orgs
    )
    return tenant, coordinator, hr_everywhere


def measure(user, url):
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries], response


PAGES = {
    # name: (who looks, what must be on the large page LARGE times or more)
    "dashboard": ("coordinator", None),
    "organisation_list": ("coordinator", "/active/"),
    "organisation_create": ("coordinator", "<option value="),
    "team": ("coordinator", "/manage/team/"),
    "activity": ("coordinator", "<time datetime="),
    "hr_home": ("hr", "<li>Org "),
    "membership_edit": ("coordinator", 'name="organisations"'),
}


@pytest.mark.parametrize("page_name", list(PAGES))
def test_query_count_does_not_grow_with_the_data(db, page_name):
    results = {}
    for size in (SMALL, LARGE):
        tenant, coordinator, hr = populate(size)
        who, marker = PAGES[page_name]
        kwargs = {"tenant": tenant.slug}
        if page_name == "membership_edit":
            kwargs["pk"] = hr.pk
        url = reverse(f"organisations:{page_name}", kwargs=kwargs)
        sql, response = measure(coordinator if who == "coordinator" else hr.user, url)
        results[size] = sql
        content = response.content.decode()
        if marker and size == LARGE:
            assert content.count(marker) >= LARGE, f"{page_name} shows too little"
    small, large = results[SMALL], results[LARGE]
    assert len(small) == len(large), (
        f"{page_name}: {len(small)} queries for {SMALL} rows but {len(large)} for {LARGE}:\n"
        + "\n".join(large)
    )


def test_dashboard_shows_the_figures_of_the_large_tenant(db):
    tenant, coordinator, _hr = populate(LARGE)
    _sql, response = measure(
        coordinator, reverse("organisations:dashboard", kwargs={"tenant": tenant.slug})
    )
    ctx = response.context
    assert ctx["organisation_count"] == LARGE + 1
    assert ctx["team_count"] == LARGE + 2
    assert ctx["invitation_count"] == LARGE
    assert len(ctx["recent_activity"]) == 8


def test_activity_page_paginates(db):
    tenant, coordinator, _hr = populate(LARGE)  # 60 entries: two pages of 50
    url = reverse("organisations:activity", kwargs={"tenant": tenant.slug})
    _sql, response = measure(coordinator, url)
    assert len(response.context["entries"]) == 50
    assert response.context["page"].paginator.num_pages == 2
    second = Client()
    second.force_login(coordinator)
    assert len(second.get(url, {"page": 2}).context["entries"]) == 2 * LARGE - 50


def test_start_page_query_count_does_not_grow_with_memberships(db):
    counts = {}
    for size in (SMALL, LARGE):
        user = UserFactory()
        for _ in range(size):
            tenant = TenantFactory()
            org = OrganisationFactory(tenant=tenant)
            MembershipFactory(tenant=tenant, user=user, is_hr_contact=True, organisations=[org])
        sql, response = measure(user, reverse("start"))
        counts[size] = len(sql)
        assert len(response.context["memberships"]) == size
    assert counts[SMALL] == counts[LARGE]
