"""Every view of the organisations app against every kind of visitor.

anonymous → sign in; member of another tenant (or nobody's member) → 404; member without the
role → 403; right role → 200 with this tenant's data and none of the other tenant's.
"""

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from organisations.models import ActivityLog, Invitation, Membership, Organisation, Tenant
from organisations.services import invitation_key, log_activity
from tests.factories.organisations import InvitationFactory, OrganisationFactory

FOREIGN_TENANT = "Annat nätverk"
FOREIGN_ORG = "Främmande kommun"
FOREIGN_INVITEE = "framling@annat.example"
FOREIGN_SECRETS = (FOREIGN_TENANT, FOREIGN_ORG, FOREIGN_INVITEE)


@pytest.fixture
def world(tenant, organisation, coordinator, hr_contact, other_tenant, other_member, stranger):
    """This tenant with some of everything, and another tenant with data of its own."""
    invitation = InvitationFactory(tenant=tenant, email="inbjuden@example.se")
    invitation.organisations.set([organisation])
    log_activity(tenant=tenant, actor=coordinator, action="organisation.created", obj=organisation)
    foreign_org = other_tenant.organisations.get(name=FOREIGN_ORG)
    foreign_invitation = InvitationFactory(tenant=other_tenant, email=FOREIGN_INVITEE)
    log_activity(
        tenant=other_tenant, actor=other_member, action="organisation.created", obj=foreign_org
    )
    return SimpleNamespace(
        tenant=tenant,
        organisation=organisation,
        coordinator=coordinator,
        hr_contact=hr_contact,
        hr_membership=tenant.memberships.get(user=hr_contact),
        coordinator_membership=tenant.memberships.get(user=coordinator),
        invitation=invitation,
        other_tenant=other_tenant,
        other_member=other_member,
        foreign_org=foreign_org,
        foreign_invitation=foreign_invitation,
        stranger=stranger,
    )


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url_for(world, name, target=None):
    kwargs = {"tenant": world.tenant.slug}
    if target:
        kwargs["pk"] = getattr(world, target).pk
    return reverse(f"organisations:{name}", kwargs=kwargs)


def snapshot(world):
    """Everything a forbidden request could have changed."""
    org = Organisation.objects.get(pk=world.organisation.pk)
    invitation = Invitation.objects.get(pk=world.invitation.pk)
    hr = Membership.objects.filter(pk=world.hr_membership.pk).first()
    return {
        "organisations": sorted(Organisation.objects.values_list("pk", "name", "is_active")),
        "invitations": Invitation.objects.count(),
        "revoked": invitation.revoked_at,
        "memberships": sorted(
            Membership.objects.values_list("pk", "is_coordinator", "is_hr_contact")
        ),
        "hr_orgs": sorted(hr.organisations.values_list("pk", flat=True)) if hr else None,
        "activity": ActivityLog.objects.count(),
        "org_name": org.name,
    }


def assert_no_foreign_data(content):
    for secret in FOREIGN_SECRETS:
        assert secret not in content, f"{secret!r} leaked from another tenant"


# (url name, HTTP method, object the URL points at, POST data that would change something)
COORDINATOR_VIEWS = [
    ("dashboard", "get", None, None),
    ("organisation_list", "get", None, None),
    ("organisation_create", "get", None, None),
    ("organisation_create", "post", None, {"name": "Ny kommun", "kind": "municipality"}),
    ("organisation_edit", "get", "organisation", None),
    ("organisation_edit", "post", "organisation", {"name": "Omdöpt", "kind": "region"}),
    ("organisation_active", "post", "organisation", {"active": "0"}),
    ("team", "get", None, None),
    ("team", "post", None, {"email": "ny@example.se", "role": "coordinator"}),
    ("membership_edit", "get", "hr_membership", None),
    ("membership_edit", "post", "hr_membership", {"is_coordinator": "on"}),
    ("membership_remove", "post", "hr_membership", {}),
    ("invitation_revoke", "post", "invitation", {}),
    ("invitation_resend", "post", "invitation", {}),
    ("activity", "get", None, None),
]
HR_VIEWS = [("hr_home", "get", None, None)]
PROTECTED = COORDINATOR_VIEWS + HR_VIEWS
IDS = [f"{method}-{name}" for name, method, _target, _data in PROTECTED]


def request(client, method, url, data):
    if method == "get":
        return client.get(url)
    return client.post(url, data)


