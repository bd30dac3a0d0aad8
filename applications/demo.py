"""Demo applications in realistic stages, in the five demo tenants of ``organisations.demo``.

Invented people only. ``extend_demo`` is listed in ``mentorship.hooks.DEMO_EXTENSIONS``
(after the programmes app's extension); it finds the
programmes and rounds that ``programmes.demo`` made by slug and name.

- vastnatet (seed 000): round 15 is open, with themes, three custom questions and about 60
  applications from the six member organisations: a few drafts, some waiting for the manager's
  support or the HR contact's nomination, most nominated (enough for close to 25 pairs), a few
  not nominated by their organisation and a couple withdrawn.
- storvik (seed 001): an accepted application for every participant of the running round, plus
  a few applicants on the waiting list or declined.
- kvarnadalen (seed 002): an accepted application and an interview note for every participant of
  both closed rounds, with the education, work experience and assignment the form asks for.
- kommundirektorer (seed 003): accepted mentor applications (some mentors take two or three
  adepts) and one new member's adept application under review.
- sjukhusgruppen (seed 004): the mentor bank's accepted applications, the new managers' adept
  applications (accepted, and two under review).

Rows are written through the models, not the services (which send mail and check deadlines),
but kept as the services would leave them: a StageChange for every step from the draft with
plausible times and actors, Endorsement and Nomination rows where the round asks for them,
``submitted_at`` and consent set, and a Participant for every accepted application.
An application is get-or-create by (round, user, role) and its history is written only when it
is created, so running ``seed_demo`` again changes nothing. Texts and choices come from a
``random.Random`` with a fixed seed per tenant; times are counted from the day of the first run.
"""

import random
import unicodedata
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Case, Value, When
from django.utils import timezone

from organisations.demo import DEMO_DOMAIN, demo_email, ensure_user
from organisations.models import Membership
from programmes import services as programme_services
from programmes.models import ManagerLevel, Participant, ParticipantRole, Programme, Round

from . import services
from .models import (
    Application,
    Endorsement,
    InterviewNote,
    Nomination,
    Question,
    QuestionAudience,
    Theme,
)

Stage = Application.Stage
MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT
FIRST_LINE = ManagerLevel.FIRST_LINE
MANAGER_OF_MANAGERS = ManagerLevel.MANAGER_OF_MANAGERS
SENIOR_EXECUTIVE = ManagerLevel.SENIOR_EXECUTIVE
ENDORSEMENT_DAYS = 21  # as applications.services.ENDORSEMENT_MAX_AGE_DAYS

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


# --- helpers -------------------------------------------------------------------------------


def _rng(tenant_slug, stream="texts"):
    """A fixed seed per tenant; times draw from a stream of their own, so that the texts and
    choices stay the same whatever day the demo is seeded."""
    return random.Random(f"applications-demo:{tenant_slug}:{stream}")  # noqa: S311 (demo data)


def _ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _local(full_name):
    """The e-mail local part of a name, as the programmes demo spells it: lars-erik.moberg."""
    return ".".join(_ascii(part) for part in full_name.split())


def _domain(organisation):
    """An invented mail domain for an organisation's staff (managers are not demo logins)."""
    return f"{_ascii(organisation.name).replace(' ', '-')}.{DEMO_DOMAIN}"


def _minutes(rng, low_hours, high_hours):
    return timedelta(minutes=rng.randint(int(low_hours * 60), int(high_hours * 60)))


def _days(rng, low, high):
    return _minutes(rng, low * 24, high * 24)


def _at(tenant, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tenant.timezone))


def _day_month(day):
    return f"{day.day} {MONTHS[day.month - 1]}"


def _first_name(user):
    return user.full_name.split()[0]


# Days off around Christmas and New Year, when nobody applies or decides: (month, day).
HOLIDAYS = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1), (1, 6)}


def _working_day(day):
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def _office(moment, zone, rng):
    """The moment, or the next working morning if it falls outside office hours."""
    local = moment.astimezone(zone)
    if _working_day(local.date()) and 8 <= local.hour < 17:
        return moment
    day = local.date() + timedelta(days=1 if local.hour >= 17 else 0)
    while not _working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(8), tzinfo=zone) + timedelta(minutes=rng.randint(0, 480))


class _Trail:
    """The stage history of one application, built forwards in time from its draft.

    Steps taken by people fall on weekdays in office hours; steps the system takes (asking
    for the manager's support, sending on to the HR contact) follow the previous step at once.
    """

    def __init__(self, rng, tenant, applicant, start):
        self.rng = rng
        self.zone = ZoneInfo(tenant.timezone)
        self.applicant = applicant
        self.at = self._office(start)
        self.steps = [(Stage.DRAFT, self.at, applicant, "")]

    def _office(self, moment):
        return _office(moment, self.zone, self.rng)

    def to(self, stage, *, actor=None, reason="", after=None, at=None):
        """Move on: ``after`` a while (office hours), ``at`` a time, or at once (the system)."""
        if at is not None:
            moment = self._office(at)
        elif after is not None:
            moment = self._office(self.at + after)
        else:
            moment = self.at + timedelta(seconds=1)
        self.at = max(moment, self.at + timedelta(seconds=1))
        self.steps.append((stage, self.at, actor, reason))
        return self

    def by(self, actor, stage, **kwargs):
        return self.to(stage, actor=actor, **kwargs)

    def when(self, stage):
        return next(
            (at for step, at, _actor, _reason in reversed(self.steps) if step == stage), None
        )

    @property
    def stage(self):
        return self.steps[-1][0]

    @property
    def started(self):
        return self.steps[0][1]

    def end_before(self, limit):
        """Shift the whole history back by whole weeks (weekdays stay weekdays) to end in time."""
        if self.at <= limit:
            return self
        weeks = (self.at - limit) // timedelta(weeks=1) + 1
        shift = timedelta(weeks=weeks)
        self.steps = [(stage, at - shift, actor, reason) for stage, at, actor, reason in self.steps]
        self.at -= shift
        return self


class _Batch:
    """Rows written together at the end of a tenant, and the times they must show.

    StageChange.created_at, Endorsement.sent_at, Nomination.decided_at and the like are filled
    in by Django on insert; the demo writes its own times over them afterwards, one UPDATE per
    model and field rather than one per row, which keeps ``seed_demo`` quick.
    """

    def __init__(self):
        self.rows = defaultdict(list)  # model -> [(row, {field: time})]

    def add(self, row, **times):
        self.rows[type(row)].append((row, times))

    def flush(self):
        for model, entries in self.rows.items():
            new = [row for row, _times in entries if row.pk is None]
            if new and connection.features.can_return_rows_from_bulk_insert:
                model.objects.bulk_create(new)
            else:
                for row in new:
                    row.save()
            by_field = defaultdict(dict)
            for row, times in entries:
                for field, at in times.items():
                    by_field[field][row.pk] = at
            for field, values in by_field.items():
                _set_times(model, field, values)
        self.rows.clear()


