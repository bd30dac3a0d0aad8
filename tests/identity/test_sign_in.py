"""Sign-in through a tenant's own identity provider, against real providers on 127.0.0.1:
django-oauth-toolkit's OpenID Connect provider and a SAML IdP signing with xmlsec (see
conftest.py). Nothing of either protocol is mocked."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django_scopes import scope, scopes_disabled

from identity import services
from identity.remote import fetch_oidc_configuration, parse_saml_metadata
from organisations.models import ActivityLog, User
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    TenantFactory,
    UserFactory,
)
from tests.identity import flows

pytestmark = pytest.mark.django_db
SITE = "mentor.test"


@pytest.fixture(autouse=True)
def _site_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SITE]


def english_client():
    # A browser always names the host (python3-saml reads it, and wants a dotted name).
    client = Client(HTTP_HOST=SITE)
    client.cookies["mentorship_language"] = "en"
    return client


@pytest.fixture
def alvby(db):
    return TenantFactory(slug="alvby", name="Älvby mentorprogram")


@pytest.fixture
def bergby(db):
    return TenantFactory(slug="bergby", name="Bergby nätverk")


def oidc_provider(tenant, idp, *, client_id, domains=("alvby.se",), **flags):
    issuer, doc = fetch_oidc_configuration(idp.issuer)
    with scope(tenant=tenant):
        return services.create_provider(
            tenant=tenant,
            actor=None,
            kind="oidc",
            name="Älvby kommun",
            domains=list(domains),
            protocol_settings=services.oidc_settings(
                issuer=issuer, end_session_endpoint=doc.get("end_session_endpoint", "")
            ),
            client_id=client_id,
            secret=f"{client_id}-secret",
            **flags,
        )


def saml_provider(tenant, idp, *, domains=("bergby.se",), **flags):
    with scope(tenant=tenant):
        return services.create_provider(
            tenant=tenant,
            actor=None,
            kind="saml",
            name="Bergby sjukhus",
            domains=list(domains),
            protocol_settings=services.saml_settings(
                idp=parse_saml_metadata(url=idp.metadata_url), metadata_url=idp.metadata_url
            ),
            **flags,
        )


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def user_count():
    return User.objects.count()


def refusals(tenant):
    with scopes_disabled():
        return list(
            ActivityLog.objects.filter(
                tenant=tenant, action="identity.sign_in_refused"
            ).values_list("data__reason", flat=True)
        )


# --- OpenID Connect ----------------------------------------------------------------------


def test_a_manager_signs_in_with_oidc_and_lands_on_her_application(alvby, oidc_idp):
    provider = oidc_provider(alvby, oidc_idp, client_id="alvby-client")
    maria = UserFactory(email="maria.manager@alvby.se", full_name="", language="en")
    application = ApplicationFactory(
        round__programme__tenant=alvby, user=maria, job_title="", full_name="Maria"
    )
    next_url = f"/alvby/my/applications/{application.pk}/"
    client = english_client()
    authorize = flows.start(
        client, alvby, "Maria.Manager@alvby.se", next_url=next_url, provider_name="Älvby kommun"
    )
    assert authorize.startswith(oidc_idp.issuer + "/authorize/")
    response = flows.through_oidc(client, authorize, "maria")

    assert response.status_code == 302 and response["Location"] == next_url
    page = client.get(next_url)
    assert page.status_code == 200 and page.context["user"] == maria
    with scopes_disabled():
        maria.refresh_from_db()
        application.refresh_from_db()
        assert maria.full_name == "Maria Chef"  # empty before: filled from the claims
        assert application.job_title == "Enhetschef"
        assert EmailAddress.objects.get(user=maria).verified
        account = SocialAccount.objects.get(user=maria)
        assert account.provider == provider.provider_id == "alvby-1"
        linked = ActivityLog.objects.get(tenant=alvby, action="identity.account_linked")
        assert linked.actor == maria and linked.data == {"provider_id": "alvby-1"}
        assert "token" not in str(ActivityLog.objects.filter(tenant=alvby).values("data"))

    # Signing out ends the session here and offers the provider's own sign-out.
    response = client.post("/accounts/logout/", follow=True)
    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[-1][0] == f"/alvby/signed-out/?provider={provider.pk}"
    body = response.content.decode()
    assert "Sign out at Älvby kommun" in body
    assert f'href="{oidc_idp.issuer}/logout/"' in body
    # The next sign-in finds the link.
    again = flows.through_oidc(
        client,
        flows.start(client, alvby, maria.email, next_url=next_url, provider_name="Älvby kommun"),
        "maria",
    )
    assert again["Location"] == next_url
    assert SocialAccount.objects.filter(user=maria).count() == 1


def test_a_name_the_person_wrote_is_not_overwritten(alvby, oidc_idp):
    oidc_provider(alvby, oidc_idp, client_id="alvby-client")
    maria = UserFactory(email="maria.manager@alvby.se", full_name="Maria Egen")
    client = english_client()
    flows.through_oidc(
        client, flows.start(client, alvby, maria.email, provider_name="Älvby kommun"), "maria"
    )
    maria.refresh_from_db()
    assert maria.full_name == "Maria Egen"


@pytest.mark.parametrize(
    ("username", "email", "reason", "says"),
    [
        ("nomail", "x@alvby.se", "no_email", "did not tell us your e-mail address"),
        ("unverified", "overifierad@alvby.se", "unverified_email", "has not been verified"),
        ("stranger", "someone@alvby.se", "unknown_domain", "an address at gmail.com"),
        ("newbie", "ny.sokande@alvby.se", "no_account", "There is no account for"),
    ],
)
def test_oidc_refusals_create_nothing(alvby, oidc_idp, username, email, reason, says):
    oidc_provider(alvby, oidc_idp, client_id="alvby-client")
    UserFactory(email="overifierad@alvby.se")  # an account exists: still refused
    users = user_count()
    client = english_client()
    response = flows.through_oidc(
        client, flows.start(client, alvby, email, provider_name="Älvby kommun"), username
    )
    assert response.status_code == 403
    assert says in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert user_count() == users and SocialAccount.objects.count() == 0
    assert refusals(alvby) == [reason]


def test_sign_up_through_the_provider_only_where_the_tenant_allows_it(alvby, oidc_idp):
    oidc_provider(alvby, oidc_idp, client_id="alvby-client", allow_signup=True)
    client = english_client()
    response = flows.through_oidc(
        client,
        flows.start(client, alvby, "ny.sokande@alvby.se", provider_name="Älvby kommun"),
        "newbie",
    )
    assert response.status_code == 302
    user = User.objects.get(email="ny.sokande@alvby.se")
    assert user.full_name == "Ny Sökande" and not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    with scopes_disabled():
        assert ActivityLog.objects.filter(
            tenant=alvby, action="identity.account_created", actor=user
        ).exists()


def test_an_open_invitation_lets_the_provider_create_the_account(alvby, oidc_idp):
    oidc_provider(alvby, oidc_idp, client_id="alvby-client")
    InvitationFactory(tenant=alvby, email="ny.sokande@alvby.se")
    client = english_client()
    response = flows.through_oidc(
        client,
        flows.start(client, alvby, "ny.sokande@alvby.se", provider_name="Älvby kommun"),
        "newbie",
    )
    assert response.status_code == 302
    assert User.objects.filter(email="ny.sokande@alvby.se").exists()


def test_a_provider_of_another_tenant_is_refused(alvby, bergby, oidc_idp):
    """Both tenants claim alvby.se; each provider signs in on its own tenant's pages only."""
    oidc_provider(alvby, oidc_idp, client_id="alvby-client")
    theirs = oidc_provider(bergby, oidc_idp, client_id="bergby-client")
    UserFactory(email="maria.manager@alvby.se")
    users = user_count()
    client = english_client()
    # Started on Älvby's sign-in page, then sent to Bergby's provider.
    client.post("/alvby/sign-in/", {"email": "maria.manager@alvby.se"})
    response = client.post(f"/accounts/oidc/{theirs.provider_id}/login/", {"process": "login"})
    response = flows.through_oidc(client, response["Location"], "bergbo")
    assert response.status_code == 403
    assert "signs in to Bergby nätverk only" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert user_count() == users and SocialAccount.objects.count() == 0
    assert refusals(bergby) == ["other_tenant"]

    # On Bergby's own page the same domain goes to Bergby's provider and works.
    response = flows.through_oidc(
        client,
        flows.start(client, bergby, "maria.manager@alvby.se", provider_name="Älvby kommun"),
        "bergbo",
    )
    assert response.status_code == 302
    assert SocialAccount.objects.get().provider == "bergby-1"


