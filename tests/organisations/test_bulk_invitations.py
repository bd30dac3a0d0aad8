"""Inviting many people at once from the team page: same role, the invitation service for
each, members skipped, an invalid address refuses the whole list."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from organisations import services
from organisations.models import ActivityLog, Invitation, Organisation, Role
from tests.factories.organisations import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_split_addresses_takes_lines_commas_semicolons():
    text = "a@example.se\nB@example.se, c@example.se;d@example.se  a@example.se\n\n"
    assert services.split_addresses(text) == [
        "a@example.se",
        "b@example.se",
        "c@example.se",
        "d@example.se",
    ]


def test_invite_many_invites_each_and_skips_members(
    tenant, coordinator, organisation, django_capture_on_commit_callbacks
):
    MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[organisation],
        user__email="redan@example.se",
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations, skipped = services.invite_many(
            tenant=tenant,
            actor=coordinator,
            emails=["ny1@example.se", "redan@example.se", "ny2@example.se"],
            role=Role.HR_CONTACT,
            organisations=[organisation],
        )
    assert [i.email for i in invitations] == ["ny1@example.se", "ny2@example.se"]
    assert skipped == ["redan@example.se"]
    assert all(list(i.organisations.all()) == [organisation] for i in invitations)
    assert sorted(m.to[0] for m in mail.outbox) == ["ny1@example.se", "ny2@example.se"]
    assert ActivityLog.objects.filter(tenant=tenant, action="invitation.sent").count() == 2


def test_an_hr_contact_for_another_organisation_is_invited(tenant, coordinator, organisation):
    MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[organisation],
        user__email="hr@example.se",
    )
    other = OrganisationFactory(tenant=tenant, name="Annan kommun")
    invitations, skipped = services.invite_many(
        tenant=tenant,
        actor=coordinator,
        emails=["hr@example.se"],
        role=Role.HR_CONTACT,
        organisations=[other],
    )
    assert len(invitations) == 1 and skipped == []


def test_one_invalid_address_sends_nothing(tenant, coordinator, django_capture_on_commit_callbacks):
    with (
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as exc,
    ):
        services.invite_many(
            tenant=tenant,
            actor=coordinator,
            emails=["ok@example.se", "inte-en-adress", "x@"],
            role=Role.COORDINATOR,
        )
    assert "inte-en-adress, x@" in exc.value.message_dict["emails"][0]
    assert not Invitation.objects.filter(tenant=tenant).exists()
    assert mail.outbox == []


def team(tenant, name="team"):
    return reverse(f"organisations:{name}", kwargs={"tenant": tenant.slug})


def english_client(user):
    user.language = "en"
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_team_page_bulk_form_sends_and_summarises(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    client = english_client(coordinator)
    assert team(tenant, "team_invite_many") in client.get(team(tenant)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            team(tenant, "team_invite_many"),
            {"emails": f"a@example.se\nb@example.se; {coordinator.email}", "role": "coordinator"},
            follow=True,
        )
    body = response.content.decode()
    assert "2 invitations have been sent." in body
    assert f"not invited again: {coordinator.email}" in body
    assert len(mail.outbox) == 2


def test_team_page_bulk_form_names_the_invalid_address(tenant, coordinator, organisation):
    client = english_client(coordinator)
    response = client.post(
        team(tenant, "team_invite_many"),
        {
            "emails": "a@example.se, trasig@",
            "role": "hr_contact",
            "organisations": [organisation.pk],
        },
    )
    assert response.status_code == 400
    assert "These are not e-mail addresses: trasig@" in response.content.decode()
    assert not Invitation.objects.filter(tenant=tenant).exists()


def test_team_page_bulk_form_refuses_another_tenants_organisation(
    tenant, coordinator, other_tenant
):
    with scopes_disabled():
        foreign = Organisation.objects.get(tenant=other_tenant)
    response = english_client(coordinator).post(
        team(tenant, "team_invite_many"),
        {"emails": "a@example.se", "role": "hr_contact", "organisations": [foreign.pk]},
    )
    assert response.status_code == 400
    assert not Invitation.objects.filter(tenant=tenant).exists()
