"""Seed 003: an association of municipal chief executives. A standing round of mentors to choose
from: two new members chose the same experienced mentor (one pair meets, one has gone quiet),
and one newcomer's application is under review.

Invented people only; ``build`` is called by ``demo.seed`` inside the tenant's scope.
"""

from datetime import timedelta

from applications import services as application_services
from applications.models import FieldSettings
from demo import history, pairing, programme_data
from demo.common import DEMO_DOMAIN
from organisations.models import Organisation
from programmes.models import (
    Programme,
    Round,
)

# An association of municipal chief executives: members' municipalities, no HR contacts; the
# board member who runs the mentor activity is the coordinator.
SPEC = {
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
    # Seed 003's own checklist for the mentor–adept relationship (pairs.checklist_templates).
    "checklists": "relationship",
}


ASSOCIATION_PRACTICAL = """\
Checklista för relationen mellan mentor och adept:
• Adepten tar första kontakten med den kommundirektör/kommunchef som hen önskar som mentor.
• Mentor och adept träffas och kommer överens om att fortsätta med ett antal samtal.
• Vid första tillfället kommer ni överens om relationens spelregler: öppenhet, konfidentialitet, \
personligt men inte privat.
• Lämpligt antal samtal att komma överens om från början är 5–8 under ett år.
• Träffas gärna på en neutral plats; besök eller skuggning på adeptens arbetsplats kan läggas \
till om ni är överens om det."""


ASSOCIATION_MENTORS = [
    ("Christina Fager", "christina.fager", programme_data.MENTOR, "Björkvalla kommun"),
    ("Lars-Erik Moberg", "lars-erik.moberg", programme_data.MENTOR, "Ljungmora kommun"),
    ("Yvonne Dahl", "yvonne.dahl", programme_data.MENTOR, "Sundvalla kommun"),
    # Retired: was kommundirektör in Tallåsa. The organisation is the one they served.
    ("Bengt Åström", "bengt.astrom", programme_data.MENTOR, "Tallåsa kommun"),
]


def build_programme(*, tenant, spec, orgs, today):
    programme = programme_data._programme(
        tenant,
        "mentorskap",
        name="Mentorskap för nya kommundirektörer",
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.ADEPT_CHOOSES,
        description="Föreningen ger nya kollegor möjlighet till kontakt med en mer erfaren "
        "kollega för stödjande samtal om rollen som kommundirektör/kommunchef.",
        target_group="Föreningens medlemmar: nya kommundirektörer/kommunchefer som adepter, "
        "erfarna (även före detta) som mentorer.",
    )
    round_ = programme_data._round(
        tenant,
        programme,
        "Löpande",
        status=Round.Status.RUNNING,
        starts_on=programme_data._mid_january(today, years_back=1),
        practical_info=ASSOCIATION_PRACTICAL,
        min_pair_meetings=5,
        cadence_text="5–8 samtal under ett år",
        call_text="Vill du bli mentor eller få en mentor? Anmäl ditt intresse här, så "
        "tar styrelsen emot anmälan. Mentorer uppger namn, kontaktuppgifter och i vilken "
        "kommun de är eller har varit kommundirektör/kommunchef.",
        # Seed 003: members sign up on the public page, as mentors or adepts.
        mentor_self_signup=True,
        adept_self_signup=True,
        eligibility={
            programme_data.MENTOR: (
                [programme_data.SENIOR_EXECUTIVE],
                0,
                "lång erfarenhet av kommundirektörs-/kommunchefsrollen; aktiv eller nyligen "
                "avgången/pensionerad",
            ),
            programme_data.ADEPT: (
                [programme_data.SENIOR_EXECUTIVE],
                0,
                "ny i rollen som kommundirektör/kommunchef",
            ),
        },
    )
    if not FieldSettings.objects.filter(programme=programme).exists():
        # The association's form: phone and municipality, active, recently left or retired;
        # no manager questions for a former chief executive (the coordinator's template).
        application_services.apply_field_preset(
            tenant=tenant,
            actor=history._coordinator(tenant),
            programme=programme,
            preset="association",
        )
    people = programme_data._participants(tenant, spec, round_, orgs, ASSOCIATION_MENTORS)
    return programme_data._sample_logins(people, round_)


ASSOCIATION_MENTOR_MOTIVATIONS = [
    "Jag minns hur ensamt det kunde vara första året som kommundirektör. Jag delar gärna med mig "
    "av mina erfarenheter av ledningsgrupp, budgetarbete och samspelet med politiken.",
    "Jag har varit kommundirektör i två kommuner och har själv haft stor nytta av en mentor. Nu "
    "vill jag ge tillbaka till nya kolleger.",
    "Stödjande samtal om rollen är något jag tror på. Jag kan ta emot flera adepter och träffas "
    "både på neutral plats och digitalt.",
    "Som pensionerad kommundirektör har jag tid och erfarenhet att dela med mig av, och jag vill "
    "fortsätta bidra till föreningen.",
]