def _set_times(model, field, values, chunk=200):
    """Write the given time into ``field`` of each row: {pk: time}."""
    items = list(values.items())
    output_field = model._meta.get_field(field)
    for start in range(0, len(items), chunk):
        part = items[start : start + chunk]
        model._base_manager.filter(pk__in=[pk for pk, _at in part]).update(
            **{
                field: Case(
                    *[When(pk=pk, then=Value(at)) for pk, at in part], output_field=output_field
                )
            }
        )


def _write(
    *, batch, tenant, round_, user, role, trail, fields, themes=(), answers=None, consent=True
):
    """Get or create the application; on creation write its history as the services would."""
    application, created = Application.objects.get_or_create(
        tenant=tenant,
        round=round_,
        user=user,
        role=role,
        defaults={
            "stage": trail.stage,
            "version": len(trail.steps),
            "full_name": user.full_name,
            "email": user.email,
            "submitted_at": trail.when(Stage.SUBMITTED),
            "consent_given_at": (
                trail.started + timedelta(minutes=trail.rng.randint(2, 40)) if consent else None
            ),
            "answers": answers or {},
            **fields,
        },
    )
    if created:
        batch.add(application, created_at=trail.started, updated_at=trail.at)
        rows = services.history_rows(
            application=application,
            steps=[(stage, actor, reason) for stage, _at, actor, reason in trail.steps],
        )
        for row, (_stage, at, _actor, _reason) in zip(rows, trail.steps, strict=True):
            batch.add(row, created_at=at)
        for theme in themes:
            batch.add(Application.themes.through(application=application, theme=theme))
    if application.stage == Stage.ACCEPTED:
        programme_services.ensure_participant(
            round_=round_, user=user, role=role, application=application
        )
    return application, created


def _endorsement(batch, tenant, application, trail, *, comment=""):
    """The manager's support: asked when the application was submitted, given if it moved on."""
    sent = trail.when(Stage.AWAITING_ENDORSEMENT)
    decided = trail.when(Stage.AWAITING_NOMINATION)
    batch.add(
        Endorsement(
            tenant=tenant,
            application=application,
            manager_name=application.manager_name,
            manager_email=application.manager_email,
            expires_at=sent + timedelta(days=ENDORSEMENT_DAYS),
            decided_at=decided,
            supports=True if decided else None,
            comment=comment if decided else "",
        ),
        sent_at=sent,
    )


def _nomination(batch, tenant, application, trail, *, hr_user):
    for stage, at, _actor, reason in trail.steps:
        if stage in (Stage.NOMINATED, Stage.DECLINED_BY_ORGANISATION):
            batch.add(
                Nomination(
                    tenant=tenant,
                    application=application,
                    nominated=stage == Stage.NOMINATED,
                    motivation=reason,
                    decided_by=hr_user,
                ),
                decided_at=at,
            )


def _hr_contacts(tenant, coordinator):
    """The HR contact who decides for each organisation (the coordinator where there is none)."""
    contacts = {}
    memberships = (
        Membership.objects.filter(tenant=tenant, is_hr_contact=True)
        .select_related("user")
        .prefetch_related("organisations")
        .order_by("user__email")
    )
    for membership in memberships:
        for organisation in membership.organisations.all():
            contacts.setdefault(organisation.pk, membership.user)
    return lambda organisation: contacts.get(organisation.pk, coordinator)


def _coordinator(tenant):
    membership = (
        Membership.objects.filter(tenant=tenant, is_coordinator=True)
        .select_related("user")
        .order_by("created_at", "id")
        .first()
    )
    return membership.user if membership else None


def _round(tenant, programme_slug, name):
    programme = Programme.objects.filter(tenant=tenant, slug=programme_slug).first()
    if programme is None:
        return None
    return Round.objects.filter(tenant=tenant, programme=programme, name=name).first()


def _participants(round_):
    return list(
        Participant.objects.filter(round=round_)
        .select_related("user", "organisation")
        .order_by("role", "user__email")
    )


def _retired(spec):
    """The retired mentors of the programmes demo (seeds 003 and 004 take retired mentors)."""
    return {demo_email(local, spec) for local in ("bengt.astrom", "goran.lindell")}


def _person(spec, full_name):
    return ensure_user(demo_email(_local(full_name), spec), full_name)


# --- seed 000: the network's open round 15 ---------------------------------------------------

NETWORK_THEMES = [
    ("Strategiskt ledarskap", "strategiskt ledarskap"),
    ("Leda chefer", "att leda chefer"),
    ("Förändringsledning", "förändringsledning"),
    ("Kommunikation", "kommunikation"),
    ("Arbetsmiljö och hållbarhet", "arbetsmiljö och ett hållbart chefskap"),
    ("Styrning och politik", "samspelet mellan tjänstepersoner och politik"),
    ("Kompetensförsörjning", "kompetensförsörjning"),
]

SECTOR_CHOICES = [
    "Kommun",
    "Region",
    "Statlig myndighet",
    "Universitet eller högskola",
    "Ingen preferens",
]
SECTOR_OF_KIND = {
    "municipality": "Kommun",
    "region": "Region",
    "agency": "Statlig myndighet",
    "university": "Universitet eller högskola",
}
SECTOR_PHRASE = {
    "municipality": "kommunal verksamhet",
    "region": "hälso- och sjukvård och regional utveckling",
    "agency": "statlig förvaltning",
    "university": "akademin",
}

# How many mentors and adepts each member organisation sends.
NETWORK_PLAN = [
    ("Älvby stad", 8, 9),
    ("Region Västerhav", 8, 9),
    ("Sjöviks kommun", 4, 4),
    ("Bergåsa kommun", 4, 4),
    ("Länsstyrelsen i Kustlän", 4, 4),
    ("Högskolan i Åbacka", 3, 3),
]

# Where each application stands. Most are nominated: enough for close to 25 pairs.
NOMINATED, DRAFT, AWAITING_ENDORSEMENT, AWAITING_NOMINATION = (
    "nominated",
    "draft",
    "awaiting_endorsement",
    "awaiting_nomination",
)
DECLINED_BY_ORGANISATION = "declined_by_organisation"
WITHDRAWN_AFTER_NOMINATION, WITHDRAWN_BEFORE_NOMINATION = "withdrawn_nominated", "withdrawn"
NETWORK_STAGES = {
    MENTOR: [NOMINATED] * 26
    + [
        DRAFT,
        AWAITING_ENDORSEMENT,
        AWAITING_NOMINATION,
        DECLINED_BY_ORGANISATION,
        WITHDRAWN_AFTER_NOMINATION,
    ],
    ADEPT: [NOMINATED] * 26
    + [
        DRAFT,
        DRAFT,
        AWAITING_ENDORSEMENT,
        AWAITING_ENDORSEMENT,
        AWAITING_NOMINATION,
        DECLINED_BY_ORGANISATION,
        WITHDRAWN_BEFORE_NOMINATION,
    ],
}

