"""Seed 004: a hospital group's standing programme with a mentor bank. HR matched each new manager
with a mentor from another area; one adept has asked to end her pair; two new managers'
applications are under review.

Invented people only; ``build`` is called by ``demo.seed`` inside the tenant's scope.
"""

from datetime import timedelta

from applications import services as application_services
from applications.models import FieldSettings
from demo import history, pairing, programme_data
from demo.common import DEMO_DOMAIN
from pairs import services as pair_services
from pairs.models import Pair
from programmes.models import (
    Programme,
    Round,
)

# A hospital group's standing programme with a bank of mentors; its areas are the organisations.
SPEC = {
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
    ("Monica Aldén", "monica.alden", programme_data.MENTOR, "Medicinområdet"),
    ("Patrik Strand", "patrik.strand", programme_data.MENTOR, "Kirurgiområdet"),
    ("Leila Nasser", "leila.nasser", programme_data.MENTOR, "Akutområdet"),
    ("Ulf Granqvist", "ulf.granqvist", programme_data.MENTOR, "Psykiatriområdet"),
    ("Birgitta Öhman", "birgitta.ohman", programme_data.MENTOR, "Område Diagnostik"),
    # Retired; the adept's area bears the mentor's costs.
    ("Göran Lindell", "goran.lindell", programme_data.MENTOR, "Kirurgiområdet"),
    ("Josefin Ahl", "josefin.ahl", programme_data.ADEPT, "Akutområdet"),
    ("David Mattsson", "david.mattsson", programme_data.ADEPT, "Medicinområdet"),
]


