"""Django admin is signed in to through allauth: its two-factor step and its rate limits."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories.organisations import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its rate limits in the cache (local memory in the tests).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def operator(db):
    user = UserFactory(email="operator@example.se", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def totp_secret(operator):
    secret = generate_totp_secret()
    TOTP.activate(operator, secret)
    return secret


def current_code(secret):
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def admin_credentials(user, password=PASSWORD):
    # Django admin's login form: "username" is the e-mail address here.
    return {"username": user.email, "password": password, "next": "/admin/"}


def signed_in_to_admin(client):
    return client.get("/admin/").status_code == 200


def test_admin_login_form_checks_no_password_and_sends_to_allauth(operator, totp_secret):
    client = Client()
    response = client.post("/admin/login/?next=/admin/", admin_credentials(operator))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    assert not signed_in_to_admin(client)


def test_password_alone_does_not_open_admin_for_a_person_with_totp(operator, totp_secret):
    client = Client()
    response = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": operator.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not signed_in_to_admin(client)

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(totp_secret)})
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert signed_in_to_admin(client)


def test_a_session_that_skipped_the_two_factor_step_cannot_reach_admin(operator, totp_secret):
    client = Client()
    client.force_login(operator)  # signed in, but no record of the TOTP step in this session
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"
    response = client.post(response.url, {"code": current_code(totp_secret)})
    assert response.status_code == 302
    assert signed_in_to_admin(client)


def test_operator_without_totp_still_signs_in_with_a_password(operator):
    client = Client()
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    response = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": operator.email, "password": PASSWORD},
    )
    assert response.url == "/admin/"
    assert signed_in_to_admin(client)


def test_admin_sign_in_is_rate_limited(operator):
    client = Client()
    for _attempt in range(25):
        client.post("/admin/login/?next=/admin/", admin_credentials(operator, "wrong-password"))
        client.post(
            f"{reverse('account_login')}?next=/admin/",
            {"login": operator.email, "password": "wrong-password"},
        )
    client.post("/admin/login/?next=/admin/", admin_credentials(operator))
    response = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": operator.email, "password": PASSWORD},
    )
    assert response.status_code in (200, 429)
    assert not signed_in_to_admin(client)


def test_signed_in_person_who_is_not_staff_gets_403_from_admin_login(db):
    client = Client()
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403
