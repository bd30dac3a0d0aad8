"""The login rate limits count per client behind the reverse proxy, not per proxy.

Every request reaches the application from the proxy's address (REMOTE_ADDR); the proxy
appends the client's address to X-Forwarded-For. The tests use the production settings'
values for the client address and allauth's real login view.
"""

import runpy

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories.organisations import PASSWORD, UserFactory

PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its rate limits in the cache (local memory in the tests).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def production_proxy_settings(settings, monkeypatch):
    """The client-address settings that production has with the README's .env."""
    monkeypatch.setenv("SECRET_KEY", "a-test-secret-key")
    monkeypatch.setenv("DATABASE_URL", "postgres://mentorship@db:5432/mentorship")
    monkeypatch.setenv("REDIS_URL", "redis://redis:6379/0")
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    monkeypatch.delenv("TRUSTED_CLIENT_IP_HEADER", raising=False)
    production = runpy.run_module("mentorship.settings.production")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = production["ALLAUTH_TRUSTED_PROXY_COUNT"]
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = production["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"]
    return settings


def person():
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(email, password, *, client_address):
    """One browser behind the proxy; returns whether it is signed in afterwards."""
    client = Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": client_address})
    client.post(reverse("account_login"), {"login": email, "password": password})
    return "_auth_user_id" in client.session


def test_production_trusts_one_proxy(production_proxy_settings):
    assert production_proxy_settings.ALLAUTH_TRUSTED_PROXY_COUNT == 1
    assert production_proxy_settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None


def test_failed_logins_of_other_clients_do_not_lock_out_a_third(production_proxy_settings, db):
    for client_address in ("203.0.113.1", "203.0.113.2"):
        for _attempt in range(10):
            assert not log_in(person().email, "wrong-password", client_address=client_address)
    third = person()
    assert log_in(third.email, PASSWORD, client_address="198.51.100.7")


def test_the_same_client_address_is_still_limited(production_proxy_settings, db):
    for _attempt in range(10):
        assert not log_in(person().email, "wrong-password", client_address="203.0.113.5")
    user = person()
    assert not log_in(user.email, PASSWORD, client_address="203.0.113.5")
    # An address the client puts in front of the proxy's is not believed.
    assert not log_in(user.email, PASSWORD, client_address="198.51.100.99, 203.0.113.5")
    assert log_in(user.email, PASSWORD, client_address="198.51.100.8")


def test_one_account_is_still_limited_across_addresses(production_proxy_settings, db):
    user = person()
    for n in range(5):
        assert not log_in(user.email, "wrong-password", client_address=f"203.0.113.{10 + n}")
    assert not log_in(user.email, PASSWORD, client_address="198.51.100.9")
    other = person()
    assert log_in(other.email, PASSWORD, client_address="198.51.100.9")


def test_without_a_proxy_the_header_is_ignored(settings, db):
    """Locally and in the tests nothing is in front, so a client cannot pick its address."""
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    for n in range(10):
        assert not log_in(person().email, "wrong-password", client_address=f"203.0.113.{n}")
    assert not log_in(person().email, PASSWORD, client_address="198.51.100.10")
