"""Demo programmes: one per seed document, in the five demo tenants of ``organisations.demo``.

Invented organisations and invented people only. Each tenant spec in
``organisations.demo.DEMO_TENANTS`` names its builder under ``"programme_demo"``;
``extend_demo`` is the first of ``mentorship.hooks.DEMO_EXTENSIONS``.

Everything is get-or-create by natural keys ((tenant, slug) for programmes, (programme, name)
for rounds, (round, title) for shared meetings, (meeting, title) for parts, (round, user, role)
for participants), so running ``seed_demo`` again changes nothing. Dates are computed from
today when a row is first created and are not moved afterwards. Past rounds and past meeting
days are written through the models directly: the services refuse dates in the past.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from organisations.demo import demo_email, ensure_user

from .models import (
    Audience,
    Eligibility,
    ManagerLevel,
    MeetingPart,
    ParticipantRole,
    Programme,
    Round,
    SharedMeeting,
)
from .services import ensure_participant

MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT
FIRST_LINE = ManagerLevel.FIRST_LINE
MANAGER_OF_MANAGERS = ManagerLevel.MANAGER_OF_MANAGERS
SENIOR_EXECUTIVE = ManagerLevel.SENIOR_EXECUTIVE
MON, TUE, WED, THU, FRI = range(5)


# --- helpers -------------------------------------------------------------------------------


def _on_or_after(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _on_or_before(day, weekday):
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _at(tenant, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tenant.timezone))


def _programme(tenant, slug, **defaults):
    programme, _ = Programme.objects.get_or_create(tenant=tenant, slug=slug, defaults=defaults)
    return programme


def _round(tenant, programme, name, *, eligibility, **defaults):
    """A round and its eligibility per role: {role: (levels, min_years, criteria)}."""
    round_, _ = Round.objects.get_or_create(
        tenant=tenant, programme=programme, name=name, defaults=defaults
    )
    for role, (levels, min_years, criteria) in eligibility.items():
        Eligibility.objects.get_or_create(
            tenant=tenant,
            round=round_,
            role=role,
            defaults={
                "manager_levels": [str(level) for level in levels],
                "min_years_as_manager": min_years,
                "criteria_text": criteria,
            },
        )
    return round_


def _meeting(tenant, round_, title, day, starts, ends, *, parts=(), **defaults):
    """A shared day; ``parts`` are (title, starts, ends, audience)."""
    meeting, _ = SharedMeeting.objects.get_or_create(
        tenant=tenant,
        round=round_,
        title=title,
        defaults={"date": day, "starts_at": starts, "ends_at": ends, **defaults},
    )
    for part_title, part_starts, part_ends, audience in parts:
        MeetingPart.objects.get_or_create(
            tenant=tenant,
            meeting=meeting,
            title=part_title,
            defaults={"starts_at": part_starts, "ends_at": part_ends, "audience": audience},
        )
    return meeting


def _participants(tenant, spec, round_, orgs, people):
    """People as (full name, e-mail local part, role, organisation name or None)."""
    created = []
    for full_name, local, role, org_name in people:
        user = ensure_user(demo_email(local, spec), full_name)
        participant = ensure_participant(
            round_=round_, user=user, role=role, organisation=orgs[org_name] if org_name else None
        )
        created.append(participant)
    return created


def _sample_logins(participants, round_):
    """One mentor and one adept of a round, to try the participant's view."""
    logins = []
    for role in (MENTOR, ADEPT):
        first = next((p for p in participants if p.role == role), None)
        if first is not None:
            logins.append((first.user.email, f"{first.get_role_display().lower()}, {round_.name}"))
    return logins


def _mid_january(today, *, years_back):
    return today.replace(year=today.year - years_back, month=1, day=15)


def _status_by_dates(ends_on, today):
    return Round.Status.CLOSED if ends_on < today else Round.Status.RUNNING


# --- seed 000: a network of public employers, one shared programme, round 15 ---------------

NETWORK_CALL = """\
Genom samarbetet i Västnätet kan du som är chef över chefer bli mentor eller adept till en chef \
i en annan offentlig verksamhet i närområdet. Både mentor och adept får en extra dimension genom \
att möta en chef från en annan organisation och profession.

Mentorn är en erfaren strategisk chef, chef över chefer, och verkar eller har verkat på högre \
ledningsnivå. Mentorn ger stöd och vägleder adepten att söka och utforska gränser i sin ledarroll.

Adepten är chef över chefer sedan minst ett år och vill utveckla både sitt eget ledarskap och sin \
organisation.

Din organisations kontaktperson väljer ut och anmäler mentorer och adepter. Adeptens chef ska vara \
delaktig i nomineringen och stödja ansökan. Arbetsgruppen gör urvalet och matchar adepter och \
mentorer utifrån ansökningarna. Varje omgång har plats för högst 25 par."""

