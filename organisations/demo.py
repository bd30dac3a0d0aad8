"""Demo data: invented organisations and invented people only.

``seed_demo`` calls ``build_all``; each later app adds its part to the same
tenants through ``DEMO_EXTENSIONS``. Every step is idempotent (get-or-create by
natural keys), so running it twice changes nothing.
"""

from django.contrib.auth import get_user_model
from django_scopes import scope

from .models import Membership, Organisation, Tenant
from .services import log_activity

DEMO_PASSWORD = "mentor-demo-2026"
DEMO_DOMAIN = "demo.example"

# (slug, name, contact, organisations[(name, kind, region, place)], coordinator, hr contacts)
NETWORK = {
    "slug": "vastnatet",
    "name": "Västnätet – mentorprogram för chefer (demo)",
    "contact_email": f"mentor@vastnatet.{DEMO_DOMAIN}",
    "organisations": [
        ("Älvby stad", "municipality", "Västra Götaland", "Älvby"),
        ("Region Västerhav", "region", "Västra Götaland", "Älvby"),
        ("Sjöviks kommun", "municipality", "Västra Götaland", "Sjövik"),
        ("Bergåsa kommun", "municipality", "Västra Götaland", "Bergåsa"),
        ("Länsstyrelsen i Kustlän", "agency", "Västra Götaland", "Älvby"),
        ("Högskolan i Åbacka", "university", "Halland", "Åbacka"),
    ],
    "coordinator": ("Karin Demo-Lindgren", "karin.koordinator"),
    "hr_contacts": [
        ("Olle Exempelsson", "olle.hr", ["Älvby stad"]),
        ("Sara Påhittad", "sara.hr", ["Region Västerhav", "Länsstyrelsen i Kustlän"]),
        ("Nils Testberg", "nils.hr", ["Sjöviks kommun", "Bergåsa kommun"]),
        ("Eva Fiktiv", "eva.hr", ["Högskolan i Åbacka"]),
    ],
}

DEMO_TENANTS = [NETWORK]

# Later issues append callables taking (tenant, spec, stdout) to extend a demo tenant.
DEMO_EXTENSIONS = []


def demo_email(local, spec):
    return f"{local}@{spec['slug']}.{DEMO_DOMAIN}"


def ensure_user(email, full_name, language="sv"):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "language": language}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=email,
                                           defaults={"verified": True, "primary": True})
    return user


def build_tenant(spec):
    tenant, created = Tenant.objects.get_or_create(
        slug=spec["slug"],
        defaults={"name": spec["name"], "contact_email": spec["contact_email"],
                  "default_language": spec.get("language", "sv")},
    )
    logins = []
    with scope(tenant=tenant):
        if created:
            log_activity(tenant=tenant, actor=None, action="tenant.created", obj=tenant)
        orgs = {}
        for name, kind, region, place in spec["organisations"]:
            org, _ = Organisation.objects.get_or_create(
                tenant=tenant, name=name, defaults={"kind": kind, "region": region, "place": place}
            )
            orgs[name] = org
        for entry in spec.get("children", []):
            name, kind, region, place, parent = entry
            org, _ = Organisation.objects.get_or_create(
                tenant=tenant, name=name,
                defaults={"kind": kind, "region": region, "place": place, "parent": orgs[parent]},
            )
            orgs[name] = org
        name, local = spec["coordinator"]
        coordinator = ensure_user(demo_email(local, spec), name)
        membership, _ = Membership.objects.get_or_create(tenant=tenant, user=coordinator)
        if not membership.is_coordinator:
            membership.is_coordinator = True
            membership.save()
        logins.append((coordinator.email, "coordinator"))
        for name, local, org_names in spec.get("hr_contacts", []):
            user = ensure_user(demo_email(local, spec), name)
            membership, _ = Membership.objects.get_or_create(tenant=tenant, user=user)
            if not membership.is_hr_contact:
                membership.is_hr_contact = True
                membership.save()
            membership.organisations.add(*[orgs[n] for n in org_names])
            logins.append((user.email, "HR contact: " + ", ".join(org_names)))
    return tenant, orgs, logins


def build_all(stdout=None):
    results = []
    for spec in DEMO_TENANTS:
        tenant, orgs, logins = build_tenant(spec)
        for extension in DEMO_EXTENSIONS:
            with scope(tenant=tenant):
                logins.extend(extension(tenant=tenant, spec=spec, organisations=orgs) or [])
        results.append((tenant, logins))
    return results