FIRST_NAMES = [
    "Agneta",
    "Alexander",
    "Amanda",
    "Anders",
    "Andreas",
    "Annika",
    "Arvid",
    "Beatrice",
    "Camilla",
    "Carl",
    "Cecilia",
    "Dan",
    "Daniel",
    "Ebba",
    "Elisabet",
    "Emil",
    "Erika",
    "Fredrik",
    "Gustav",
    "Hanna",
    "Helena",
    "Henrik",
    "Ingela",
    "Isak",
    "Jenny",
    "Jesper",
    "Jessica",
    "Joakim",
    "Jonas",
    "Karl",
    "Katja",
    "Kristina",
    "Lars",
    "Linnea",
    "Louise",
    "Magnus",
    "Maria",
    "Martin",
    "Mattias",
    "Mikaela",
    "Niklas",
    "Ola",
    "Patrik",
    "Pernilla",
    "Rebecka",
    "Robin",
    "Sofia",
    "Stefan",
    "Susanna",
    "Thomas",
    "Ulrika",
    "Viktoria",
    "Yusuf",
    "Zeynep",
    "Åsa",
    "Mehmet",
    "Leyla",
    "Reza",
    "Tove",
    "Ylva",
]
LAST_NAMES = [
    "Almqvist",
    "Andersson",
    "Bergkvist",
    "Björklund",
    "Dahlgren",
    "Ekholm",
    "Eriksson",
    "Forsberg",
    "Fransson",
    "Granath",
    "Gustavsson",
    "Hallberg",
    "Hellström",
    "Holmgren",
    "Isaksson",
    "Jakobsson",
    "Karlberg",
    "Kjellberg",
    "Lindblom",
    "Lindqvist",
    "Ljungberg",
    "Lundgren",
    "Malmberg",
    "Mårtensson",
    "Nordin",
    "Nyström",
    "Olofsson",
    "Palm",
    "Rosén",
    "Sandell",
    "Sjögren",
    "Strömberg",
    "Sundqvist",
    "Svärd",
    "Söderlund",
    "Törnqvist",
    "Wallgren",
    "Westerlund",
    "Wikström",
    "Åberg",
    "Ahmadi",
    "Demir",
    "Virtanen",
    "Kovač",
    "Engström",
    "Hammar",
    "Lindh",
    "Nyqvist",
]

# Job titles per kind of organisation: (title, level). "kommun" words become "stad" words in
# a city. Mentors are strategic managers of managers; adepts manage managers.
NETWORK_MENTOR_TITLES = {
    "municipality": [
        ("Kommundirektör", SENIOR_EXECUTIVE),
        ("Biträdande kommundirektör", SENIOR_EXECUTIVE),
        ("Förvaltningschef, socialförvaltningen", MANAGER_OF_MANAGERS),
        ("Förvaltningschef, utbildningsförvaltningen", MANAGER_OF_MANAGERS),
        ("Förvaltningschef, samhällsbyggnadsförvaltningen", MANAGER_OF_MANAGERS),
        ("Förvaltningschef, kultur- och fritidsförvaltningen", MANAGER_OF_MANAGERS),
        ("HR-direktör", SENIOR_EXECUTIVE),
        ("Ekonomidirektör", SENIOR_EXECUTIVE),
        ("Kanslichef, kommunledningskontoret", MANAGER_OF_MANAGERS),
        ("Förvaltningschef, vård- och omsorgsförvaltningen", MANAGER_OF_MANAGERS),
    ],
    "region": [
        ("Regiondirektör", SENIOR_EXECUTIVE),
        ("Hälso- och sjukvårdsdirektör", SENIOR_EXECUTIVE),
        ("Förvaltningschef, regionens tandvård", MANAGER_OF_MANAGERS),
        ("Förvaltningschef, kulturförvaltningen", MANAGER_OF_MANAGERS),
        ("Områdeschef, primärvård", MANAGER_OF_MANAGERS),
        ("Verksamhetschef, vuxenpsykiatri", MANAGER_OF_MANAGERS),
        ("Avdelningschef, regional utveckling", MANAGER_OF_MANAGERS),
        ("Sjukhusdirektör, Västerhavssjukhuset", SENIOR_EXECUTIVE),
        ("Kanslichef, regionstyrelsens förvaltning", MANAGER_OF_MANAGERS),
        ("Ekonomidirektör", SENIOR_EXECUTIVE),
    ],
    "agency": [
        ("Länsråd", SENIOR_EXECUTIVE),
        ("Avdelningschef, miljöavdelningen", MANAGER_OF_MANAGERS),
        ("Avdelningschef, samhällsbyggnadsavdelningen", MANAGER_OF_MANAGERS),
        ("Avdelningschef, landsbygdsavdelningen", MANAGER_OF_MANAGERS),
        ("Kanslichef", MANAGER_OF_MANAGERS),
    ],
    "university": [
        ("Högskoledirektör", SENIOR_EXECUTIVE),
        ("Avdelningschef, studentavdelningen", MANAGER_OF_MANAGERS),
        ("Bibliotekschef", MANAGER_OF_MANAGERS),
        ("Fakultetsdirektör", MANAGER_OF_MANAGERS),
    ],
}
NETWORK_ADEPT_TITLES = {
    "municipality": [
        "Avdelningschef, äldreomsorg",
        "Verksamhetschef, förskola",
        "Enhetschef över chefer, hemtjänst",
        "Biträdande förvaltningschef, kultur och fritid",
        "Avdelningschef, individ- och familjeomsorg",
        "Verksamhetschef, grundskola",
        "Områdeschef, funktionsstöd",
        "Avdelningschef, gata och park",
        "Avdelningschef, vuxenutbildning och arbetsmarknad",
        "Kanslichef, socialförvaltningen",
        "Avdelningschef, digitalisering",
    ],
    "region": [
        "Verksamhetschef, akutsjukvård",
        "Biträdande områdeschef, primärvård",
        "Avdelningschef, kollektivtrafik",
        "Verksamhetschef, barn- och ungdomsmedicin",
        "Avdelningschef, regionens IT",
        "Biträdande verksamhetschef, medicinkliniken",
        "Avdelningschef, habilitering",
        "Verksamhetschef, folktandvården",
        "Avdelningschef, fastigheter",
        "Enhetschef över chefer, vårdval",
    ],
    "agency": [
        "Enhetschef över chefer, tillsyn",
        "Biträdande avdelningschef, miljöavdelningen",
        "Avdelningschef, verksamhetsstöd",
        "Biträdande avdelningschef, samhällsbyggnad",
        "Avdelningschef, krisberedskap",
    ],
    "university": [
        "Avdelningschef, IT-avdelningen",
        "Kanslichef, fakultetskansliet",
        "Biträdande förvaltningschef",
        "Avdelningschef, HR-avdelningen",
    ],
}

