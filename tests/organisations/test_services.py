"""The write functions of the organisations app, called directly."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled

from organisations import services
from organisations.models import (
    ActivityLog,
    Invitation,
    Membership,
    Organisation,
    Role,
    Tenant,
    User,
)
from tests.factories.organisations import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    TenantFactory,
    UserFactory,
)


def logs(tenant, action):
    return list(ActivityLog.objects.filter(tenant=tenant, action=action).order_by("id"))


def world_counts():
    """Row counts in every tenant, so a write to the wrong tenant shows too."""
    with scopes_disabled():
        return (
            Tenant.objects.count(),
            Invitation.objects.count(),
            Membership.objects.count(),
            ActivityLog.objects.count(),
            Organisation.objects.count(),
        )


# --- invite -------------------------------------------------------------------------------


def test_invite_creates_a_pending_invitation_and_logs_it(
    tenant, coordinator, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            tenant=tenant,
            actor=coordinator,
            email="  Ny.Person@Example.SE ",
            role=Role.HR_CONTACT,
            organisations=[organisation],
        )
    assert invitation.email == "ny.person@example.se"
    assert invitation.is_pending
    assert invitation.invited_by == coordinator
    assert list(invitation.organisations.all()) == [organisation]
    assert (
        timedelta(days=13, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=14)
    )
    [entry] = logs(tenant, "invitation.sent")
    assert entry.actor == coordinator
    assert entry.object_id == str(invitation.pk)
    assert entry.data["after"] == {
        "email": "ny.person@example.se",
        "role": "hr_contact",
        "organisations": [organisation.name],
    }


def test_invite_replaces_pending_invitation_to_same_address_and_role(tenant, coordinator):
    first = services.invite(
        tenant=tenant, actor=coordinator, email="a@example.se", role=Role.COORDINATOR
    )
    other_role = services.invite(
        tenant=tenant,
        actor=coordinator,
        email="a@example.se",
        role=Role.HR_CONTACT,
        organisations=[OrganisationFactory(tenant=tenant)],
    )
    second = services.invite(
        tenant=tenant, actor=coordinator, email="A@example.se", role=Role.COORDINATOR
    )
    first.refresh_from_db()
    other_role.refresh_from_db()
    assert first.revoked_at is not None and not first.is_pending
    assert second.is_pending and second.token != first.token
    assert other_role.is_pending  # a different role is a different invitation
    # The old link no longer works.
    with pytest.raises(services.InvitationError) as exc:
        services.resolve_invitation(tenant=tenant, key=services.invitation_key(first))
    assert exc.value.code == "revoked"


def test_invite_does_not_touch_same_address_in_another_tenant(tenant, coordinator, other_tenant):
    foreign = InvitationFactory(tenant=other_tenant, email="a@example.se")
    services.invite(tenant=tenant, actor=coordinator, email="a@example.se", role=Role.COORDINATOR)
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_hr_contact_invitation_requires_organisations(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        services.invite(
            tenant=tenant, actor=coordinator, email="hr@example.se", role=Role.HR_CONTACT
        )
    assert "organisations" in exc.value.message_dict
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_invite_rejects_organisations_of_another_tenant(
    tenant, coordinator, other_tenant, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        foreign = other_tenant.organisations.get()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        services.invite(
            tenant=tenant,
            actor=coordinator,
            email="hr@example.se",
            role=Role.HR_CONTACT,
            organisations=[foreign],
        )
    assert "organisations" in exc.value.message_dict
    assert Invitation.objects.filter(tenant=tenant).count() == 0
    assert mail.outbox == []


def test_invite_rejects_unknown_role(tenant, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.invite(tenant=tenant, actor=coordinator, email="x@example.se", role="owner")
    assert "role" in exc.value.message_dict
    assert Invitation.objects.count() == 0


def test_invitation_mail_is_sent_only_after_commit(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = services.invite(
            tenant=tenant,
            actor=coordinator,
            email="ny@example.se",
            role=Role.COORDINATOR,
            base_url="https://mentor.example",
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["ny@example.se"]
    # The key carries a signing timestamp, so compare what the link leads to.
    link = re.search(rf"https://mentor\.example/{tenant.slug}/invitation/([^/\s]+)/", message.body)
    assert services.resolve_invitation(tenant=tenant, key=link.group(1)) == invitation
    assert f'href="{link.group(0)}"' in message.alternatives[0][0]
    assert tenant.name in message.subject
    assert coordinator.full_name in message.body  # "Sent by …"


def test_no_mail_when_the_transaction_rolls_back(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.invite(
            tenant=tenant, actor=coordinator, email="ny@example.se", role=Role.COORDINATOR
        )
        raise RuntimeError("something later failed")
    assert callbacks == []
    assert mail.outbox == []
    assert Invitation.objects.count() == 0


def _rendered_in(language, invitation, tenant):
    with translation.override(language):
        subject = gettext("Invitation to %(tenant)s") % {"tenant": tenant.name}
        until = date_filter(timezone.localtime(invitation.expires_at), "j F Y")
        role = str(Role(invitation.role).label)
    return subject, until, role


@pytest.mark.parametrize("tenant_language", ["sv", "en"])
def test_invitation_mail_uses_existing_users_language(
    tenant_language, coordinator, django_capture_on_commit_callbacks
):
    tenant = coordinator.memberships.get().tenant
    Tenant.objects.filter(pk=tenant.pk).update(default_language=tenant_language)
    tenant.refresh_from_db()
    UserFactory(email="english@example.se", language="en")
    with translation.override("sv"), django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            tenant=tenant, actor=coordinator, email="english@example.se", role=Role.COORDINATOR
        )
    [message] = mail.outbox
    subject, until, role = _rendered_in("en", invitation, tenant)
    assert message.subject == subject
    assert until in message.body  # English month name
    assert role in message.body
    assert until != _rendered_in("sv", invitation, tenant)[1]


@pytest.mark.parametrize("existing_language", [None, ""])
def test_invitation_mail_falls_back_to_tenants_swedish(
    tenant, coordinator, existing_language, django_capture_on_commit_callbacks
):
    assert tenant.default_language == "sv"
    if existing_language is not None:
        UserFactory(email="ny@example.se", language=existing_language)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            tenant=tenant, actor=coordinator, email="ny@example.se", role=Role.COORDINATOR
        )
    [message] = mail.outbox
    subject, until, role = _rendered_in("sv", invitation, tenant)
    assert message.subject == subject
    assert until in message.body  # Swedish month name, e.g. "3 mars 2026"
    assert until != _rendered_in("en", invitation, tenant)[1]
    assert role in message.body


# --- resolve_invitation -------------------------------------------------------------------


def test_resolve_finds_a_pending_invitation(tenant):
    invitation = InvitationFactory(tenant=tenant)
    assert (
        services.resolve_invitation(tenant=tenant, key=services.invitation_key(invitation))
        == invitation
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # signature changed
        lambda key: "x" + key,  # token changed
        lambda key: "not-a-key",
        lambda key: signing.dumps("whatever", salt="another.salt", compress=False),
    ],
)
def test_resolve_refuses_a_tampered_key(tenant, tamper):
    invitation = InvitationFactory(tenant=tenant)
    with pytest.raises(services.InvitationError) as exc:
        services.resolve_invitation(tenant=tenant, key=tamper(services.invitation_key(invitation)))
    assert exc.value.code == "tampered"
    assert exc.value.invitation is None


def test_resolve_refuses_another_tenants_invitation(tenant, other_tenant):
    invitation = InvitationFactory(tenant=other_tenant)
    with pytest.raises(services.InvitationError) as exc:
        services.resolve_invitation(tenant=tenant, key=services.invitation_key(invitation))
    assert exc.value.code == "unknown"
    assert exc.value.invitation is None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"revoked_at": timezone.now()}, "revoked"),
        ({"accepted_at": timezone.now()}, "used"),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "expired"),
    ],
)
def test_resolve_explains_an_unusable_invitation(tenant, change, code):
    invitation = InvitationFactory(tenant=tenant, **change)
    with pytest.raises(services.InvitationError) as exc:
        services.resolve_invitation(tenant=tenant, key=services.invitation_key(invitation))
    assert exc.value.code == code
    assert exc.value.invitation == invitation
    assert exc.value.message


# --- accept_invitation --------------------------------------------------------------------


def test_accept_gives_the_role_and_the_organisations(tenant, organisation):
    second = OrganisationFactory(tenant=tenant)
    OrganisationFactory(tenant=tenant)  # not part of the invitation
    invitation = InvitationFactory(tenant=tenant, email="hr@example.se", role=Role.HR_CONTACT)
    invitation.organisations.set([organisation, second])
    user = UserFactory(email="hr@example.se")
    membership = services.accept_invitation(tenant=tenant, invitation=invitation, user=user)
    assert membership.tenant == tenant and membership.user == user
    assert membership.is_hr_contact and not membership.is_coordinator
    assert set(membership.organisations.all()) == {organisation, second}
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    [entry] = logs(tenant, "invitation.accepted")
    assert entry.actor == user
    assert "before" not in entry.data  # a new membership
    assert entry.data["after"] == {"is_coordinator": False, "is_hr_contact": True}


def test_accept_adds_to_an_existing_membership(tenant, coordinator, organisation):
    invitation = InvitationFactory(tenant=tenant, email=coordinator.email, role=Role.HR_CONTACT)
    invitation.organisations.set([organisation])
    membership = services.accept_invitation(tenant=tenant, invitation=invitation, user=coordinator)
    assert membership.is_coordinator and membership.is_hr_contact
    assert Membership.objects.filter(tenant=tenant, user=coordinator).count() == 1
    [entry] = logs(tenant, "invitation.accepted")
    assert entry.data["before"] == {"is_coordinator": True, "is_hr_contact": False}
    assert entry.data["after"] == {"is_coordinator": True, "is_hr_contact": True}


def test_accept_is_single_use(tenant):
    invitation = InvitationFactory(tenant=tenant, email="ny@example.se")
    user = UserFactory(email="ny@example.se")
    services.accept_invitation(tenant=tenant, invitation=invitation, user=user)
    Membership.objects.filter(user=user).update(is_coordinator=False, is_hr_contact=True)
    with pytest.raises(services.InvitationError) as exc:
        services.accept_invitation(tenant=tenant, invitation=invitation, user=user)
    assert exc.value.code == "used"
    assert Membership.objects.get(user=user).is_coordinator is False  # not given twice
    assert len(logs(tenant, "invitation.accepted")) == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "revoked"),
    ],
)
def test_accept_refuses_expired_and_revoked(tenant, change, code):
    invitation = InvitationFactory(tenant=tenant, email="ny@example.se", **change)
    user = UserFactory(email="ny@example.se")
    with pytest.raises(services.InvitationError) as exc:
        services.accept_invitation(tenant=tenant, invitation=invitation, user=user)
    assert exc.value.code == code
    assert not Membership.objects.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_refuses_the_wrong_person_and_says_why(tenant):
    invitation = InvitationFactory(tenant=tenant, email="invited@example.se")
    intruder = UserFactory(email="someone.else@example.se")
    with pytest.raises(services.InvitationError) as exc:
        services.accept_invitation(tenant=tenant, invitation=invitation, user=intruder)
    assert exc.value.code == "wrong_user"
    assert "someone.else@example.se" in exc.value.message
    assert "invited@example.se" in exc.value.message
    assert not Membership.objects.filter(user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_ignores_case_of_the_address(tenant):
    invitation = InvitationFactory(tenant=tenant, email="Mixed.Case@Example.se")
    user = UserFactory(email="mixed.case@example.se")
    assert services.accept_invitation(tenant=tenant, invitation=invitation, user=user)


def test_accept_marks_an_existing_address_verified(tenant):
    user = UserFactory(email="ny@example.se")
    EmailAddress.objects.create(user=user, email="ny@example.se", primary=True, verified=False)
    invitation = InvitationFactory(tenant=tenant, email="ny@example.se")
    services.accept_invitation(tenant=tenant, invitation=invitation, user=user)
    [address] = EmailAddress.objects.filter(user=user)
    assert address.verified and address.primary


def test_accept_creates_a_verified_address(tenant):
    user = UserFactory(email="ny@example.se")
    invitation = InvitationFactory(tenant=tenant, email="ny@example.se")
    services.accept_invitation(tenant=tenant, invitation=invitation, user=user)
    [address] = EmailAddress.objects.filter(user=user)
    assert (address.email, address.verified, address.primary) == ("ny@example.se", True, True)


def test_accept_when_the_account_has_another_primary_address(tenant):
    """E.g. the operator corrected the person's address in the admin after they signed up."""
    user = UserFactory(email="ratt@example.se")
    EmailAddress.objects.create(user=user, email="fel@example.se", primary=True, verified=True)
    invitation = InvitationFactory(tenant=tenant, email="ratt@example.se")
    services.accept_invitation(tenant=tenant, invitation=invitation, user=user)
    assert Membership.objects.filter(tenant=tenant, user=user).exists()
    assert EmailAddress.objects.get(user=user, email="ratt@example.se").verified
    assert EmailAddress.objects.filter(user=user, primary=True).count() == 1


