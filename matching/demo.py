"""Demo pairs, made the way each seed describes, in the five demo tenants of ``organisations.demo``.

Invented people only. ``extend_demo`` is listed in ``mentorship.hooks.DEMO_EXTENSIONS``
(after the applications app's extension); it pairs the accepted
applications that ``applications.demo`` wrote.

- vastnatet (seed 000): nothing. Round 15 is still open for applications; the coordinators match
  it in the demo. Round 14 (closed) has no applications in the demo, so it has no pairs either.
- storvik (seed 001): the coordinator matched the running round centrally: every accepted adept
  has a mentor from another part of the city.
- kvarnadalen (seed 002): both closed rounds fully paired by the consultants, mentor and adept
  from different municipalities. ``Pair.EndReason`` has no "completed", so the pairs stay active
  in their closed rounds.
- kommundirektorer (seed 003): two new members chose their mentor themselves; the same
  experienced mentor (who offered several places) took both.
- sjukhusgruppen (seed 004): HR matched each accepted new manager with a mentor from the bank,
  from another area than the adept's.

Pairs are made by ``matching.services.start_pair`` without mail, dated after the fact, as
``publish`` would leave them: an active ``Pair``, both applications moved to "matched" with a
``StageChange`` by the coordinator (or the HR contact), a programmes ``Participant`` for both, the
"pair started" log row.
Every pair is checked with ``matching.services.check_pair`` before it is made; a pair that would
break a hard rule is not made (the next mentor on the list is tried). A pair is get-or-create by
(round, adept application), so running ``seed_demo`` again changes nothing.
"""

import zlib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from applications import demo as applications_demo
from applications.models import Application, StageChange
from organisations.models import Membership, Organisation
from pairs.models import Pair
from programmes.models import ParticipantRole, Programme, Round

from . import services as matching_services
from .services import check_pair

Stage = Application.Stage
MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT


# --- helpers -------------------------------------------------------------------------------


def _at(tenant, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tenant.timezone))


def _round(tenant, programme_slug, name):
    programme = Programme.objects.filter(tenant=tenant, slug=programme_slug).first()
    if programme is None:
        return None
    return Round.objects.filter(tenant=tenant, programme=programme, name=name).first()


def _coordinator(tenant):
    membership = (
        Membership.objects.filter(tenant=tenant, is_coordinator=True)
        .select_related("user")
        .order_by("created_at", "id")
        .first()
    )
    return membership.user if membership else None