NETWORK_EDUCATION = {
    "municipality": [
        "Socionomexamen; kommunal ledarutbildning för chefer över chefer",
        "Civilekonom; ledarprogram för högre chefer",
        "Grundskollärare; rektorsprogrammet och en magister i utbildningsledning",
        "Fil.kand. i statsvetenskap; chefsutveckling i kommunal regi",
        "Civilingenjör, samhällsbyggnad",
        "Personalvetarexamen; utbildning i UGL och coachande ledarskap",
    ],
    "region": [
        "Sjuksköterskeexamen och magister i vårdvetenskap; program för verksamhetschefer",
        "Läkarexamen, specialist i allmänmedicin; ledarskapsutbildning för läkare",
        "Civilekonom; regionens ledarprogram",
        "Fil.kand. i kulturvetenskap; projektledarutbildning",
        "Tandläkarexamen; ledarskap i hälso- och sjukvården",
        "Fil.mag. i kulturgeografi",
    ],
    "agency": [
        "Juristexamen; statens chefsutbildning",
        "Fil.mag. i miljövetenskap; ledarskap i staten",
        "Agronom; utbildning för chefer i statsförvaltningen",
        "Fil.kand. i offentlig förvaltning",
    ],
    "university": [
        "Fil.dr i biologi; akademiskt ledarskap",
        "Bibliotekarie, fil.mag. i biblioteks- och informationsvetenskap",
        "Fil.kand. i personal och arbetsliv; ledarskapsprogram för högskolans chefer",
        "Systemvetare; utbildning i IT-ledning",
    ],
}
NETWORK_EARLIER = {
    "municipality": [
        "socialsekreterare och enhetschef",
        "rektor och verksamhetschef",
        "controller och ekonomichef",
        "projektledare och planchef",
        "HR-specialist och HR-chef",
    ],
    "region": [
        "sjuksköterska och vårdenhetschef",
        "läkare och sektionschef",
        "utvecklingsledare och enhetschef",
        "handläggare och enhetschef",
    ],
    "agency": [
        "handläggare och enhetschef",
        "jurist och enhetschef",
        "miljöhandläggare och enhetschef",
    ],
    "university": [
        "forskare och prefekt",
        "bibliotekarie och enhetschef",
        "IT-strateg och enhetschef",
    ],
}

MENTOR_OPENERS = [
    "Jag har haft stor nytta av egna mentorer genom åren och vill gärna ge något tillbaka.",
    "Efter många år som chef över chefer vet jag hur värdefullt det är att ha någon utanför "
    "den egna organisationen att tänka högt med.",
    "Att vara mentor är för mig ett sätt att fortsätta lära; adeptens frågor får mig att "
    "fundera över mina egna vägval och beslut.",
    "Jag var mentor i ett tidigare program och fick minst lika mycket tillbaka som jag gav.",
    "Jag vill bidra till ett starkare ledarskap i offentlig sektor, också utanför min egen "
    "organisation.",
    "Jag tycker om att lyssna, ställa frågor och låta den andra hitta sina egna svar.",
]
MENTOR_CLOSERS = [
    "Jag kan avsätta tid för en träff i månaden och prioriterar de gemensamma dagarna.",
    "Jag ser fram emot att möta en adept från en annan organisation och profession.",
    "Jag vill vara ett bollplank snarare än en rådgivare.",
    "Min chef stödjer att jag lägger den tid som uppdraget kräver.",
]
ADEPT_OPENERS = [
    "Jag har varit chef över chefer i några år och vill utveckla mitt strategiska ledarskap.",
    "Mitt uppdrag har vuxit snabbt och jag leder i dag flera enhetschefer; jag behöver någon "
    "utanför min egen organisation att reflektera med.",
    "Vi står inför en stor omorganisation och jag vill bli tryggare i att leda chefer genom "
    "förändring.",
    "Jag vill få perspektiv på mitt ledarskap från en erfaren chef i en annan offentlig "
    "verksamhet.",
    "Jag trivs i min roll men fastnar lätt i det operativa och vill hitta tid och former för "
    "det strategiska arbetet.",
    "Som relativt ny i ledningsgruppen vill jag förstå samspelet med politiken bättre.",
]
ADEPT_CLOSERS = [
    "Jag hoppas också bygga ett nätverk som håller efter programmet.",
    "Min chef stödjer ansökan och vi har pratat om hur jag kan använda det jag lär mig i hela "
    "förvaltningen.",
    "Jag vill gärna möta någon med en annan bakgrund än min egen.",
    "Målet är ett mer hållbart ledarskap, för mig och för cheferna jag leder.",
]
MENTOR_WISHES = [
    "",
    "",
    "Jag tar gärna en adept från en mindre organisation.",
    "Gärna en adept från en annan sektor än min egen.",
    "Jag kan ta emot en adept som vill skugga mig en dag under året.",
]
ADEPT_WISHES = [
    "",
    "",
    "Gärna en mentor som har lett en stor förändring i en politiskt styrd organisation.",
    "Jag vill gärna möta någon från en annan sektor än min egen.",
    "Helst någon som går att träffa i Älvby, så att vi kan ses på plats.",
    "En mentor med erfarenhet av att leda chefer på flera orter.",
]

MENTOR_EXPERIENCE = [
    "Jag har varit mentor två gånger tidigare, en gång inom min egen organisation och en gång i "
    "ett regionalt program.",
    "Jag har handlett nya chefer internt i flera år men inte varit mentor i ett program.",
    "Jag var själv adept för många år sedan och har sedan dess varit mentor åt tre chefer.",
    "Ingen formell erfarenhet, men jag har gått en utbildning i coachande ledarskap.",
    "Jag var mentor i nätverkets förra omgång och vill gärna fortsätta.",
]
ADEPT_EXPERIENCE = [
    "Ingen tidigare erfarenhet av mentorskap.",
    "Jag hade en mentor som ny enhetschef och upplevde det som mycket värdefullt.",
    "Jag har varit mentor åt en nyanställd enhetschef men aldrig haft en mentor själv.",
    "Jag har gått ett internt ledarprogram med kollegial handledning.",
]

MENTOR_NOMINATIONS = [
    "{first} är en erfaren och uppskattad chef med gott rykte i hela organisationen och en "
    "mycket god representant för oss.",
    "{first} har lång erfarenhet på ledningsnivå och har varit en uppskattad mentor internt.",
    "{first} är trygg i sin roll, lyssnar väl och har ett coachande förhållningssätt. Vi "
    "nominerar gärna.",
    "En stark strategisk ledare med bred erfarenhet av förändringsarbete. {first} representerar "
    "oss väl.",
]
ADEPT_NOMINATIONS = [
    "{first} har stor utvecklingspotential och närmaste chef stödjer ansökan fullt ut.",
    "Ingår i vår plan för ledarförsörjning; programmet är ett viktigt steg för {first}.",
    "{first} leder en växande verksamhet och behöver ett bollplank utanför organisationen.",
    "Vi ser {first} som en framtida chef på högre nivå och nominerar gärna.",
]
DECLINED_REASONS = {
    MENTOR: "Vi nominerar inte i år eftersom en större omorganisation pågår i verksamheten. "
    "Välkommen tillbaka i nästa omgång.",
    ADEPT: "Vi har i år valt att prioritera andra sökande från vår organisation. Välkommen att "
    "söka igen i nästa omgång.",
}
WITHDRAWAL_REASONS = {
    MENTOR: "Ändrade förutsättningar i min verksamhet under våren; jag hoppas kunna vara med "
    "en annan gång.",
    ADEPT: "Jag har fått ett nytt uppdrag och kan tyvärr inte prioritera programmet i år.",
}
ENDORSEMENT_COMMENTS = [
    "",
    "",
    "Jag stödjer ansökan helt.",
    "Ett bra tillfälle att utvecklas; ansökan har mitt fulla stöd.",
    "Vi har gått igenom ansökan tillsammans och jag ser fram emot att följa utvecklingen.",
]


