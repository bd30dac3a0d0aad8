"""The tenant's two-factor policy for coordinators and HR contacts, and the audit of
sign-ins and second factors (organisations.twofactor)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
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
from django_scopes import scopes_disabled

from organisations.models import ActivityLog
from organisations.twofactor import MFA_BY_PROVIDER, mark_mfa_by_provider
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import PASSWORD, MembershipFactory, TenantFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def code_for(secret):
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def strict(tenant):
    tenant.require_two_factor = True
    tenant.save(update_fields=["require_two_factor"])
    return tenant


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(user):
    """A client signed in through allauth's form, as a person does, who has also typed the
    password again (allauth asks for it before a second factor is added)."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def manage(tenant):
    return reverse("organisations:dashboard", kwargs={"tenant": tenant.slug})


def hr_home(tenant):
    return reverse("organisations:hr_home", kwargs={"tenant": tenant.slug})


def required(tenant):
    return reverse("organisations:two_factor_required", kwargs={"tenant": tenant.slug})


def actions(tenant, user):
    with scopes_disabled():
        return list(
            ActivityLog.objects.filter(tenant=tenant, object_id=str(user.pk))
            .order_by("id")
            .values_list("action", flat=True)
        )


@pytest.mark.django_db
def test_policy_on_stops_a_coordinator_without_a_second_factor(strict, coordinator):
    client = signed_in(english(coordinator))
    wanted = f"{manage(strict)}?x=1"
    response = client.get(wanted)
    assert response.status_code == 302
    assert response.url == required(strict)
    # Every staff page, not only the dashboard.
    team = reverse("organisations:team", kwargs={"tenant": strict.slug})
    assert client.get(team).url == required(strict)

    page = client.get(required(strict)).content.decode()
    assert f"{strict.name} requires two-factor authentication" in page
    assert reverse("mfa_activate_totp") in page
    assert reverse("mfa_add_webauthn") in page
    # The pages to set it up, the account page and signing out stay open.
    for path in ("/me/", reverse("mfa_index"), reverse("mfa_activate_totp")):
        assert client.get(path).status_code == 200, path
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(manage(strict)).url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_an_hr_contact_is_stopped_on_the_hr_pages(strict, hr_contact):
    client = signed_in(english(hr_contact))
    assert client.get(hr_home(strict)).url == required(strict)


@pytest.mark.django_db
def test_after_setting_up_totp_she_continues_to_the_page_she_wanted(
    strict, coordinator, django_capture_on_commit_callbacks
):
    client = signed_in(english(coordinator))
    client.get(manage(strict))

    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200  # a wrong code: the form says so, nothing saved
    assert not Authenticator.objects.filter(user=coordinator).exists()
    # allauth announces the new authenticator once its transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mfa_activate_totp"), {"code": code_for(secret)}, follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
    page = response.content.decode()
    assert "Continue to the page you wanted to open" in page
    assert f'href="{manage(strict)}"' in page

    assert client.get(manage(strict)).status_code == 200
    page = client.get(required(strict)).content.decode()  # says she has it now
    assert "Your account has two-factor authentication." in page
    assert f'href="{manage(strict)}"' in page
    assert actions(strict, coordinator) == ["account.signed_in", "mfa.added", "mfa.added"]
    with scopes_disabled():
        added = ActivityLog.objects.filter(tenant=strict, action="mfa.added").order_by("id")
        assert [entry.data for entry in added] == [{"kind": "totp"}, {"kind": "recovery_codes"}]
        assert {entry.actor for entry in added} == {coordinator}


@pytest.mark.django_db
def test_a_coordinator_with_totp_signs_in_with_the_code_and_gets_in(strict, coordinator):
    english(coordinator)
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": "123456"})
    client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert client.get(manage(strict)).status_code == 200
    assert actions(strict, coordinator) == ["account.second_factor_failed", "account.signed_in"]
    with scopes_disabled():
        entry = ActivityLog.objects.get(tenant=strict, action="account.signed_in")
    assert entry.data == {"method": "password", "second_factor": "totp"}


@pytest.mark.django_db
def test_recovery_codes_alone_are_no_second_factor(strict, coordinator):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(coordinator)
    client = signed_in(english(coordinator))
    assert client.get(manage(strict)).url == required(strict)


@pytest.mark.django_db
def test_a_provider_that_did_the_second_factor_counts(strict, coordinator):
    client = signed_in(english(coordinator))
    session = client.session
    session[MFA_BY_PROVIDER] = True
    session.save()
    assert client.get(manage(strict)).status_code == 200

    class Request:
        session = {}

    request = Request()
    mark_mfa_by_provider(request)
    assert request.session == {MFA_BY_PROVIDER: True}


