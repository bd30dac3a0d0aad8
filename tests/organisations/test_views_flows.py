"""Whole flows through the test client: forms, invitations, sign-up and language.

People here read English (their account or a cookie says so), so the English texts can be
asserted whether or not the Swedish catalogue has been compiled.
"""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from organisations.models import (
    ActivityLog,
    Invitation,
    Membership,
    Organisation,
    Role,
    Tenant,
    User,
)
from organisations.services import invitation_key, resolve_invitation
from tests.factories.organisations import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

LINK = re.compile(r"http://testserver(/[^/\s]+/invitation/[^/\s]+/)")


@pytest.fixture
def english_coordinator(coordinator):
    User.objects.filter(pk=coordinator.pk).update(language="en")
    coordinator.refresh_from_db()
    return coordinator


@pytest.fixture
def coordinator_client(english_coordinator):
    client = Client()
    client.force_login(english_coordinator)
    return client


def anonymous_client():
    client = Client()
    client.cookies["mentorship_language"] = "en"
    return client


def urls(tenant, name, **kwargs):
    return reverse(f"organisations:{name}", kwargs={"tenant": tenant.slug, **kwargs})


def content_of(response):
    return response.content.decode()


def resolve_link(tenant, path):
    """The invitation behind a link (keys carry a signing timestamp, so compare by meaning)."""
    prefix = f"/{tenant.slug}/invitation/"
    assert path.startswith(prefix) and path.endswith("/")
    return resolve_invitation(tenant=tenant, key=path[len(prefix) : -1])


def template_names(response):
    return [t.name for t in response.templates]


# --- organisations ------------------------------------------------------------------------


def test_create_organisation(tenant, coordinator_client, english_coordinator):
    response = coordinator_client.post(
        urls(tenant, "organisation_create"),
        {
            "name": "Sjöviks kommun",
            "kind": "municipality",
            "region": "Västra Götaland",
            "place": "Sjövik",
            "parent": "",
        },
        follow=True,
    )
    assert response.redirect_chain == [(urls(tenant, "organisation_list"), 302)]
    org = Organisation.objects.get(tenant=tenant, name="Sjöviks kommun")
    assert (org.kind, org.region, org.place, org.parent, org.is_active) == (
        "municipality",
        "Västra Götaland",
        "Sjövik",
        None,
        True,
    )
    entry = ActivityLog.objects.get(tenant=tenant, action="organisation.created")
    assert entry.actor == english_coordinator and entry.object_id == str(org.pk)
    content = content_of(response)
    assert "Sjöviks kommun has been saved." in content
    assert urls(tenant, "organisation_edit", pk=org.pk) in content


def test_create_organisation_as_part_of_another(tenant, coordinator_client, organisation):
    coordinator_client.post(
        urls(tenant, "organisation_create"),
        {
            "name": "Socialförvaltningen",
            "kind": "area",
            "parent": organisation.pk,
        },
    )
    child = Organisation.objects.get(name="Socialförvaltningen")
    assert child.parent == organisation and child.tenant == tenant


@pytest.mark.parametrize("name", ["älvby stad", "ÄLVBY STAD", "  Älvby stad  "])
def test_duplicate_name_is_refused_next_to_the_field_and_in_the_summary(
    tenant, coordinator_client, name
):
    OrganisationFactory(tenant=tenant, name="Älvby stad")
    before = Organisation.objects.count()
    response = coordinator_client.post(
        urls(tenant, "organisation_create"), {"name": name, "kind": "municipality"}
    )
    assert response.status_code == 200
    assert Organisation.objects.count() == before
    assert ActivityLog.objects.filter(action="organisation.created").count() == 0
    content = content_of(response)
    message = "There is already an organisation with this name."
    assert f'<p class="error-message" id="id_name_error">{message}</p>' in content
    summary = content.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert f'<a href="#id_name">Name: {message}</a>' in summary
    assert 'aria-describedby="id_name_error"' in content


