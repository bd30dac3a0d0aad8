import os

import pytest
from django_scopes import scopes_disabled
from pytest_django.plugin import blocking_manager_key

from tests.demo_seed import SHARED
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
    """Fixtures may build data in any tenant; the test body itself runs in a scope (below)."""
    with scopes_disabled():
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """The test body runs inside its tenant's scope, as a request does: a query that forgets
    its tenant finds nothing of it (or fails) here as it would in production. The tenant is the
    ``tenant`` fixture's when the test uses it (directly or through another fixture); otherwise
    the scope names no tenant and filters nothing. Fixtures still build data with scopes
    disabled; a test body that reads another tenant's data (an isolation check) wraps exactly
    those lines in ``scopes_disabled()``, or enters that tenant's ``scope()`` to act as its
    request would."""
    from django_scopes import scope

    tenant = getattr(item, "funcargs", {}).get("tenant")
    with scope(tenant=tenant):
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


DEMO_FIXTURE = "demo_seed"


@pytest.fixture(scope="module")
def demo_seed(django_db_setup, django_db_blocker):
    """The demo seeded twice (``tests/demo_seed.py``): ``first``/``second`` outputs and the
    registered snapshots taken after the first run. Shared by consecutive tests that ask for
    it; each test's own writes are rolled back with its savepoint."""
    if SHARED.open:
        return SHARED.result
    with scopes_disabled():
        return SHARED.start(django_db_blocker)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The tests that read the seeded demo run first, one after another, so each process
    seeds it once (the e2e conftest moves the browser tests to the end afterwards)."""
    demo = [item for item in items if DEMO_FIXTURE in getattr(item, "fixturenames", ())]
    if demo:
        ids = {id(item) for item in demo}
        items[:] = demo + [item for item in items if id(item) not in ids]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Roll the shared demo back once the next test does not read it."""
    yield
    if SHARED.open and (nextitem is None or DEMO_FIXTURE not in nextitem.fixturenames):
        SHARED.stop(item.config.stash[blocking_manager_key])