def _network_people(rng, organisations):
    """(organisation, role, full name, title, level, stage key) for every applicant."""
    names, used = [], set()
    while len(names) < 160:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if _local(name) not in used:
            used.add(_local(name))
            names.append(name)
    applicants, managers = names[:80], names[80:]
    stages = {role: rng.sample(keys, len(keys)) for role, keys in NETWORK_STAGES.items()}
    people = []
    for org_name, mentors, adepts in NETWORK_PLAN:
        organisation = organisations[org_name]
        city = org_name.endswith(" stad")
        mentor_titles = rng.sample(NETWORK_MENTOR_TITLES[organisation.kind], mentors)
        adept_titles = rng.sample(NETWORK_ADEPT_TITLES[organisation.kind], adepts)
        for role, titles in ((MENTOR, mentor_titles), (ADEPT, adept_titles)):
            for title in titles:
                title, level = title if role == MENTOR else (title, MANAGER_OF_MANAGERS)
                if city:
                    title = (
                        title.replace("Kommundirektör", "Stadsdirektör")
                        .replace("kommundirektör", "stadsdirektör")
                        .replace("kommunledning", "stadsledning")
                    )
                people.append(
                    {
                        "organisation": organisation,
                        "role": role,
                        "name": applicants.pop(0),
                        "manager": managers.pop(0),
                        "title": title,
                        "level": level,
                        "stage": stages[role].pop(),
                    }
                )
    return people


def _network_trail(rng, texts, tenant, round_, person, user, hr_user, now):
    """The history for the person's stage, inside the round's application window."""
    opens = round_.application_opens_at
    key, role = person["stage"], person["role"]
    first = user.full_name.split()[0]
    if key == DRAFT:
        trail = _Trail(rng, tenant, user, now - _days(rng, 1, 6))
        return trail.end_before(now - timedelta(hours=1))
    if key in (AWAITING_ENDORSEMENT,):
        start = now - _days(rng, 3, 9)
    elif key == AWAITING_NOMINATION:
        start = now - _days(rng, 6, 10)
    else:
        start = opens + _days(rng, 0.5, 10 if key != WITHDRAWN_AFTER_NOMINATION else 5)
    trail = _Trail(rng, tenant, user, start)
    trail.by(user, Stage.SUBMITTED, after=_minutes(rng, 1, 72))
    trail.to(Stage.AWAITING_ENDORSEMENT)
    if key == AWAITING_ENDORSEMENT:
        return trail.end_before(now - timedelta(hours=2))
    trail.to(Stage.AWAITING_NOMINATION, after=_minutes(rng, 3, 96))
    if key == AWAITING_NOMINATION:
        return trail.end_before(now - timedelta(hours=2))
    if key == WITHDRAWN_BEFORE_NOMINATION:
        trail.by(user, Stage.WITHDRAWN, after=_days(rng, 2, 5), reason=WITHDRAWAL_REASONS[role])
        return trail.end_before(now - timedelta(hours=2))
    if key == DECLINED_BY_ORGANISATION:
        trail.by(
            hr_user,
            Stage.DECLINED_BY_ORGANISATION,
            after=_days(rng, 1, 7),
            reason=DECLINED_REASONS[role],
        )
        return trail.end_before(now - timedelta(hours=2))
    pool = MENTOR_NOMINATIONS if role == MENTOR else ADEPT_NOMINATIONS
    trail.by(
        hr_user,
        Stage.NOMINATED,
        after=_days(rng, 1, 7),
        reason=texts.choice(pool).format(first=first),
    )
    if key == WITHDRAWN_AFTER_NOMINATION:
        trail.by(user, Stage.WITHDRAWN, after=_days(rng, 2, 6), reason=WITHDRAWAL_REASONS[role])
    return trail.end_before(now - timedelta(hours=2))


def _network_questions(tenant, round_):
    kickoff = round_.starts_on
    specs = [
        (
            "Vilken erfarenhet har du av mentorskap tidigare?",
            Question.Kind.LONG_TEXT,
            False,
            [],
            "Som mentor, som adept eller på annat sätt.",
        ),
        (
            f"Kan du delta vid uppstarten den {_day_month(kickoff)}?"
            if kickoff
            else "Kan du delta vid uppstarten?",
            Question.Kind.YES_NO,
            True,
            [],
            "Uppstarten är en heldag för mentorerna och en förmiddag med lunch för adepterna.",
        ),
        (
            "Från vilken sorts organisation vill du helst att din mentor eller adept kommer?",
            Question.Kind.SINGLE_CHOICE,
            False,
            SECTOR_CHOICES,
            "",
        ),
    ]
    questions = []
    for position, (label, kind, required, choices, help_text) in enumerate(specs, start=1):
        question, _ = Question.objects.get_or_create(
            tenant=tenant,
            round=round_,
            label=label,
            defaults={
                "kind": kind,
                "required": required,
                "choices": choices,
                "help_text": help_text,
                "audience": QuestionAudience.BOTH,
                "position": position,
            },
        )
        questions.append(question)
    return questions


