"""Pairs, shared by the tenants' stories.

A pair is made by ``pairs.services.start_pair`` (without mail, dated after the fact) once
``matching.services.check_pair`` finds no hard rule broken; the next mentor on the list is
tried otherwise. A pair is get-or-create by (round, adept application), so running
``seed_demo`` again changes nothing. The pairs of a closed round are ended by
``pairs.services.end_pair`` at the round's last day (``end_pairs_of_closed_rounds``): both
people are told (the mails stay in the outbox, see ``demo.common.mail_kept_in_outbox``) and
the adepts stay matched, the pair has had its year.
"""

import zlib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from applications.models import Application
from demo.common import backdate, rows_written
from matching.services import check_pair
from organisations.models import Membership
from pairs import services as pair_services
from pairs.models import Pair
from programmes.models import ParticipantRole, Programme, Round

Stage = Application.Stage


MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT


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
        application.history.order_by("-created_at", "-id")
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
        pair = pair_services.start_pair(
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


PROGRAMME_YEAR_OVER = "Programåret är slut: paret avslutades vid omgångens avslutning."


def end_pairs_of_ended_round(round_, *, actor, note=PROGRAMME_YEAR_OVER):
    """End the still active pairs of a round that is over, through
    ``pairs.services.end_pair`` (which tells both people and logs it), dated at the round's
    last day: the adepts stay matched, the pair has had its year. Returns the pairs ended."""
    if round_.ends_on is None:
        return []
    tenant = round_.tenant
    ended_at = _at(tenant, round_.ends_on, 16)
    ended = []
    for pair in Pair.objects.filter(round=round_, status=Pair.Status.ACTIVE).order_by("id"):
        with rows_written(tenant) as written:
            pair = pair_services.end_pair(
                tenant=tenant,
                actor=actor,
                pair=pair,
                reason=Pair.EndReason.BY_AGREEMENT,
                note=note,
            )
        backdate(pair, ended_at=ended_at)
        written.backdate(ended_at)
        ended.append(pair)
    return ended


def end_pairs_of_closed_rounds(tenant):
    """``end_pairs_of_ended_round`` for every closed round of the tenant, by its coordinator."""
    coordinator = _coordinator(tenant)
    ended = []
    for round_ in Round.objects.filter(tenant=tenant, status=Round.Status.CLOSED).order_by("id"):
        ended += end_pairs_of_ended_round(round_, actor=coordinator)
    return ended