def build_programme(*, tenant, spec, orgs, today):
    programme = programme_data._programme(
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
    round_ = programme_data._round(
        tenant,
        programme,
        "Löpande",
        status=Round.Status.RUNNING,
        starts_on=programme_data._mid_january(today, years_back=1),
        practical_info=HOSPITAL_PRACTICAL,
        min_pair_meetings=6,
        pair_meeting_minutes=120,
        cadence_text="minst 6 träffar under året, gärna en gång per månad i början",
        cost_text="Kostnaderna bärs av adeptens respektive mentorns verksamhet. Är mentorn "
        "pensionär bär adeptens verksamhet mentorns kostnader.",
        eligibility={
            programme_data.MENTOR: (
                [programme_data.FIRST_LINE],
                0,
                "erfaren första linjens chef; ingen som adepten står i beroendeställning till",
            ),
            programme_data.ADEPT: ([programme_data.FIRST_LINE], 0, "ny chef"),
        },
    )
    if not FieldSettings.objects.filter(programme=programme).exists():
        # The bank's form asks mentors whether they are retired, and each pair records who
        # bears the costs (a retired mentor's are borne by the adept's unit).
        application_services.apply_field_preset(
            tenant=tenant,
            actor=history._coordinator(tenant),
            programme=programme,
            preset="hospital_bank",
        )
    people = programme_data._participants(tenant, spec, round_, orgs, HOSPITAL_PEOPLE)
    return programme_data._sample_logins(people, round_)


HOSPITAL_UNITS = {
    "Medicinområdet": ["medicinavdelning 3", "hjärtavdelningen", "strokeenheten"],
    "Kirurgiområdet": ["ortopedavdelningen", "operationsavdelningen", "kirurgmottagningen"],
    "Akutområdet": ["akutmottagningen", "ambulanssjukvården", "intensivvårdsavdelningen"],
    "Psykiatriområdet": [
        "psykiatrisk öppenvård",
        "avdelning för ätstörningar",
        "barn- och ungdomspsykiatrin",
    ],
    "Område Diagnostik": ["klinisk kemi", "röntgen", "patologi"],
}


HOSPITAL_NEW_MANAGERS = [
    ("Linnea Sjöholm", "Psykiatriområdet"),
    ("Omar Khalil", "Kirurgiområdet"),
]


HOSPITAL_MENTOR_MOTIVATIONS = [
    "Jag vill vara ett bollplank för en ny chef och dela med mig av det jag har lärt mig om "
    "att leda i en verksamhet som är i gång dygnet runt.",
    "Jag har själv haft mentor som ny vårdenhetschef och vet hur mycket det betydde. Jag lyssnar "
    "hellre än ger råd.",
    "Att vara mentor ger mig nya impulser och idéer; jag vill gärna bidra till organisationens "
    "ledarskapskultur.",
]


HOSPITAL_ADEPT_MOTIVATIONS = [
    "Jag är ny som chef och vill ha stöd i att hitta min roll, särskilt i att leda tidigare "
    "kolleger.",
    "Jag vill ha någon utanför mitt eget område att reflektera med om prioriteringar, "
    "bemanning och arbetsmiljö.",
    "Jag har tagit över en enhet i förändring och vill utveckla mitt personliga ledarskap.",
]


def build_applications(*, tenant, spec, organisations, rng, times, now, batch):
    round_ = history._round(tenant, "mentorprogram", "Löpande")
    if round_ is None:
        return []
    coordinator = history._coordinator(tenant)
    started = (
        history._at(tenant, round_.starts_on, 9) if round_.starts_on else now - timedelta(days=365)
    )
    people = [
        (p.user, p.role, p.organisation, history.Stage.ACCEPTED)
        for p in history._participants(round_)
    ]
    for name, org_name in HOSPITAL_NEW_MANAGERS:
        people.append(
            (
                history._person(spec, name),
                history.ADEPT,
                organisations.get(org_name),
                history.Stage.UNDER_REVIEW,
            )
        )
    logins = []
    for index, (user, role, organisation, final) in enumerate(people):
        mentor = role == history.MENTOR
        if final == history.Stage.UNDER_REVIEW:
            start = now - history._days(times, 4, 14)
        elif mentor:
            start = started - history._days(times, 35, 60)
        else:
            start = now - history._days(times, 60, 150)
        trail = history._Trail(times, tenant, user, start)
        trail.by(user, history.Stage.SUBMITTED, after=history._minutes(times, 1, 48))
        trail.to(history.Stage.UNDER_REVIEW)
        if final == history.Stage.ACCEPTED:
            trail.by(coordinator, history.Stage.ACCEPTED, after=history._days(times, 2, 10))
        trail.end_before(now - timedelta(hours=2))
        units = HOSPITAL_UNITS.get(organisation.name if organisation else "", ["vårdenheten"])
        unit = units[index % len(units)]
        retired = mentor and user.email in history._retired(spec)
        fields = {
            "organisation": organisation,
            "job_title": (
                "F.d. vårdenhetschef, pensionär" if retired else f"Vårdenhetschef, {unit}"
            ),
            "current_assignment": (
                f"Pensionär; var vårdenhetschef på {unit}."
                if retired
                else f"Chef för {unit}, {rng.randint(20, 60)} medarbetare."
            ),
            "manager_level": history.FIRST_LINE,
            "years_as_manager": rng.randint(8, 25) if mentor else rng.randint(0, 1),
            "region": organisation.region if organisation else "",
            "motivation": rng.choice(
                HOSPITAL_MENTOR_MOTIVATIONS if mentor else HOSPITAL_ADEPT_MOTIVATIONS
            ),
            "matching_wishes": "" if mentor else "Gärna en mentor från ett annat område.",
            "capacity": rng.choice([1, 2]) if mentor else 1,
            "manager_name": "",
            "phone": pairing._phone(user.email),
            "career_status": ("retired" if retired else "active") if mentor else "",
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
        if final == history.Stage.UNDER_REVIEW and not logins:
            logins.append((user.email, f"applicant, under review, {round_.name}"))
    return logins


HOSPITAL_PLAN = [
    # From another area than the adept's.
    ("David Mattsson", ["Patrik Strand", "Birgitta Öhman"]),
    ("Josefin Ahl", ["Ulf Granqvist", "Monica Aldén"]),
]


def build_pairs(*, tenant, spec, organisations, now):
    round_ = pairing._round(tenant, "mentorprogram", "Löpande")
    if round_ is None:
        return []
    coordinator = pairing._coordinator(tenant)

    def accepted(adept):
        at = (
            adept.history.filter(to_stage=pairing.Stage.ACCEPTED)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        return at or now - timedelta(days=30)

    pairs = pairing._pair_by_names(
        round_,
        HOSPITAL_PLAN,
        actor_for=lambda adept: pairing._hr_contact(tenant, adept.organisation, coordinator),
        matched_at=lambda adept: accepted(adept) + timedelta(days=3),
        started_at=lambda adept: accepted(adept) + timedelta(days=10),
        reason="HR matchade %(a)s med %(m)s ur mentorbanken, från ett annat område.",
        now=now,
    )
    for pair in pairs:
        if not pair.cost_bearer:
            retired = pair.mentor.career_status == "retired"
            pair_services.set_pair_cost(
                tenant=tenant,
                actor=coordinator,
                pair=pair,
                bearer=Pair.CostBearer.ADEPT_UNIT if retired else Pair.CostBearer.SHARED,
                note="Mentorn är pensionär." if retired else "Var verksamhet bär sina kostnader.",
            )
    return pairing._logins(pairs)
