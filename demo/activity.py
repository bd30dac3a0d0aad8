"""The pairs' year: the demo pairs as they would look some weeks or months into their year,
relative to now. Invented people and texts only.

``build_activity`` runs in each tenant's ``build`` after the pairs are made. For every active
pair of the tenant it writes, once, through ``pairs.services`` (each row then dated after the
fact with ``demo.common.backdate``):

- the pair's agreement ("spelregler", seeds 003 and 004): confirmed by both in most pairs; in
  one pair drafted by the adept and still awaiting the mentor's confirmation;
- logged meetings (``PairMeeting``) between the pair's start and yesterday, at the round's
  rhythm, of about the round's ``pair_meeting_minutes``, in person, online or by phone, with a
  place; a few private notes (``PrivateNote``) on them;
- some people's answers to their round's checklists (``pairs.checklists``; the tenant's
  programme starts from a built-in template, ``ensure_checklists``): before the first
  meeting; after the third once three are logged; the last one in a round that has ended;
  the association's relationship checklist (seed 003) after the first talk;
- planned meetings (``PlannedMeeting``) in the coming weeks;

and for every shared day of a round with pairs, the participants' answers (``MeetingResponse``:
coming or not, dietary needs for a day with a meal) and, once the day has passed, whether they
came (as ``programmes.services.mark_attendance`` records it: everyone of the day's audience).

The stories, per tenant (``STORIES``; a pair not named there gets the default for its round):

- storvik (seed 001, started four weeks ago): one pair has met and confirmed its agreement, one
  has met and the adept's draft awaits the mentor's confirmation, one has its first meeting
  planned for next week. The kickoff day has passed (attendance marked), the mentors' coaching
  session and the inspiration day are being answered.
- kvarnadalen (seed 002, both rounds closed): a whole year of meetings, agreements and
  checklists, every shared day answered and attendance marked; then every pair is ended at
  the round's end through ``pairs.services.end_pair`` (``demo.pairing``), so nobody of
  an ended programme is asked to plan the next meeting.
- kommundirektorer (seed 003): one pair meets every six weeks or so (5–8 talks a year, one of
  them shadowing at the adept's workplace); the other has been quiet since the summer, longer
  than the round's ``quiet_pair_weeks`` (and two weeks more, so the coordinators are told too).
- sjukhusgruppen (seed 004): one pair meets monthly and has answered the checklists; in the
  other the adept has asked to end the pair (she now depends on the mentor's part of the
  organisation), a request HR has still to handle: the pair is still active.
- vastnatet (seed 000): round 14 (closed) had its year with the default story for a closed
  round, then its pairs were ended; round 15 is still open.

The agreement, meetings, notes, checklists, planned meetings and end requests go through
``pairs.services`` (its rules, log rows and mails); only the shared days' answers are written
through the models, since ``programmes.services.respond_to_meeting`` refuses a day that has
passed. Idempotent: a pair that already has any activity (agreement, meeting,
planned meeting, checklist answer or end request) is left as it is, and a shared day that
already has answers is left as it is, so running ``seed_demo`` again changes nothing.
Deterministic: every choice comes from ``random.Random`` seeded with the tenant and the pair's
(or the day's) names.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from demo.common import backdate, rows_written
from pairs import checklists as pair_checklists
from pairs import services as pair_services
from pairs.models import (
    Checklist,
    ChecklistItemAnswer,
    Pair,
    PairAgreement,
    PairMeeting,
    PlannedMeeting,
    PrivateNote,
)
from pairs.services import AGREEMENT_FIELDS, MINUTES_MAX, MINUTES_MIN
from programmes.models import (
    MeetingResponse,
    Participant,
    ParticipantRole,
    Round,
    SharedMeeting,
)

MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT
# The template keys of the checklists (pairs.checklist_templates).
FIRST, THIRD, LAST, RELATIONSHIP = "first", "third", "last", "relationship"
IN_PERSON, ONLINE, PHONE = (
    PairMeeting.Mode.IN_PERSON,
    PairMeeting.Mode.ONLINE,
    PairMeeting.Mode.PHONE,
)

# Agreement states.
BOTH = "both"  # drafted by one, confirmed by both
AWAITING = "awaiting"  # drafted (and so confirmed) by one, the partner has not confirmed yet
NONE = "none"  # no agreement yet


@dataclass(frozen=True)
class Story:
    """What one pair has done. Days are counted from the pair's start; ``None`` for
    ``first_after`` means the pair has not met yet."""

    first_after: int | None = 10
    cadence: tuple = (28, 35)  # days between meetings, at least / at most
    max_meetings: int = 12
    quiet: bool = False  # no meeting for longer than the round's quiet_pair_weeks (+ 2 weeks)
    # Meetings go on after the round's official end (a closed round's pair that continues).
    continues_after_end: bool = False
    agreement: str = BOTH
    drafted_by: str = ADEPT
    planned: int = 1  # planned meetings in the coming weeks
    first_planned_in: int | None = None  # days from today of the first planned meeting
    logged_by_adept: float = 0.75  # the adept drives the relationship and logs most meetings
    # (role, checklist key): answered when the checklist is due (see _answered_checklists).
    checklists: tuple = ((ADEPT, FIRST),)
    # (index of the meeting, author's role, text)
    notes: tuple = ()
    # (role, days ago, reason): a participant asked to end the pair; it stays active.
    end_request: tuple | None = None
    shadowing: bool = False  # one meeting at the adept's workplace (seed 003)


STORIES = {
    # --- storvik (seed 001): about 1.5 hours every 3–4 weeks; four weeks in -----------------
    "storvik": {
        # Has not met yet. The first pair of the tenant: tests/e2e/test_pairwork.py walks its
        # agreement, first-meeting checklist and first meeting in the browser.
        "Jonas Lindahl": Story(
            first_after=None,
            agreement=NONE,
            planned=1,
            first_planned_in=5,
            checklists=((ADEPT, FIRST),),
        ),
        "Elin Grahn": Story(
            first_after=14,
            cadence=(21, 28),
            agreement=AWAITING,
            drafted_by=ADEPT,
            planned=1,
            checklists=((ADEPT, FIRST),),
            notes=(
                (
                    0,
                    MENTOR,
                    "Elin har mycket på sitt bord med bemanningen. Fråga nästa gång hur "
                    "samtalet med områdeschefen gick.",
                ),
            ),
        ),
        "Samir Haddad": Story(
            first_after=8,
            cadence=(21, 28),
            agreement=BOTH,
            drafted_by=ADEPT,
            planned=2,
            checklists=((ADEPT, FIRST), (MENTOR, FIRST)),
            notes=(
                (
                    0,
                    ADEPT,
                    "Ta med till nästa gång: hur jag lägger upp APT så att fler kommer till tals. "
                    "Läsa kapitlet om feedback som vi pratade om.",
                ),
            ),
        ),
    },
    # --- kvarnadalen (seed 002): closed rounds, a whole year of meetings ---------------------
    "kvarnadalen": {
        "Johanna Ekdahl": Story(
            first_after=12,
            cadence=(35, 45),
            agreement=BOTH,
            drafted_by=MENTOR,
            checklists=((ADEPT, FIRST), (ADEPT, THIRD), (MENTOR, THIRD), (ADEPT, LAST)),
            notes=(
                (
                    2,
                    ADEPT,
                    "Skuggningen gav mycket: jag såg hur Henrik förbereder ledningsgruppen. "
                    "Prova dagordning med beslutspunkter först.",
                ),
            ),
        ),
        "Viktor Sjöstrand": Story(
            first_after=14,
            cadence=(42, 56),
            drafted_by=MENTOR,
            planned=0,
            checklists=((ADEPT, FIRST), (ADEPT, THIRD), (MENTOR, LAST)),
            notes=(
                (
                    0,
                    MENTOR,
                    "Viktor vill främst prata om att gå från kollega till chef. "
                    "Nästa gång: rollen i arbetsgruppen.",
                ),
            ),
        ),
    },
    # --- kommundirektorer (seed 003): 5–8 talks a year, a neutral place ----------------------
    "kommundirektorer": {
        "Anneli Rask": Story(
            first_after=10,
            cadence=(38, 48),
            agreement=BOTH,
            drafted_by=ADEPT,
            planned=1,
            shadowing=True,
            checklists=((ADEPT, RELATIONSHIP), (MENTOR, RELATIONSHIP)),
            notes=(
                (
                    1,
                    ADEPT,
                    "Budgetprocessen: be ekonomichefen om en tidsplan tidigt i processen. "
                    "Christinas råd om presidiet — testa ett kort avstämningsmöte varje vecka.",
                ),
            ),
        ),
        "Daniel Ekström": Story(
            first_after=9,
            cadence=(38, 45),
            quiet=True,
            agreement=BOTH,
            drafted_by=MENTOR,
            planned=0,
            checklists=((ADEPT, RELATIONSHIP),),
        ),
    },
    # --- sjukhusgruppen (seed 004): at least 6 meetings a year, about 2 hours, monthly at first
    "sjukhusgruppen": {
        "David Mattsson": Story(
            first_after=7,
            cadence=(26, 30),
            agreement=BOTH,
            drafted_by=MENTOR,  # the mentor takes contact for the first meeting (seed 004)
            planned=2,
            logged_by_adept=0.5,
            checklists=((ADEPT, FIRST), (MENTOR, FIRST), (ADEPT, THIRD), (MENTOR, THIRD)),
            notes=(
                (
                    0,
                    ADEPT,
                    "Prioritera: bemanningen på enheten och hur jag får tid för mina "
                    "medarbetarsamtal.",
                ),
                (
                    2,
                    MENTOR,
                    "Analys efter tredje träffen gjord. David styr innehållet bra; jag ska ge "
                    "färre råd och ställa fler frågor.",
                ),
            ),
        ),
        "Josefin Ahl": Story(
            first_after=8,
            cadence=(20, 22),
            max_meetings=2,
            agreement=BOTH,
            drafted_by=MENTOR,
            planned=0,
            checklists=((ADEPT, FIRST),),
            end_request=(
                ADEPT,
                9,
                "Vi har haft två bra samtal, men jag går över till en tjänst inom "
                "Psykiatriområdet inom kort och kommer då att höra till Ulfs ledningsgrupp. "
                "Vi är överens om att avsluta och jag vill gärna få en ny mentor från ett annat "
                "område.",
            ),
        ),
    },
}

# A pair not named above: in a running round it meets at the round's rhythm and has its next
# meeting planned; in a closed round it met through the year and stopped at the official end.
RUNNING_DEFAULT = Story(
    first_after=10, cadence=(24, 32), planned=1, checklists=((ADEPT, FIRST), (ADEPT, THIRD))
)
CLOSED_DEFAULT = Story(
    first_after=12,
    cadence=(35, 49),
    planned=0,
    checklists=((ADEPT, FIRST), (ADEPT, THIRD), (ADEPT, LAST), (MENTOR, LAST)),
)

# Minutes of a pair meeting per demo programme where the round does not say.
DEFAULT_MINUTES = {"association": 90, "regional": 90}

PLACES = {
    "city": [
        "Stadsbiblioteket, grupprum 3",
        "Café Strömmen, Storvik",
        "Stadshuset, rum Lärkan",
        "Mentorns kontor",
    ],
    "regional": [
        "Kvarnby bibliotek",
        "Lövsjö kommunhus, rum Ugglan",
        "Café Forsen, Granhult",
        "Ekeryds folkets hus",
    ],
    "association": [
        "Hotell Gästis, Björkvalla",
        "Restaurang Kvarnen, Ljungmora",
        "Mentorns kontor",
    ],
    "hospital": [
        "Personalrestaurangen, Strandby sjukhus",
        "Samtalsrum Tången, Klippvik",
        "Konferensrum Fyren, Strandby",
    ],
    "network": [
        "Konferenshuset Kajen, Älvby",
        "Mentorns kontor",
        "Café Hamnmagasinet, Sjövik",
    ],
}
SHADOWING_PLACE = "Adeptens arbetsplats (skuggning en förmiddag)"
ONLINE_PLACE = "Teams"

AGREEMENTS = {
    "how_often": {
        "city": "Ungefär var tredje till fjärde vecka, en och en halv timme. Vi bokar nästa "
        "träff innan vi går.",
        "regional": "Var femte till sjätte vecka, cirka en och en halv timme, och en halvdags "
        "skuggning under året.",
        "association": "Sex samtal under året, ungefär var sjätte vecka, och telefon däremellan "
        "när det behövs.",
        "hospital": "En gång i månaden i början, cirka två timmar; minst sex gånger under året.",
        "network": "En gång i månaden, cirka två timmar, växelvis hos mentorn och hos adepten; "
        "de fyra gemensamma dagarna prioriterar vi.",
    },
    "where": {
        "association": "På neutral plats, halvvägs mellan våra kommuner. Skuggning på adeptens "
        "arbetsplats en gång om vi båda vill.",
        "hospital": "På neutral plats, inte på adeptens enhet; Teams om det är långt att resa.",
        "": "På neutral plats, oftast ett grupprum eller ett lugnt café; Teams om det behövs.",
    },
    "cancelling": {
        "": "Den som får förhinder hör av sig så snart som möjligt och föreslår en ny tid samma "
        "vecka eller nästa.",
    },
    "confidentiality": {
        "hospital": "Tystnadsplikt enligt våra spelregler: inget av det vi tar upp förs vidare, "
        "inte heller till HR eller till någon chef.",
        "": "Det vi pratar om stannar mellan oss. Vill någon av oss ta något vidare frågar vi "
        "den andra först.",
    },
    "personal_not_private": {
        "": "Personligt men inte privat: adepten bestämmer vad vi pratar om, och var och en "
        "säger till när en gräns är nådd.",
    },
}

CHECKLIST_ANSWERS = {
    (ADEPT, FIRST): {
        "background": "Jag har arbetat i verksamheten i många år innan jag blev chef, och har "
        "en utbildning inom vård och socialt arbete.",
        "work_today": {
            "association": "Kommundirektör sedan i år; mycket tid går till politiken och att "
            "få ledningsgruppen att arbeta tillsammans.",
            "": "Chef för en enhet med ett tjugotal medarbetare; mycket tid går till bemanning, "
            "rekrytering och att vara tillgänglig.",
        },
        "strengths": "Styrkor: struktur och lyhördhet. Vill utveckla: att leda i förändring och "
        "att prioritera bort.",
        "values": "Ärlighet, respekt och att alla ska bli sedda.",
        "where_i_stand": "Jag har hittat min roll men vill bli tryggare i svåra samtal och i att "
        "säga nej.",
        "from_each_other": "Att du lyssnar, ställer frågor och berättar hur du själv har gjort "
        "när det har varit svårt.",
    },
    (MENTOR, FIRST): {
        "background": "Jag har varit chef i många år, i flera olika verksamheter.",
        "work_today": "Chef över chefer; mycket av min tid går till att stötta och utveckla "
        "mina chefer.",
        "strengths": "Lugn och erfarenhet av förändringsarbete. Vill utveckla: att coacha i "
        "stället för att ge råd.",
        "from_each_other": "Jag vill ge tid, frågor och ett bollplank, och lära mig om din "
        "verksamhet.",
    },
    (ADEPT, THIRD): {
        "good": "Att vi har hållit tiderna och att jag har fått hjälp att sortera i vad som är "
        "viktigt just nu.",
        "develop": "Vi behöver avsätta en del av varje träff åt ett tema; nästa gång svåra samtal.",
    },
    (MENTOR, THIRD): {
        "good": "Adepten kommer väl förberedd och styr innehållet.",
        "develop": "Jag behöver ge färre råd och ställa fler öppna frågor.",
    },
    (ADEPT, LAST): {
        "relationship": "Mycket värdefull; jag har fått ett bollplank utanför min egen "
        "organisation.",
        "lessons": "Att jag inte behöver ha alla svar själv, och att planera in tid för "
        "reflektion.",
        "further_contact": "Vi ses gärna någon gång per termin och hörs när det behövs.",
    },
    (MENTOR, LAST): {
        "relationship": "Givande för oss båda, och ett år som gick fort.",
        "lessons": "Hur mycket jag själv lär mig av att lyssna.",
        "further_contact": "Vi fortsätter höras när adepten vill.",
    },
}

for _role in (ADEPT, MENTOR):
    CHECKLIST_ANSWERS[(_role, RELATIONSHIP)] = {
        "ticked": ("first_contact", "agree_to_continue", "ground_rules", "number_of_talks")
    }

DIETARY_NEEDS = ["Vegetarisk kost", "Laktosfri kost", "Glutenfri kost", "Ingen fisk"]
START_TIMES = [time(8, 30), time(10), time(13), time(15)]
ANSWER_HORIZON_DAYS = 100  # nobody has answered a shared day further ahead than this


# --- helpers -------------------------------------------------------------------------------


def _rng(tenant, *names):
    return random.Random(":".join([tenant.slug, "activity", *names]))  # noqa: S311 (demo data)


def _at(tz, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def _is_workday(day, busy=()):
    """A weekday outside the Christmas break and the fixed public holidays (1 May, 6 June),
    and not a day in ``busy`` (the round's shared days)."""
    if day.weekday() >= 5 or day in busy:
        return False
    if (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day <= 6):
        return False
    return (day.month, day.day) not in {(5, 1), (6, 6)}


def _weekday_on_or_after(day, busy=()):
    while not _is_workday(day, busy):
        day += timedelta(days=1)
    return day


def _weekday_on_or_before(day, busy=()):
    while not _is_workday(day, busy):
        day -= timedelta(days=1)
    return day


def _flavour(table, flavour):
    """``table[flavour]``, else the table's default under "" (or the value itself)."""
    if isinstance(table, dict):
        return table.get(flavour, table.get(""))
    return table


def _length(rng, round_, flavour):
    """About the round's length of a pair meeting: mostly exactly that, sometimes a little
    shorter or longer (always 10–600 minutes)."""
    base = round_.pair_meeting_minutes or DEFAULT_MINUTES.get(flavour, 90)
    minutes = base + rng.choice([0, 0, 0, -15, 15, 30])
    return max(MINUTES_MIN, min(MINUTES_MAX, minutes))


def _mode_and_place(rng, flavour):
    roll = rng.random()
    if roll < 0.7:
        return IN_PERSON, rng.choice(PLACES.get(flavour) or ["Mentorns kontor"])
    if roll < 0.92:
        return ONLINE, ONLINE_PLACE
    return PHONE, ""


def _has_activity(pair):
    return (
        pair.end_requested_at is not None
        or PairAgreement.objects.filter(pair=pair).exists()
        or PairMeeting.objects.filter(pair=pair).exists()
        or PlannedMeeting.objects.filter(pair=pair).exists()
        or ChecklistItemAnswer.objects.filter(pair=pair).exists()
    )


def _story(tenant, pair):
    named = STORIES.get(tenant.slug, {}).get(pair.adept.full_name)
    if named is not None:
        return named
    return CLOSED_DEFAULT if _round_has_ended(pair.round, _today(tenant)) else RUNNING_DEFAULT


def _today(tenant):
    return timezone.localtime(timezone.now(), ZoneInfo(tenant.timezone)).date()


def _round_has_ended(round_, today):
    return round_.status == Round.Status.CLOSED or (
        round_.ends_on is not None and round_.ends_on < today
    )


# --- one pair ------------------------------------------------------------------------------


def _meeting_dates(story, rng, *, start, today, round_, busy):
    """The days the pair met: weekdays from the start until yesterday (or the round's official
    end, or longer ago than the quiet limit), at the story's rhythm."""
    if story.first_after is None:
        return []
    limit = today - timedelta(days=1)
    if _round_has_ended(round_, today) and not story.continues_after_end and round_.ends_on:
        limit = min(limit, round_.ends_on)
    if story.quiet:
        weeks = round_.quiet_pair_weeks or 6
        # Quiet long enough that the coordinators are told too (two weeks after the partners).
        limit = min(limit, today - timedelta(weeks=weeks + 3))
    dates = []
    day = start + timedelta(days=story.first_after)
    while len(dates) < story.max_meetings:
        candidate = _weekday_on_or_after(day, busy)
        if candidate > limit:
            break
        dates.append(candidate)
        day = candidate + timedelta(days=rng.randint(*story.cadence))
    if not dates and story.quiet and start <= limit:
        # A pair too young for its rhythm still had its first meeting before going quiet.
        day = _weekday_on_or_before(limit, busy)
        if day >= start:
            dates.append(day)
    return dates


def _write_agreement(pair, story, rng, *, tz, first_meeting, today, flavour):
    """The agreement through ``pairs.services.save_agreement`` (the drafter's confirmation)
    and ``confirm_agreement`` (the partner's), dated after the fact."""
    if story.agreement == NONE:
        return None
    drafted_on = first_meeting or today
    drafter = pair.adept_user if story.drafted_by == ADEPT else pair.mentor_user
    drafted_at = min(_at(tz, drafted_on, 20, rng.randint(0, 50)), timezone.now())
    values = {name: _flavour(AGREEMENTS[name], flavour) for name in AGREEMENT_FIELDS}
    with rows_written(pair.tenant) as written:
        agreement, _changed = pair_services.save_agreement(
            tenant=pair.tenant, actor=drafter, pair=pair, data=values
        )
    backdate(agreement, updated_at=drafted_at, **{f"{story.drafted_by}_confirmed_at": drafted_at})
    written.backdate(drafted_at)
    if story.agreement == BOTH:
        other = MENTOR if story.drafted_by == ADEPT else ADEPT
        later = min(
            drafted_at + timedelta(days=rng.randint(1, 3), hours=rng.randint(-8, 2)), timezone.now()
        )
        later = max(later, drafted_at)
        with rows_written(pair.tenant) as written:
            pair_services.confirm_agreement(
                tenant=pair.tenant,
                actor=pair.adept_user if other == ADEPT else pair.mentor_user,
                pair=pair,
            )
        backdate(agreement, **{f"{other}_confirmed_at": later})
        written.backdate(later)
    return agreement


def _write_meetings(pair, story, rng, dates, *, tz, round_, flavour):
    """The logged meetings through ``pairs.services.log_meeting`` (a note by the person who
    logs it: the note's author logs that meeting), dated the evening they took place."""
    meetings = []
    shadow_index = 1 if story.shadowing and len(dates) > 2 else None
    notes = {index: (role, text) for index, role, text in story.notes}
    for index, day in enumerate(dates):
        adept_logs = rng.random() < story.logged_by_adept
        mode, place = _mode_and_place(rng, flavour)
        if index == 0 or index == shadow_index:
            mode = IN_PERSON  # the first meeting face to face, and the shadowing visit
            place = SHADOWING_PLACE if index == shadow_index else place
            if not place or place == ONLINE_PLACE:
                place = (PLACES.get(flavour) or ["Mentorns kontor"])[0]
        minutes = _length(rng, round_, flavour)
        if index == shadow_index:
            minutes = min(MINUTES_MAX, max(minutes, 180))
        logged_at = min(
            _at(tz, day, 17, rng.randint(0, 59)) + timedelta(days=rng.choice([0, 0, 1])),
            timezone.now(),
        )
        note_role, note = notes.get(index, (None, ""))
        if note_role is not None:
            adept_logs = note_role == ADEPT
        with rows_written(pair.tenant) as written:
            meeting, _created = pair_services.log_meeting(
                tenant=pair.tenant,
                actor=pair.adept_user if adept_logs else pair.mentor_user,
                pair=pair,
                date=day,
                minutes=minutes,
                mode=mode,
                place=place,
                note=note,
            )
        backdate(meeting, created_at=logged_at)
        backdate(PrivateNote.objects.filter(meeting=meeting), created_at=logged_at)
        written.backdate(logged_at)
        meetings.append(meeting)
    return meetings


def _answered_checklists(story, *, dates, ended, today):
    """(role, key, answered on) of the story's checklists that are due: "first" before the
    first meeting (or now, when none yet), "third" after the third meeting, "last" at the last
    meeting of a round that has ended, the relationship checklist after the first talk."""
    out = []
    for role, key in story.checklists:
        if key == FIRST:
            day = dates[0] - timedelta(days=2) if dates else today - timedelta(days=1)
        elif key == RELATIONSHIP:
            day = dates[0] + timedelta(days=1) if dates else today - timedelta(days=1)
        elif key == THIRD:
            if len(dates) < 3:
                continue
            day = dates[2] + timedelta(days=1)
        else:
            if not ended or not dates:
                continue
            day = dates[-1]
        out.append((role, key, min(day, today)))
    return out


def ensure_checklists(tenant, template):
    """The tenant's programmes start from the built-in ``template`` (in Swedish) when they
    have no checklists yet, and every round without checklists gets its copy, as a round
    created through ``programmes.services`` does."""
    from programmes.models import Programme

    for programme in Programme.objects.filter(tenant=tenant).order_by("id"):
        if not Checklist.objects.filter(tenant=tenant, programme=programme, round=None).exists():
            pair_checklists.start_from_template(
                tenant=tenant, actor=None, programme=programme, template=template, language="sv"
            )
    for round_ in Round.objects.filter(tenant=tenant).order_by("id"):
        pair_checklists.copy_to_round(round_=round_)


def _write_checklists(pair, story, rng, *, tz, dates, ended, today, flavour):
    lists = {
        c.template_key: c
        for c in Checklist.objects.filter(
            tenant=pair.tenant, round=pair.round, is_retired=False
        ).prefetch_related("items")
    }
    for role, key, day in _answered_checklists(story, dates=dates, ended=ended, today=today):
        checklist = lists.get(key)
        if checklist is None or not checklist.shown_to(role):
            continue
        template = CHECKLIST_ANSWERS.get((role, key), {})
        answers = {}
        for item in checklist.items.all():
            if item.is_retired:
                continue
            if item.kind == item.Kind.TICK:
                # Ticked off, but in the relationship checklist only what a first talk covers.
                done = key != RELATIONSHIP or item.template_key in template.get("ticked", ())
                answers[item.pk] = {"done": done}
                continue
            text = _flavour(template.get(item.template_key, ""), flavour)
            if text:
                answers[item.pk] = {"text": text}
        user = pair.adept_user if role == ADEPT else pair.mentor_user
        answered_at = min(_at(tz, day, 19, rng.randint(0, 59)), timezone.now())
        with rows_written(pair.tenant) as written:
            rows = pair_checklists.save_answers(
                tenant=pair.tenant,
                actor=user,
                pair=pair,
                checklist_id=checklist.pk,
                answers=answers,
            )
        for row in rows:
            backdate(row, updated_at=answered_at)
        written.backdate(answered_at)


def _write_planned(pair, story, rng, *, tz, dates, today, round_, flavour, busy):
    """Meetings planned ahead through ``pairs.services.plan_meeting`` (which tells the
    partner), booked at the last meeting."""
    if story.planned <= 0:
        return []
    if story.first_planned_in is not None:
        day = today + timedelta(days=story.first_planned_in)
    else:
        after_last = (dates[-1] if dates else today) + timedelta(days=rng.randint(*story.cadence))
        day = max(after_last, today + timedelta(days=rng.randint(4, 10)))
        day = min(day, today + timedelta(days=35))  # in the coming weeks
    planned = []
    created_by = pair.adept_user if story.drafted_by == ADEPT else pair.mentor_user
    booked_at = min(
        _at(tz, dates[-1], 17, 30) if dates else timezone.now() - timedelta(days=2),
        timezone.now(),
    )
    for _n in range(story.planned):
        later = _weekday_on_or_after(day, busy)
        earlier = _weekday_on_or_before(day, busy)
        # Before a holiday rather than weeks after it, when that is still ahead.
        day = earlier if (later - day).days > 3 and earlier > today + timedelta(days=2) else later
        starts = START_TIMES[rng.randrange(len(START_TIMES))]
        mode, place = _mode_and_place(rng, flavour)
        with rows_written(pair.tenant) as written:
            meeting = pair_services.plan_meeting(
                tenant=pair.tenant,
                actor=created_by,
                pair=pair,
                starts_at=_at(tz, day, starts.hour, starts.minute),
                minutes=_length(rng, round_, flavour),
                mode=mode,
                place=place,
            )
        backdate(meeting, created_at=booked_at)
        written.backdate(booked_at)
        planned.append(meeting)
        day = day + timedelta(days=rng.randint(*story.cadence))
    return planned


def _write_end_request(pair, story, rng, *, tz, dates, today):
    """A participant's request to end, through ``pairs.services.request_end`` (which tells the
    coordinators and the asker's HR contact)."""
    if not story.end_request:
        return
    role, days_ago, reason = story.end_request
    day = today - timedelta(days=days_ago)
    if dates:
        day = max(day, dates[-1] + timedelta(days=1))
    at = min(_at(tz, min(day, today), 14, rng.randint(0, 59)), timezone.now())
    with rows_written(pair.tenant) as written:
        pair_services.request_end(
            tenant=pair.tenant,
            actor=pair.adept_user if role == ADEPT else pair.mentor_user,
            pair=pair,
            reason=reason,
        )
    backdate(pair, end_requested_at=at)
    written.backdate(at)


def _pair_activity(pair, *, tenant, flavour, today, tz):
    story = _story(tenant, pair)
    rng = _rng(tenant, pair.round.name, pair.adept.full_name, pair.mentor.full_name)
    round_ = pair.round
    start = timezone.localtime(pair.started_at, tz).date()
    ended = _round_has_ended(round_, today)
    busy = set(
        SharedMeeting.objects.filter(tenant=tenant, round=round_).values_list("date", flat=True)
    )
    dates = _meeting_dates(story, rng, start=start, today=today, round_=round_, busy=busy)
    _write_agreement(
        pair,
        story,
        rng,
        tz=tz,
        first_meeting=dates[0] if dates else None,
        today=today,
        flavour=flavour,
    )
    _write_meetings(pair, story, rng, dates, tz=tz, round_=round_, flavour=flavour)
    _write_checklists(
        pair, story, rng, tz=tz, dates=dates, ended=ended, today=today, flavour=flavour
    )
    if not ended or story.continues_after_end:
        _write_planned(
            pair,
            story,
            rng,
            tz=tz,
            dates=dates,
            today=today,
            round_=round_,
            flavour=flavour,
            busy=busy,
        )
    _write_end_request(pair, story, rng, tz=tz, dates=dates, today=today)


# --- the shared days -----------------------------------------------------------------------


def _shared_day_answers(meeting, participants, *, tenant, today, tz):
    """The answers to one shared day, and for a day that has passed, who came."""
    if MeetingResponse.objects.filter(meeting=meeting).exists():
        return
    roles = meeting.audience_roles
    past = meeting.date < today
    ahead = (meeting.date - today).days
    if ahead > ANSWER_HORIZON_DAYS:
        return  # too far ahead for anyone to have answered yet
    for participant in participants:
        if participant.role not in roles:
            continue
        rng = _rng(tenant, meeting.round.name, meeting.title, participant.user.email)
        answer_chance = 0.9 if past else (0.8 if ahead <= 21 else 0.45)
        answered = rng.random() < answer_chance
        attending = (rng.random() < 0.88) if answered else None
        dietary = ""
        if attending and meeting.includes_meal and rng.random() < 0.3:
            dietary = rng.choice(DIETARY_NEEDS)
        attended = None
        if past:
            attended = (
                rng.random() < 0.95 if attending else (attending is None and rng.random() < 0.4)
            )
        elif not answered:
            continue
        answered_days_before = rng.randint(3, 14) if past else rng.randint(1, 8)
        answered_on = (meeting.date if past else today) - timedelta(days=answered_days_before)
        answered_at = min(_at(tz, answered_on, 9, rng.randint(0, 59)), timezone.now())
        MeetingResponse.objects.create(
            tenant=tenant,
            meeting=meeting,
            participant=participant,
            attending=attending,
            dietary_needs=dietary,
            answered_at=answered_at,
            attended=attended,
        )


# --- the extension --------------------------------------------------------------------------


def build_activity(*, tenant, spec, organisations):
    """Called by ``organisations.demo.build_all`` inside the tenant's scope, after
    ``matching.demo.extend_demo``. Returns no logins (the pairs' people are listed already)."""
    flavour = spec.get("programme_demo") or ""
    tz = ZoneInfo(tenant.timezone)
    today = _today(tenant)
    ensure_checklists(tenant, spec.get("checklists", "routine"))
    pairs = list(
        Pair.objects.filter(tenant=tenant, status=Pair.Status.ACTIVE, started_at__isnull=False)
        .select_related("round", "mentor", "adept", "mentor_user", "adept_user", "tenant")
        .order_by("round__starts_on", "id")
    )
    for pair in pairs:
        if timezone.localtime(pair.started_at, tz).date() > today or _has_activity(pair):
            continue
        with transaction.atomic():
            _pair_activity(pair, tenant=tenant, flavour=flavour, today=today, tz=tz)
    round_ids = sorted({pair.round_id for pair in pairs})
    for round_id in round_ids:
        participants = list(
            Participant.objects.filter(tenant=tenant, round_id=round_id)
            .select_related("user")
            .order_by("id")
        )
        days = SharedMeeting.objects.filter(tenant=tenant, round_id=round_id).select_related(
            "round"
        )
        for meeting in days.order_by("date", "starts_at", "id"):
            with transaction.atomic():
                _shared_day_answers(meeting, participants, tenant=tenant, today=today, tz=tz)
    return []