def test_accept_of_another_tenants_invitation_is_impossible(tenant, other_tenant):
    invitation = InvitationFactory(tenant=other_tenant, email="ny@example.se")
    user = UserFactory(email="ny@example.se")
    with pytest.raises(Invitation.DoesNotExist):
        services.accept_invitation(tenant=tenant, invitation=invitation, user=user)
    assert not Membership.objects.filter(user=user).exists()


# --- revoke and renewal -------------------------------------------------------------------


def test_revoke_withdraws_once(tenant, coordinator):
    invitation = InvitationFactory(tenant=tenant)
    services.revoke_invitation(tenant=tenant, actor=coordinator, invitation=invitation)
    invitation.refresh_from_db()
    first = invitation.revoked_at
    assert first is not None
    services.revoke_invitation(tenant=tenant, actor=coordinator, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at == first
    assert len(logs(tenant, "invitation.revoked")) == 1


def test_revoke_leaves_an_accepted_invitation_alone(tenant, coordinator):
    invitation = InvitationFactory(tenant=tenant, accepted_at=timezone.now())
    services.revoke_invitation(tenant=tenant, actor=coordinator, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert logs(tenant, "invitation.revoked") == []


def test_renewal_request_mails_every_coordinator_and_the_contact_address(
    tenant, coordinator, hr_contact, django_capture_on_commit_callbacks
):
    second = MembershipFactory(
        tenant=tenant, is_coordinator=True, user=UserFactory(language="en")
    ).user
    MembershipFactory(tenant=TenantFactory(), is_coordinator=True)  # someone else's coordinator
    invitation = InvitationFactory(
        tenant=tenant, email="late@example.se", expires_at=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_new_invitation(
            tenant=tenant, invitation=invitation, base_url="https://mentor.example"
        )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([coordinator.email, second.email, tenant.contact_email])
    team = f"https://mentor.example/{tenant.slug}/manage/team/#renewal-requests"
    for message in mail.outbox:
        assert "late@example.se" in message.subject
        assert team in message.body
    english = next(m for m in mail.outbox if m.to == [second.email])
    assert english.body == (
        f"late@example.se opened an invitation to {tenant.name} as coordinator that can no "
        "longer be used and asks for a new one.\n\n"
        "Send a new invitation from the page Coordinators and HR contacts:\n"
        f"{team}\n"
    )
    [entry] = logs(tenant, "invitation.renewal_requested")
    assert entry.actor is None and entry.data == {"email": "late@example.se"}
    invitation.refresh_from_db()
    assert invitation.renewal_requested_at is not None


def test_renewal_requests_reach_the_coordinators_at_most_once_a_day(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(tenant=tenant, expires_at=timezone.now() - timedelta(days=1))
    recipients = {coordinator.email, tenant.contact_email}
    sent = []
    # Ten requests on the same link, two hours apart: one reaches the coordinators.
    for _request in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(services.request_new_invitation(tenant=tenant, invitation=invitation))
        Invitation.objects.filter(pk=invitation.pk).update(
            renewal_requested_at=F("renewal_requested_at") - timedelta(hours=2)
        )
        ActivityLog.objects.filter(tenant=tenant).update(
            created_at=F("created_at") - timedelta(hours=2)
        )
    assert sent == [True] + [False] * 9
    assert sorted(m.to[0] for m in mail.outbox) == sorted(recipients)
    assert len(logs(tenant, "invitation.renewal_requested")) == 1

    # A day after the first request, the next one gets through again.
    Invitation.objects.filter(pk=invitation.pk).update(
        renewal_requested_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_new_invitation(tenant=tenant, invitation=invitation)
    assert len(mail.outbox) == 2 * len(recipients)


# --- memberships --------------------------------------------------------------------------


def test_last_coordinator_cannot_give_up_the_role(tenant, coordinator, organisation):
    membership = Membership.objects.get(tenant=tenant, user=coordinator)
    with pytest.raises(ValidationError):
        services.update_membership(
            tenant=tenant,
            actor=coordinator,
            membership=membership,
            is_coordinator=False,
            is_hr_contact=True,
            organisations=[organisation],
        )
    membership.refresh_from_db()
    assert membership.is_coordinator and not membership.is_hr_contact
    assert logs(tenant, "membership.updated") == []


def test_last_coordinator_of_this_tenant_counts_only_this_tenant(
    tenant, coordinator, organisation, other_tenant
):
    # other_tenant has a coordinator of its own; that must not make ours removable.
    membership = Membership.objects.get(tenant=tenant, user=coordinator)
    with pytest.raises(PermissionDenied):
        services.remove_membership(tenant=tenant, actor=coordinator, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_update_membership_changes_roles_and_logs_before_and_after(
    tenant, coordinator, organisation
):
    second_org = OrganisationFactory(tenant=tenant, name="Andra kommunen")
    colleague = MembershipFactory(tenant=tenant, is_coordinator=True)
    services.update_membership(
        tenant=tenant,
        actor=coordinator,
        membership=colleague,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[organisation, second_org],
    )
    colleague.refresh_from_db()
    assert not colleague.is_coordinator and colleague.is_hr_contact
    assert set(colleague.organisations.all()) == {organisation, second_org}
    [entry] = logs(tenant, "membership.updated")
    assert entry.actor == coordinator
    assert entry.object_id == str(colleague.user.pk)
    assert entry.data["before"] == {
        "is_coordinator": True,
        "is_hr_contact": False,
        "organisations": [],
    }
    assert entry.data["after"] == {
        "is_coordinator": False,
        "is_hr_contact": True,
        "organisations": sorted([organisation.name, second_org.name]),
    }


def test_dropping_hr_role_clears_organisations(tenant, coordinator, hr_contact):
    membership = Membership.objects.get(tenant=tenant, user=hr_contact)
    services.update_membership(
        tenant=tenant,
        actor=coordinator,
        membership=membership,
        is_coordinator=True,
        is_hr_contact=False,
        organisations=list(membership.organisations.all()),
    )
    membership.refresh_from_db()
    assert membership.is_coordinator and not membership.is_hr_contact
    assert list(membership.organisations.all()) == []


@pytest.mark.parametrize(
    ("roles", "field"),
    [
        ({"is_coordinator": False, "is_hr_contact": False}, None),
        ({"is_coordinator": False, "is_hr_contact": True}, "organisations"),
    ],
)
def test_update_membership_needs_a_role_and_organisations(
    tenant, coordinator, hr_contact, roles, field
):
    membership = Membership.objects.get(tenant=tenant, user=hr_contact)
    with pytest.raises(ValidationError) as exc:
        services.update_membership(
            tenant=tenant, actor=coordinator, membership=membership, organisations=[], **roles
        )
    if field:
        assert field in exc.value.message_dict
    membership.refresh_from_db()
    assert membership.is_hr_contact and membership.organisations.count() == 1


def test_update_membership_rejects_another_tenants_organisations(
    tenant, coordinator, hr_contact, other_tenant
):
    membership = Membership.objects.get(tenant=tenant, user=hr_contact)
    before = list(membership.organisations.all())
    with scopes_disabled():
        foreign = other_tenant.organisations.get()
    with pytest.raises(ValidationError) as exc:
        services.update_membership(
            tenant=tenant,
            actor=coordinator,
            membership=membership,
            is_coordinator=False,
            is_hr_contact=True,
            organisations=[foreign],
        )
    assert "organisations" in exc.value.message_dict
    assert list(membership.organisations.all()) == before


def test_update_membership_of_another_tenant_is_impossible(tenant, coordinator, other_tenant):
    with scopes_disabled():
        foreign = other_tenant.memberships.filter(is_hr_contact=True).get()
    with pytest.raises(Membership.DoesNotExist):
        services.update_membership(
            tenant=tenant,
            actor=coordinator,
            membership=foreign,
            is_coordinator=True,
            is_hr_contact=False,
            organisations=[],
        )
    foreign.refresh_from_db()
    assert not foreign.is_coordinator


def test_remove_last_coordinator_is_refused(tenant, coordinator):
    membership = Membership.objects.get(tenant=tenant, user=coordinator)
    with pytest.raises(PermissionDenied):
        services.remove_membership(tenant=tenant, actor=coordinator, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert logs(tenant, "membership.removed") == []


def test_remove_a_coordinator_when_another_remains(tenant, coordinator):
    colleague = MembershipFactory(tenant=tenant, is_coordinator=True)
    services.remove_membership(tenant=tenant, actor=coordinator, membership=colleague)
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    assert User.objects.filter(pk=colleague.user_id).exists()  # the account stays
    [entry] = logs(tenant, "membership.removed")
    assert entry.actor == coordinator and entry.object_id == str(colleague.user_id)


def test_remove_an_hr_contact(tenant, coordinator, hr_contact):
    membership = Membership.objects.get(tenant=tenant, user=hr_contact)
    services.remove_membership(tenant=tenant, actor=coordinator, membership=membership)
    assert not Membership.objects.filter(user=hr_contact).exists()


# --- organisations ------------------------------------------------------------------------


def test_save_organisation_creates_and_logs(tenant, coordinator):
    org = services.save_organisation(
        tenant=tenant,
        actor=coordinator,
        organisation=Organisation(
            name="Älvby stad", kind="municipality", region="Västra Götaland", place="Älvby"
        ),
    )
    assert org.pk and org.tenant == tenant
    [entry] = logs(tenant, "organisation.created")
    assert entry.actor == coordinator
    assert entry.object_id == str(org.pk) and entry.object_repr == "Älvby stad"
    assert "before" not in entry.data
    assert entry.data["after"] == {
        "name": "Älvby stad",
        "kind": "municipality",
        "region": "Västra Götaland",
        "place": "Älvby",
        "parent": None,
        "is_active": True,
    }


def test_save_organisation_update_logs_before_and_after(tenant, coordinator, organisation):
    parent = OrganisationFactory(tenant=tenant, name="Moderkommunen")
    old_name = organisation.name
    organisation.name = "Nytt namn"
    organisation.kind = "area"
    organisation.parent = parent
    services.save_organisation(tenant=tenant, actor=coordinator, organisation=organisation)
    [entry] = logs(tenant, "organisation.updated")
    assert entry.data["before"]["name"] == old_name
    assert entry.data["before"]["kind"] == "municipality"
    assert entry.data["before"]["parent"] is None
    assert entry.data["after"]["name"] == "Nytt namn"
    assert entry.data["after"]["kind"] == "area"
    assert entry.data["after"]["parent"] == "Moderkommunen"
    assert Organisation.objects.get(pk=organisation.pk).name == "Nytt namn"


def test_save_organisation_refuses_a_parent_of_another_tenant(tenant, coordinator, other_tenant):
    before = world_counts()
    with scopes_disabled():
        foreign = other_tenant.organisations.get()
    with pytest.raises(ValidationError) as exc:
        services.save_organisation(
            tenant=tenant, actor=coordinator, organisation=Organisation(name="Ny", parent=foreign)
        )
    assert "parent" in exc.value.message_dict
    assert world_counts() == before


def test_archive_and_reactivate_log_before_and_after(tenant, coordinator, organisation):
    services.set_organisation_active(
        tenant=tenant, actor=coordinator, organisation=organisation, active=False
    )
    assert Organisation.objects.get(pk=organisation.pk).is_active is False
    # Archiving again changes nothing and logs nothing.
    services.set_organisation_active(
        tenant=tenant, actor=coordinator, organisation=organisation, active=False
    )
    [archived] = logs(tenant, "organisation.archived")
    assert archived.actor == coordinator
    assert archived.data == {"before": {"is_active": True}, "after": {"is_active": False}}

    services.set_organisation_active(
        tenant=tenant, actor=coordinator, organisation=organisation, active=True
    )
    assert Organisation.objects.get(pk=organisation.pk).is_active is True
    [reactivated] = logs(tenant, "organisation.reactivated")
    assert reactivated.data == {"before": {"is_active": False}, "after": {"is_active": True}}


def test_set_active_on_another_tenants_organisation_is_impossible(
    tenant, coordinator, other_tenant
):
    with scopes_disabled():
        foreign = other_tenant.organisations.get()
    with pytest.raises(Organisation.DoesNotExist):
        services.set_organisation_active(
            tenant=tenant, actor=coordinator, organisation=foreign, active=False
        )
    foreign.refresh_from_db()
    assert foreign.is_active


def test_log_activity_without_a_signed_in_actor(tenant, organisation):
    entry = services.log_activity(
        tenant=tenant, actor=AnonymousUser(), action="x.y", obj=organisation, data={"k": 1}
    )
    assert entry.actor is None
    assert entry.content_type.model == "organisation"
    assert entry.data == {"k": 1}


# --- create_tenant ------------------------------------------------------------------------


def test_create_tenant_makes_an_existing_user_coordinator(db, django_capture_on_commit_callbacks):
    user = UserFactory(email="karin@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        tenant, invitation = services.create_tenant(
            slug="nytt-natverk",
            name="Nytt nätverk",
            contact_email="info@nytt.example",
            coordinator_email=" Karin@Example.se ",
        )
    assert invitation is None
    assert tenant.slug == "nytt-natverk" and tenant.default_language == "sv"
    membership = Membership.objects.get(tenant=tenant)
    assert membership.user == user and membership.is_coordinator
    assert Invitation.objects.filter(tenant=tenant).count() == 0
    assert mail.outbox == []
    assert [e.action for e in ActivityLog.objects.filter(tenant=tenant).order_by("id")] == [
        "tenant.created",
        "membership.created",
    ]


def test_create_tenant_invites_an_unknown_coordinator(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tenant, invitation = services.create_tenant(
            slug="nytt-natverk",
            name="Nytt nätverk",
            contact_email="info@nytt.example",
            coordinator_email="ny.koordinator@example.se",
            default_language="en",
            base_url="https://mentor.example",
        )
    assert invitation.tenant == tenant
    assert invitation.role == Role.COORDINATOR and invitation.is_pending
    assert Membership.objects.filter(tenant=tenant).count() == 0
    [message] = mail.outbox
    assert message.to == ["ny.koordinator@example.se"]
    assert services.invitation_url(invitation, "https://mentor.example") in message.body
    with translation.override("en"):
        assert message.subject == gettext("Invitation to %(tenant)s") % {"tenant": "Nytt nätverk"}


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"slug": "taken"}, "slug"),
        ({"slug": "admin"}, "slug"),
        ({"slug": "Manage"}, "slug"),
        ({"slug": "x"}, "slug"),
        ({"slug": "med mellanslag"}, "slug"),
        ({"name": "N" * 201}, "name"),
        ({"name": ""}, "name"),
        ({"contact_email": "inte-en-adress"}, "contact_email"),
        ({"timezone_name": "Mars/Olympus"}, "timezone"),
        ({"default_language": "de"}, "default_language"),
        ({"coordinator_email": "inte-en-adress"}, "coordinator_email"),
    ],
)
def test_create_tenant_refuses_invalid_input_and_saves_nothing(
    db, fields, error_field, django_capture_on_commit_callbacks
):
    TenantFactory(slug="taken")
    UserFactory(email="karin@example.se")
    before = world_counts()
    arguments = {
        "slug": "nytt",
        "name": "Nytt nätverk",
        "contact_email": "info@nytt.example",
        "coordinator_email": "ny@example.se",
        **fields,
    }
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        services.create_tenant(**arguments)
    assert error_field in exc.value.message_dict
    assert world_counts() == before
    assert mail.outbox == []


def test_update_profile(db):
    user = UserFactory(language="sv")
    services.update_profile(user=user, full_name="Nytt Namn", phone="070-123 45 67", language="en")
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.language) == ("Nytt Namn", "070-123 45 67", "en")


def _demote(tenant, actor, membership):
    services.update_membership(
        tenant=tenant,
        actor=actor,
        membership=membership,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=list(Organisation.objects.filter(tenant=tenant)[:1]),
    )


def _remove(tenant, actor, membership):
    services.remove_membership(tenant=tenant, actor=actor, membership=membership)


def _race(first, second):
    """Coordinators A and B of a fresh tenant: A does ``first`` to B while B does ``second``
    to A, released by a barrier on two threads with their own database connections."""
    import threading

    from django.db import connections
    from django_scopes import scopes_disabled

    with scopes_disabled():
        tenant = TenantFactory()
        OrganisationFactory(tenant=tenant)
        a = MembershipFactory(tenant=tenant, is_coordinator=True)
        b = MembershipFactory(tenant=tenant, is_coordinator=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(change, actor, target):
        try:
            with scopes_disabled(), translation.override("en"):
                barrier.wait(timeout=10)
                change(tenant, actor.user, target)
            outcomes.append("ok")
        except (ValidationError, PermissionDenied) as error:
            outcomes.append(" ".join(getattr(error, "messages", None) or [str(error)]))
        except Exception as error:  # pragma: no cover - reported by the assert below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(first, a, b)),
        threading.Thread(target=run, args=(second, b, a)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return tenant, outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "first, second",
    [(_demote, _demote), (_remove, _demote), (_remove, _remove)],
    ids=["demote-demote", "remove-demote", "remove-remove"],
)
def test_two_coordinators_demoting_each_other_at_once_leave_one(transactional_db, first, second):
    """Both at the same moment, on real PostgreSQL connections: no deadlock (one of them got a
    500 before), one change goes through, the other is told that the last coordinator cannot
    be removed. Raced a few times, as the deadlock needed the two to interleave."""
    from django.db import connection
    from django_scopes import scopes_disabled

    for _attempt in range(4):
        tenant, outcomes = _race(first, second)
        assert sorted(outcomes) == ["The last coordinator cannot be removed.", "ok"], outcomes
        with scopes_disabled():
            assert Membership.objects.filter(tenant=tenant, is_coordinator=True).count() == 1
            changed = ActivityLog.objects.filter(
                tenant=tenant, action__in=["membership.updated", "membership.removed"]
            )
            assert changed.count() == 1
    connection.close()
