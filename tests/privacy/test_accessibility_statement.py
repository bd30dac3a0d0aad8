"""The accessibility statement (lag 2018:1937, in DIGG's form), linked from every public
page of a tenant, with the tenant's contact address and its own known shortcomings."""

from django.test import Client
from django.urls import reverse

from programmes.models import Round
from tests.factories.organisations import MembershipFactory
from tests.factories.programmes import RoundFactory


def anonymous(language="en"):
    client = Client()
    client.cookies["mentorship_language"] = language
    return client


def test_every_public_page_links_to_the_statement(tenant, other_tenant):
    round_ = RoundFactory(programme__tenant=tenant, status=Round.Status.OPEN)
    statement = reverse("privacy:accessibility", kwargs={"tenant": tenant.slug})
    for page in (
        reverse("organisations:tenant_home", kwargs={"tenant": tenant.slug}),
        reverse("programmes:public_round", kwargs={"tenant": tenant.slug, "pk": round_.pk}),
    ):
        body = anonymous().get(page).content.decode()
        assert f'href="{statement}"' in body, page


def test_the_statement_in_digg_form_with_the_tenants_details(tenant, other_tenant):
    tenant.contact_email = "mentor@kommun.example"
    tenant.accessibility_shortcomings = "Vår inbjudan som PDF saknar rubriker\n\n"
    tenant.save()
    body = anonymous().get(reverse("privacy:accessibility", kwargs={"tenant": tenant.slug}))
    text = body.content.decode()
    assert body.status_code == 200
    for part in (
        "partially compliant",
        "Content that is not accessible",
        "Report shortcomings",
        "mailto:mentor@kommun.example",
        "https://www.digg.se/tdosanmalan",
        "How we tested the service",
        "4 December 2026",
        "<li>Vår inbjudan som PDF saknar rubriker</li>",
    ):
        assert part in text, part
    other = anonymous().get(reverse("privacy:accessibility", kwargs={"tenant": other_tenant.slug}))
    assert "Vår inbjudan" not in other.content.decode()
    assert "mentor@kommun.example" not in other.content.decode()


def test_coordinators_add_their_own_shortcomings_on_the_settings_page(tenant):
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    client = Client()
    client.force_login(coordinator)
    page = reverse("organisations:tenant_page_edit", kwargs={"tenant": tenant.slug})
    assert 'name="accessibility_shortcomings"' in client.get(page).content.decode()
    response = client.post(
        page,
        {
            "introduction": "",
            "contact_email": tenant.contact_email,
            "nominator_name": "",
            "accessibility_shortcomings": "Filmen saknar textning",
        },
    )
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.accessibility_shortcomings == "Filmen saknar textning"