ASSOCIATION_NEWCOMER = ("Sofie Wahlgren", "Rönnviks kommun")


def build_applications(*, tenant, spec, organisations, rng, times, now, batch):
    round_ = history._round(tenant, "mentorskap", "Löpande")
    if round_ is None:
        return []
    coordinator = history._coordinator(tenant)
    started = (
        history._at(tenant, round_.starts_on, 9) if round_.starts_on else now - timedelta(days=365)
    )
    capacities = [2, 3, 1, 2, 3, 1]
    for index, participant in enumerate(history._participants(round_)):
        user, role, organisation = participant.user, participant.role, participant.organisation
        retired = role == history.MENTOR and user.email in history._retired(spec)
        trail = history._Trail(times, tenant, user, started - history._days(times, 35, 60))
        trail.by(user, history.Stage.SUBMITTED, after=history._minutes(times, 1, 48))
        trail.to(history.Stage.UNDER_REVIEW)
        trail.by(coordinator, history.Stage.ACCEPTED, after=history._days(times, 3, 12))
        trail.end_before(now - timedelta(days=30))
        place = organisation.name if organisation else "kommunen"
        fields = {
            "organisation": organisation,
            "job_title": "Kommundirektör" if not retired else "F.d. kommundirektör, pensionär",
            "current_assignment": (
                f"Kommundirektör i {place}."
                if not retired
                else f"Pensionär; var kommundirektör i {place}."
            ),
            "manager_level": history.SENIOR_EXECUTIVE,
            "years_as_manager": rng.randint(14, 30),
            "managers_reporting": rng.randint(5, 11),
            "region": organisation.region if organisation else "",
            "work_experience": f"Kommundirektör/kommunchef i {place} och tidigare i en "
            "grannkommun.",
            "motivation": (
                ASSOCIATION_MENTOR_MOTIVATIONS[-1]
                if retired
                else ASSOCIATION_MENTOR_MOTIVATIONS[index % 3]
                if role == history.MENTOR
                else "Ny i rollen och vill ha en erfaren kollega att samtala med."
            ),
            "capacity": capacities[index % len(capacities)] if role == history.MENTOR else 1,
            "phone": pairing._phone(user.email),
            "place": organisation.place if organisation else "",
            # A retired mentor was asked no manager question (the programme's form).
            "career_status": (
                ("retired" if retired else "active") if role == history.MENTOR else ""
            ),
            "discussed_with_manager": not retired,
        }
        history._write(
            batch=batch,
            tenant=tenant,
            round_=round_,
            user=user,
            role=role,
            trail=trail,
            fields=fields,
        )
    name, org_name = ASSOCIATION_NEWCOMER
    organisation = organisations.get(org_name)
    user = history._person(spec, name)
    trail = history._Trail(times, tenant, user, now - history._days(times, 6, 10))
    trail.by(user, history.Stage.SUBMITTED, after=history._minutes(times, 1, 24))
    trail.to(history.Stage.UNDER_REVIEW)
    trail.end_before(now - timedelta(hours=2))
    fields = {
        "organisation": organisation,
        "job_title": "Kommundirektör",
        "current_assignment": f"Kommundirektör i {org_name} sedan fyra månader.",
        "manager_level": history.SENIOR_EXECUTIVE,
        "years_as_manager": 9,
        "managers_reporting": 7,
        "region": organisation.region if organisation else "",
        "work_experience": "Socialchef och biträdande kommundirektör i en större kommun innan "
        "jag kom till Rönnvik.",
        "motivation": "Jag är ny som kommundirektör och vill gärna ha en erfaren kollega att "
        "samtala med om rollen, särskilt om samspelet med kommunstyrelsens "
        "ordförande och om att bygga en ny ledningsgrupp.",
        "matching_wishes": "Gärna någon som har lett en mindre kommun genom ett kärvt "
        "budgetläge. Jag tar själv första kontakten.",
        "discussed_with_manager": True,
        "manager_name": "",
        "phone": pairing._phone(user.email),
        "place": organisation.place if organisation else "",
    }
    history._write(
        batch=batch,
        tenant=tenant,
        round_=round_,
        user=user,
        role=history.ADEPT,
        trail=trail,
        fields=fields,
    )
    return [(user.email, f"applicant, under review, {round_.name}")]


