"""A coordinator connects the tenant's identity providers in the browser's forms; the
provider's own discovery document or metadata is read (from the real test providers) before
anything is saved."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client
from django_scopes import scopes_disabled

from identity.models import IdentityProvider
from organisations.models import ActivityLog
from tests.factories.organisations import MembershipFactory, OrganisationFactory, TenantFactory
from tests.identity.conftest import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(tenant, coordinator):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    client = Client(HTTP_HOST="mentor.test")
    client.force_login(coordinator)
    return client


@pytest.fixture(autouse=True)
def _site_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mentor.test"]


def oidc_data(issuer, **extra):
    return {
        "name": "Älvby kommun",
        "issuer": issuer,
        "client_id": "alvby-client",
        "secret": "s3cret-value-never-shown",
        "domains": "alvby.se\n@Skola.Alvby.se",
        **extra,
    }


def provider_rows():
    with scopes_disabled():
        return IdentityProvider.objects.count(), SocialApp.objects.count()


def test_the_settings_page_links_to_the_providers(tenant, coordinator_client):
    body = coordinator_client.get(f"/{tenant.slug}/manage/").content.decode()
    assert f"/{tenant.slug}/manage/identity-providers/" in body
    body = coordinator_client.get(f"/{tenant.slug}/manage/identity-providers/").content.decode()
    assert "No provider yet" in body
    assert f"/{tenant.slug}/manage/identity-providers/new/oidc/" in body
    assert f"/{tenant.slug}/manage/identity-providers/new/saml/" in body


def test_a_coordinator_adds_an_oidc_provider(tenant, coordinator_client, oidc_idp):
    url = f"/{tenant.slug}/manage/identity-providers/new/oidc/"
    page = coordinator_client.get(url).content.decode()
    # The redirect URI for the provider's administrator, before saving.
    assert f"http://mentor.test/accounts/oidc/{tenant.slug}-1/login/callback/" in page
    response = coordinator_client.post(url, oidc_data(oidc_idp.issuer + "/"))
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(tenant=tenant)
    assert provider.domains == ["alvby.se", "skola.alvby.se"]
    assert provider.app.settings["server_url"] == oidc_idp.issuer
    assert provider.app.provider_id == f"{tenant.slug}-1"
    assert provider.app.secret == "s3cret-value-never-shown"

    edit = coordinator_client.get(response["Location"]).content.decode()
    assert "s3cret-value-never-shown" not in edit
    assert "A secret is saved" in edit
    # Saved again without a secret: the saved one stays.
    response = coordinator_client.post(
        response["Location"], oidc_data(oidc_idp.issuer, secret="", name="Älvby")
    )
    assert response.status_code == 302
    provider.app.refresh_from_db()
    assert provider.app.secret == "s3cret-value-never-shown" and provider.app.name == "Älvby"
    log = list(
        ActivityLog.objects.filter(tenant=tenant, action__startswith="identity.").values_list(
            "action", "data"
        )
    )
    assert [action for action, _data in log] == [
        "identity.provider_changed",
        "identity.provider_added",
    ]
    assert log[0][1]["secret_changed"] is False
    assert "s3cret" not in str(log)


@pytest.mark.parametrize(
    ("issuer", "says"),
    [
        ("unreachable", "could not be reached"),
        ("not_oidc", "answered with status 404"),
        ("http://example.com/issuer", "must start with https://"),
    ],
)
def test_a_wrong_issuer_is_a_form_error(tenant, coordinator_client, saml_idp, issuer, says):
    issuer = {
        "unreachable": f"http://127.0.0.1:{free_port()}/o",
        "not_oidc": saml_idp.base,  # a server, but no discovery document
    }.get(issuer, issuer)
    response = coordinator_client.post(
        f"/{tenant.slug}/manage/identity-providers/new/oidc/", oidc_data(issuer)
    )
    assert response.status_code == 200
    assert says in response.content.decode()
    assert provider_rows() == (0, 0)


def test_a_bad_domain_is_a_form_error(tenant, coordinator_client, oidc_idp):
    response = coordinator_client.post(
        f"/{tenant.slug}/manage/identity-providers/new/oidc/",
        oidc_data(oidc_idp.issuer, domains="alvby"),
    )
    assert "alvby is not a domain" in response.content.decode()
    assert provider_rows() == (0, 0)


def test_one_domain_has_one_provider_per_tenant_but_two_tenants_may_share_it(
    tenant, coordinator_client, oidc_idp
):
    url = f"/{tenant.slug}/manage/identity-providers/new/oidc/"
    assert coordinator_client.post(url, oidc_data(oidc_idp.issuer)).status_code == 302
    response = coordinator_client.post(url, oidc_data(oidc_idp.issuer, domains="alvby.se"))
    assert "already sign in through" in response.content.decode()
    other = TenantFactory()
    theirs = MembershipFactory(tenant=other, is_coordinator=True).user
    client = Client(HTTP_HOST="mentor.test")
    client.force_login(theirs)
    response = client.post(
        f"/{other.slug}/manage/identity-providers/new/oidc/", oidc_data(oidc_idp.issuer)
    )
    assert response.status_code == 302
    assert provider_rows() == (2, 2)


def test_a_coordinator_adds_a_saml_provider_from_its_metadata(tenant, coordinator_client, saml_idp):
    organisation = OrganisationFactory(tenant=tenant, name="Bergby sjukhus")
    url = f"/{tenant.slug}/manage/identity-providers/new/saml/"
    page = coordinator_client.get(url).content.decode()
    acs = f"http://mentor.test/accounts/saml/{tenant.slug}-1/acs/"
    assert acs in page
    data = {
        "name": "Bergby sjukhus",
        "metadata_url": saml_idp.metadata_url,
        "domains": "bergby.se",
        "organisation": organisation.pk,
        "exclusive": "on",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(tenant=tenant)
    assert provider.exclusive and provider.organisation == organisation
    assert provider.app.settings["idp"]["entity_id"] == saml_idp.metadata_url
    assert provider.app.settings["idp"]["sso_url"] == f"{saml_idp.base}/sso"
    # The service's own metadata, for the IdP's administrator.
    metadata = coordinator_client.get(f"/accounts/saml/{tenant.slug}-1/metadata/")
    assert metadata.status_code == 200 and acs in metadata.content.decode()


def test_pasted_metadata_that_is_not_saml_is_a_form_error(tenant, coordinator_client):
    response = coordinator_client.post(
        f"/{tenant.slug}/manage/identity-providers/new/saml/",
        {"name": "X", "metadata_xml": "<html>nope</html>", "domains": "x.se"},
    )
    assert "The metadata describes no identity provider" in response.content.decode() or (
        "not valid SAML metadata" in response.content.decode()
    )
    assert provider_rows() == (0, 0)


def test_removing_a_provider(tenant, coordinator_client, oidc_idp):
    url = f"/{tenant.slug}/manage/identity-providers/new/oidc/"
    coordinator_client.post(url, oidc_data(oidc_idp.issuer))
    provider = IdentityProvider.objects.get(tenant=tenant)
    delete = f"/{tenant.slug}/manage/identity-providers/{provider.pk}/delete/"
    assert "Remove Älvby kommun?" in coordinator_client.get(delete).content.decode()
    assert coordinator_client.post(delete).status_code == 302
    assert provider_rows() == (0, 0)
    assert ActivityLog.objects.filter(tenant=tenant, action="identity.provider_removed").exists()


def test_another_tenants_provider_is_404_and_an_hr_contact_403(
    tenant, coordinator_client, oidc_idp, hr_contact
):
    other = TenantFactory(name="Annat nätverk")
    their_coordinator = MembershipFactory(tenant=other, is_coordinator=True).user
    client = Client(HTTP_HOST="mentor.test")
    client.force_login(their_coordinator)
    client.post(
        f"/{other.slug}/manage/identity-providers/new/oidc/",
        oidc_data(oidc_idp.issuer, name="Främmande konto"),
    )
    with scopes_disabled():
        theirs = IdentityProvider.objects.get(tenant=other)
    for path in (
        f"/{tenant.slug}/manage/identity-providers/{theirs.pk}/",
        f"/{tenant.slug}/manage/identity-providers/{theirs.pk}/delete/",
    ):
        assert coordinator_client.get(path).status_code == 404
        assert coordinator_client.post(path).status_code == 404
    listing = coordinator_client.get(f"/{tenant.slug}/manage/identity-providers/")
    assert "Främmande konto" not in listing.content.decode()
    hr = Client(HTTP_HOST="mentor.test")
    hr.force_login(hr_contact)
    assert hr.get(f"/{tenant.slug}/manage/identity-providers/").status_code == 403
    assert provider_rows() == (1, 1)


def test_the_operator_never_sees_a_secret_in_admin(tenant, coordinator_client, oidc_idp):
    from tests.factories.organisations import UserFactory

    coordinator_client.post(
        f"/{tenant.slug}/manage/identity-providers/new/oidc/", oidc_data(oidc_idp.issuer)
    )
    with scopes_disabled():
        provider = IdentityProvider.objects.get(tenant=tenant)
    operator = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    change = f"/admin/socialaccount/socialapp/{provider.app.pk}/change/"
    response = client.get(change)
    assert response.status_code == 200
    assert "s3cret-value-never-shown" not in response.content.decode()
    response = client.get(f"/admin/identity/identityprovider/{provider.pk}/change/")
    assert response.status_code == 200 and tenant.name in response.content.decode()