def build_network(*, tenant, spec, organisations, rng, times, now, batch):
    round_ = _round(tenant, "over-granserna", "Omgång 15")
    if round_ is None:
        return []
    themes = []
    for position, (name, _phrase) in enumerate(NETWORK_THEMES, start=1):
        theme, _ = Theme.objects.get_or_create(
            tenant=tenant, programme=round_.programme, name=name, defaults={"position": position}
        )
        themes.append(theme)
    phrases = dict(NETWORK_THEMES)
    experience, kickoff, sector = _network_questions(tenant, round_)
    coordinator = _coordinator(tenant)
    hr_for = _hr_contacts(tenant, coordinator)
    logins = {}
    for person in _network_people(rng, organisations):
        organisation, role, key = person["organisation"], person["role"], person["stage"]
        user = ensure_user(demo_email(_local(person["name"]), spec), person["name"])
        hr_user = hr_for(organisation)
        trail = _network_trail(times, rng, tenant, round_, person, user, hr_user, now)
        mentor = role == MENTOR
        if mentor:
            years = rng.randint(12, 28)
            reporting = rng.randint(4, 12)
        else:
            years = rng.randint(4, 14)
            reporting = rng.randint(2, 7)
        above = rng.randint(1, min(years - 2, 6 if not mentor else 18))
        chosen = rng.sample(themes, rng.choice([2, 2, 3]))
        a, b = (phrases[t.name] for t in chosen[:2])
        if mentor:
            motivation = (
                f"{rng.choice(MENTOR_OPENERS)} Jag kan särskilt bidra inom {a} och "
                f"{b}, där jag har lång erfarenhet från "
                f"{SECTOR_PHRASE[organisation.kind]}. {rng.choice(MENTOR_CLOSERS)}"
            )
        else:
            motivation = (
                f"{rng.choice(ADEPT_OPENERS)} Jag vill särskilt arbeta med {a} samt "
                f"{b}. {rng.choice(ADEPT_CLOSERS)}"
            )
        can_start = rng.random() < 0.9
        other_sectors = [c for c in SECTOR_CHOICES if c != SECTOR_OF_KIND[organisation.kind]]
        answers = {
            str(experience.pk): rng.choice(MENTOR_EXPERIENCE if mentor else ADEPT_EXPERIENCE),
            str(kickoff.pk): "yes" if can_start else "no",
            str(sector.pk): rng.choice(other_sectors + ["Ingen preferens"] * 2),
        }
        fields = {
            "organisation": organisation,
            "phone": f"070-174 06 {rng.randint(5, 99):02d}",
            "job_title": person["title"],
            "current_assignment": (
                f"{person['title']} i {organisation.name}, med {reporting} chefer som "
                f"rapporterar direkt till mig."
            ),
            "manager_level": person["level"],
            "years_as_manager": years,
            "managers_reporting": reporting,
            "region": organisation.region,
            "education": rng.choice(NETWORK_EDUCATION[organisation.kind]),
            "work_experience": (
                f"{years} år som chef, varav {above} år som chef över chefer. Tidigare "
                f"{rng.choice(NETWORK_EARLIER[organisation.kind])}."
            ),
            "motivation": motivation,
            "matching_wishes": rng.choice(MENTOR_WISHES if mentor else ADEPT_WISHES),
            "prefers_other_sector": rng.random() < 0.4,
            "languages": rng.choice(["svenska", "svenska", "svenska, engelska"]),
            "available_for_shared_days": can_start,
            "capacity": 1,
            "manager_name": person["manager"],
            "manager_email": f"{_local(person['manager'])}@{_domain(organisation)}",
            "discussed_with_manager": True,
        }
        comment = rng.choice(ENDORSEMENT_COMMENTS)
        if key == DRAFT and not logins.get("draft"):
            # One draft is half written: no motivation, no answers yet, no consent.
            fields.update(
                {"motivation": "", "matching_wishes": "", "discussed_with_manager": False}
            )
            answers = {}
        application, created = _write(
            batch=batch,
            tenant=tenant,
            round_=round_,
            user=user,
            role=role,
            trail=trail,
            fields=fields,
            themes=chosen,
            answers=answers,
            consent=not (key == DRAFT and not logins.get("draft")),
        )
        if created and trail.when(Stage.AWAITING_ENDORSEMENT):
            _endorsement(batch, tenant, application, trail, comment=comment)
            _nomination(batch, tenant, application, trail, hr_user=hr_user)
        if key == DRAFT:
            logins.setdefault("draft", (user.email, f"applicant, draft, {round_.name}"))
        elif key == AWAITING_ENDORSEMENT:
            logins.setdefault(
                "endorsement",
                (user.email, f"applicant, waiting for the manager's support, {round_.name}"),
            )
        elif key == NOMINATED and role == ADEPT:
            logins.setdefault("nominated", (user.email, f"applicant, nominated, {round_.name}"))
    return [logins[k] for k in ("draft", "endorsement", "nominated") if k in logins]


# --- seed 001: the city's running round -----------------------------------------------------

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
        ADEPT,
        "Stadsområde Söder",
        Stage.WAITLISTED,
        "Fler adepter än mentorer i den här omgången. Du står först i kön om en mentor blir ledig.",
    ),
    (
        "Minna Laaksonen",
        ADEPT,
        "Äldreförvaltningen",
        Stage.WAITLISTED,
        "Fler adepter än mentorer i den här omgången. Vi hör av oss om en plats blir ledig.",
    ),
    (
        "Tobias Wendt",
        MENTOR,
        "Stadsområde Centrum",
        Stage.DECLINED,
        "Vi fick fler mentorer än adepter i år. Välkommen att anmäla dig igen inför nästa omgång.",
    ),
    (
        "Jelena Marić",
        ADEPT,
        "Förvaltningen för funktionsstöd",
        Stage.DECLINED,
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
    MENTOR: [
        "Områdeschefen nominerar {first}: dokumenterat gott ledarskap och goda resultat i "
        "medarbetarenkäten flera år i rad.",
        "Avdelningschefen nominerar {first}, som är trygg i sin ledarroll och uppskattad av "
        "både medarbetare och kolleger.",
        "Nominerad av förvaltningsledningen; {first} har lång och god erfarenhet som chef.",
    ],
    ADEPT: [
        "Vi stödjer ansökan. {first} har varit enhetschef i ett år och vill utvecklas.",
        "{first} har ett stort uppdrag och har nytta av en mentor från en annan del av staden.",
        "Ansökan stöds av områdeschefen.",
    ],
}


def _city_fields(rng, role, organisation, *, index):
    mentor = role == MENTOR
    unit = CITY_UNITS.get(organisation.name, ["verksamhetsstöd"])
    unit = unit[index % len(unit)]
    if mentor:
        level = rng.choice([FIRST_LINE, FIRST_LINE, MANAGER_OF_MANAGERS])
        title = f"Enhetschef, {unit}" if level == FIRST_LINE else f"Avdelningschef, {unit}"
        years = rng.randint(7, 20)
    else:
        level, title, years = FIRST_LINE, f"Enhetschef, {unit}", rng.randint(1, 2)
    staff = rng.randint(15, 45)
    return {
        "organisation": organisation,
        "job_title": title,
        "current_assignment": f"{title} i {organisation.name}, {staff} medarbetare.",
        "manager_level": level,
        "years_as_manager": years,
        "managers_reporting": rng.randint(2, 5) if level == MANAGER_OF_MANAGERS else None,
        "region": organisation.region,
        "motivation": rng.choice(CITY_MENTOR_MOTIVATIONS if mentor else CITY_ADEPT_MOTIVATIONS),
        "matching_wishes": "" if mentor else rng.choice(CITY_ADEPT_WISHES),
        "available_for_shared_days": True,
        "manager_name": "",
        "discussed_with_manager": True,
    }


