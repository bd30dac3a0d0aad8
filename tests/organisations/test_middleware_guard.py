"""The middleware closes a tenant's staff sections before any view runs: a view under
``/<tenant>/manage/`` or ``/<tenant>/hr/`` that forgets its mixin is still not open to a
signed-in person who is not a member (404), nor to anyone anonymous (sign in)."""

import pytest
from django.urls import get_resolver

from tests.factories.organisations import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.organisations.urls_unguarded")]


@pytest.mark.parametrize("section", ["manage", "hr"])
def test_a_stranger_gets_404_from_an_unguarded_staff_view(client, tenant, section):
    client.force_login(UserFactory())
    for method in (client.get, client.post):
        response = method(f"/{tenant.slug}/{section}/unguarded/")
        assert response.status_code == 404
        assert b"secret of" not in response.content


@pytest.mark.parametrize("section", ["manage", "hr"])
def test_anonymous_is_sent_to_sign_in_from_an_unguarded_staff_view(client, tenant, section):
    response = client.get(f"/{tenant.slug}/{section}/unguarded/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_a_member_of_another_tenant_gets_404(client, tenant, other_member):
    client.force_login(other_member)
    assert client.get(f"/{tenant.slug}/manage/unguarded/").status_code == 404


def test_a_member_reaches_the_view_and_the_role_is_left_to_the_view(client, tenant):
    hr_only = MembershipFactory(tenant=tenant, is_coordinator=False, is_hr_contact=True).user
    client.force_login(hr_only)
    response = client.get(f"/{tenant.slug}/manage/unguarded/")
    assert response.status_code == 200
    assert response.content == f"secret of {tenant.name}".encode()


def test_other_sections_are_left_to_their_views(client, tenant):
    client.force_login(UserFactory())
    assert client.get(f"/{tenant.slug}/my/unguarded/").status_code == 200


def _staff_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver("mentorship.urls")
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _staff_patterns(pattern, route)
        elif route.split("/")[1:2] in (["manage"], ["hr"]):
            yield route


def test_every_staff_url_of_the_project_is_a_404_for_a_stranger(client, tenant):
    """Every real ``manage/`` and ``hr/`` pattern, with any ids: the stranger never reaches a
    view (which could answer 403 and so tell that the object exists)."""
    client.force_login(UserFactory())
    routes = sorted(set(_staff_patterns()))
    assert len(routes) > 50
    for route in routes:
        path = "/" + route.replace("<slug:tenant>", tenant.slug)
        for converter in ("<int:", "<str:", "<slug:", "<path:", "<uuid:"):
            while converter in path:
                start = path.index(converter)
                end = path.index(">", start)
                path = path[:start] + "1" + path[end + 1 :]
        for method in (client.get, client.post):
            assert method(path).status_code == 404, (method.__name__, route)
