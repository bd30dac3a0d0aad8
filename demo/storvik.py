"""Seed 001: Storviks stad, a city's programme for first-line managers. Round 4 runs: accepted
applications (and a waiting list), three pairs matched centrally four weeks ago at different
stages, an open check-in with a few answers.

Invented people only; ``build`` is called by ``demo.seed`` inside the tenant's scope.
"""

import random
from datetime import time, timedelta

from demo import history, pairing, programme_data, surveys
from demo.common import DEMO_DOMAIN
from evaluation.models import (
    Survey,
)
from programmes.models import (
    Audience,
    Programme,
    Round,
)

# A city's programme for its first-line managers: the city's areas and departments are the
# organisations; the coordinator works in the unit "Hållbart arbetsliv" of the city's shared service.
SPEC = {
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


CITY_CALL = """\
En möjlighet för dig som har arbetat något år som enhetschef att få stöd och utvecklas i ditt \
ledarskap. Under ett år får du en mentor: en erfaren chef från en annan del av staden, med \
dokumenterat gott ledarskap, som kan ge stöd, inspiration och praktiska råd.

Mentorerna nomineras av områdes- eller avdelningschefen. För att bli nominerad ska du ha arbetat \
som chef i minst fem år, med dokumenterat gott ledarskap.

Matchningen görs av enheten Hållbart arbetsliv på Stadsgemensam service, utifrån adeptens \
önskemål och behov och vilka mentorer som finns. Fyll därför i formuläret utförligt."""


CITY_PRACTICAL = """\
Adepten är drivande i relationen, förbereder sig inför varje möte och tar vara på mentorns råd.
Mentorn ger stöd, delar med sig av sin erfarenhet, lyssnar, ställer utmanande frågor och ger \
feedback.
Paret bestämmer själva hur ofta och hur de träffas; många tycker att cirka 1,5 timme var \
3–4:e vecka är lagom. Programmet avslutas officiellt efter ett år; därefter kan paret fortsätta \
på eget initiativ.
Mentorerna bör kunna delta i de gemensamma träffarna."""


CITY_PEOPLE = [
    ("Marie Sandberg", "marie.sandberg", programme_data.MENTOR, "Äldreförvaltningen"),
    ("Tomas Ek", "tomas.ek", programme_data.MENTOR, "Stadsområde Norr"),
    ("Fatima Rahimi", "fatima.rahimi", programme_data.MENTOR, "Förvaltningen för funktionsstöd"),
    ("Jonas Lindahl", "jonas.lindahl", programme_data.ADEPT, "Stadsområde Söder"),
    ("Elin Grahn", "elin.grahn", programme_data.ADEPT, "Stadsområde Centrum"),
    ("Samir Haddad", "samir.haddad", programme_data.ADEPT, "Äldreförvaltningen"),
]


def build_programme(*, tenant, spec, orgs, today):
    programme = programme_data._programme(
        tenant,
        "enhetschefer",
        name="Mentorprogram för enhetschefer",
        kind=Programme.Kind.COHORT,
        matching_mode=Programme.MatchingMode.COORDINATOR,
        description="Ett år med en mentor för enhetschefer: en flexibel ledarskapsinsats där "
        "adeptens behov, önskemål och ledarskapsdilemman står i fokus.",
        target_group="Enhetschefer i staden som har varit chef i ungefär ett år.",
    )
    starts = programme_data._on_or_before(today - timedelta(days=21), programme_data.WED)
    ends = starts + timedelta(days=365)
    round_ = programme_data._round(
        tenant,
        programme,
        "Omgång 4",
        number=4,
        status=Round.Status.RUNNING,
        call_text=CITY_CALL,
        practical_info=CITY_PRACTICAL,
        application_opens_at=programme_data._at(tenant, starts - timedelta(days=119), 8),
        application_closes_at=programme_data._at(tenant, starts - timedelta(days=56), 23, 59),
        starts_on=starts,
        ends_on=ends,
        # "Mentorerna nomineras av områdes-/avdelningschef": the adepts apply on their own.
        requires_nomination=True,
        nomination_for="mentor",
        requires_endorsement=False,
        requires_interview=False,
        pair_meeting_minutes=90,
        cadence_text="cirka 1,5 timme var 3–4:e vecka",
        cost_text="Ingen avgift; tiden räknas som arbetstid.",
        eligibility={
            programme_data.ADEPT: (
                [programme_data.FIRST_LINE],
                1,
                "enhetschef sedan cirka ett år, vill reflektera kring sitt ledarskap med "
                "någon utanför den egna organisationen",
            ),
            programme_data.MENTOR: (
                [programme_data.FIRST_LINE, programme_data.MANAGER_OF_MANAGERS],
                5,
                "dokumenterat gott ledarskap, nominerad av områdes-/avdelningschef",
            ),
        },
    )
    programme_data._meeting(
        tenant,
        round_,
        "Uppstart",
        starts,
        time(13),
        time(16, 30),
        place="Stadshuset, Storvik",
        agenda="Programmets ramar presenteras. Mentorer och adepter träffas både tillsammans och "
        "var för sig för erfarenhetsutbyte och förberedelse.",
        parts=[
            ("Programmets ramar", time(13), time(14, 15), Audience.EVERYONE),
            ("Mentorerna för sig", time(14, 30), time(15, 30), Audience.MENTORS),
            ("Adepterna för sig", time(14, 30), time(15, 30), Audience.ADEPTS),
            ("Paren träffas", time(15, 30), time(16, 30), Audience.EVERYONE),
        ],
    )
    programme_data._meeting(
        tenant,
        round_,
        "Coachande förhållningssätt för mentorer",
        starts + timedelta(days=34),
        time(13),
        time(16),
        audience=Audience.MENTORS,
        place="Stadshuset, Storvik",
        agenda="Workshop för mentorerna om ett coachande förhållningssätt.",
    )
    programme_data._meeting(
        tenant,
        round_,
        "Inspirationsträff för mentorer och adepter",
        starts + timedelta(days=113),
        time(8, 30),
        time(12),
        place="Stadshuset, Storvik",
        agenda="Om ledarskap, och om att utveckla relationen mellan mentor och adept.",
    )
    programme_data._meeting(
        tenant,
        round_,
        "Avslutning av programmet",
        ends,
        time(13),
        time(16),
        place="Stadshuset, Storvik",
        agenda="Programmet avslutas officiellt.",
    )
    people = programme_data._participants(tenant, spec, round_, orgs, CITY_PEOPLE)
    return programme_data._sample_logins(people, round_)


CITY_UNITS = {
    "Stadsområde Norr": ["förskolor Norr", "fritidsgårdar Norr", "barn och unga, Norr"],
    "Stadsområde Söder": ["förskolor Söder", "individ och familj, Söder", "bibliotek Söder"],
    "Stadsområde Centrum": ["förskolor Centrum", "försörjningsstöd", "kulturskolan"],
    "Äldreförvaltningen": ["särskilt boende Björken", "hemtjänst Centrum", "hemsjukvård"],
    "Förvaltningen för funktionsstöd": [
        "LSS-boende Granen",
        "daglig verksamhet",
        "personlig assistans",
    ],
    "Stadsgemensam service": ["kundtjänst", "löneservice", "IT-support"],
}


CITY_EXTRA = [
    # (name, role, organisation, final stage, reason)
    (
        "Rasmus Hjelm",
        history.ADEPT,
        "Stadsområde Söder",
        history.Stage.WAITLISTED,
        "Fler adepter än mentorer i den här omgången. Du står först i kön om en mentor blir ledig.",
    ),
    (
        "Minna Laaksonen",
        history.ADEPT,
        "Äldreförvaltningen",
        history.Stage.WAITLISTED,
        "Fler adepter än mentorer i den här omgången. Vi hör av oss om en plats blir ledig.",
    ),
    (
        "Tobias Wendt",
        history.MENTOR,
        "Stadsområde Centrum",
        history.Stage.DECLINED,
        "Vi fick fler mentorer än adepter i år. Välkommen att anmäla dig igen inför nästa omgång.",
    ),
    (
        "Jelena Marić",
        history.ADEPT,
        "Förvaltningen för funktionsstöd",
        history.Stage.DECLINED,
        "Vi har prioriterat adepter som inte tidigare har haft en mentor. Välkommen att söka igen.",
    ),
]


CITY_MENTOR_MOTIVATIONS = [
    "Jag har varit chef i många år och vet hur mycket det betyder att ha någon att bolla med "
    "det första året. Jag vill dela med mig av min erfarenhet, lyssna och ställa de utmanande "
    "frågorna.",
    "Jag vill ge tillbaka det stöd jag själv fick som ny chef. Som mentor vill jag också bli "
    "utmanad och få nya perspektiv på mitt eget ledarskap.",
    "Jag tycker om att coacha och har gott om erfarenheter, både lyckade och mindre lyckade, "
    "att dela med mig av.",
]


CITY_ADEPT_MOTIVATIONS = [
    "Jag har varit enhetschef i drygt ett år och vill ha någon utanför min egen organisation att "
    "reflektera kring mitt ledarskap med, särskilt hur jag prioriterar och sätter gränser.",
    "Jag vill bli tryggare i svåra samtal med medarbetare och få praktiska råd från en erfaren "
    "chef.",
    "Jag leder en stor personalgrupp och vill hitta ett hållbart sätt att vara chef, med tid "
    "både för medarbetarna och för mig själv.",
    "Jag vill utveckla mitt ledarskap i förändring; vi ska slå ihop två enheter under året.",
]


CITY_ADEPT_WISHES = [
    "Gärna en mentor med erfarenhet av stora personalgrupper.",
    "Jag önskar en mentor från en annan förvaltning, gärna med erfarenhet av förändringsarbete.",
    "En mentor som kan hjälpa mig med planering och prioritering.",
    "Gärna någon som har varit chef inom både äldreomsorg och funktionsstöd.",
]


CITY_NOMINATIONS = {
    history.MENTOR: [
        "Områdeschefen nominerar {first}: dokumenterat gott ledarskap och goda resultat i "
        "medarbetarenkäten flera år i rad.",
        "Avdelningschefen nominerar {first}, som är trygg i sin ledarroll och uppskattad av "
        "både medarbetare och kolleger.",
        "Nominerad av förvaltningsledningen; {first} har lång och god erfarenhet som chef.",
    ],
}


def _city_fields(rng, role, organisation, *, index):
    mentor = role == history.MENTOR
    unit = CITY_UNITS.get(organisation.name, ["verksamhetsstöd"])
    unit = unit[index % len(unit)]
    if mentor:
        level = rng.choice([history.FIRST_LINE, history.FIRST_LINE, history.MANAGER_OF_MANAGERS])
        title = f"Enhetschef, {unit}" if level == history.FIRST_LINE else f"Avdelningschef, {unit}"
        years = rng.randint(7, 20)
    else:
        level, title, years = history.FIRST_LINE, f"Enhetschef, {unit}", rng.randint(1, 2)
    staff = rng.randint(15, 45)
    return {
        "organisation": organisation,
        "job_title": title,
        "current_assignment": f"{title} i {organisation.name}, {staff} medarbetare.",
        "manager_level": level,
        "years_as_manager": years,
        "managers_reporting": rng.randint(2, 5) if level == history.MANAGER_OF_MANAGERS else None,
        "region": organisation.region,
        "motivation": rng.choice(CITY_MENTOR_MOTIVATIONS if mentor else CITY_ADEPT_MOTIVATIONS),
        "matching_wishes": "" if mentor else rng.choice(CITY_ADEPT_WISHES),
        "available_for_shared_days": True,
        "manager_name": "",
        "discussed_with_manager": True,
    }


def build_applications(*, tenant, spec, organisations, rng, times, now, batch):
    round_ = history._round(tenant, "enhetschefer", "Omgång 4")
    if round_ is None:
        return []
    coordinator = history._coordinator(tenant)
    hr_for = history._hr_contacts(tenant, coordinator)
    opens, closes = round_.application_opens_at, round_.application_closes_at
    decided = history._at(tenant, round_.starts_on - timedelta(days=27), 10)
    people = [
        (p.user, p.role, p.organisation, history.Stage.ACCEPTED, "")
        for p in history._participants(round_)
    ]
    people += [
        (history._person(spec, name), role, organisations[org], stage, reason)
        for name, role, org, stage, reason in CITY_EXTRA
    ]
    for index, (user, role, organisation, final, reason) in enumerate(people):
        hr_user = hr_for(organisation) if organisation else coordinator
        trail = history._Trail(times, tenant, user, opens + history._days(times, 2, 45))
        trail.by(user, history.Stage.SUBMITTED, after=history._minutes(times, 1, 72))
        if role == history.MENTOR:
            trail.to(history.Stage.AWAITING_NOMINATION)
            first = history._first_name(user)
            trail.by(
                hr_user,
                history.Stage.NOMINATED,
                after=history._days(times, 2, 12),
                reason=rng.choice(CITY_NOMINATIONS[role]).format(first=first),
            )
        else:
            trail.to(history.Stage.UNDER_REVIEW)
        trail.end_before(closes + timedelta(days=5))
        trail.by(coordinator, final, at=decided + history._minutes(times, 0, 5), reason=reason)
        application, created = history._write(
            batch=batch,
            tenant=tenant,
            round_=round_,
            user=user,
            role=role,
            trail=trail,
            fields=_city_fields(rng, role, organisation, index=index),
        )
        if created:
            history._nomination(batch, tenant, application, trail, hr_user=hr_user)
    return []


CITY_PLAN = [
    # (adept, mentors in order of preference): from another part of the city than the adept's.
    ("Jonas Lindahl", ["Marie Sandberg"]),
    ("Elin Grahn", ["Tomas Ek"]),
    ("Samir Haddad", ["Fatima Rahimi"]),
]


def build_pairs(*, tenant, spec, organisations, now):
    round_ = pairing._round(tenant, "enhetschefer", "Omgång 4")
    if round_ is None or round_.starts_on is None:
        return []
    coordinator = pairing._coordinator(tenant)
    pairs = pairing._pair_by_names(
        round_,
        CITY_PLAN,
        actor_for=lambda adept: coordinator,
        matched_at=lambda adept: pairing._at(tenant, round_.starts_on - timedelta(days=14), 10),
        started_at=lambda adept: pairing._at(tenant, round_.starts_on, 15, 30),
        reason="Matchad centralt av Hållbart arbetsliv: %(a)s och %(m)s.",
        now=now,
    )
    return pairing._logins(pairs)


def build_surveys(*, tenant, spec, organisations, now):
    round_ = surveys._round(tenant, "enhetschefer", "Omgång 4")
    if round_ is None:
        return []
    opens = now - timedelta(days=4)
    survey, created = surveys._survey(
        tenant,
        round_,
        Survey.Kind.MIDTERM,
        title="Avstämning efter de första träffarna",
        opens_at=opens,
        closes_at=now + timedelta(days=10),
    )
    if created:
        rng = random.Random(f"{tenant.slug}:{round_.name}:midterm")  # noqa: S311
        people = surveys._people(round_, rng=rng)
        mentors = [p for p in people if p[1] == surveys.MENTOR][:2]
        adepts = [p for p in people if p[1] == surveys.ADEPT][:2]
        surveys._answer_all(survey, mentors + adepts, rng=rng, level="good", window=(opens, now))
    return []