def build_city(*, tenant, spec, organisations, rng, times, now, batch):
    round_ = _round(tenant, "enhetschefer", "Omgång 4")
    if round_ is None:
        return []
    coordinator = _coordinator(tenant)
    hr_for = _hr_contacts(tenant, coordinator)
    opens, closes = round_.application_opens_at, round_.application_closes_at
    decided = _at(tenant, round_.starts_on - timedelta(days=27), 10)
    people = [(p.user, p.role, p.organisation, Stage.ACCEPTED, "") for p in _participants(round_)]
    people += [
        (_person(spec, name), role, organisations[org], stage, reason)
        for name, role, org, stage, reason in CITY_EXTRA
    ]
    for index, (user, role, organisation, final, reason) in enumerate(people):
        hr_user = hr_for(organisation) if organisation else coordinator
        trail = _Trail(times, tenant, user, opens + _days(times, 2, 45))
        trail.by(user, Stage.SUBMITTED, after=_minutes(times, 1, 72))
        trail.to(Stage.AWAITING_NOMINATION)
        first = _first_name(user)
        trail.by(
            hr_user,
            Stage.NOMINATED,
            after=_days(times, 2, 12),
            reason=rng.choice(CITY_NOMINATIONS[role]).format(first=first),
        )
        trail.end_before(closes + timedelta(days=5))
        trail.by(coordinator, final, at=decided + _minutes(times, 0, 5), reason=reason)
        application, created = _write(
            batch=batch,
            tenant=tenant,
            round_=round_,
            user=user,
            role=role,
            trail=trail,
            fields=_city_fields(rng, role, organisation, index=index),
        )
        if created:
            _nomination(batch, tenant, application, trail, hr_user=hr_user)
    return []


# --- seed 002: the regional programme's two closed rounds, with interviews ------------------