@pytest.mark.parametrize(("name", "method", "target", "data"), PROTECTED, ids=IDS)
def test_anonymous_is_sent_to_sign_in(
    world, name, method, target, data, django_capture_on_commit_callbacks
):
    url = url_for(world, name, target)
    before = snapshot(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = request(client_for(), method, url, data)
    assert response.status_code == 302
    location = urlsplit(response.url)
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [url]
    assert snapshot(world) == before
    assert mail.outbox == []


@pytest.mark.parametrize("outsider", ["other_member", "stranger"])
@pytest.mark.parametrize(("name", "method", "target", "data"), PROTECTED, ids=IDS)
def test_outsider_gets_404(
    world, outsider, name, method, target, data, django_capture_on_commit_callbacks
):
    before = snapshot(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = request(
            client_for(getattr(world, outsider)), method, url_for(world, name, target), data
        )
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert world.organisation.name not in response.content.decode()
    assert snapshot(world) == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "method", "target", "data", "member"),
    [(*view, "hr_contact") for view in COORDINATOR_VIEWS] + [(*HR_VIEWS[0], "coordinator")],
    ids=[f"hr-{i}" for i in IDS[:-1]] + ["coordinator-get-hr_home"],
)
def test_member_without_the_role_gets_403(
    world, name, method, target, data, member, django_capture_on_commit_callbacks
):
    before = snapshot(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = request(
            client_for(getattr(world, member)), method, url_for(world, name, target), data
        )
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert snapshot(world) == before
    assert mail.outbox == []


def _expected_content(world, name):
    org, tenant = world.organisation, world.tenant
    return {
        "dashboard": [
            tenant.name,
            # Figures link to their lists; the one organisation and the two members are counted.
            f'href="{url_for(world, "organisation_list")}">1</a>',
            f'href="{url_for(world, "team")}">2</a>',
            org.name,  # recent activity
        ],
        "organisation_list": [
            tenant.name,
            org.name,
            url_for(world, "organisation_edit", "organisation"),
            url_for(world, "organisation_active", "organisation"),
        ],
        "organisation_create": [tenant.name, 'name="name"', f">{org.name}</option>"],
        "organisation_edit": [tenant.name, f'value="{org.name}"'],
        "team": [
            tenant.name,
            world.coordinator.email,
            world.hr_contact.email,
            org.name,
            world.invitation.email,
            url_for(world, "invitation_revoke", "invitation"),
            url_for(world, "membership_edit", "hr_membership"),
        ],
        "membership_edit": [
            world.hr_contact.full_name,
            f'value="{org.pk}"',
            url_for(world, "membership_remove", "hr_membership"),
        ],
        "activity": [tenant.name, world.coordinator.full_name, org.name],
        "hr_home": [tenant.name, f"<li>{org.name}</li>"],
    }[name]


@pytest.mark.parametrize(
    ("name", "member"),
    [(name, "coordinator") for name, method, _t, _d in COORDINATOR_VIEWS if method == "get"]
    + [("hr_home", "hr_contact")],
)
def test_right_role_sees_own_tenant_data_only(world, name, member):
    target = {"organisation_edit": "organisation", "membership_edit": "hr_membership"}.get(name)
    response = client_for(getattr(world, member)).get(url_for(world, name, target))
    assert response.status_code == 200
    content = response.content.decode()
    for expected in _expected_content(world, name):
        assert expected in content, f"{expected!r} missing from {name}"
    assert_no_foreign_data(content)


def test_membership_form_checks_the_hr_contacts_organisations(world):
    other = OrganisationFactory(tenant=world.tenant, name="Inte vald kommun")
    response = client_for(world.coordinator).get(url_for(world, "membership_edit", "hr_membership"))
    form = response.context["form"]
    assert list(form.fields["organisations"].queryset) == sorted(
        [world.organisation, other], key=lambda o: o.name
    )
    assert form.initial == {
        "is_coordinator": False,
        "is_hr_contact": True,
        "organisations": [world.organisation],
    }


def test_invitation_form_offers_only_own_active_organisations(world):
    archived = OrganisationFactory(tenant=world.tenant, name="Arkiverad kommun", is_active=False)
    response = client_for(world.coordinator).get(url_for(world, "team"))
    offered = list(response.context["form"].fields["organisations"].queryset)
    assert offered == [world.organisation]
    assert archived.name not in response.content.decode()


def test_hr_contact_sees_only_own_organisations(world):
    OrganisationFactory(tenant=world.tenant, name="Grannkommunen")
    response = client_for(world.hr_contact).get(url_for(world, "hr_home"))
    content = response.content.decode()
    assert f"<li>{world.organisation.name}</li>" in content
    assert "Grannkommunen" not in content


# --- POST views with the right role ------------------------------------------------------


def test_coordinator_posts_change_things(world, django_capture_on_commit_callbacks):
    client = client_for(world.coordinator)
    team_url = url_for(world, "team")
    list_url = url_for(world, "organisation_list")

    response = client.post(url_for(world, "organisation_active", "organisation"), {"active": "0"})
    assert response.status_code == 302 and response.url == list_url
    assert Organisation.objects.get(pk=world.organisation.pk).is_active is False

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url_for(world, "invitation_resend", "invitation"))
    assert response.status_code == 302 and response.url == team_url
    assert [m.to for m in mail.outbox] == [[world.invitation.email]]
    world.invitation.refresh_from_db()
    assert world.invitation.revoked_at is not None  # replaced by the new one
    new = Invitation.objects.filter(
        tenant=world.tenant, email=world.invitation.email, revoked_at__isnull=True
    ).get()

    response = client.post(
        reverse(
            "organisations:invitation_revoke", kwargs={"tenant": world.tenant.slug, "pk": new.pk}
        )
    )
    assert response.status_code == 302 and response.url == team_url
    new.refresh_from_db()
    assert new.revoked_at is not None

    response = client.post(url_for(world, "membership_remove", "hr_membership"))
    assert response.status_code == 302 and response.url == team_url
    assert not Membership.objects.filter(pk=world.hr_membership.pk).exists()


