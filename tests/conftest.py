import os

import pytest
from django_scopes import scopes_disabled

from tests.factories.organisations import (
    MembershipFactory,
    OrganisationFactory,
    TenantFactory,
    UserFactory,
)

# Playwright drives the browser from an event loop; Django's ORM is used from the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _scopes_disabled_for_fixtures():
    """Fixtures and assertions may query any tenant. Requests still run in their own
    scope: the middleware sets one for every request, overriding this."""
    with scopes_disabled():
        yield


@pytest.fixture
def tenant(db):
    return TenantFactory()


@pytest.fixture
def other_tenant(db):
    """Another tenant with data of its own, so a leak would show."""
    other = TenantFactory(name="Annat nätverk")
    org = OrganisationFactory(tenant=other, name="Främmande kommun")
    MembershipFactory(tenant=other, is_coordinator=True)
    MembershipFactory(tenant=other, is_coordinator=False, is_hr_contact=True, organisations=[org])
    return other


@pytest.fixture
def organisation(tenant):
    return OrganisationFactory(tenant=tenant)


@pytest.fixture
def coordinator(tenant):
    return MembershipFactory(tenant=tenant, is_coordinator=True).user


@pytest.fixture
def hr_contact(tenant, organisation):
    return MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[organisation]
    ).user


@pytest.fixture
def other_member(other_tenant):
    """A coordinator of the other tenant."""
    return other_tenant.memberships.filter(is_coordinator=True).first().user


@pytest.fixture
def stranger(db):
    return UserFactory()
