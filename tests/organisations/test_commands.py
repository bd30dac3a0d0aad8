"""Management commands: create_tenant and seed_demo."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Q

from applications.models import Application
from demo.common import DEMO_PASSWORD
from demo.vastnatet import SPEC as NETWORK
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
from pairs.models import Pair
from programmes.models import Participant
from tests.factories.organisations import TenantFactory, UserFactory


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_tenant_prints_the_invitation_link(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run(
            "create_tenant",
            "--slug",
            "nytt-natverk",
            "--name",
            "Nytt nätverk",
            "--contact-email",
            "info@nytt.example",
            "--coordinator-email",
            "ny.koordinator@example.se",
            "--base-url",
            "https://mentor.example/",
        )
    tenant = Tenant.objects.get(slug="nytt-natverk")
    assert tenant.name == "Nytt nätverk" and tenant.default_language == "sv"
    invitation = Invitation.objects.get(tenant=tenant)
    assert invitation.role == Role.COORDINATOR and invitation.is_pending
    assert "Created tenant nytt-natverk (Nytt nätverk)." in out
    assert "Invitation sent to ny.koordinator@example.se:" in out
    [link] = re.findall(r"^https://mentor\.example/nytt-natverk/invitation/\S+/$", out, re.M)
    key = link.rstrip("/").rsplit("/", 1)[1]
    assert services.resolve_invitation(tenant=tenant, key=key) == invitation
    [message] = mail.outbox
    assert message.to == ["ny.koordinator@example.se"]
    mailed = re.search(r"https://mentor\.example/nytt-natverk/invitation/([^/\s]+)/", message.body)
    assert services.resolve_invitation(tenant=tenant, key=mailed.group(1)) == invitation


def test_create_tenant_with_an_existing_user(db, django_capture_on_commit_callbacks):
    user = UserFactory(email="karin@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        out = run(
            "create_tenant",
            "--slug",
            "nytt",
            "--name",
            "Nytt",
            "--contact-email",
            "info@nytt.example",
            "--coordinator-email",
            "karin@example.se",
            "--language",
            "en",
            "--timezone",
            "Europe/Helsinki",
        )
    tenant = Tenant.objects.get(slug="nytt")
    assert (tenant.default_language, tenant.timezone) == ("en", "Europe/Helsinki")
    assert Membership.objects.get(tenant=tenant).user == user
    assert "karin@example.se is the coordinator." in out
    assert "/invitation/" not in out
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("slug", "fragment"), [("taget", "slug"), ("admin", "slug"), ("hr", "slug")]
)
def test_create_tenant_refuses_a_taken_or_reserved_slug(db, slug, fragment):
    TenantFactory(slug="taget", name="Först")
    counts = (Tenant.objects.count(), Invitation.objects.count(), ActivityLog.objects.count())
    with pytest.raises(CommandError) as exc:
        run(
            "create_tenant",
            "--slug",
            slug,
            "--name",
            "Andra",
            "--contact-email",
            "info@andra.example",
            "--coordinator-email",
            "ny@example.se",
        )
    assert str(exc.value).startswith(f"{fragment}:")
    assert (
        Tenant.objects.count(),
        Invitation.objects.count(),
        ActivityLog.objects.count(),
    ) == counts
    assert Tenant.objects.get(slug="taget").name == "Först"


def test_create_tenant_refuses_an_invalid_coordinator_address(db):
    with pytest.raises(CommandError) as exc:
        run(
            "create_tenant",
            "--slug",
            "nytt",
            "--name",
            "Nytt",
            "--contact-email",
            "info@nytt.example",
            "--coordinator-email",
            "inte-en-adress",
        )
    assert "coordinator_email" in str(exc.value)
    assert not Tenant.objects.exists()


def _counts():
    return {
        "tenants": Tenant.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "organisations": Organisation.objects.count(),
        "hr_links": Membership.organisations.through.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "activity": ActivityLog.objects.count(),
    }


def test_seed_demo_builds_the_network_and_is_idempotent(db):
    first_out = run("seed_demo")
    first = _counts()
    second_out = run("seed_demo")
    assert _counts() == first
    assert second_out == first_out

    tenant = Tenant.objects.get(slug=NETWORK["slug"])
    assert first["tenants"] >= 1
    assert sorted(tenant.organisations.values_list("name", flat=True)) == sorted(
        name for name, *_rest in NETWORK["organisations"]
    )
    karin = User.objects.get(email="karin.koordinator@vastnatet.demo.example")
    assert Membership.objects.get(tenant=tenant, user=karin).is_coordinator
    assert authenticate(email=karin.email, password=DEMO_PASSWORD) == karin
    assert EmailAddress.objects.get(user=karin).verified
    olle = Membership.objects.get(tenant=tenant, user__email="olle.hr@vastnatet.demo.example")
    assert olle.is_hr_contact and not olle.is_coordinator
    assert [o.name for o in olle.organisations.all()] == ["Älvby stad"]
    assert tenant.memberships.count() == 1 + len(NETWORK["hr_contacts"])
    assert f"http://127.0.0.1:8000/{tenant.slug}/" in first_out
    assert karin.email in first_out and DEMO_PASSWORD in first_out


def test_seed_demo_keeps_changes_made_since(db):
    """Running it again fills gaps but does not undo a coordinator's own work."""
    run("seed_demo")
    tenant = Tenant.objects.get(slug=NETWORK["slug"])
    Organisation.objects.filter(tenant=tenant, name="Älvby stad").update(region="Ändrad")
    sjovik = Organisation.objects.get(tenant=tenant, name="Sjöviks kommun")
    # Applications and participants protect their organisation: remove them first (and the
    # round 14 pairs, which protect their applications).
    Pair.objects.filter(Q(mentor__organisation=sjovik) | Q(adept__organisation=sjovik)).delete()
    Application.objects.filter(organisation=sjovik).delete()
    Participant.objects.filter(organisation=sjovik).delete()
    sjovik.delete()
    run("seed_demo")
    assert Organisation.objects.get(tenant=tenant, name="Älvby stad").region == "Ändrad"
    assert Organisation.objects.filter(tenant=tenant, name="Sjöviks kommun").exists()