# --- another tenant's objects under this tenant's address --------------------------------


@pytest.mark.parametrize(
    ("name", "method", "target", "data"),
    [
        ("organisation_edit", "get", "organisation", None),
        ("organisation_edit", "post", "organisation", {"name": "Kapad", "kind": "region"}),
        ("organisation_active", "post", "organisation", {"active": "0"}),
        ("membership_edit", "get", "hr_membership", None),
        ("membership_edit", "post", "hr_membership", {"is_coordinator": "on"}),
        ("membership_remove", "post", "hr_membership", {}),
        ("invitation_revoke", "post", "invitation", {}),
        ("invitation_resend", "post", "invitation", {}),
    ],
)
def test_objects_of_tenant_a_are_404_under_tenant_b(
    world, name, method, target, data, django_capture_on_commit_callbacks
):
    """Tenant B's coordinator puts tenant A's ids into tenant B's addresses."""
    url = reverse(
        f"organisations:{name}",
        kwargs={"tenant": world.other_tenant.slug, "pk": getattr(world, target).pk},
    )
    before = snapshot(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = request(client_for(world.other_member), method, url, data)
    assert response.status_code == 404
    assert world.organisation.name not in response.content.decode()
    assert snapshot(world) == before
    assert mail.outbox == []


def test_invitation_link_of_tenant_a_is_unknown_under_tenant_b(world):
    key = invitation_key(world.invitation)
    url = reverse(
        "organisations:invitation", kwargs={"tenant": world.other_tenant.slug, "key": key}
    )
    response = client_for().get(url)
    assert response.status_code == 410
    content = response.content.decode()
    assert world.invitation.email not in content
    assert response.context["error"].code == "unknown"
    assert response.context["can_request_new"] is False
    # Asking for a renewal through the wrong tenant is not possible either.
    response = client_for().post(url.rstrip("/") + "/renew/")
    assert response.status_code == 404


# --- public pages -------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", [None, "other_member", "hr_contact", "coordinator"])
def test_tenant_home_is_public_and_shows_links_by_role(world, visitor):
    response = client_for(getattr(world, visitor) if visitor else None).get(
        url_for(world, "tenant_home")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f"<h1>{world.tenant.name}</h1>" in content
    assert world.tenant.contact_email in content
    assert_no_foreign_data(content)
    assert (url_for(world, "dashboard") in content) is (visitor == "coordinator")
    assert (url_for(world, "hr_home") in content) is (visitor == "hr_contact")


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-tenant/",
        "/no-such-tenant/manage/",
        "/no-such-tenant/hr/",
        "/no-such-tenant/invitation/abc/",
    ],
)
@pytest.mark.parametrize("visitor", [None, "coordinator"])
def test_unknown_tenant_is_404(world, path, visitor):
    response = client_for(getattr(world, visitor) if visitor else None).get(path)
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_inactive_tenant_is_404_even_for_its_coordinator(world):
    Tenant.objects.filter(pk=world.tenant.pk).update(is_active=False)
    client = client_for(world.coordinator)
    for path in (url_for(world, "tenant_home"), url_for(world, "dashboard")):
        assert client.get(path).status_code == 404
    # …and it disappears from the start page.
    assert world.tenant.name not in client.get("/").content.decode()


def test_start_page_lists_own_memberships_only(world):
    response = client_for(world.coordinator).get(reverse("start"))
    assert response.status_code == 200
    content = response.content.decode()
    assert world.tenant.name in content
    assert url_for(world, "dashboard") in content
    assert url_for(world, "hr_home") not in content
    assert_no_foreign_data(content)


def test_start_page_lists_every_tenant_of_a_person(world):
    Membership.objects.create(tenant=world.other_tenant, user=world.hr_contact, is_coordinator=True)
    response = client_for(world.hr_contact).get(reverse("start"))
    content = response.content.decode()
    assert world.tenant.name in content and FOREIGN_TENANT in content
    assert url_for(world, "hr_home") in content
    assert reverse("organisations:dashboard", kwargs={"tenant": world.other_tenant.slug}) in content


def test_start_page_for_anonymous_offers_sign_in(world):
    response = client_for().get(reverse("start"))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="{reverse("account_login")}"' in content
    assert world.tenant.name not in content


def test_profile_requires_sign_in(world):
    response = client_for().get(reverse("profile"))
    assert response.status_code == 302
    location = urlsplit(response.url)
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [reverse("profile")]


def test_profile_shows_own_details(world):
    response = client_for(world.hr_contact).get(reverse("profile"))
    assert response.status_code == 200
    content = response.content.decode()
    assert world.hr_contact.email in content
    assert f'value="{world.hr_contact.full_name}"' in content
    assert world.coordinator.email not in content


def test_language_view_accepts_only_post(world):
    assert client_for().get(reverse("set_language")).status_code == 405
    response = client_for().post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["mentorship_language"].value == "en"