# (title, level, current assignment, education, work experience)
REGIONAL_MENTORS = [
    (
        "Rektor, Ekbackeskolan",
        FIRST_LINE,
        "Rektor för en F–9-skola med cirka 60 medarbetare och två biträdande rektorer.",
        "Grundskollärare; rektorsprogrammet",
        "Lärare i tio år, därefter biträdande rektor och rektor i två kommuner.",
    ),
    (
        "Socialchef",
        MANAGER_OF_MANAGERS,
        "Leder socialförvaltningen med fyra enhetschefer inom individ- och familjeomsorgen.",
        "Socionomexamen; ledarskapsutbildning för högre chefer",
        "Socialsekreterare och enhetschef för barn och unga innan uppdraget som socialchef.",
    ),
    (
        "Enhetschef, hemtjänst Norr",
        FIRST_LINE,
        "Chef för hemtjänsten i kommunens norra del, 45 medarbetare.",
        "Undersköterska; fil.kand. i vårdvetenskap",
        "Lång erfarenhet från äldreomsorgen, först "
        "som undersköterska och samordnare, sedan som chef.",
    ),
    (
        "Teknisk chef",
        MANAGER_OF_MANAGERS,
        "Ansvarar för gata, park, vatten och avlopp med tre enhetschefer.",
        "Civilingenjör, väg och vatten",
        "Projektledare i privat sektor innan jag kom till "
        "kommunen; chef i kommunal teknisk verksamhet sedan många år.",
    ),
    (
        "Kommunchef",
        SENIOR_EXECUTIVE,
        "Kommunens högsta tjänsteperson; leder kommunledningsgruppen.",
        "Fil.kand. i statsvetenskap; kommunal ledarutbildning",
        "Utredare, kanslichef och ekonomichef innan uppdraget som kommunchef.",
    ),
    (
        "Verksamhetschef, funktionsstöd",
        MANAGER_OF_MANAGERS,
        "Leder kommunens verksamhet enligt LSS med fem enhetschefer.",
        "Socialpedagog; fil.kand. i socialt arbete",
        "Har arbetat inom funktionsstöd i hela mitt yrkesliv, som chef i flera olika roller.",
    ),
    (
        "Kultur- och fritidschef",
        MANAGER_OF_MANAGERS,
        "Ansvarar för bibliotek, kulturskola och fritidsgårdar.",
        "Fil.kand. i kulturvetenskap",
        "Bibliotekarie, kulturstrateg och chef för kulturskolan.",
    ),
    (
        "Ekonomichef",
        MANAGER_OF_MANAGERS,
        "Leder ekonomiavdelningen med två gruppledare och tolv ekonomer.",
        "Civilekonom",
        "Revisor på byrå, controller och därefter ekonomichef i två kommuner.",
    ),
    (
        "Rektor, förskoleområde Väster",
        FIRST_LINE,
        "Rektor för sex förskolor med cirka 70 medarbetare.",
        "Förskollärare; rektorsprogrammet",
        "Förskollärare och utvecklingsledare innan chefsuppdraget.",
    ),
    (
        "Miljö- och byggchef",
        MANAGER_OF_MANAGERS,
        "Leder miljö- och byggförvaltningen: myndighetsutövning, tillsyn och planering.",
        "Miljö- och hälsoskyddsinspektör",
        "Inspektör och handläggare, chef för tillsynsenheten och sedan förvaltningschef.",
    ),
    (
        "HR-chef",
        MANAGER_OF_MANAGERS,
        "Ansvarar för kommunens HR-avdelning och arbetsgivarfrågor.",
        "Personalvetare",
        "HR-konsult, HR-specialist och HR-chef i två kommuner.",
    ),
    (
        "Enhetschef, särskilt boende",
        FIRST_LINE,
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
    ADEPT: [
        "Gärna någon från en annan kommun och en annan verksamhet än min egen.",
        "Någon inom rimligt reseavstånd, så att vi kan träffas på plats.",
        "Gärna en mentor med erfarenhet av både stora och små verksamheter.",
        "",
    ],
    MENTOR: [
        "Gärna en adept från en annan verksamhet än min egen.",
        "Någon inom rimligt reseavstånd, så att vi kan träffas på plats.",
        "",
    ],
}
REGIONAL_INTERVIEW_NOTES = {
    ADEPT: [
        "Tydliga mål: vill delegera mer och planera in tid för reflektion. Har stöd av sin chef "
        "och kan delta vid alla sju träffar. Passar med en mentor från en annan verksamhet.",
        "Känner sig ensam i rollen och vill ha ett bollplank. Nyfiken och öppen. Önskar en "
        "mentor med erfarenhet av personalfrågor; helst inte från den egna kommunen.",
        "Vill bli tryggare i svåra samtal och i att sätta gränser. Reflekterande, väl förberedd. "
        "Geografi: vill kunna träffas på plats.",
        "Ny organisation på gång i verksamheten; vill ha stöd i förändringsledning. Har pratat "
        "med sin chef, som stödjer ansökan.",
    ],
    MENTOR: [
        "Erfaren och trygg; har varit mentor tidigare. Coachande förhållningssätt. Kan ta en "
        "adept från en annan sektor.",
        "Vill dela med sig och själv få reflektionstid. Lång erfarenhet av förändringsarbete. "
        "Bör matchas med en adept från en annan kommun.",
        "Tydlig om sina styrkor: struktur, planering och personalfrågor. Kan delta vid alla "
        "träffar.",
    ],
}


def build_regional(*, tenant, spec, organisations, rng, times, now, batch):
    programme = Programme.objects.filter(tenant=tenant, slug="mentorsprogram").first()
    if programme is None:
        return []
    coordinator = _coordinator(tenant)
    for round_ in Round.objects.filter(programme=programme).order_by("number", "id"):
        opens, closes = round_.application_opens_at, round_.application_closes_at
        if opens is None or closes is None:
            continue
        accepted_on = _at(tenant, round_.starts_on - timedelta(days=14), 9)
        mentors = rng.sample(REGIONAL_MENTORS, len(REGIONAL_MENTORS))
        adepts = rng.sample(REGIONAL_ADEPTS, len(REGIONAL_ADEPTS))
        for participant in _participants(round_):
            user, role, organisation = participant.user, participant.role, participant.organisation
            mentor = role == MENTOR
            if mentor:
                title, level, assignment, education, experience = mentors.pop()
                years = rng.randint(6, 24)
                wants, gives = REGIONAL_MENTOR_WANTS, REGIONAL_MENTOR_GIVES
            else:
                title, assignment, education, experience = adepts.pop()
                level, years = FIRST_LINE, rng.randint(2, 5)
                wants, gives = REGIONAL_ADEPT_WANTS, REGIONAL_ADEPT_GIVES
            trail = _Trail(times, tenant, user, opens + _days(times, 1, 25))
            trail.by(user, Stage.SUBMITTED, after=_minutes(times, 1, 96))
            trail.to(Stage.UNDER_REVIEW)
            trail.end_before(closes)
            interview = _office(closes + _days(times, 1, 14), ZoneInfo(tenant.timezone), times)
            interview = interview.replace(
                minute=interview.minute // 15 * 15, second=0, microsecond=0
            )
            trail.by(coordinator, Stage.ACCEPTED, at=accepted_on + _minutes(times, 0, 4))
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
            application, created = _write(
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


# --- seed 003: the association's mentors, and a new member looking for one ------------------

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


def build_association(*, tenant, spec, organisations, rng, times, now, batch):
    round_ = _round(tenant, "mentorskap", "Löpande")
    if round_ is None:
        return []
    coordinator = _coordinator(tenant)
    started = _at(tenant, round_.starts_on, 9) if round_.starts_on else now - timedelta(days=365)
    capacities = [2, 3, 1, 2, 3, 1]
    for index, participant in enumerate(_participants(round_)):
        user, role, organisation = participant.user, participant.role, participant.organisation
        retired = role == MENTOR and user.email in _retired(spec)
        trail = _Trail(times, tenant, user, started - _days(times, 35, 60))
        trail.by(user, Stage.SUBMITTED, after=_minutes(times, 1, 48))
        trail.to(Stage.UNDER_REVIEW)
        trail.by(coordinator, Stage.ACCEPTED, after=_days(times, 3, 12))
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
            "manager_level": SENIOR_EXECUTIVE,
            "years_as_manager": rng.randint(14, 30),
            "managers_reporting": rng.randint(5, 11),
            "region": organisation.region if organisation else "",
            "work_experience": f"Kommundirektör/kommunchef i {place} och tidigare i en "
            "grannkommun.",
            "motivation": (
                ASSOCIATION_MENTOR_MOTIVATIONS[-1]
                if retired
                else ASSOCIATION_MENTOR_MOTIVATIONS[index % 3]
                if role == MENTOR
                else "Ny i rollen och vill ha en erfaren kollega att samtala med."
            ),
            "capacity": capacities[index % len(capacities)] if role == MENTOR else 1,
            "discussed_with_manager": True,
        }
        _write(
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
    user = _person(spec, name)
    trail = _Trail(times, tenant, user, now - _days(times, 6, 10))
    trail.by(user, Stage.SUBMITTED, after=_minutes(times, 1, 24))
    trail.to(Stage.UNDER_REVIEW)
    trail.end_before(now - timedelta(hours=2))
    fields = {
        "organisation": organisation,
        "job_title": "Kommundirektör",
        "current_assignment": f"Kommundirektör i {org_name} sedan fyra månader.",
        "manager_level": SENIOR_EXECUTIVE,
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
    }
    _write(
        batch=batch, tenant=tenant, round_=round_, user=user, role=ADEPT, trail=trail, fields=fields
    )
    return [(user.email, f"applicant, under review, {round_.name}")]


# --- seed 004: the hospital group's mentor bank and its new managers ------------------------

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


def build_hospital(*, tenant, spec, organisations, rng, times, now, batch):
    round_ = _round(tenant, "mentorprogram", "Löpande")
    if round_ is None:
        return []
    coordinator = _coordinator(tenant)
    started = _at(tenant, round_.starts_on, 9) if round_.starts_on else now - timedelta(days=365)
    people = [(p.user, p.role, p.organisation, Stage.ACCEPTED) for p in _participants(round_)]
    for name, org_name in HOSPITAL_NEW_MANAGERS:
        people.append((_person(spec, name), ADEPT, organisations.get(org_name), Stage.UNDER_REVIEW))
    logins = []
    for index, (user, role, organisation, final) in enumerate(people):
        mentor = role == MENTOR
        if final == Stage.UNDER_REVIEW:
            start = now - _days(times, 4, 14)
        elif mentor:
            start = started - _days(times, 35, 60)
        else:
            start = now - _days(times, 60, 150)
        trail = _Trail(times, tenant, user, start)
        trail.by(user, Stage.SUBMITTED, after=_minutes(times, 1, 48))
        trail.to(Stage.UNDER_REVIEW)
        if final == Stage.ACCEPTED:
            trail.by(coordinator, Stage.ACCEPTED, after=_days(times, 2, 10))
        trail.end_before(now - timedelta(hours=2))
        units = HOSPITAL_UNITS.get(organisation.name if organisation else "", ["vårdenheten"])
        unit = units[index % len(units)]
        retired = mentor and user.email in _retired(spec)
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
            "manager_level": FIRST_LINE,
            "years_as_manager": rng.randint(8, 25) if mentor else rng.randint(0, 1),
            "region": organisation.region if organisation else "",
            "motivation": rng.choice(
                HOSPITAL_MENTOR_MOTIVATIONS if mentor else HOSPITAL_ADEPT_MOTIVATIONS
            ),
            "matching_wishes": "" if mentor else "Gärna en mentor från ett annat område.",
            "capacity": rng.choice([1, 2]) if mentor else 1,
            "manager_name": "",
            "discussed_with_manager": True,
        }
        _write(
            batch=batch,
            tenant=tenant,
            round_=round_,
            user=user,
            role=role,
            trail=trail,
            fields=fields,
        )
        if final == Stage.UNDER_REVIEW and not logins:
            logins.append((user.email, f"applicant, under review, {round_.name}"))
    return logins


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
    batch = _Batch()
    logins = builder(
        tenant=tenant,
        spec=spec,
        organisations=organisations,
        rng=_rng(spec["slug"]),
        times=_rng(spec["slug"], "times"),
        now=timezone.now(),
        batch=batch,
    )
    batch.flush()
    return logins