# --- the sign-in page and the password --------------------------------------------------


def test_an_unknown_domain_signs_in_with_the_password(alvby, oidc_idp):
    oidc_provider(alvby, oidc_idp, client_id="alvby-client", exclusive=True)
    verified(UserFactory(email="karin@example.se", password="ett-langt-losen-1"))
    client = english_client()
    response = client.post("/alvby/sign-in/", {"email": "karin@example.se"})
    body = response.content.decode()
    assert "Sign in with your account at" not in body
    assert 'name="password"' in body
    response = client.post(
        "/accounts/login/", {"login": "karin@example.se", "password": "ett-langt-losen-1"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_an_exclusive_provider_blocks_the_password_for_its_domains(alvby, oidc_idp):
    oidc_provider(alvby, oidc_idp, client_id="alvby-client", exclusive=True)
    maria = verified(UserFactory(email="maria.manager@alvby.se", password="ett-langt-losen-1"))
    MembershipFactory(tenant=alvby, user=maria, is_coordinator=True)
    client = english_client()
    body = client.post("/alvby/sign-in/", {"email": maria.email}).content.decode()
    assert "Sign in with your account at Älvby kommun" in body
    assert 'name="password"' not in body
    # The password form elsewhere is refused too, and says where to go.
    response = english_client().post(
        "/accounts/login/", {"login": maria.email, "password": "ett-langt-losen-1"}
    )
    assert response.status_code == 403
    assert "/alvby/sign-in/" in response.content.decode()


def test_a_non_exclusive_provider_leaves_the_password(alvby, oidc_idp):
    oidc_provider(alvby, oidc_idp, client_id="alvby-client")
    maria = verified(UserFactory(email="maria.manager@alvby.se", password="ett-langt-losen-1"))
    MembershipFactory(tenant=alvby, user=maria, is_coordinator=True)
    client = english_client()
    body = client.post("/alvby/sign-in/", {"email": maria.email}).content.decode()
    assert "Sign in with your account at Älvby kommun" in body and 'name="password"' in body
    response = client.post(
        "/accounts/login/", {"login": maria.email, "password": "ett-langt-losen-1"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_login_page_points_to_the_tenants_own_sign_in(alvby, oidc_idp):
    body = english_client().get("/accounts/login/?next=/alvby/manage/").content.decode()
    assert "/alvby/sign-in/" not in body  # no provider yet
    oidc_provider(alvby, oidc_idp, client_id="alvby-client")
    body = english_client().get("/accounts/login/?next=/alvby/manage/").content.decode()
    assert "/alvby/sign-in/?next=%2Falvby%2Fmanage%2F" in body


# --- SAML ---------------------------------------------------------------------------------


@pytest.fixture
def hr_world(bergby, saml_idp):
    provider = saml_provider(bergby, saml_idp)
    organisation = OrganisationFactory(tenant=bergby, name="Bergby sjukhus")
    hanna = UserFactory(email="hanna.hr@bergby.se", full_name="", language="en")
    MembershipFactory(
        tenant=bergby,
        user=hanna,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[organisation],
    )
    return provider, hanna


def test_an_hr_contact_signs_in_with_saml(bergby, saml_idp, hr_world):
    provider, hanna = hr_world
    client = english_client()
    sso = flows.start(
        client, bergby, hanna.email, next_url="/bergby/hr/", provider_name="Bergby sjukhus"
    )
    assert sso.startswith(saml_idp.base + "/sso?SAMLRequest=")
    acs, fields = flows.saml_answer(sso, email=hanna.email, name="Hanna Hult")
    response = flows.post_to_acs(client, acs, fields)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == "/bergby/hr/"
    assert client.get("/bergby/hr/").status_code == 200
    hanna.refresh_from_db()
    assert hanna.full_name == "Hanna Hult"
    assert SocialAccount.objects.get(user=hanna).provider == provider.provider_id


@pytest.mark.parametrize("scenario", ["wrong_audience", "expired", "tampered", "other_key"])
def test_a_faulty_saml_answer_is_refused(bergby, saml_idp, hr_world, scenario):
    _provider, hanna = hr_world
    users = user_count()
    client = english_client()
    sso = flows.start(client, bergby, hanna.email, provider_name="Bergby sjukhus")
    acs, fields = flows.saml_answer(sso, email=hanna.email, scenario=scenario)
    response = flows.post_to_acs(client, acs, fields)
    body = response.content.decode()
    assert "could not be accepted" in body
    assert "_auth_user_id" not in client.session
    assert user_count() == users and SocialAccount.objects.count() == 0


def test_a_replayed_saml_answer_is_refused(bergby, saml_idp, hr_world):
    _provider, hanna = hr_world
    client = english_client()
    sso = flows.start(client, bergby, hanna.email, provider_name="Bergby sjukhus")
    acs, fields = flows.saml_answer(sso, email=hanna.email)
    assert flows.post_to_acs(client, acs, fields).status_code == 302
    client.post("/accounts/logout/")
    # The same answer again, in the same browser and in another one.
    for replaying in (client, english_client()):
        replaying.post("/bergby/sign-in/", {"email": hanna.email})
        response = flows.post_to_acs(replaying, acs, fields)
        assert "_auth_user_id" not in replaying.session
        assert response.status_code == 403
        assert "already been used" in response.content.decode()


def test_saml_without_an_address_is_refused(bergby, saml_idp, hr_world):
    _provider, hanna = hr_world
    client = english_client()
    sso = flows.start(client, bergby, hanna.email, provider_name="Bergby sjukhus")
    acs, fields = flows.saml_answer(sso, email=hanna.email, name="Hanna", scenario="no_email")
    response = flows.post_to_acs(client, acs, fields)
    assert response.status_code == 403
    assert "did not tell us your e-mail address" in response.content.decode()
    assert SocialAccount.objects.count() == 0
