"""Applications and their histories, shared by the tenants' stories.

Each tenant module writes its applications with ``_write`` (get-or-create by round, person and
role, so a second run changes nothing) and a ``_Trail`` of steps at plausible times (weekdays,
office hours). The history itself is told by ``applications.services.change_stages_bulk``
when the ``_Batch`` is flushed (``_tell``): the service checks every transition, writes the
history rows and the activity log and makes the accepted people participants of the round.
Endorsement, nomination and interview rows are written with the times of their steps. Texts and
choices come from a ``random.Random`` with a fixed seed per tenant; times are counted from now.
"""

import random
import unicodedata
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Case, Value, When

from applications import services
from applications.models import (
    Application,
    Endorsement,
    Nomination,
)
from demo.common import DEMO_DOMAIN, demo_email, ensure_user
from organisations.models import Membership
from programmes.models import ManagerLevel, Participant, ParticipantRole, Programme, Round

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

    Application.created_at, Endorsement.sent_at, Nomination.decided_at and the like are filled
    in by Django on insert; the demo writes its own times over them afterwards, one UPDATE per
    model and field rather than one per row, which keeps ``seed_demo`` quick.
    """

    def __init__(self):
        self.rows = defaultdict(list)  # model -> [(row, {field: time})]
        self.trails = []  # [(application, trail)]

    def add(self, row, **times):
        self.rows[type(row)].append((row, times))

    def tell(self, application, trail):
        """Tell the new application's history at flush (see ``_tell``)."""
        self.trails.append((application, trail))

    def flush(self):
        _tell(self.trails)
        self.trails = []
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


def _tell(trails):
    """The histories of new applications, through ``applications.services.change_stages_bulk``
    as the importer starts applications: the first step records the application in the stage
    it was created in, then step by step every application moves on, each move at its own time.
    The transition rules, the history rows, the activity log and the round's participants are
    the service's; the moves that share a round, a stage, an actor and a reason go in one
    call."""
    depth = max((len(trail.steps) for _application, trail in trails), default=0)
    for index in range(depth):
        groups = defaultdict(list)
        for application, trail in trails:
            if index < len(trail.steps):
                stage, at, actor, reason = trail.steps[index]
                key = (application.round_id, stage, getattr(actor, "pk", None), reason)
                groups[key].append((application, actor, at))
        for (_round_id, stage, _actor_pk, reason), moves in groups.items():
            services.change_stages_bulk(
                applications=[application for application, _actor, _at in moves],
                to_stage=stage,
                actor=moves[0][1],
                reason=reason,
                when={application.pk: at for application, _actor, at in moves},
                created=index == 0,
            )


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
    """Get or create the application; on creation its history is told when the batch is
    flushed (``_Batch.tell``)."""
    first_stage, first_at, first_actor, first_reason = trail.steps[0]
    application, created = Application.objects.get_or_create(
        tenant=tenant,
        round=round_,
        user=user,
        role=role,
        defaults={
            "stage": first_stage,
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
        batch.tell(application, trail)
        batch.add(application, created_at=trail.started, updated_at=trail.at)
        for theme in themes:
            batch.add(Application.themes.through(application=application, theme=theme))
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


# Where each application stands. Most are nominated: enough for close to 25 pairs.
NOMINATED, DRAFT, AWAITING_ENDORSEMENT, AWAITING_NOMINATION = (
    "nominated",
    "draft",
    "awaiting_endorsement",
    "awaiting_nomination",
)


DECLINED_BY_ORGANISATION = "declined_by_organisation"


WITHDRAWN_AFTER_NOMINATION, WITHDRAWN_BEFORE_NOMINATION = "withdrawn_nominated", "withdrawn"


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