def _hr_contact(tenant, organisation, fallback):
    """The HR contact of the organisation (first by e-mail), else ``fallback``."""
    membership = (
        Membership.objects.filter(tenant=tenant, is_hr_contact=True, organisations=organisation)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    return membership.user if membership else fallback


def _phone(email):
    """An invented number in the series set aside for fiction (070-174 06 05 … 99), the same for
    the same person on every run."""
    return f"070-174 06 {5 + zlib.crc32(email.encode()) % 95:02d}"


def _applications(round_):
    """{(role, full name): application} of the round's accepted or matched applications."""
    return {
        (a.role, a.full_name): a
        for a in Application.objects.filter(
            round=round_, stage__in=[Stage.ACCEPTED, Stage.MATCHED]
        ).select_related("user", "organisation", "round", "tenant")
    }


def _matched_time(application, *, at, now):
    """When the application's move to "matched" is recorded: at ``at`` (or just after its
    previous step, and never later than now)."""
    last = (
        StageChange.objects.filter(application=application)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None and at <= last:
        at = last + timedelta(minutes=7)
    at = min(at, now - timedelta(minutes=1))
    if last is not None and at <= last:
        at = last + timedelta(seconds=1)
    return at


def _make_pair(*, round_, adept, mentors, actor, matched_at, started_at, reason, now):
    """Get or create the adept's pair with the first of ``mentors`` that breaks no hard rule.
    Returns the pair, or None when no mentor on the list fits."""
    existing = (
        Pair.objects.filter(round=round_, adept=adept)
        .select_related("mentor", "adept")
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    if adept.stage != Stage.ACCEPTED:
        return None
    matched_at = min(matched_at, now - timedelta(minutes=1))
    started_at = min(started_at, now - timedelta(minutes=1))
    for mentor in mentors:
        if mentor is None or check_pair(round_=round_, mentor_app=mentor, adept_app=adept):
            continue
        moving = [a for a in (adept, mentor) if a.stage == Stage.ACCEPTED]
        times = {}
        for application in moving:
            times[application.pk] = _matched_time(application, at=matched_at, now=now)
            if not application.phone:
                application.phone = _phone(application.email or application.user.email)
                application.save(update_fields=["phone"])
        names = {"m": mentor.full_name, "a": adept.full_name}
        pair = matching_services.start_pair(
            tenant=round_.tenant,
            round_=round_,
            mentor_app=mentor,
            adept_app=adept,
            actor=actor,
            reason=reason % names,
            started_at=started_at,
            matched_at=times,
            actor_label=(actor.full_name or actor.email) if actor else "",
            notify=False,
        )
        Pair.objects.filter(pk=pair.pk).update(created_at=matched_at)
        for application in moving:
            Application.objects.filter(pk=application.pk).update(updated_at=times[application.pk])
        return pair
    return None


def _pair_by_names(round_, plan, *, actor_for, matched_at, started_at, reason, now):
    """``plan`` is [(adept's name, [mentor names in order of preference])]."""
    people = _applications(round_)
    mentors = [a for (role, _name), a in sorted(people.items()) if role == MENTOR]
    pairs = []
    for adept_name, mentor_names in plan:
        adept = people.get((ADEPT, adept_name))
        if adept is None:
            continue
        preferred = [people.get((MENTOR, name)) for name in mentor_names]
        # Anyone else of the bank after the preferred ones, should the demo people change.
        others = [m for m in mentors if m not in preferred]
        pair = _make_pair(
            round_=round_,
            adept=adept,
            mentors=preferred + others,
            actor=actor_for(adept),
            matched_at=matched_at(adept),
            started_at=started_at(adept),
            reason=reason,
            now=now,
        )
        if pair is not None:
            pairs.append(pair)
    return pairs


def _logins(pairs):
    return [
        (
            pair.adept.email or pair.adept_user.email,
            f"adept, paired with {pair.mentor.full_name}, {pair.round.name}",
        )
        for pair in pairs
    ]


# --- seed 000: the network ----------------------------------------------------------------


def build_network(*, tenant, spec, organisations, now):
    # Round 15 is open: the coordinators match it in the demo. Round 14 (closed) has no
    # accepted applications in the demo, so there is nothing to pair.
    return []


# --- seed 001: the city, matched centrally by the coordinator -----------------------------

CITY_PLAN = [
    # (adept, mentors in order of preference): from another part of the city than the adept's.
    ("Jonas Lindahl", ["Marie Sandberg"]),
    ("Elin Grahn", ["Tomas Ek"]),
    ("Samir Haddad", ["Fatima Rahimi"]),
]


def build_city(*, tenant, spec, organisations, now):
    round_ = _round(tenant, "enhetschefer", "Omgång 4")
    if round_ is None or round_.starts_on is None:
        return []
    coordinator = _coordinator(tenant)
    pairs = _pair_by_names(
        round_,
        CITY_PLAN,
        actor_for=lambda adept: coordinator,
        matched_at=lambda adept: _at(tenant, round_.starts_on - timedelta(days=14), 10),
        started_at=lambda adept: _at(tenant, round_.starts_on, 15, 30),
        reason="Matchad centralt av Hållbart arbetsliv: %(a)s och %(m)s.",
        now=now,
    )
    return _logins(pairs)


# --- seed 002: the regional programme's two closed rounds ---------------------------------

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


def build_regional(*, tenant, spec, organisations, now):
    coordinator = _coordinator(tenant)
    pairs = []
    for name, plan in REGIONAL_PLANS.items():
        round_ = _round(tenant, "mentorsprogram", name)
        if round_ is None or round_.starts_on is None:
            continue
        pairs += _pair_by_names(
            round_,
            plan,
            actor_for=lambda adept: coordinator,
            matched_at=lambda adept, r=round_: _at(tenant, r.starts_on - timedelta(days=7), 10),
            started_at=lambda adept, r=round_: _at(tenant, r.starts_on, 9),
            reason="Matchad efter intervjuerna: %(a)s och %(m)s, från olika kommuner.",
            now=now,
        )
    return _logins(pairs)


# --- seed 003: the association: new members chose their mentor ----------------------------

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
    user = applications_demo._person(spec, name)
    times = applications_demo._rng(spec["slug"], f"matching:{name}")
    batch = applications_demo._Batch()
    trail = applications_demo._Trail(times, tenant, user, now - timedelta(weeks=weeks))
    trail.by(user, Stage.SUBMITTED, after=applications_demo._minutes(times, 1, 24))
    trail.to(Stage.UNDER_REVIEW)
    trail.by(coordinator, Stage.ACCEPTED, after=applications_demo._days(times, 2, 6))
    trail.end_before(now - timedelta(days=14))
    fields = {
        "organisation": organisation,
        "job_title": "Kommundirektör",
        "current_assignment": f"Kommundirektör i {organisation.name} sedan i år.",
        "manager_level": applications_demo.SENIOR_EXECUTIVE,
        "years_as_manager": 8,
        "managers_reporting": 6,
        "region": organisation.region,
        "work_experience": "Förvaltningschef och biträdande kommundirektör innan jag blev "
        "kommundirektör.",
        "motivation": ASSOCIATION_MOTIVATIONS[name],
        "matching_wishes": "Jag har själv valt mentor och tar första kontakten.",
        "discussed_with_manager": True,
        "manager_name": "",
    }
    application, _created = applications_demo._write(
        batch=batch, tenant=tenant, round_=round_, user=user, role=ADEPT, trail=trail, fields=fields
    )
    batch.flush()
    return application


def build_association(*, tenant, spec, organisations, now):
    round_ = _round(tenant, "mentorskap", "Löpande")
    if round_ is None:
        return []
    coordinator = _coordinator(tenant)
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
        people = _applications(round_)
        mentors = sorted(
            (a for (role, _n), a in people.items() if role == MENTOR),
            key=lambda a: (-(a.capacity or 1), a.full_name),
        )
        preferred = people.get((MENTOR, mentor_name))
        accepted = StageChange.objects.filter(
            application=adept, to_stage=Stage.ACCEPTED
        ).values_list("created_at", flat=True).first() or (now - timedelta(days=14))
        pair = _make_pair(
            round_=round_,
            adept=people.get((ADEPT, name), adept),
            mentors=[preferred] + [m for m in mentors if m != preferred],
            actor=coordinator,
            matched_at=accepted + timedelta(days=6),
            started_at=accepted + timedelta(days=6),
            reason="%(a)s valde %(m)s som mentor och tog första kontakten; mentorn tackade ja.",
            now=now,
        )
        if pair is not None:
            pairs.append(pair)
    logins = _logins(pairs)
    counts = {}
    for pair in pairs:
        counts.setdefault(pair.mentor_id, []).append(pair)
    for mentor_pairs in counts.values():
        if len(mentor_pairs) > 1:
            mentor = mentor_pairs[0].mentor
            logins.append((mentor.email, f"mentor with {len(mentor_pairs)} adepts, {round_.name}"))
    return logins


# --- seed 004: the hospital group: HR matched each new manager from the bank --------------

HOSPITAL_PLAN = [
    # From another area than the adept's.
    ("David Mattsson", ["Patrik Strand", "Birgitta Öhman"]),
    ("Josefin Ahl", ["Ulf Granqvist", "Monica Aldén"]),
]


def build_hospital(*, tenant, spec, organisations, now):
    round_ = _round(tenant, "mentorprogram", "Löpande")
    if round_ is None:
        return []
    coordinator = _coordinator(tenant)

    def accepted(adept):
        at = (
            StageChange.objects.filter(application=adept, to_stage=Stage.ACCEPTED)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        return at or now - timedelta(days=30)

    pairs = _pair_by_names(
        round_,
        HOSPITAL_PLAN,
        actor_for=lambda adept: _hr_contact(tenant, adept.organisation, coordinator),
        matched_at=lambda adept: accepted(adept) + timedelta(days=3),
        started_at=lambda adept: accepted(adept) + timedelta(days=10),
        reason="HR matchade %(a)s med %(m)s ur mentorbanken, från ett annat område.",
        now=now,
    )
    return _logins(pairs)


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
    return builder(tenant=tenant, spec=spec, organisations=organisations, now=timezone.now())
