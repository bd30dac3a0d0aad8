"""Security headers: the Content-Security-Policy and Permissions-Policy on every page, and
``Cache-Control: private, no-store`` wherever a page shows personal data."""

import pytest
from django.test import Client
from django.urls import reverse

from applications.services import endorsement_url
from mentorship.secret_paths import carries_secret, redact_path
from programmes.models import CalendarFeed
from tests.factories.applications import EndorsementFactory
from tests.factories.programmes import RoundFactory

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def client_for(user=None):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def assert_policies(response):
    assert response["Content-Security-Policy"] == CSP
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in permissions


@pytest.mark.django_db
def test_a_public_page_has_the_policies_and_may_be_cached(tenant):
    response = client_for().get(reverse("organisations:tenant_home", args=[tenant.slug]))
    assert response.status_code == 200
    assert_policies(response)
    # Nothing personal on it: no Cache-Control of ours.
    assert "Cache-Control" not in response


@pytest.mark.django_db
def test_a_signed_in_coordinators_page_is_never_stored(tenant, coordinator):
    response = client_for(coordinator).get(reverse("organisations:dashboard", args=[tenant.slug]))
    assert response.status_code == 200
    assert_policies(response)
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_any_page_of_a_signed_in_person_is_never_stored(coordinator):
    response = client_for(coordinator).get(reverse("profile"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_download_is_never_stored(tenant, coordinator):
    round_ = RoundFactory(programme__tenant=tenant)
    path = reverse("applications:import", kwargs={"tenant": tenant.slug, "round_pk": round_.pk})
    response = client_for(coordinator).get(path, {"download": "sample"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert_policies(response)
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_the_managers_endorsement_page_is_never_stored(tenant):
    endorsement = EndorsementFactory(
        application__round__programme__tenant=tenant, application__full_name="Anna Adeptsson"
    )
    # The manager follows the link from the mail without signing in.
    response = client_for().get(endorsement_url(endorsement))
    assert response.status_code == 200
    assert "Anna Adeptsson" in response.content.decode()
    assert_policies(response)
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_view_that_sets_its_own_caching_keeps_it(tenant, coordinator):
    """The personal calendar feed (no login, the token is the key) asks calendar apps to come
    back every 15 minutes, privately."""
    feed = CalendarFeed.objects.create(tenant=tenant, user=coordinator)
    path = reverse("programmes:person_feed", kwargs={"tenant": tenant.slug, "token": feed.token})
    response = client_for().get(path)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "max-age=900" in response["Cache-Control"]
    assert_policies(response)


@pytest.mark.django_db
def test_a_failed_csrf_check_shows_our_page_with_no_inline_style(tenant):
    client = Client(enforce_csrf_checks=True)
    client.cookies["mentorship_language"] = "en"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form could not be sent" in html
    assert "<style" not in html and "style=" not in html
    assert_policies(response)


@pytest.mark.parametrize(
    ("path", "redacted"),
    [
        ("/vastnatet/endorse/abc:def/", "/vastnatet/endorse/[secret]/"),
        ("/vastnatet/invitation/Zx_9/renew/", "/vastnatet/invitation/[secret]/renew/"),
        ("/vastnatet/put-forward/tok-1/", "/vastnatet/put-forward/[secret]/"),
        ("/vastnatet/calendar/tok_2-x.ics", "/vastnatet/calendar/[secret].ics"),
        ("/accounts/confirm-email/MQ:1tx/", "/accounts/confirm-email/[secret]/"),
        ("/accounts/password/reset/key/1-abc-def/", "/accounts/password/reset/key/[secret]/"),
    ],
)
def test_secret_paths_are_redacted(path, redacted):
    assert carries_secret(path)
    assert redact_path(path) == redacted


@pytest.mark.parametrize(
    "path",
    ["/", "/vastnatet/", "/vastnatet/manage/", "/vastnatet/hr/rounds/3/put-forward/", "/me/"],
)
def test_other_paths_stay_as_they_are(path):
    assert not carries_secret(path)
    assert redact_path(path) == path


@pytest.mark.django_db
def test_the_policy_leaves_djangos_debug_error_pages_readable(settings, tenant):
    """With DEBUG on (a developer's laptop) Django's technical 404 page has inline styles."""
    settings.DEBUG = True
    response = client_for().get(f"/{tenant.slug}/no-such-page/")
    assert response.status_code == 404
    assert "<style" in response.content.decode()
    assert "Content-Security-Policy" not in response
    settings.DEBUG = False
    assert "Content-Security-Policy" in client_for().get(f"/{tenant.slug}/no-such-page/")