NETWORK_PRACTICAL = """\
Den officiella delen pågår under ett år. Mentorrelationerna pågår ofta längre.
Deltagandet i de fyra gemensamma mötesdagarna bör prioriteras.
Genom geografisk närhet blir det lätt att ha god och kontinuerlig kontakt till låg kostnad."""


def _network_round(tenant, programme, orgs, *, number, status, opens, closes, starts):
    ends = starts + timedelta(days=399)  # a Friday, a year and a month later
    round_ = _round(
        tenant,
        programme,
        f"Omgång {number}",
        number=number,
        status=status,
        call_text=NETWORK_CALL,
        practical_info=NETWORK_PRACTICAL,
        application_opens_at=opens,
        application_closes_at=closes,
        starts_on=starts,
        ends_on=ends,
        max_pairs=25,
        requires_endorsement=True,
        requires_nomination=True,
        requires_interview=False,
        cost_text="Kostnadsfritt för deltagarna; resekostnader bekostas av deltagarna själva",
        eligibility={
            MENTOR: (
                [MANAGER_OF_MANAGERS, SENIOR_EXECUTIVE],
                0,
                "erfaren strategisk chef, chef över chefer, verkar/har verkat på högre "
                "ledningsnivå",
            ),
            ADEPT: (
                [MANAGER_OF_MANAGERS],
                1,
                "chef över chefer i minst ett år, vill utveckla sitt ledarskap och sin "
                "organisation",
            ),
        },
    )
    _meeting(
        tenant,
        round_,
        "Uppstart",
        starts,
        time(9),
        time(15, 30),
        includes_meal=True,
        place="Konferenshuset Kajen, Älvby",
        agenda="Gemensam start för mentorer och adepter med lunch. Adepterna avslutar dagen med "
        "lunchen; mentorerna fortsätter med en workshop i coaching.",
        parts=[
            ("Gemensam start", time(9), time(12), Audience.EVERYONE),
            ("Lunch", time(12), time(13), Audience.EVERYONE),
            ("Workshop i coaching", time(13), time(15, 30), Audience.MENTORS),
        ],
    )
    _meeting(
        tenant,
        round_,
        "Möte hos en av medlemsorganisationerna",
        starts + timedelta(days=77),
        time(9),
        time(13),
        host_organisation=orgs["Sjöviks kommun"],
        agenda="Besök hos en av deltagarnas organisationer.",
    )
    _meeting(
        tenant,
        round_,
        "Inspirationsdag med fokus på ledarskapet",
        starts + timedelta(days=224),
        time(9),
        time(15),
        includes_meal=True,
        place="Konferenshuset Kajen, Älvby",
        agenda="Föreläsning och samtal om ledarskap, lunch ingår.",
    )
    _meeting(
        tenant,
        round_,
        "Avslutning",
        ends,
        time(9),
        time(13),
        host_organisation=orgs["Region Västerhav"],
        agenda="Avslutning av den officiella delen och möte hos en av deltagarnas organisationer.",
    )
    return round_


def build_network(*, tenant, spec, orgs, today):
    programme = _programme(
        tenant,
        "over-granserna",
        name="Mentorprogram över gränserna",
        kind=Programme.Kind.COHORT,
        matching_mode=Programme.MatchingMode.COORDINATOR,
        description="Ett gemensamt mentorprogram för nätverkets offentliga arbetsgivare: mentor "
        "och adept kommer från olika organisationer och professioner.",
        target_group="Chefer över chefer i nätverkets medlemsorganisationer.",
    )
    starts = _on_or_after(today + timedelta(days=105), FRI)
    _network_round(
        tenant,
        programme,
        orgs,
        number=15,
        status=Round.Status.OPEN,
        opens=_at(tenant, today - timedelta(days=35), 8),
        closes=_at(tenant, today + timedelta(days=21), 23, 59),
        starts=starts,
    )
    # Round 14 ran two cycles back, so that it has ended (a round a single year back would still
    # be in its official year, which lasts 13 months).
    earlier = timedelta(days=728)
    _network_round(
        tenant,
        programme,
        orgs,
        number=14,
        status=Round.Status.CLOSED,
        opens=_at(tenant, today - timedelta(days=35) - earlier, 8),
        closes=_at(tenant, today + timedelta(days=21) - earlier, 23, 59),
        starts=starts - earlier,
    )
    return []