def test_same_name_as_another_tenants_organisation_is_fine(
    tenant, coordinator_client, other_tenant
):
    response = coordinator_client.post(
        urls(tenant, "organisation_create"), {"name": "Främmande kommun", "kind": "municipality"}
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Främmande kommun").count() == 1
    with scopes_disabled():
        assert Organisation.objects.filter(name="Främmande kommun").count() == 2


def test_renaming_keeps_own_name_but_refuses_a_sibling(tenant, coordinator_client, organisation):
    OrganisationFactory(tenant=tenant, name="Grannen")
    url = urls(tenant, "organisation_edit", pk=organisation.pk)
    response = coordinator_client.post(url, {"name": organisation.name.upper(), "kind": "region"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.kind == "region"
    entry = ActivityLog.objects.get(action="organisation.updated")
    assert entry.data["before"]["kind"] == "municipality"
    assert entry.data["after"]["kind"] == "region"

    response = coordinator_client.post(url, {"name": "grannen", "kind": "region"})
    assert response.status_code == 200
    assert "id_name_error" in content_of(response)
    organisation.refresh_from_db()
    assert organisation.name != "grannen"


def test_name_over_200_characters_is_refused(tenant, coordinator_client):
    response = coordinator_client.post(
        urls(tenant, "organisation_create"), {"name": "Å" * 201, "kind": "municipality"}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["name"]] == ["max_length"]
    assert 'id="id_name_error"' in content_of(response)
    assert Organisation.objects.count() == 0


def test_parent_of_another_tenant_is_refused(tenant, coordinator_client, other_tenant):
    with scopes_disabled():
        foreign = other_tenant.organisations.get()
    response = coordinator_client.post(
        urls(tenant, "organisation_create"), {"name": "Ny", "kind": "area", "parent": foreign.pk}
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    with scopes_disabled():
        assert not Organisation.objects.filter(name="Ny").exists()


def test_organisation_cannot_be_part_of_itself(tenant, coordinator_client, organisation):
    child = OrganisationFactory(tenant=tenant, name="Barnet", parent=organisation)
    response = coordinator_client.post(
        urls(tenant, "organisation_edit", pk=organisation.pk),
        {"name": organisation.name, "kind": "municipality", "parent": child.pk},
    )
    assert response.status_code == 200
    assert "An organisation cannot be part of itself." in content_of(response)
    organisation.refresh_from_db()
    assert organisation.parent is None


def test_archive_and_reactivate(tenant, coordinator_client, organisation):
    url = urls(tenant, "organisation_active", pk=organisation.pk)
    response = coordinator_client.post(url, {"active": "0"}, follow=True)
    assert response.redirect_chain == [(urls(tenant, "organisation_list"), 302)]
    organisation.refresh_from_db()
    assert organisation.is_active is False
    content = content_of(response)
    assert f"{organisation.name} has been archived." in content
    assert "Archived" in content
    assert '<input type="hidden" name="active" value="1">' in content
    # An archived organisation is not offered to new HR contacts or as a parent.
    team = coordinator_client.get(urls(tenant, "team"))
    assert organisation not in team.context["form"].fields["organisations"].queryset
    new = coordinator_client.get(urls(tenant, "organisation_create"))
    assert organisation not in new.context["form"].fields["parent"].queryset

    response = coordinator_client.post(url, {"active": "1"}, follow=True)
    organisation.refresh_from_db()
    assert organisation.is_active is True
    assert f"{organisation.name} is active again." in content_of(response)
    assert [e.action for e in ActivityLog.objects.order_by("id")] == [
        "organisation.archived",
        "organisation.reactivated",
    ]


def test_dashboard_counts_only_active_organisations(tenant, coordinator_client, organisation):
    OrganisationFactory(tenant=tenant, is_active=False)
    OrganisationFactory(tenant=tenant)
    response = coordinator_client.get(urls(tenant, "dashboard"))
    assert response.context["organisation_count"] == 2
    assert f'href="{urls(tenant, "organisation_list")}">2</a>' in content_of(response)


# --- invitations through the team page ----------------------------------------------------


def test_invitation_journey_from_team_page_to_new_account(
    tenant,
    coordinator_client,
    english_coordinator,
    organisation,
    django_capture_on_commit_callbacks,
):
    # 1. The coordinator invites an HR contact.
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            urls(tenant, "team"),
            {
                "email": "Ny.Person@Example.se",
                "role": "hr_contact",
                "organisations": [organisation.pk],
            },
            follow=True,
        )
    assert response.redirect_chain == [(urls(tenant, "team"), 302)]
    content = content_of(response)
    assert "The invitation has been sent to Ny.Person@Example.se." in content
    assert "ny.person@example.se" in content.split('id="invitations-title"', 1)[1]
    [message] = mail.outbox
    assert message.to == ["ny.person@example.se"]
    assert tenant.name in message.subject
    assert organisation.name in message.body
    path = LINK.search(message.body).group(1)
    invitation = Invitation.objects.get(tenant=tenant, email="ny.person@example.se")
    assert resolve_link(tenant, path) == invitation

    # 2. The link opens anonymously and offers to create an account.
    visitor = anonymous_client()
    response = visitor.get(path)
    assert response.status_code == 200
    content = content_of(response)
    assert "ny.person@example.se" in content and organisation.name in content
    signup_link = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', content).group(1)
    assert parse_qs(urlsplit(signup_link.replace("&amp;", "&")).query) == {"next": [path]}

    # 3. Sign-up is open for this browser, with the invited address filled in.
    response = visitor.get(signup_link)
    assert response.status_code == 200
    assert "account/signup.html" in template_names(response)
    assert response.context["form"].initial["email"] == "ny.person@example.se"
    assert 'value="ny.person@example.se"' in content_of(response)

    response = visitor.post(
        reverse("account_signup"),
        {
            "email": "ny.person@example.se",
            "full_name": "Ny Person",
            "password1": "ett-langt-losenord-42",
            "password2": "ett-langt-losenord-42",
            "next": path,
        },
    )
    assert response.status_code == 302
    assert response.url == path
    user = User.objects.get(email="ny.person@example.se")
    assert user.full_name == "Ny Person"
    assert user.language == "en"  # the language the person signed up in
    # Following the link proved the address: no confirmation mail, already verified.
    assert EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1

    # 4. Signed in, the person accepts.
    response = visitor.get(path)
    assert response.status_code == 200
    assert '<form method="post">' in content_of(response)
    response = visitor.post(path, follow=True)
    assert response.redirect_chain == [(reverse("start"), 302)]
    membership = Membership.objects.get(tenant=tenant, user=user)
    assert membership.is_hr_contact and not membership.is_coordinator
    assert list(membership.organisations.all()) == [organisation]
    content = content_of(response)
    assert f"Welcome to {tenant.name}." in content
    assert urls(tenant, "hr_home") in content
    assert visitor.get(urls(tenant, "hr_home")).status_code == 200

    # 5. The link cannot be used again.
    response = anonymous_client().get(path)
    assert response.status_code == 410
    assert "This invitation has already been used." in content_of(response)


def test_hr_contact_invitation_without_organisations_shows_error(
    tenant, coordinator_client, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            urls(tenant, "team"), {"email": "hr@example.se", "role": "hr_contact"}
        )
    assert response.status_code == 200
    assert "An HR contact needs at least one organisation." in content_of(response)
    assert "organisations" in response.context["form"].errors
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_invalid_email_on_team_page(tenant, coordinator_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            urls(tenant, "team"), {"email": "inte en adress", "role": "coordinator"}
        )
    assert response.status_code == 200
    assert 'id="id_email_error"' in content_of(response)
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_resend_replaces_the_link_and_revoke_withdraws_it(
    tenant, coordinator_client, organisation, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(tenant=tenant, email="hr@example.se", role=Role.HR_CONTACT)
    invitation.organisations.set([organisation])
    old_path = urls(tenant, "invitation", key=invitation_key(invitation))
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            urls(tenant, "invitation_resend", pk=invitation.pk), follow=True
        )
    assert "A new invitation has been sent to hr@example.se." in content_of(response)
    [message] = mail.outbox
    new = Invitation.objects.get(tenant=tenant, revoked_at__isnull=True)
    assert list(new.organisations.all()) == [organisation]
    new_path = LINK.search(message.body).group(1)
    assert resolve_link(tenant, new_path) == new
    assert anonymous_client().get(old_path).status_code == 410
    assert anonymous_client().get(new_path).status_code == 200

    response = coordinator_client.post(urls(tenant, "invitation_revoke", pk=new.pk), follow=True)
    assert "The invitation to hr@example.se has been withdrawn." in content_of(response)
    assert response.context["invitations"] == []
    response = anonymous_client().get(new_path)
    assert response.status_code == 410
    assert "This invitation has been withdrawn." in content_of(response)


# --- unusable invitation links ------------------------------------------------------------


@pytest.fixture
def problem_invitation(tenant):
    def make(state):
        changes = {
            "expired": {"expires_at": timezone.now() - timedelta(days=1)},
            "used": {"accepted_at": timezone.now()},
            "revoked": {"revoked_at": timezone.now()},
        }[state]
        return InvitationFactory(tenant=tenant, email="late@example.se", **changes)

    return make


@pytest.mark.parametrize(
    ("state", "status", "message"),
    [
        ("expired", 410, "This invitation has expired."),
        ("used", 410, "This invitation has already been used."),
        ("revoked", 410, "This invitation has been withdrawn."),
    ],
)
def test_unusable_invitation_explains_and_offers_a_new_one(
    tenant, problem_invitation, state, status, message
):
    invitation = problem_invitation(state)
    key = invitation_key(invitation)
    response = anonymous_client().get(urls(tenant, "invitation", key=key))
    assert response.status_code == status
    assert "organisations/invitation_problem.html" in template_names(response)
    content = content_of(response)
    assert f'<p class="message message--error">{message}</p>' in content
    assert "Ask for a new invitation" in content
    assert f'action="{urls(tenant, "invitation_renew", key=key)}"' in content
    # A fixed request: nothing to type that would reach the coordinators.
    form = content[content.index('action="' + urls(tenant, "invitation_renew", key=key)) :]
    form = form[: form.index("</form>")]
    assert "<textarea" not in form
    assert re.findall(r'<input[^>]*name="([^"]+)"', form) == ["csrfmiddlewaretoken"]


@pytest.mark.parametrize("key", ["garbage", "tampered"])
def test_tampered_link_is_400_without_a_renewal_form(tenant, key):
    invitation = InvitationFactory(tenant=tenant)
    if key == "tampered":
        real = invitation_key(invitation)
        key = real[:-2] + ("xx" if not real.endswith("xx") else "yy")
    response = anonymous_client().get(urls(tenant, "invitation", key=key))
    assert response.status_code == 400
    content = content_of(response)
    assert "This invitation link is not valid. Check that you copied the whole link." in content
    assert "/renew/" not in content
    assert f'href="mailto:{tenant.contact_email}"' in content
    assert invitation.email not in content


def test_asking_for_a_new_invitation_mails_the_coordinators(
    tenant,
    english_coordinator,
    coordinator_client,
    problem_invitation,
    django_capture_on_commit_callbacks,
):
    second = MembershipFactory(tenant=tenant, is_coordinator=True).user
    MembershipFactory(tenant=tenant, is_coordinator=False, is_hr_contact=True)
    invitation = problem_invitation("expired")
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous_client().post(
            urls(tenant, "invitation_renew", key=invitation_key(invitation)),
            # Text posted anyway is not passed on.
            {"message": "Klicka här: http://elak.example/"},
        )
    assert response.status_code == 200
    assert "organisations/invitation_renewal_sent.html" in template_names(response)
    assert "The coordinators have been told." in content_of(response)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [english_coordinator.email, second.email, tenant.contact_email]
    )
    english = next(m for m in mail.outbox if m.to == [english_coordinator.email])
    assert english.subject == "late@example.se asks for a new invitation"
    assert all("elak.example" not in m.body for m in mail.outbox)
    team = f"http://testserver{urls(tenant, 'team')}#renewal-requests"
    assert english.body.endswith(
        f"Send a new invitation from the page Coordinators and HR contacts:\n{team}\n"
    )
    assert ActivityLog.objects.filter(action="invitation.renewal_requested").count() == 1

    # The coordinator follows the link: the request is listed with a button that sends a new one.
    page = content_of(coordinator_client.get(urls(tenant, "team")))
    section = page[page.index('id="renewal-requests"') :]
    assert "late@example.se" in section
    resend = urls(tenant, "invitation_resend", pk=invitation.pk)
    assert f'action="{resend}"' in section
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(resend)
    [new_invitation] = mail.outbox
    assert new_invitation.to == ["late@example.se"]
    page = content_of(coordinator_client.get(urls(tenant, "team")))
    assert 'id="renewal-requests"' not in page


def test_ten_renewal_requests_on_the_web_send_one_mail_per_coordinator(
    tenant, english_coordinator, problem_invitation, django_capture_on_commit_callbacks
):
    invitation = problem_invitation("expired")
    client = anonymous_client()
    for _request in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(urls(tenant, "invitation_renew", key=invitation_key(invitation)))
        assert "The coordinators have been told." in content_of(response)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [english_coordinator.email, tenant.contact_email]
    )


def test_renewal_for_a_usable_link_goes_back_to_it(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(tenant=tenant)
    key = invitation_key(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous_client().post(urls(tenant, "invitation_renew", key=key))
    assert response.status_code == 302
    assert response.url == urls(tenant, "invitation", key=key)
    assert mail.outbox == []


def test_renewal_for_a_tampered_link_is_404(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous_client().post(urls(tenant, "invitation_renew", key="garbage"))
    assert response.status_code == 404
    assert mail.outbox == []


def test_signed_in_as_someone_else_gets_403_with_explanation(tenant, coordinator):
    invitation = InvitationFactory(tenant=tenant, email="invited@example.se")
    someone = UserFactory(email="someone@example.se", language="en")
    client = Client()
    client.force_login(someone)
    path = urls(tenant, "invitation", key=invitation_key(invitation))
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 403
        content = content_of(response)
        assert (
            "You are signed in as someone@example.se, but the invitation was sent to "
            "invited@example.se." in content
        )
        assert "/renew/" not in content  # a new invitation would not help
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user=someone).exists()


def test_anonymous_post_to_an_invitation_accepts_nothing(tenant):
    invitation = InvitationFactory(tenant=tenant)
    path = urls(tenant, "invitation", key=invitation_key(invitation))
    response = anonymous_client().post(path)
    assert response.status_code == 302 and response.url == path
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_existing_user_signs_in_and_accepts(tenant, coordinator):
    user = UserFactory(email="kollega@example.se", language="en")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    invitation = InvitationFactory(tenant=tenant, email="kollega@example.se")
    path = urls(tenant, "invitation", key=invitation_key(invitation))
    client = anonymous_client()
    sign_in = re.search(
        r'href="(/accounts/login/\?next=[^"]+)"', content_of(client.get(path))
    ).group(1)
    response = client.post(
        sign_in, {"login": "kollega@example.se", "password": "test-password-123"}
    )
    assert response.status_code == 302 and response.url == path
    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("start")
    assert Membership.objects.get(tenant=tenant, user=user).is_coordinator


# --- sign-up is closed without an invitation ----------------------------------------------


def test_signup_is_closed_without_an_invitation(db):
    client = anonymous_client()
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "account/signup_closed.html" in template_names(response)
    assert "Sign-up is by invitation" in content_of(response)
    client.post(
        reverse("account_signup"),
        {
            "email": "uninvited@example.se",
            "full_name": "Objuden",
            "password1": "ett-langt-losenord-42",
            "password2": "ett-langt-losenord-42",
        },
    )
    assert not User.objects.filter(email="uninvited@example.se").exists()


def test_an_unusable_link_does_not_open_signup(tenant, problem_invitation):
    client = anonymous_client()
    client.get(urls(tenant, "invitation", key=invitation_key(problem_invitation("expired"))))
    response = client.get(reverse("account_signup"))
    assert "account/signup_closed.html" in template_names(response)


# --- language -----------------------------------------------------------------------------


def test_language_switch_is_remembered_on_the_account(tenant, coordinator):
    assert coordinator.language == "sv"
    client = Client()
    client.force_login(coordinator)
    dashboard = urls(tenant, "dashboard")
    response = client.get(dashboard)
    assert '<html lang="sv">' in content_of(response)
    assert response["Content-Language"] == "sv"

    response = client.post(reverse("set_language"), {"language": "en", "next": dashboard})
    assert response.status_code == 302 and response.url == dashboard
    cookie = response.cookies["mentorship_language"]
    assert cookie.value == "en" and cookie["samesite"] == "Lax"
    coordinator.refresh_from_db()
    assert coordinator.language == "en"

    response = client.get(dashboard)
    assert '<html lang="en">' in content_of(response)
    assert response["Content-Language"] == "en"
    assert 'name="language" value="sv"' in content_of(response)  # offers the way back

    # Another browser without the cookie: the account's choice still counts.
    elsewhere = Client()
    elsewhere.force_login(coordinator)
    response = elsewhere.get(dashboard)
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in content_of(response)


def test_anonymous_language_switch_uses_a_cookie(tenant):
    client = Client()
    home = urls(tenant, "tenant_home")
    assert client.get(home)["Content-Language"] == "sv"  # the tenant's language
    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.url == home
    response = client.get(home)
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in content_of(response)
    assert "Cookie" in response["Vary"]


def test_tenant_language_is_the_default(tenant):
    tenant.default_language = "en"
    tenant.save()
    response = Client().get(urls(tenant, "tenant_home"))
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in content_of(response)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_language_switch_does_not_redirect_elsewhere(db, next_url):
    response = Client().post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302 and response.url == "/"


def test_unknown_language_is_ignored(coordinator):
    client = Client()
    client.force_login(coordinator)
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert "mentorship_language" not in response.cookies
    coordinator.refresh_from_db()
    assert coordinator.language == "sv"


def test_profile_saves_details_and_language(coordinator):
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        reverse("profile"),
        {"full_name": "Karin K", "phone": "031-12 34 56", "language": "en"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("profile"), 302)]
    coordinator.refresh_from_db()
    assert (coordinator.full_name, coordinator.phone, coordinator.language) == (
        "Karin K",
        "031-12 34 56",
        "en",
    )
    assert response["Content-Language"] == "en"
    assert "Your details have been saved." in content_of(response)


def test_profile_requires_a_name(coordinator):
    client = Client()
    client.force_login(coordinator)
    response = client.post(reverse("profile"), {"full_name": "", "language": "en"})
    assert response.status_code == 200
    assert 'id="id_full_name_error"' in content_of(response)
    coordinator.refresh_from_db()
    assert coordinator.full_name != ""


# --- roles on the team page ---------------------------------------------------------------


def test_last_coordinator_cannot_be_demoted_on_the_web(
    tenant, coordinator_client, english_coordinator, organisation
):
    membership = Membership.objects.get(user=english_coordinator)
    response = coordinator_client.post(
        urls(tenant, "membership_edit", pk=membership.pk),
        {"is_hr_contact": "on", "organisations": [organisation.pk]},
    )
    assert response.status_code == 200
    summary = content_of(response).split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "The last coordinator cannot be removed." in summary
    membership.refresh_from_db()
    assert membership.is_coordinator and not membership.is_hr_contact


def test_last_coordinator_cannot_be_removed_on_the_web(
    tenant, coordinator_client, english_coordinator
):
    membership = Membership.objects.get(user=english_coordinator)
    response = coordinator_client.post(
        urls(tenant, "membership_remove", pk=membership.pk), follow=True
    )
    assert response.redirect_chain == [(urls(tenant, "team"), 302)]
    assert "The last coordinator cannot be removed." in content_of(response)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_change_roles_on_the_web(tenant, coordinator_client, hr_contact, organisation):
    membership = Membership.objects.get(user=hr_contact)
    second = OrganisationFactory(tenant=tenant, name="Andra")
    response = coordinator_client.post(
        urls(tenant, "membership_edit", pk=membership.pk),
        {
            "is_coordinator": "on",
            "is_hr_contact": "on",
            "organisations": [second.pk],
        },
        follow=True,
    )
    assert response.redirect_chain == [(urls(tenant, "team"), 302)]
    membership.refresh_from_db()
    assert membership.is_coordinator and membership.is_hr_contact
    assert list(membership.organisations.all()) == [second]
    assert f"The roles of {hr_contact.full_name} have been saved." in content_of(response)


def test_activity_page_filters_by_kind(tenant, coordinator_client, organisation):
    coordinator_client.post(
        urls(tenant, "organisation_active", pk=organisation.pk), {"active": "0"}
    )
    coordinator_client.post(urls(tenant, "team"), {"email": "x@example.se", "role": "coordinator"})
    response = coordinator_client.get(urls(tenant, "activity"), {"kind": "organisation."})
    assert [e.action for e in response.context["entries"]] == ["organisation.archived"]
    assert "Organisation archived" in content_of(response)
    response = coordinator_client.get(urls(tenant, "activity"))
    assert [e.action for e in response.context["entries"]] == [
        "invitation.sent",
        "organisation.archived",
    ]


def test_organisation_under_an_archived_parent_can_still_be_edited(
    tenant, coordinator_client, organisation
):
    child = OrganisationFactory(tenant=tenant, name="Barnet", parent=organisation)
    coordinator_client.post(
        urls(tenant, "organisation_active", pk=organisation.pk), {"active": "0"}
    )
    url = urls(tenant, "organisation_edit", pk=child.pk)
    form = coordinator_client.get(url).context["form"]
    assert organisation in form.fields["parent"].queryset  # the current parent stays offered
    response = coordinator_client.post(
        url, {"name": "Barnet", "kind": "area", "region": "Halland", "parent": organisation.pk}
    )
    assert response.status_code == 302, response.context["form"].errors
    child.refresh_from_db()
    assert (child.region, child.parent) == ("Halland", organisation)
    # …but an archived organisation cannot be chosen as a new parent.
    other = OrganisationFactory(tenant=tenant, name="Annan")
    response = coordinator_client.post(
        urls(tenant, "organisation_edit", pk=other.pk),
        {"name": "Annan", "kind": "area", "parent": organisation.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors


# --- the operator's admin -----------------------------------------------------------------


def test_operator_creates_a_tenant_in_the_admin(db, django_capture_on_commit_callbacks):
    operator = User.objects.create_superuser("operator@example.se", "ett-langt-losenord-42")
    client = Client()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/organisations/tenant/add/",
            {
                "slug": "nytt-natverk",
                "name": "Nytt nätverk",
                "default_language": "sv",
                "timezone": "Europe/Stockholm",
                "contact_email": "info@nytt.example",
                "retention_months": "12",
                "is_active": "on",
                "first_coordinator_email": "ny.koordinator@example.se",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
                "memberships-MIN_NUM_FORMS": "0",
                "memberships-MAX_NUM_FORMS": "1000",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    tenant = Tenant.objects.get(slug="nytt-natverk")
    assert tenant.retention_months == 12  # what the operator entered, not the default
    assert tenant.is_active
    invitation = Invitation.objects.get(tenant=tenant)
    assert invitation.invited_by == operator and invitation.role == Role.COORDINATOR
    [message] = mail.outbox
    assert message.to == ["ny.koordinator@example.se"]
    assert "http://testserver/nytt-natverk/invitation/" in message.body