# (name, organisation, organisation's region and place, weeks ago they joined, mentor chosen)
ASSOCIATION_NEWCOMERS = [
    ("Anneli Rask", "Tallåsa kommun", "Dalarna", "Tallåsa", 30, "Christina Fager"),
    ("Daniel Ekström", "Norrmyra kommun", "Gävleborg", "Norrmyra", 22, "Christina Fager"),
]


ASSOCIATION_MOTIVATIONS = {
    "Anneli Rask": "Jag efterträdde en kommundirektör som varit på posten länge och vill ha en "
    "erfaren kollega att bolla med, särskilt om ledningsgruppen och budgetprocessen.",
    "Daniel Ekström": "Jag kommer från en förvaltningschefstjänst i en större kommun och vill "
    "prata med någon som känner rollen i en mindre kommun, och samspelet med politiken.",
}


def _association_adept(tenant, spec, round_, name, organisation, weeks, coordinator, now):
    """The new member's adept application: submitted, reviewed and accepted by the board member
    who runs the activity, with its history (``applications.demo``'s way of writing it)."""
    user = history._person(spec, name)
    times = history._rng(spec["slug"], f"matching:{name}")
    batch = history._Batch()
    trail = history._Trail(times, tenant, user, now - timedelta(weeks=weeks))
    trail.by(user, pairing.Stage.SUBMITTED, after=history._minutes(times, 1, 24))
    trail.to(pairing.Stage.UNDER_REVIEW)
    trail.by(coordinator, pairing.Stage.ACCEPTED, after=history._days(times, 2, 6))
    trail.end_before(now - timedelta(days=14))
    fields = {
        "organisation": organisation,
        "job_title": "Kommundirektör",
        "current_assignment": f"Kommundirektör i {organisation.name} sedan i år.",
        "manager_level": history.SENIOR_EXECUTIVE,
        "years_as_manager": 8,
        "managers_reporting": 6,
        "region": organisation.region,
        "work_experience": "Förvaltningschef och biträdande kommundirektör innan jag blev "
        "kommundirektör.",
        "motivation": ASSOCIATION_MOTIVATIONS[name],
        "matching_wishes": "Jag har själv valt mentor och tar första kontakten.",
        "discussed_with_manager": True,
        "manager_name": "",
        "phone": pairing._phone(user.email),
        "place": organisation.place,
    }
    application, _created = history._write(
        batch=batch,
        tenant=tenant,
        round_=round_,
        user=user,
        role=pairing.ADEPT,
        trail=trail,
        fields=fields,
    )
    batch.flush()
    return application


def build_pairs(*, tenant, spec, organisations, now):
    round_ = pairing._round(tenant, "mentorskap", "Löpande")
    if round_ is None:
        return []
    coordinator = pairing._coordinator(tenant)
    pairs = []
    for name, org_name, region, place, weeks, mentor_name in ASSOCIATION_NEWCOMERS:
        organisation = organisations.get(org_name)
        if organisation is None:
            organisation, _ = Organisation.objects.get_or_create(
                tenant=tenant,
                name=org_name,
                defaults={"kind": "municipality", "region": region, "place": place},
            )
        adept = _association_adept(
            tenant, spec, round_, name, organisation, weeks, coordinator, now
        )
        people = pairing._applications(round_)
        mentors = sorted(
            (a for (role, _n), a in people.items() if role == pairing.MENTOR),
            key=lambda a: (-(a.capacity or 1), a.full_name),
        )
        preferred = people.get((pairing.MENTOR, mentor_name))
        accepted = adept.history.filter(to_stage=pairing.Stage.ACCEPTED).values_list(
            "created_at", flat=True
        ).first() or (now - timedelta(days=14))
        pair = pairing._make_pair(
            round_=round_,
            adept=people.get((pairing.ADEPT, name), adept),
            mentors=[preferred] + [m for m in mentors if m != preferred],
            actor=coordinator,
            matched_at=accepted + timedelta(days=6),
            started_at=accepted + timedelta(days=6),
            reason="%(a)s valde %(m)s som mentor och tog första kontakten; mentorn tackade ja.",
            now=now,
        )
        if pair is not None:
            pairs.append(pair)
    logins = pairing._logins(pairs)
    counts = {}
    for pair in pairs:
        counts.setdefault(pair.mentor_id, []).append(pair)
    for mentor_pairs in counts.values():
        if len(mentor_pairs) > 1:
            mentor = mentor_pairs[0].mentor
            logins.append((mentor.email, f"mentor with {len(mentor_pairs)} adepts, {round_.name}"))
    return logins
