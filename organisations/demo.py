"""Demo data: invented organisations and invented people only.

``seed_demo`` calls ``build_all``; each later app adds its part to the same tenants
through ``mentorship.hooks.DEMO_EXTENSIONS``. Every step is idempotent (get-or-create by
natural keys), so running it twice changes nothing.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django_scopes import scope

from mentorship import hooks

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
    "programme_demo": "network",
}

# A city's programme for its first-line managers: the city's areas and departments are the
# organisations; the coordinator works in the unit "Hållbart arbetsliv" of the city's shared service.
CITY = {
    "slug": "storvik",
    "name": "Storviks stad – mentorprogram för enhetschefer (demo)",
    "contact_email": f"hallbartarbetsliv@storvik.{DEMO_DOMAIN}",
    "organisations": [
        ("Storviks stad", "municipality", "Västernorrland", "Storvik"),
    ],
    "children": [
        ("Stadsområde Norr", "area", "Västernorrland", "Storvik", "Storviks stad"),
        ("Stadsområde Söder", "area", "Västernorrland", "Storvik", "Storviks stad"),
        ("Stadsområde Centrum", "area", "Västernorrland", "Storvik", "Storviks stad"),
        ("Äldreförvaltningen", "area", "Västernorrland", "Storvik", "Storviks stad"),
        ("Förvaltningen för funktionsstöd", "area", "Västernorrland", "Storvik", "Storviks stad"),
        ("Stadsgemensam service", "area", "Västernorrland", "Storvik", "Storviks stad"),
    ],
    "coordinator": ("Hanna Roos", "hanna.koordinator"),
    "hr_contacts": [
        ("Johan Fredén", "johan.hr", ["Stadsområde Norr", "Stadsområde Centrum"]),
        ("Amira Saleh", "amira.hr", ["Stadsområde Söder"]),
        ("Per Wiklander", "per.hr", ["Äldreförvaltningen", "Förvaltningen för funktionsstöd"]),
    ],
    "programme_demo": "city",
}

# A programme that organisation consultants run for seven municipalities of one region.
REGIONAL = {
    "slug": "kvarnadalen",
    "name": "Kvarnådalens kommuner – mentorsprogram för chefer (demo)",
    "contact_email": f"mentorsprogram@kvarnadalen.{DEMO_DOMAIN}",
    "organisations": [
        ("Kvarnby kommun", "municipality", "Kvarnådalen", "Kvarnby"),
        ("Lövsjö kommun", "municipality", "Kvarnådalen", "Lövsjö"),
        ("Granhults kommun", "municipality", "Kvarnådalen", "Granhult"),
        ("Ekeryds kommun", "municipality", "Kvarnådalen", "Ekeryd"),
        ("Stensjö kommun", "municipality", "Kvarnådalen", "Stensjö"),
        ("Myrby kommun", "municipality", "Kvarnådalen", "Myrby"),
        ("Hallsåsa kommun", "municipality", "Kvarnådalen", "Hallsåsa"),
    ],
    "coordinator": ("Therese Wallin", "therese.koordinator"),
    "hr_contacts": [
        ("Fredrik Nordh", "fredrik.hr", ["Kvarnby kommun", "Lövsjö kommun", "Granhults kommun"]),
        ("Maja Eklund", "maja.hr", ["Ekeryds kommun", "Stensjö kommun"]),
        ("Ali Hassan", "ali.hr", ["Myrby kommun", "Hallsåsa kommun"]),
    ],
    "programme_demo": "regional",
}

# An association of municipal chief executives: members' municipalities, no HR contacts; the
# board member who runs the mentor activity is the coordinator.
ASSOCIATION = {
    "slug": "kommundirektorer",
    "name": "Föreningen för kommundirektörer (demo)",
    "contact_email": f"styrelsen@kommundirektorer.{DEMO_DOMAIN}",
    "organisations": [
        ("Björkvalla kommun", "municipality", "Dalarna", "Björkvalla"),
        ("Ljungmora kommun", "municipality", "Värmland", "Ljungmora"),
        ("Tallåsa kommun", "municipality", "Dalarna", "Tallåsa"),
        ("Sundvalla kommun", "municipality", "Gävleborg", "Sundvalla"),
        ("Rönnviks kommun", "municipality", "Värmland", "Rönnvik"),
    ],
    "coordinator": ("Ingrid Sandström", "ingrid.koordinator"),
    "hr_contacts": [],
    "programme_demo": "association",
}

# A hospital group's standing programme with a bank of mentors; its areas are the organisations.
HOSPITAL = {
    "slug": "sjukhusgruppen",
    "name": "Västkustens sjukhusgrupp (demo)",
    "contact_email": f"hr@sjukhusgruppen.{DEMO_DOMAIN}",
    "organisations": [
        ("Västkustens sjukhusgrupp", "region", "Halland", "Strandby"),
    ],
    "children": [
        ("Medicinområdet", "area", "Halland", "Strandby", "Västkustens sjukhusgrupp"),
        ("Kirurgiområdet", "area", "Halland", "Strandby", "Västkustens sjukhusgrupp"),
        ("Akutområdet", "area", "Halland", "Klippvik", "Västkustens sjukhusgrupp"),
        ("Psykiatriområdet", "area", "Halland", "Klippvik", "Västkustens sjukhusgrupp"),
        ("Område Diagnostik", "area", "Halland", "Strandby", "Västkustens sjukhusgrupp"),
    ],
    "coordinator": ("Camilla Berggren", "camilla.koordinator"),
    "hr_contacts": [
        ("Sanna Lundell", "sanna.hr", ["Medicinområdet", "Akutområdet"]),
        ("Erik Thorsell", "erik.hr", ["Kirurgiområdet", "Område Diagnostik"]),
        ("Nora Bergh", "nora.hr", ["Psykiatriområdet"]),
    ],
    "programme_demo": "hospital",
}

DEMO_TENANTS = [NETWORK, CITY, REGIONAL, ASSOCIATION, HOSPITAL]


def demo_email(local, spec):
    return f"{local}@{spec['slug']}.{DEMO_DOMAIN}"


@cache
def _demo_password_hash():
    """Hashed once: every demo login has the same public password, and hashing it anew for
    each of dozens of demo people made the first `make run` take half a minute."""
    return make_password(DEMO_PASSWORD)


def ensure_user(email, full_name, language="sv"):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "language": language}
    )
    if created:
        user.password = _demo_password_hash()
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def build_tenant(spec):
    tenant, created = Tenant.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "contact_email": spec["contact_email"],
            "default_language": spec.get("language", "sv"),
        },
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
                tenant=tenant,
                name=name,
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
        for extension in hooks.DEMO_EXTENSIONS:
            with scope(tenant=tenant):
                logins.extend(extension(tenant=tenant, spec=spec, organisations=orgs) or [])
        results.append((tenant, logins))
    return results