# --- seed 001: a city's programme for first-line managers (enhetschefer) --------------------

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
    ("Marie Sandberg", "marie.sandberg", MENTOR, "Äldreförvaltningen"),
    ("Tomas Ek", "tomas.ek", MENTOR, "Stadsområde Norr"),
    ("Fatima Rahimi", "fatima.rahimi", MENTOR, "Förvaltningen för funktionsstöd"),
    ("Jonas Lindahl", "jonas.lindahl", ADEPT, "Stadsområde Söder"),
    ("Elin Grahn", "elin.grahn", ADEPT, "Stadsområde Centrum"),
    ("Samir Haddad", "samir.haddad", ADEPT, "Äldreförvaltningen"),
]


def build_city(*, tenant, spec, orgs, today):
    programme = _programme(
        tenant,
        "enhetschefer",
        name="Mentorprogram för enhetschefer",
        kind=Programme.Kind.COHORT,
        matching_mode=Programme.MatchingMode.COORDINATOR,
        description="Ett år med en mentor för enhetschefer: en flexibel ledarskapsinsats där "
        "adeptens behov, önskemål och ledarskapsdilemman står i fokus.",
        target_group="Enhetschefer i staden som har varit chef i ungefär ett år.",
    )
    starts = _on_or_before(today - timedelta(days=21), WED)
    ends = starts + timedelta(days=365)
    round_ = _round(
        tenant,
        programme,
        "Omgång 4",
        number=4,
        status=Round.Status.RUNNING,
        call_text=CITY_CALL,
        practical_info=CITY_PRACTICAL,
        application_opens_at=_at(tenant, starts - timedelta(days=119), 8),
        application_closes_at=_at(tenant, starts - timedelta(days=56), 23, 59),
        starts_on=starts,
        ends_on=ends,
        requires_nomination=True,
        requires_endorsement=False,
        requires_interview=False,
        pair_meeting_minutes=90,
        cadence_text="cirka 1,5 timme var 3–4:e vecka",
        cost_text="Ingen avgift; tiden räknas som arbetstid.",
        eligibility={
            ADEPT: (
                [FIRST_LINE],
                1,
                "enhetschef sedan cirka ett år, vill reflektera kring sitt ledarskap med "
                "någon utanför den egna organisationen",
            ),
            MENTOR: (
                [FIRST_LINE, MANAGER_OF_MANAGERS],
                5,
                "dokumenterat gott ledarskap, nominerad av områdes-/avdelningschef",
            ),
        },
    )
    _meeting(
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
    _meeting(
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
    _meeting(
        tenant,
        round_,
        "Inspirationsträff för mentorer och adepter",
        starts + timedelta(days=113),
        time(8, 30),
        time(12),
        place="Stadshuset, Storvik",
        agenda="Om ledarskap, och om att utveckla relationen mellan mentor och adept.",
    )
    _meeting(
        tenant,
        round_,
        "Avslutning av programmet",
        ends,
        time(13),
        time(16),
        place="Stadshuset, Storvik",
        agenda="Programmet avslutas officiellt.",
    )
    people = _participants(tenant, spec, round_, orgs, CITY_PEOPLE)
    return _sample_logins(people, round_)


# --- seed 002: a regional programme run by consultants for several municipalities ----------

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
    ("Katarina Vall", "katarina.vall", MENTOR, "Kvarnby kommun"),
    ("Mats Brodin", "mats.brodin", MENTOR, "Lövsjö kommun"),
    ("Helena Rydén", "helena.ryden", MENTOR, "Granhults kommun"),
    ("Peter Alm", "peter.alm", MENTOR, "Ekeryds kommun"),
    ("Susanne Kron", "susanne.kron", MENTOR, "Stensjö kommun"),
    ("Anders Hägg", "anders.hagg", MENTOR, "Myrby kommun"),
    ("Emma Stål", "emma.stal", ADEPT, "Hallsåsa kommun"),
    ("Oskar Nyberg", "oskar.nyberg", ADEPT, "Kvarnby kommun"),
    ("Ida Lönn", "ida.lonn", ADEPT, "Granhults kommun"),
    ("Robert Falk", "robert.falk", ADEPT, "Stensjö kommun"),
    ("Nadia Berisha", "nadia.berisha", ADEPT, "Lövsjö kommun"),
    ("Viktor Sjöstrand", "viktor.sjostrand", ADEPT, "Myrby kommun"),
]

REGIONAL_ROUND_2 = [
    ("Gunilla Borg", "gunilla.borg", MENTOR, "Hallsåsa kommun"),
    ("Henrik Tell", "henrik.tell", MENTOR, "Kvarnby kommun"),
    ("Åsa Lind", "asa.lind", MENTOR, "Ekeryds kommun"),
    ("Magnus Hed", "magnus.hed", MENTOR, "Granhults kommun"),
    ("Carina Öst", "carina.ost", MENTOR, "Lövsjö kommun"),
    ("Johanna Ekdahl", "johanna.ekdahl", ADEPT, "Myrby kommun"),
    ("Erik Blom", "erik.blom", ADEPT, "Stensjö kommun"),
    ("Sara Dahlin", "sara.dahlin", ADEPT, "Kvarnby kommun"),
    ("Mikael Ros", "mikael.ros", ADEPT, "Ekeryds kommun"),
    ("Amanda Kvist", "amanda.kvist", ADEPT, "Hallsåsa kommun"),
]


def _regional_round(tenant, spec, programme, orgs, today, *, number, starts, days, people):
    ends = starts + timedelta(days=days)
    round_ = _round(
        tenant,
        programme,
        f"Omgång {number}",
        number=number,
        status=_status_by_dates(ends, today),
        call_text=REGIONAL_CALL,
        practical_info=REGIONAL_PRACTICAL,
        application_opens_at=_at(tenant, starts - timedelta(days=70), 8),
        application_closes_at=_at(tenant, starts - timedelta(days=35), 23, 59),
        starts_on=starts,
        ends_on=ends,
        max_pairs=len(people) // 2,
        requires_interview=True,
        requires_endorsement=False,
        requires_nomination=False,
        cost_text="Kommunerna står för programmets kostnader; deltagarna står för sina resor.",
        eligibility={
            ADEPT: (
                [FIRST_LINE],
                2,
                "första linjens chef med minst två års erfarenhet som söker verktyg för att "
                "utveckla sitt chef- och ledarskap",
            ),
            MENTOR: (
                [FIRST_LINE, MANAGER_OF_MANAGERS, SENIOR_EXECUTIVE],
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
        _meeting(
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
    return round_, _participants(tenant, spec, round_, orgs, people)


def build_regional(*, tenant, spec, orgs, today):
    programme = _programme(
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
        starts=_on_or_before(today - timedelta(days=620), THU),
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
        starts=_on_or_before(today - timedelta(days=410), THU),
        people=REGIONAL_ROUND_2,
    )
    return _sample_logins(people, round_2)


# --- seed 003: an association of municipal chief executives ---------------------------------

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
    ("Christina Fager", "christina.fager", MENTOR, "Björkvalla kommun"),
    ("Lars-Erik Moberg", "lars-erik.moberg", MENTOR, "Ljungmora kommun"),
    ("Yvonne Dahl", "yvonne.dahl", MENTOR, "Sundvalla kommun"),
    # Retired: was kommundirektör in Tallåsa. The organisation is the one they served.
    ("Bengt Åström", "bengt.astrom", MENTOR, "Tallåsa kommun"),
]


def build_association(*, tenant, spec, orgs, today):
    programme = _programme(
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
    round_ = _round(
        tenant,
        programme,
        "Löpande",
        status=Round.Status.RUNNING,
        starts_on=_mid_january(today, years_back=1),
        practical_info=ASSOCIATION_PRACTICAL,
        min_pair_meetings=5,
        cadence_text="5–8 samtal under ett år",
        call_text="Vill du bli mentor eller få en mentor? Anmäl ditt intresse till styrelsen. "
        "Mentorer uppger namn, kontaktuppgifter och i vilken kommun de är eller har "
        "varit kommundirektör/kommunchef.",
        eligibility={
            MENTOR: (
                [SENIOR_EXECUTIVE],
                0,
                "lång erfarenhet av kommundirektörs-/kommunchefsrollen; aktiv eller nyligen "
                "avgången/pensionerad",
            ),
            ADEPT: ([SENIOR_EXECUTIVE], 0, "ny i rollen som kommundirektör/kommunchef"),
        },
    )
    people = _participants(tenant, spec, round_, orgs, ASSOCIATION_MENTORS)
    return _sample_logins(people, round_)


# --- seed 004: a hospital group's standing programme with a mentor bank ---------------------

HOSPITAL_PRACTICAL = """\
När en ny chef rekryteras kontaktar HR den tillsättande chefen och erbjuder en mentor. HR \
matchar adepten med en mentor ur mentorbanken, vanligtvis från ett annat område. Mentorn tar \
kontakt för ett första möte. Om matchningen inte känns tillräckligt bra avslutas den i samförstånd \
genom kontakt med HR, som kan föreslå en ny mentor.

Mentorskapet pågår under ett år, minst 6 träffar, gärna en gång per månad i början, cirka 2 \
timmar per gång. Adepten styr innehållet. Tystnadsplikt gäller enligt era överenskomna spelregler.

Generellt om möten: planera i god tid, träffas gärna på neutral plats, var överens om agendan, \
kom förberedd, håll tiden. Inled med incheckning och avsluta med utcheckning. Gör en analys \
efter tredje träffen: vad har varit bra och vad behöver utvecklas?

Det första mötet: bestäm var och hur ofta ni ska träffas, lär känna varandra, berätta om bakgrund \
och erfarenhet, inventera adeptens behov och prioritera områden. Fastställ spelregler, till \
exempel tystnadsplikt.

Det sista mötet: utvärdera relationen, sammanfatta lärdomarna och diskutera eventuell fortsatt \
kontakt."""

HOSPITAL_PEOPLE = [
    ("Monica Aldén", "monica.alden", MENTOR, "Medicinområdet"),
    ("Patrik Strand", "patrik.strand", MENTOR, "Kirurgiområdet"),
    ("Leila Nasser", "leila.nasser", MENTOR, "Akutområdet"),
    ("Ulf Granqvist", "ulf.granqvist", MENTOR, "Psykiatriområdet"),
    ("Birgitta Öhman", "birgitta.ohman", MENTOR, "Område Diagnostik"),
    # Retired; the adept's area bears the mentor's costs.
    ("Göran Lindell", "goran.lindell", MENTOR, "Kirurgiområdet"),
    ("Josefin Ahl", "josefin.ahl", ADEPT, "Akutområdet"),
    ("David Mattsson", "david.mattsson", ADEPT, "Medicinområdet"),
]


def build_hospital(*, tenant, spec, orgs, today):
    programme = _programme(
        tenant,
        "mentorprogram",
        name="Mentorprogram för nya chefer",
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.HR_ASSIGNS,
        description="Sjukhusgruppens mentorprogram stödjer och stärker ledarskapet. En bank av "
        "mentorer och ett nätverk för mentorerna; HR matchar varje ny chef med en "
        "mentor, vanligtvis från ett annat område.",
        target_group="I första hand nya chefer.",
    )
    round_ = _round(
        tenant,
        programme,
        "Löpande",
        status=Round.Status.RUNNING,
        starts_on=_mid_january(today, years_back=1),
        practical_info=HOSPITAL_PRACTICAL,
        min_pair_meetings=6,
        pair_meeting_minutes=120,
        cadence_text="minst 6 träffar under året, gärna en gång per månad i början",
        cost_text="Kostnaderna bärs av adeptens respektive mentorns verksamhet. Är mentorn "
        "pensionär bär adeptens verksamhet mentorns kostnader.",
        eligibility={
            MENTOR: (
                [FIRST_LINE],
                0,
                "erfaren första linjens chef; ingen som adepten står i beroendeställning till",
            ),
            ADEPT: ([FIRST_LINE], 0, "ny chef"),
        },
    )
    people = _participants(tenant, spec, round_, orgs, HOSPITAL_PEOPLE)
    return _sample_logins(people, round_)


# --- the extension --------------------------------------------------------------------------

BUILDERS = {
    "network": build_network,
    "city": build_city,
    "regional": build_regional,
    "association": build_association,
    "hospital": build_hospital,
}


def extend_demo(*, tenant, spec, organisations):
    """Called by ``organisations.demo.build_all`` inside the tenant's scope."""
    builder = BUILDERS.get(spec.get("programme_demo"))
    if builder is None:
        return []
    return builder(tenant=tenant, spec=spec, orgs=organisations, today=timezone.localdate())
