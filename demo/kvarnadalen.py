"""Seed 002: Kvarnådalens kommuner, a regional programme run by consultants for seven
municipalities. Two closed rounds with interviews: a whole year of meetings, the pairs ended at
each round's end, the final evaluations answered and the conclusions written.

Invented people only; ``build`` is called by ``demo.seed`` inside the tenant's scope.
"""

import random
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from applications.models import (
    InterviewNote,
)
from demo import history, pairing, programme_data, surveys
from demo.common import DEMO_DOMAIN
from demo.history import _day_month
from evaluation.models import (
    Survey,
)
from programmes.models import (
    Programme,
    Round,
)

# A programme that organisation consultants run for seven municipalities of one region.
SPEC = {
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


REGIONAL_CALL = """\
Ett ettårigt mentorsprogram för chefer i regionens kommuner, med tid för reflektion kring chefs- \
och ledarskapsfrågor, personlig och professionell utveckling och ett större nätverk.

Adept: första linjens chef med minst två års erfarenhet, som söker verktyg för att utveckla sitt \
chef- och ledarskap.
Mentor: chef med minst fem års erfarenhet, som vill dela med sig och samtidigt utveckla sitt \
eget ledarskap genom att coacha en adept.

I ansökan berättar du om ditt nuvarande uppdrag, din utbildning och arbetslivserfarenhet, vad du \
vill få ut av året och vad du vill bidra med. Både mentor och adept ska ha samrått med sin chef. \
Vi intervjuar alla sökande innan matchningen."""


REGIONAL_PRACTICAL = """\
Matchningen utgår från geografi, typ av erfarenhet, utbildning, önskemål, ledarskap, \
arbetslivserfarenhet och verksamhetserfarenhet. Paren sätts så långt det går samman från olika \
kommuner och verksamhetsområden.
Programmet har sju gemensamma träffar. Vid avslutningen utvärderas programmet: relevans, \
genomförande och måluppfyllelse."""


REGIONAL_THEMES = [
    (
        "Uppstart",
        "Lära känna varandra, begrepp och historia, uppdraget som mentor och rollen som "
        "adept. Mål, önskemål och planering av parets träffar.",
    ),
    ("Chefers organisatoriska förutsättningar", "Forskning och erfarenheter."),
    ("Kärnkvadranten", "Ett verktyg för personlig utveckling."),
    ("Skuggning som metod", "Att följa varandra i vardagen och reflektera efteråt."),
    ("Handledning och coachning – modeller", "Modeller och övningar för samtalen i paret."),
    ("Modell för involvering och beslutsprocess", "Att involvera medarbetare i beslut."),
    (
        "Domänteorin och avslutning",
        "Domänteorin. Gemensam reflektion och utvärdering av "
        "programmet: relevans, genomförande och måluppfyllelse.",
    ),
]


# The municipality that hosts each of the seven days, in turn.
REGIONAL_HOSTS = [
    "Kvarnby kommun",
    "Lövsjö kommun",
    "Granhults kommun",
    "Ekeryds kommun",
    "Stensjö kommun",
    "Myrby kommun",
    "Hallsåsa kommun",
]


REGIONAL_ROUND_1 = [
    ("Katarina Vall", "katarina.vall", programme_data.MENTOR, "Kvarnby kommun"),
    ("Mats Brodin", "mats.brodin", programme_data.MENTOR, "Lövsjö kommun"),
    ("Helena Rydén", "helena.ryden", programme_data.MENTOR, "Granhults kommun"),
    ("Peter Alm", "peter.alm", programme_data.MENTOR, "Ekeryds kommun"),
    ("Susanne Kron", "susanne.kron", programme_data.MENTOR, "Stensjö kommun"),
    ("Anders Hägg", "anders.hagg", programme_data.MENTOR, "Myrby kommun"),
    ("Emma Stål", "emma.stal", programme_data.ADEPT, "Hallsåsa kommun"),
    ("Oskar Nyberg", "oskar.nyberg", programme_data.ADEPT, "Kvarnby kommun"),
    ("Ida Lönn", "ida.lonn", programme_data.ADEPT, "Granhults kommun"),
    ("Robert Falk", "robert.falk", programme_data.ADEPT, "Stensjö kommun"),
    ("Nadia Berisha", "nadia.berisha", programme_data.ADEPT, "Lövsjö kommun"),
    ("Viktor Sjöstrand", "viktor.sjostrand", programme_data.ADEPT, "Myrby kommun"),
]


REGIONAL_ROUND_2 = [
    ("Gunilla Borg", "gunilla.borg", programme_data.MENTOR, "Hallsåsa kommun"),
    ("Henrik Tell", "henrik.tell", programme_data.MENTOR, "Kvarnby kommun"),
    ("Åsa Lind", "asa.lind", programme_data.MENTOR, "Ekeryds kommun"),
    ("Magnus Hed", "magnus.hed", programme_data.MENTOR, "Granhults kommun"),
    ("Carina Öst", "carina.ost", programme_data.MENTOR, "Lövsjö kommun"),
    ("Johanna Ekdahl", "johanna.ekdahl", programme_data.ADEPT, "Myrby kommun"),
    ("Erik Blom", "erik.blom", programme_data.ADEPT, "Stensjö kommun"),
    ("Sara Dahlin", "sara.dahlin", programme_data.ADEPT, "Kvarnby kommun"),
    ("Mikael Ros", "mikael.ros", programme_data.ADEPT, "Ekeryds kommun"),
    ("Amanda Kvist", "amanda.kvist", programme_data.ADEPT, "Hallsåsa kommun"),
]


def _regional_round(tenant, spec, programme, orgs, today, *, number, starts, days, people):
    ends = starts + timedelta(days=days)
    round_ = programme_data._round(
        tenant,
        programme,
        f"Omgång {number}",
        number=number,
        status=programme_data._status_by_dates(ends, today),
        call_text=REGIONAL_CALL,
        practical_info=REGIONAL_PRACTICAL,
        application_opens_at=programme_data._at(tenant, starts - timedelta(days=70), 8),
        application_closes_at=programme_data._at(tenant, starts - timedelta(days=35), 23, 59),
        starts_on=starts,
        ends_on=ends,
        max_pairs=len(people) // 2,
        requires_interview=True,
        requires_endorsement=False,
        requires_nomination=False,
        cost_text="Kommunerna står för programmets kostnader; deltagarna står för sina resor.",
        eligibility={
            programme_data.ADEPT: (
                [programme_data.FIRST_LINE],
                2,
                "första linjens chef med minst två års erfarenhet som söker verktyg för att "
                "utveckla sitt chef- och ledarskap",
            ),
            programme_data.MENTOR: (
                [
                    programme_data.FIRST_LINE,
                    programme_data.MANAGER_OF_MANAGERS,
                    programme_data.SENIOR_EXECUTIVE,
                ],
                5,
                "chef med minst fem års erfarenhet som vill dela med sig och utveckla sitt "
                "ledarskap genom att coacha en adept",
            ),
        },
    )
    weeks = days // 7
    for index, (title, agenda) in enumerate(REGIONAL_THEMES):
        day = starts + timedelta(weeks=round(index * weeks / (len(REGIONAL_THEMES) - 1)))
        first = index == 0  # the kickoff is a whole day with lunch; the others are afternoons
        starts_at, ends_at = (time(9), time(16)) if first else (time(13), time(16, 30))
        programme_data._meeting(
            tenant,
            round_,
            title,
            day,
            starts_at,
            ends_at,
            includes_meal=first,
            agenda=agenda,
            host_organisation=orgs[REGIONAL_HOSTS[index]],
        )
    return round_, programme_data._participants(tenant, spec, round_, orgs, people)


# The closed rounds' pairs have had their year: ``demo.story`` ends them through end_pair.
ENDS_CLOSED_ROUNDS = True


def build_programme(*, tenant, spec, orgs, today):
    programme = programme_data._programme(
        tenant,
        "mentorsprogram",
        name="Mentorsprogram för chefer i regionens kommuner",
        kind=Programme.Kind.COHORT,
        matching_mode=Programme.MatchingMode.COORDINATOR,
        description="Ett ettårigt mentorsprogram som organisationskonsulterna driver för "
        "kommunerna i regionen. Mentor och adept kommer från olika kommuner.",
        target_group="Första linjens chefer (adepter) och erfarna chefer (mentorer) i "
        "regionens kommuner.",
    )
    _regional_round(
        tenant,
        spec,
        programme,
        orgs,
        today,
        number=1,
        days=399,
        starts=programme_data._on_or_before(today - timedelta(days=620), programme_data.THU),
        people=REGIONAL_ROUND_1,
    )
    round_2, people = _regional_round(
        tenant,
        spec,
        programme,
        orgs,
        today,
        number=2,
        days=357,
        starts=programme_data._on_or_before(today - timedelta(days=410), programme_data.THU),
        people=REGIONAL_ROUND_2,
    )
    return programme_data._sample_logins(people, round_2)


# (title, level, current assignment, education, work experience)
REGIONAL_MENTORS = [
    (
        "Rektor, Ekbackeskolan",
        history.FIRST_LINE,
        "Rektor för en F–9-skola med cirka 60 medarbetare och två biträdande rektorer.",
        "Grundskollärare; rektorsprogrammet",
        "Lärare i tio år, därefter biträdande rektor och rektor i två kommuner.",
    ),
    (
        "Socialchef",
        history.MANAGER_OF_MANAGERS,
        "Leder socialförvaltningen med fyra enhetschefer inom individ- och familjeomsorgen.",
        "Socionomexamen; ledarskapsutbildning för högre chefer",
        "Socialsekreterare och enhetschef för barn och unga innan uppdraget som socialchef.",
    ),
    (
        "Enhetschef, hemtjänst Norr",
        history.FIRST_LINE,
        "Chef för hemtjänsten i kommunens norra del, 45 medarbetare.",
        "Undersköterska; fil.kand. i vårdvetenskap",
        "Lång erfarenhet från äldreomsorgen, först "
        "som undersköterska och samordnare, sedan som chef.",
    ),
    (
        "Teknisk chef",
        history.MANAGER_OF_MANAGERS,
        "Ansvarar för gata, park, vatten och avlopp med tre enhetschefer.",
        "Civilingenjör, väg och vatten",
        "Projektledare i privat sektor innan jag kom till "
        "kommunen; chef i kommunal teknisk verksamhet sedan många år.",
    ),
    (
        "Kommunchef",
        history.SENIOR_EXECUTIVE,
        "Kommunens högsta tjänsteperson; leder kommunledningsgruppen.",
        "Fil.kand. i statsvetenskap; kommunal ledarutbildning",
        "Utredare, kanslichef och ekonomichef innan uppdraget som kommunchef.",
    ),
    (
        "Verksamhetschef, funktionsstöd",
        history.MANAGER_OF_MANAGERS,
        "Leder kommunens verksamhet enligt LSS med fem enhetschefer.",
        "Socialpedagog; fil.kand. i socialt arbete",
        "Har arbetat inom funktionsstöd i hela mitt yrkesliv, som chef i flera olika roller.",
    ),
    (
        "Kultur- och fritidschef",
        history.MANAGER_OF_MANAGERS,
        "Ansvarar för bibliotek, kulturskola och fritidsgårdar.",
        "Fil.kand. i kulturvetenskap",
        "Bibliotekarie, kulturstrateg och chef för kulturskolan.",
    ),
    (
        "Ekonomichef",
        history.MANAGER_OF_MANAGERS,
        "Leder ekonomiavdelningen med två gruppledare och tolv ekonomer.",
        "Civilekonom",
        "Revisor på byrå, controller och därefter ekonomichef i två kommuner.",
    ),
    (
        "Rektor, förskoleområde Väster",
        history.FIRST_LINE,
        "Rektor för sex förskolor med cirka 70 medarbetare.",
        "Förskollärare; rektorsprogrammet",
        "Förskollärare och utvecklingsledare innan chefsuppdraget.",
    ),
    (
        "Miljö- och byggchef",
        history.MANAGER_OF_MANAGERS,
        "Leder miljö- och byggförvaltningen: myndighetsutövning, tillsyn och planering.",
        "Miljö- och hälsoskyddsinspektör",
        "Inspektör och handläggare, chef för tillsynsenheten och sedan förvaltningschef.",
    ),
    (
        "HR-chef",
        history.MANAGER_OF_MANAGERS,
        "Ansvarar för kommunens HR-avdelning och arbetsgivarfrågor.",
        "Personalvetare",
        "HR-konsult, HR-specialist och HR-chef i två kommuner.",
    ),
    (
        "Enhetschef, särskilt boende",
        history.FIRST_LINE,
        "Chef för två särskilda boenden med 70 medarbetare.",
        "Sjuksköterska; specialistutbildning i vård av äldre",
        "Sjuksköterska i hemsjukvården, medicinskt ansvarig sjuksköterska och chef sedan många år.",
    ),
]


REGIONAL_ADEPTS = [
    (
        "Enhetschef, hemtjänst Söder",
        "Chef för 38 medarbetare i hemtjänsten.",
        "Undersköterska; fil.kand. i socialt arbete",
        "Undersköterska och planerare i hemtjänsten innan jag blev chef.",
    ),
    (
        "Biträdande rektor, högstadiet",
        "Ansvarar för årskurs 7–9 och elevhälsan, cirka 30 medarbetare.",
        "Ämneslärare i svenska och historia",
        "Lärare i tolv år och arbetslagsledare.",
    ),
    (
        "Enhetschef, barn och unga",
        "Leder mottagningsenheten för barn och unga, 14 socialsekreterare.",
        "Socionomexamen",
        "Socialsekreterare i åtta år.",
    ),
    (
        "Enhetschef, daglig verksamhet",
        "Ansvarar för tre dagliga verksamheter enligt LSS.",
        "Behandlingspedagog",
        "Har arbetat inom LSS i femton år.",
    ),
    (
        "Gatuchef",
        "Leder gatuenheten med 20 medarbetare och flera entreprenörer.",
        "Högskoleingenjör, byggteknik",
        "Arbetsledare på ett entreprenadföretag och projektledare i kommunen.",
    ),
    (
        "Enhetschef, kostenheten",
        "Ansvarar för skolornas och äldreomsorgens kök, 35 medarbetare.",
        "Kostekonom",
        "Kock och samordnare för måltidsverksamheten.",
    ),
    (
        "Rektor, förskolor Centrum",
        "Rektor för fyra förskolor med 50 medarbetare.",
        "Förskollärare",
        "Förskollärare och utvecklingsledare.",
    ),
    (
        "Enhetschef, IT-support",
        "Chef för kommunens IT-support, tio medarbetare.",
        "Systemvetare",
        "Tekniker och driftansvarig innan chefsrollen.",
    ),
    (
        "Enhetschef, biblioteken",
        "Leder huvudbiblioteket och två filialer.",
        "Bibliotekarie",
        "Bibliotekarie och projektledare för läsfrämjande insatser.",
    ),
    (
        "Enhetschef, socialpsykiatri",
        "Chef för boendestöd och träffpunkt, 18 medarbetare.",
        "Sjuksköterska med specialisering i psykiatri",
        "Sjuksköterska i psykiatrin och samordnare för boendestöd.",
    ),
    (
        "Enhetschef, kontaktcenter",
        "Leder kommunens kontaktcenter, 12 medarbetare.",
        "Fil.kand. i medie- och kommunikationsvetenskap",
        "Kommunikatör och handläggare.",
    ),
    (
        "Enhetschef, arbetsmarknadsenheten",
        "Leder arbetsmarknadsinsatserna, 16 medarbetare.",
        "Beteendevetare",
        "Arbetskonsulent och projektledare i ett utvecklingsprojekt.",
    ),
]


REGIONAL_ADEPT_WANTS = [
    "Jag vill få ett bollplank och verktyg för att hantera krav från flera håll.",
    "Jag söker stöd, råd och spegling från en erfaren chef, och struktur för min egen utveckling.",
    "Jag vill hitta ett hållbart ledarskap över tid och våga delegera mer.",
    "Jag vill bli tryggare i min roll och få tid för reflektion i en pressad vardag.",
]


REGIONAL_ADEPT_GIVES = [
    "Jag bidrar med nyfikenhet och ärlighet om mina dilemman.",
    "Jag bidrar med engagemang och är van att ta emot och ge feedback.",
    "Jag kommer förberedd och driver gärna våra träffar framåt.",
]


REGIONAL_MENTOR_WANTS = [
    "Jag vill dela mina erfarenheter och stötta nya chefer, och själv få ny energi.",
    "Jag vill få tillfälle till reflektion och lära genom att coacha någon annan.",
    "Jag vill ge tillbaka det stöd jag själv fick som ny chef.",
]


REGIONAL_MENTOR_GIVES = [
    "Jag bidrar med lång erfarenhet av att leda i förändring och av svåra personalfrågor.",
    "Jag bidrar med ett coachande förhållningssätt och många exempel från vardagen.",
    "Jag bidrar med kunskap om hur kommunens organisation och politik fungerar.",
]


REGIONAL_WISHES = {
    history.ADEPT: [
        "Gärna någon från en annan kommun och en annan verksamhet än min egen.",
        "Någon inom rimligt reseavstånd, så att vi kan träffas på plats.",
        "Gärna en mentor med erfarenhet av både stora och små verksamheter.",
        "",
    ],
    history.MENTOR: [
        "Gärna en adept från en annan verksamhet än min egen.",
        "Någon inom rimligt reseavstånd, så att vi kan träffas på plats.",
        "",
    ],
}


REGIONAL_INTERVIEW_NOTES = {
    history.ADEPT: [
        "Tydliga mål: vill delegera mer och planera in tid för reflektion. Har stöd av sin chef "
        "och kan delta vid alla sju träffar. Passar med en mentor från en annan verksamhet.",
        "Känner sig ensam i rollen och vill ha ett bollplank. Nyfiken och öppen. Önskar en "
        "mentor med erfarenhet av personalfrågor; helst inte från den egna kommunen.",
        "Vill bli tryggare i svåra samtal och i att sätta gränser. Reflekterande, väl förberedd. "
        "Geografi: vill kunna träffas på plats.",
        "Ny organisation på gång i verksamheten; vill ha stöd i förändringsledning. Har pratat "
        "med sin chef, som stödjer ansökan.",
    ],
    history.MENTOR: [
        "Erfaren och trygg; har varit mentor tidigare. Coachande förhållningssätt. Kan ta en "
        "adept från en annan sektor.",
        "Vill dela med sig och själv få reflektionstid. Lång erfarenhet av förändringsarbete. "
        "Bör matchas med en adept från en annan kommun.",
        "Tydlig om sina styrkor: struktur, planering och personalfrågor. Kan delta vid alla "
        "träffar.",
    ],
}


def build_applications(*, tenant, spec, organisations, rng, times, now, batch):
    programme = Programme.objects.filter(tenant=tenant, slug="mentorsprogram").first()
    if programme is None:
        return []
    coordinator = history._coordinator(tenant)
    for round_ in Round.objects.filter(programme=programme).order_by("number", "id"):
        opens, closes = round_.application_opens_at, round_.application_closes_at
        if opens is None or closes is None:
            continue
        accepted_on = history._at(tenant, round_.starts_on - timedelta(days=14), 9)
        mentors = rng.sample(REGIONAL_MENTORS, len(REGIONAL_MENTORS))
        adepts = rng.sample(REGIONAL_ADEPTS, len(REGIONAL_ADEPTS))
        for participant in history._participants(round_):
            user, role, organisation = participant.user, participant.role, participant.organisation
            mentor = role == history.MENTOR
            if mentor:
                title, level, assignment, education, experience = mentors.pop()
                years = rng.randint(6, 24)
                wants, gives = REGIONAL_MENTOR_WANTS, REGIONAL_MENTOR_GIVES
            else:
                title, assignment, education, experience = adepts.pop()
                level, years = history.FIRST_LINE, rng.randint(2, 5)
                wants, gives = REGIONAL_ADEPT_WANTS, REGIONAL_ADEPT_GIVES
            trail = history._Trail(times, tenant, user, opens + history._days(times, 1, 25))
            trail.by(user, history.Stage.SUBMITTED, after=history._minutes(times, 1, 96))
            trail.to(history.Stage.UNDER_REVIEW)
            trail.end_before(closes)
            interview = history._office(
                closes + history._days(times, 1, 14), ZoneInfo(tenant.timezone), times
            )
            interview = interview.replace(
                minute=interview.minute // 15 * 15, second=0, microsecond=0
            )
            trail.by(
                coordinator, history.Stage.ACCEPTED, at=accepted_on + history._minutes(times, 0, 4)
            )
            fields = {
                "organisation": organisation,
                "job_title": title,
                "current_assignment": assignment,
                "manager_level": level,
                "years_as_manager": years,
                "region": organisation.region if organisation else "",
                "education": education,
                "work_experience": f"{experience} Chef i {years} år.",
                "motivation": f"{rng.choice(wants)} {rng.choice(gives)}",
                "matching_wishes": rng.choice(REGIONAL_WISHES[role]),
                "prefers_other_sector": rng.random() < 0.5,
                "available_for_shared_days": True,
                "manager_name": "",
                "discussed_with_manager": True,
            }
            local = timezone.localtime(interview, ZoneInfo(tenant.timezone))
            where = rng.choice(
                [
                    "på Teams",
                    "hos den sökande",
                    f"i {organisation.name}" if organisation else "i kommunhuset",
                ]
            )
            booking = f"{_day_month(local.date())} kl. {local:%H.%M}, {where}"
            notes = rng.choice(REGIONAL_INTERVIEW_NOTES[role])
            written = interview + timedelta(minutes=times.randint(50, 90))
            application, created = history._write(
                batch=batch,
                tenant=tenant,
                round_=round_,
                user=user,
                role=role,
                trail=trail,
                fields=fields,
            )
            if created:
                batch.add(
                    InterviewNote(
                        tenant=tenant,
                        application=application,
                        booking=booking,
                        notes=notes,
                        updated_by=coordinator,
                    ),
                    updated_at=written,
                )
    return []


REGIONAL_PLANS = {
    "Omgång 1": [
        ("Emma Stål", ["Anders Hägg"]),
        ("Oskar Nyberg", ["Mats Brodin"]),
        ("Ida Lönn", ["Susanne Kron"]),
        ("Robert Falk", ["Peter Alm"]),
        ("Nadia Berisha", ["Helena Rydén"]),
        ("Viktor Sjöstrand", ["Katarina Vall"]),
    ],
    "Omgång 2": [
        ("Johanna Ekdahl", ["Henrik Tell"]),
        ("Erik Blom", ["Gunilla Borg"]),
        ("Sara Dahlin", ["Åsa Lind"]),
        ("Mikael Ros", ["Magnus Hed"]),
        ("Amanda Kvist", ["Carina Öst"]),
    ],
}


def build_pairs(*, tenant, spec, organisations, now):
    coordinator = pairing._coordinator(tenant)
    pairs = []
    for name, plan in REGIONAL_PLANS.items():
        round_ = pairing._round(tenant, "mentorsprogram", name)
        if round_ is None or round_.starts_on is None:
            continue
        pairs += pairing._pair_by_names(
            round_,
            plan,
            actor_for=lambda adept: coordinator,
            matched_at=lambda adept, r=round_: pairing._at(
                tenant, r.starts_on - timedelta(days=7), 10
            ),
            started_at=lambda adept, r=round_: pairing._at(tenant, r.starts_on, 9),
            reason="Matchad efter intervjuerna: %(a)s och %(m)s, från olika kommuner.",
            now=now,
        )
    return pairing._logins(pairs)


# The evaluation report's conclusions (seed 002), as the consultants wrote them after each round;
# printed in the round report. Written only where the coordinator has written nothing.
REGIONAL_CONCLUSIONS = """\
Hög relevans. Behoven är tydligt identifierade och programmet möter dem väl.
Programmet är väl genomfört och anpassningsbart. Lärande och förbättring har genomförts \
löpande.
Hög måluppfyllelse. Programmet leder till personlig och professionell utveckling samt ett \
hållbart chefs- och ledarskap.
Förutsättningarna för bärkraft är goda, men beroende av fortsatt organisatoriskt stöd och \
uppföljning.
Mentorsprogrammet kan med fördel återanvändas och stödjer ett hållbart ledarskap – med goda \
effekter både för individ och organisation."""


REGIONAL = [
    # round name, level, goal weights (reached, partly, not), participants left out per role
    ("Omgång 1", "good", [5, 4, 1], 1),
    ("Omgång 2", "high", [6, 3, 1], 0),
]


def build_surveys(*, tenant, spec, organisations, now):
    for name, level, goal_weights, skip in REGIONAL:
        round_ = surveys._round(tenant, "mentorsprogram", name)
        if round_ is None or round_.ends_on is None:
            continue
        opens = surveys._at(tenant, round_.ends_on - timedelta(days=21), 8)
        closes = surveys._at(tenant, round_.ends_on + timedelta(days=10), 23, 59)
        if closes >= now:
            continue  # not finished yet: no answers to invent
        if not round_.report_conclusions.strip():
            round_.report_conclusions = REGIONAL_CONCLUSIONS
            round_.save(update_fields=["report_conclusions"])
        survey, created = surveys._survey(
            tenant,
            round_,
            Survey.Kind.FINAL,
            title=f"Slututvärdering {name.lower()}",
            opens_at=opens,
            closes_at=closes,
        )
        if created:
            rng = random.Random(f"{tenant.slug}:{name}:final")  # noqa: S311 (demo data)
            surveys._answer_all(
                survey,
                surveys._people(round_, skip_per_role=skip, rng=rng),
                rng=rng,
                level=level,
                goal_weights=goal_weights,
                window=(opens, closes),
            )
    return []
