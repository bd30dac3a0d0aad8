"""The nominating role's name per tenant: set on the tenant's settings page, used on the
public pages, the applicant's page, the HR home page and the nomination mails."""

import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from mentorship.mail import render_mail
from organisations import services
from organisations.models import ActivityLog, Tenant
from organisations.templatetags.tenant_tags import nominator
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory, UserFactory
from tests.organisations.test_start_page import open_round

pytestmark = pytest.mark.django_db


def name_it(tenant, name):
    Tenant.objects.filter(pk=tenant.pk).update(nominator_name=name)
    tenant.refresh_from_db()


def page(client, url):
    return html.unescape(client.get(url).content.decode())


def english_client(user=None):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    if user is not None:
        user.language = "en"
        user.save()
        client.force_login(user)
    return client


def test_the_default_is_translated_and_a_custom_name_is_shown_as_typed(tenant):
    with translation.override("sv"):
        assert tenant.nominator_label == "HR-kontakt"
    with translation.override("en"):
        assert tenant.nominator_label == "HR contact"
    name_it(tenant, "  förvaltningschef ")
    for language in ("sv", "en"):
        with translation.override(language):
            assert tenant.nominator_label == "förvaltningschef"


def test_a_coordinator_names_the_role_on_the_settings_page(tenant, coordinator):
    client = english_client(coordinator)
    url = reverse("organisations:tenant_page_edit", args=[tenant.slug])
    dashboard = page(client, reverse("organisations:dashboard", args=[tenant.slug]))
    assert url in dashboard
    assert "name of the nominating role" in page(client, url)
    response = client.post(
        url,
        {
            "introduction": "Hej",
            "contact_email": "hr@example.se",
            "nominator_name": "kontaktperson",
        },
    )
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.nominator_name == "kontaktperson"
    entry = ActivityLog.objects.filter(tenant=tenant, action="tenant.page_updated").last()
    assert entry.data["after"]["nominator_name"] == "kontaktperson"


def test_update_tenant_page_leaves_the_name_when_not_given(tenant, coordinator):
    name_it(tenant, "områdeschef")
    services.update_tenant_page(
        tenant=tenant, actor=coordinator, introduction="x", contact_email="a@example.se"
    )
    tenant.refresh_from_db()
    assert tenant.nominator_name == "områdeschef"


def test_public_pages_and_the_applicants_page_use_the_name(tenant):
    name_it(tenant, "area head")
    round_ = open_round(tenant, requires_nomination=True)
    client = english_client()
    home = page(client, reverse("organisations:tenant_home", args=[tenant.slug]))
    assert "your organisation's area head nominates the applicants" in home
    public = page(client, reverse("programmes:public_round", args=[tenant.slug, round_.pk]))
    assert "Your organisation's area head nominates the applicants." in public
    assert "HR contact nominates" not in public
    applicant = UserFactory()
    application = ApplicationFactory(
        round=round_, user=applicant, stage=Application.Stage.AWAITING_NOMINATION
    )
    client = english_client(applicant)
    mine = page(client, reverse("applications:my_applications", args=[tenant.slug]))
    assert "Your organisation's area head decides whether to nominate you." in mine
    # The application itself: its next step and the consent name the role too.
    edit = page(client, reverse("applications:edit", args=[tenant.slug, application.pk]))
    assert "Your organisation's area head decides whether to nominate you." in edit
    assert "HR contact" not in edit


def test_hr_home_title_uses_the_name(tenant):
    name_it(tenant, "contact person")
    org = OrganisationFactory(tenant=tenant)
    hr = MembershipFactory(
        tenant=tenant, is_coordinator=False, is_hr_contact=True, organisations=[org]
    ).user
    body = page(english_client(hr), reverse("organisations:hr_home", args=[tenant.slug]))
    assert "Contact person" in body.split("</title>")[0]
    assert "You are contact person for:" in body


@pytest.mark.parametrize("purpose", ["application_submitted", "nominated", "not_nominated"])
def test_nomination_mails_use_the_name(tenant, purpose):
    name_it(tenant, "förvaltningschef")
    round_ = open_round(tenant, requires_nomination=True)
    application = ApplicationFactory(round=round_)
    # As submit passes it: whether the round nominates this application's role.
    _subject, body, _html = render_mail(
        purpose=purpose,
        language="en",
        context={
            "application": application,
            "round": round_,
            "tenant": tenant,
            "asks_nomination": True,
        },
    )
    assert "förvaltningschef" in body
    assert "HR contact" not in body


def test_the_filter_without_a_tenant_is_empty():
    assert nominator(None) == ""


def test_the_default_in_a_mail_follows_the_recipients_language(tenant):
    round_ = open_round(tenant, requires_nomination=True)
    application = ApplicationFactory(round=round_)
    _subject, body, _html = render_mail(
        purpose="not_nominated",
        language="en",
        context={"application": application, "round": round_, "tenant": tenant},
    )
    assert "Your HR contact can tell you more." in body