@pytest.mark.django_db
def test_policy_off_stops_nobody(tenant, coordinator, hr_contact):
    assert not tenant.require_two_factor
    assert signed_in(english(coordinator)).get(manage(tenant)).status_code == 200
    assert signed_in(english(hr_contact)).get(hr_home(tenant)).status_code == 200
    page = signed_in(coordinator).get(required(tenant)).content.decode()
    assert "not required for you here" in page


@pytest.mark.django_db
def test_applicants_and_participants_are_never_stopped(strict):
    applicant = english(UserFactory())
    with scopes_disabled():
        ApplicationFactory(user=applicant, round__programme__tenant=strict)
    client = signed_in(applicant)
    my = reverse("applications:my_applications", kwargs={"tenant": strict.slug})
    response = client.get(my)
    assert response.status_code == 200
    assert (
        client.get(reverse("organisations:tenant_home", kwargs={"tenant": strict.slug})).status_code
        == 200
    )
    # Not a member: the staff pages stay closed as before (404), not the set-up page.
    assert client.get(manage(strict)).status_code == 404
    assert client.get(required(strict)).status_code == 404


@pytest.mark.django_db
def test_the_coordinator_turns_the_policy_on_on_the_tenant_page(tenant, coordinator):
    english(coordinator)
    client = Client()
    client.force_login(coordinator)
    url = reverse("organisations:tenant_page_edit", kwargs={"tenant": tenant.slug})
    page = client.get(url).content.decode()
    assert "Require two-factor authentication for coordinators and HR contacts" in page
    response = client.post(
        url,
        {
            "introduction": tenant.introduction,
            "contact_email": tenant.contact_email,
            "nominator_name": "",
            "require_two_factor": "on",
        },
    )
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.require_two_factor
    with scopes_disabled():
        entry = ActivityLog.objects.filter(tenant=tenant, action="tenant.page_updated").get()
    assert entry.data["before"]["require_two_factor"] is False
    assert entry.data["after"]["require_two_factor"] is True
    # She has no second factor herself: the next management page asks for it.
    assert client.get(manage(tenant)).url == required(tenant)


@pytest.mark.django_db
def test_sign_ins_are_logged_in_each_tenant_of_the_person_without_secrets(tenant, coordinator):
    second = TenantFactory()
    MembershipFactory(tenant=second, user=coordinator, is_coordinator=False, is_hr_contact=True)
    english(coordinator)
    client = Client()
    client.post(reverse("account_login"), {"login": coordinator.email, "password": "wrong-one"})
    client.post(reverse("account_login"), {"login": "nobody@example.se", "password": "x"})
    client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    for each in (tenant, second):
        assert actions(each, coordinator) == ["account.sign_in_failed", "account.signed_in"]
    with scopes_disabled():
        rows = list(ActivityLog.objects.filter(action__startswith="account.").order_by("id"))
        assert len(rows) == 4
        text = repr([(r.data, r.object_repr) for r in rows])
    assert "wrong-one" not in text and PASSWORD not in text
    assert "nobody@example.se" not in text and coordinator.email not in text
    assert rows[0].actor is None  # a failed attempt is nobody's act
    assert {r.data.get("method") for r in rows if r.action == "account.signed_in"} == {"password"}


@pytest.mark.django_db
def test_removing_a_second_factor_is_logged(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    client = signed_in(english(coordinator))
    TOTP.activate(coordinator, generate_totp_secret())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=coordinator, type="totp").exists()
    assert actions(tenant, coordinator) == ["account.signed_in", "mfa.removed"]


def test_the_operator_sets_the_policy_when_creating_a_tenant_in_the_admin(
    db, django_capture_on_commit_callbacks
):
    from organisations.models import Tenant, User

    operator = User.objects.create_superuser("operator@example.se", "ett-langt-losenord-42")
    client = Client()
    client.force_login(operator)
    form = client.get("/admin/organisations/tenant/add/").content.decode()
    assert 'name="require_two_factor"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/organisations/tenant/add/",
            {
                "slug": "strikt",
                "name": "Strikt nätverk",
                "default_language": "sv",
                "timezone": "Europe/Stockholm",
                "contact_email": "info@strikt.example",
                "retention_months": "24",
                "require_two_factor": "on",
                "is_active": "on",
                "first_coordinator_email": "ny.koordinator@example.se",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
                "memberships-MIN_NUM_FORMS": "0",
                "memberships-MAX_NUM_FORMS": "1000",
            },
        )
    assert response.status_code == 302
    assert Tenant.objects.get(slug="strikt").require_two_factor
