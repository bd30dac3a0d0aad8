"""Reads for matching, shared by services, views, the command and tasks. Each takes ``tenant=``."""

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application, Theme
from organisations.models import Organisation
from pairs.models import Pair
from programmes.models import Eligibility, ParticipantRole, Round

from . import criteria
from .models import MatchingSettings, PairConstraint, Proposal, ProposedPair

Stage = Application.Stage
# The statuses of bank.models.BankMentor that take a mentor out of the lists to choose from.
BANK_AWAY = ("paused", "left")
MENTOR_STAGES = (Stage.ACCEPTED, Stage.MATCHED)  # a matched mentor with a free place still counts

_FIELDS = (
    "id",
    "user_id",
    "role",
    "stage",
    "full_name",
    "email",
    "user__email",
    "user__full_name",
    "organisation_id",
    "job_title",
    "work_field",
    "manager_level",
    "years_as_manager",
    "years_in_level",
    "region",
    "matching_wishes",
    "education",
    "work_experience",
    "current_assignment",
    "motivation",
    "prefers_other_sector",
    "languages",
    "capacity",
    "manager_email",
)
_CAPACITY, _MANAGER_EMAIL = _FIELDS.index("capacity"), _FIELDS.index("manager_email")


# --- settings ------------------------------------------------------------------------------


def settings_for(*, round_):
    """The round's matching settings; defaults (not saved) when the coordinator set none.

    By default different areas of one organisation do not count as different organisations.
    In a tenant whose organisations are all parts of one employer (a city's areas, a hospital
    group's areas) "another area" is a weighted preference instead of the hard rule.
    """
    existing = MatchingSettings.objects.filter(tenant=round_.tenant, round=round_).first()
    if existing:
        return existing
    roots = set(_organisation_roots(round_.tenant).values())
    single_employer = (
        len(roots) == 1 and Organisation.objects.filter(tenant=round_.tenant).count() > 1
    )
    # In one employer, pairs "usually from another area" (seed 004): a preference, not a
    # hard rule, so a mentor of the adept's own area is still proposed when no other is
    # left (the manager-line rule still keeps the adept's own managers out).
    return MatchingSettings(
        tenant=round_.tenant,
        round=round_,
        require_different_organisation=not single_employer,
        allow_different_area=single_employer,
        weight_other_area=6 if single_employer else 0,
    )


def _organisations(tenant):
    return {
        o["id"]: o
        for o in Organisation.objects.filter(tenant=tenant).values(
            "id", "name", "kind", "region", "place", "parent_id"
        )
    }


def _organisation_roots(tenant, organisations=None):
    """{organisation id: id of the top of its tree} (a loop in the parents stops the walk)."""
    organisations = organisations if organisations is not None else _organisations(tenant)
    roots = {}
    for oid in organisations:
        seen, current = {oid}, oid
        while True:
            parent = organisations[current]["parent_id"]
            if parent is None or parent in seen or parent not in organisations:
                break
            seen.add(parent)
            current = parent
        roots[oid] = current
    return roots


# --- the pool the criteria work on ----------------------------------------------------------


def _fetch_managers(tenant):
    """The ``fetch`` for ``criteria.manager_lines``: every application in the tenant (any
    round) of the people known by these addresses, matched on the application's or the user's
    e-mail address. One query per call."""

    def fetch(emails):
        emails = sorted(emails)
        people = (
            Application.objects.filter(tenant=tenant)
            .annotate(e=Lower("email"))
            .filter(Q(e__in=emails) | Q(user__email__in=emails))
            .values("user_id")
        )
        rows = Application.objects.filter(tenant=tenant, user_id__in=people).values_list(
            "user_id", "email", "user__email", "manager_email"
        )
        per_user = {}
        for user_id, email, user_email, manager_email in rows:
            aliases, managers = per_user.setdefault(user_id, (set(), set()))
            aliases.update(e.strip().lower() for e in (email, user_email) if e)
            if manager_email and manager_email.strip():
                managers.add(manager_email.strip().lower())
        wanted = set(emails)
        out = {}
        for aliases, managers in per_user.values():
            for alias in aliases & wanted:
                known_aliases, known_managers = out.setdefault(alias, (set(), set()))
                known_aliases |= aliases
                known_managers |= managers
        return out

    return fetch


class _People:
    """Builds the round's ``criteria.Person`` records from ``values_list`` rows (``_FIELDS``),
    without a dict per row: what repeats across people (an organisation's names, kind, region
    and root; a role's eligibility; a text's words) is worked out once per distinct value."""

    def __init__(self, *, organisations, roots, themes, eligibility):
        self.themes, self.eligibility = themes, eligibility
        self.orgs = {}
        for oid, org in organisations.items():
            root = organisations.get(roots.get(oid)) or {}
            kind = org.get("kind", "")
            kind_label = (
                str(Organisation.Kind(kind).label) if kind in Organisation.Kind.values else kind
            )
            place = org.get("place", "") or ""
            self.orgs[oid] = (
                org.get("name", ""),
                root.get("id"),
                root.get("name", ""),
                kind,
                kind_label,
                org.get("region", "") or "",
                place,
                place.strip().lower() or None,
            )
        self.none_org = ("", None, "", "", "", "", "", None)
        self.problems = {}
        self.texts = {}

    def _eligibility(self, role, level, years, in_level):
        if self.eligibility.get(role) is None:
            return ()
        key = (role, level, years, in_level)
        problems = self.problems.get(key)
        if problems is None:
            role_label = _("Mentors") if role == ParticipantRole.MENTOR else _("Adepts")
            problems = self.problems[key] = criteria.eligibility_problems(
                role_label=role_label,
                manager_level=level,
                years=years,
                years_in_level=in_level,
                rule=self.eligibility.get(role),
            )
        return problems

    def _words(self, wishes, education, experience, assignment, motivation, work_field):
        key = (wishes, education, experience, assignment, motivation, work_field)
        words = self.texts.get(key)
        if words is None:
            words = self.texts[key] = (
                criteria.keywords(wishes),
                frozenset(criteria.keywords(work_field)),
                criteria.keywords(education),
                criteria.keywords(" ".join((experience, assignment, motivation))),
                criteria.keywords(" ".join((motivation, wishes))),
            )
        return words

    def person(self, row, taken=0):
        (
            application_id,
            user_id,
            role,
            _stage,
            full_name,
            email,
            user_email,
            user_full_name,
            oid,
            job_title,
            work_field,
            level,
            years,
            in_level,
            region,
            wishes,
            education,
            experience,
            assignment,
            motivation,
            prefers_other_sector,
            languages_text,
            capacity,
            _manager_email,
        ) = row
        (
            org_name,
            root_id,
            root_name,
            kind,
            kind_label,
            org_region,
            place,
            place_key,
        ) = self.orgs.get(oid, self.none_org)
        if oid is not None and root_id is None:
            root_id, root_name = oid, org_name
        region = region or org_region
        wish_words, field_keys, education_words, described, goals = self._words(
            wishes, education, experience, assignment, motivation, work_field
        )
        return criteria.Person(
            application_id=application_id,
            user_id=user_id,
            name=full_name or user_full_name or email or user_email,
            emails=frozenset(e.strip().lower() for e in (email, user_email) if e and e.strip()),
            organisation_id=oid,
            organisation_name=org_name,
            root_id=root_id,
            root_name=root_name,
            organisation_kind=kind,
            kind_label=kind_label or kind,
            region=region,
            region_key=criteria.region_key(region),
            place=place,
            place_key=place_key,
            manager_level=level,
            years=years,
            job_title=job_title,
            work_field=work_field,
            work_field_keys=field_keys,
            education_words=education_words,
            described_words=described,
            goal_words=goals,
            themes=frozenset(self.themes.get(application_id, ())),
            wishes=wishes,
            keywords=wish_words,
            prefers_other_sector=prefers_other_sector,
            languages=criteria.languages(languages_text),
            offer_tokens=criteria.tokens(
                job_title, org_name, root_name, region, place, kind_label or kind, kind
            ),
            capacity=max((capacity or 1) - taken, 0),
            eligibility_problems=self._eligibility(role, level, years, in_level),
        )


def nothing_to_match(*, tenant, round_):
    """Why the round has nothing to match, in words (None when there is something): no accepted
    adept without a pair, or no accepted mentor, and where the applications are instead."""
    base = Application.objects.filter(tenant=tenant, round=round_)
    adepts = (
        base.filter(role=ParticipantRole.ADEPT, stage=Stage.ACCEPTED)
        .exclude(pairs_as_adept__status=Pair.Status.ACTIVE)
        .count()
    )
    mentors = base.filter(role=ParticipantRole.MENTOR, stage__in=MENTOR_STAGES).count()
    if adepts and mentors:
        return None
    waiting = base.exclude(
        stage__in=(
            Stage.DRAFT,
            Stage.ACCEPTED,
            Stage.MATCHED,
            Stage.DECLINED,
            Stage.DECLINED_BY_ORGANISATION,
            Stage.WITHDRAWN,
        )
    ).count()
    parts = [
        ngettext(
            "%(n)s accepted adept without a mentor",
            "%(n)s accepted adepts without a mentor",
            adepts,
        )
        % {"n": adepts},
        ngettext("%(n)s accepted mentor", "%(n)s accepted mentors", mentors) % {"n": mentors},
    ]
    text = _("Nothing to match: %(parts)s.") % {"parts": _(" and ").join(parts)}
    if waiting:
        text += " " + ngettext(
            "%(n)s application is submitted but not accepted: decide on the review list first.",
            "%(n)s applications are submitted but not accepted: decide on the review list first.",
            waiting,
        ) % {"n": waiting}
    return text


def load_pool(*, tenant, round_, settings, adept_ids=None, mentor_ids=None):
    """The round's adepts and mentors as the criteria see them, with everything the rules need.

    By default: adepts accepted and without an active pair; mentors accepted or matched with a
    place left (when capacity is enforced). With ``adept_ids``/``mentor_ids``: exactly those
    applications of the round, whatever their stage (for checking one pair).
    A fixed number of queries, whatever the size.
    """
    base = Application.objects.filter(tenant=tenant, round=round_)
    if adept_ids is None:
        adepts_qs = base.filter(role=ParticipantRole.ADEPT, stage=Stage.ACCEPTED).exclude(
            pairs_as_adept__status=Pair.Status.ACTIVE
        )
    else:
        adepts_qs = base.filter(role=ParticipantRole.ADEPT, pk__in=adept_ids)
    if mentor_ids is None:
        # A mentor who paused or left the standing bank (bank.models.BankMentor) is not offered.
        mentors_qs = base.filter(role=ParticipantRole.MENTOR, stage__in=MENTOR_STAGES).exclude(
            bank_entry__status__in=BANK_AWAY
        )
    else:
        mentors_qs = base.filter(role=ParticipantRole.MENTOR, pk__in=mentor_ids)
    adept_rows = list(adepts_qs.order_by("id").values_list(*_FIELDS))
    mentor_rows = list(mentors_qs.order_by("id").values_list(*_FIELDS))

    # No lists of ids sent to the database, and no subquery where the whole round's rows are
    # few and cheap to read: active pairs per mentor and the themes of the round's applications
    # (those of people not in the pool are simply not looked up).
    taken = dict(
        Pair.objects.filter(tenant=tenant, round=round_, status=Pair.Status.ACTIVE)
        .order_by()
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    if mentor_ids is None and settings.enforce_capacity:
        mentor_rows = [r for r in mentor_rows if (r[_CAPACITY] or 1) > taken.get(r[0], 0)]

    organisations = _organisations(tenant)
    roots = _organisation_roots(tenant, organisations)
    themes = {}
    for application_id, theme_id in Application.themes.through.objects.filter(
        application__tenant=tenant, application__round=round_
    ).values_list("application_id", "theme_id"):
        themes.setdefault(application_id, set()).add(theme_id)
    theme_names = dict(
        Theme.objects.filter(tenant=tenant, programme_id=round_.programme_id).values_list(
            "id", "name"
        )
    )
    eligibility = {
        e["role"]: e
        for e in Eligibility.objects.filter(tenant=tenant, round=round_).values(
            "role", "manager_levels", "min_years_as_manager", "min_years_in_level"
        )
    }

    build = _People(
        organisations=organisations, roots=roots, themes=themes, eligibility=eligibility
    )
    adepts = [build.person(r) for r in adept_rows]
    mentors = [build.person(r, taken.get(r[0], 0)) for r in mentor_rows]

    starts = {}
    for side, rows, people in (("a", adept_rows, adepts), ("m", mentor_rows, mentors)):
        for k, (row, p) in enumerate(zip(rows, people, strict=True)):
            starts[(side, k)] = (p.emails, [row[_MANAGER_EMAIL]])
    lines = criteria.manager_lines(starts, _fetch_managers(tenant))
    for (side, k), line in lines.items():
        (adepts if side == "a" else mentors)[k].line_above = line

    earlier = {}
    if adepts and mentors:
        earlier_qs = (
            Pair.objects.filter(
                tenant=tenant,
                mentor_user_id__in=mentors_qs.values("user_id"),
                adept_user_id__in=adepts_qs.values("user_id"),
            )
            .exclude(status=Pair.Status.PROPOSED)
            .exclude(round=round_, status=Pair.Status.ACTIVE)
            .values_list("mentor_user_id", "adept_user_id", "round_id", "round__name")
        )
        for mentor_user, adept_user, round_id, round_name in earlier_qs:
            earlier[(mentor_user, adept_user)] = (
                _("ended earlier in this round") if round_id == round_.pk else round_name
            )

    forbidden, pins = {}, []
    for mentor_id, adept_id, kind, reason in (
        PairConstraint.objects.filter(tenant=tenant, round=round_)
        .order_by("created_at", "id")
        .values_list("mentor_id", "adept_id", "kind", "reason")
    ):
        if kind == PairConstraint.Kind.FORBID:
            forbidden[(mentor_id, adept_id)] = reason
        else:
            pins.append((mentor_id, adept_id, reason))

    return criteria.Pool(
        adepts=adepts,
        mentors=mentors,
        theme_names=theme_names,
        earlier_pairs=earlier,
        forbidden=forbidden,
        pins=pins,
    )


# --- reads for pages and the command --------------------------------------------------------


def proposals_for(*, tenant, round_):
    return (
        Proposal.objects.filter(tenant=tenant, round=round_)
        .annotate(pair_count=Count("pairs"))
        .select_related("created_by")
    )


def get_proposal(*, tenant, pk, with_pairs=True):
    """A proposal; ``with_pairs``: all its pairs fetched too (``proposal.pairs.all()``)."""
    qs = Proposal.objects.filter(tenant=tenant, pk=pk).select_related("round", "created_by")
    if with_pairs:
        qs = qs.prefetch_related(Prefetch("pairs", queryset=proposed_pairs_of(tenant=tenant)))
    return qs.get()


def proposed_pairs_of(*, tenant, proposal=None):
    """A proposal's pairs with both people, best score first (one page of them for a list)."""
    qs = ProposedPair.objects.filter(tenant=tenant).select_related(
        "mentor", "adept", "mentor__organisation", "adept__organisation"
    )
    if proposal is not None:
        qs = qs.filter(proposal=proposal)
    return qs.order_by("-score", "id")


def pairs_of_round(*, tenant, round_, status=None):
    qs = Pair.objects.filter(tenant=tenant, round=round_).select_related(
        "mentor", "adept", "mentor__organisation", "adept__organisation"
    )
    if status is not None:
        qs = qs.filter(status=status)
    return qs


def constraints_of_round(*, tenant, round_):
    return PairConstraint.objects.filter(tenant=tenant, round=round_).select_related(
        "mentor", "adept", "created_by"
    )


def active_pair_count(round_):
    """A mentorship.hooks.MATCHED_PAIR_COUNTERS implementation: active pairs in the round."""
    return Pair.objects.filter(
        tenant=round_.tenant_id, round=round_, status=Pair.Status.ACTIVE
    ).count()


# What a list of pairs shows of each (both people's name, address and organisation, the dates
# and the end): the rest of the pair and of the two applications stays in the database.
PAIR_LIST_FIELDS = (
    "id",
    "tenant",
    "round",
    "status",
    "started_at",
    "ended_at",
    "end_reason",
    "end_note",
    "end_requested_at",
    "mentor_user",
    "adept_user",
    *(
        f"{side}__{field}"
        for side in ("mentor", "adept")
        for field in ("id", "full_name", "email", "organisation__id", "organisation__name")
    ),
)


def pairs_for_list(qs):
    """``qs`` with only what a list of pairs shows (see ``PAIR_LIST_FIELDS``)."""
    return qs.select_related("mentor__organisation", "adept__organisation").only(*PAIR_LIST_FIELDS)


def with_activity(pairs, *, now=None, round_=None, tenant=None):
    """The pairs with what the coordinator may see of their work, counts and dates only
    (never a note, the agreement's text or checklist answers): ``meeting_count``,
    ``last_meeting``, ``agreement_confirmed``, ``next_planned``, and, computed here,
    ``quiet_since`` (date) when the pair has gone quiet by its round's rule. One query.

    ``round_`` and ``tenant``: all the pairs are of this round (a round's page), which is
    then not read again with every pair."""
    import zoneinfo

    from django.db.models import Exists, Max, Min, OuterRef, Subquery
    from django.utils import timezone

    from pairs.models import PairAgreement, PlannedMeeting

    now = now or timezone.now()
    confirmed = PairAgreement.objects.filter(
        pair=OuterRef("pk"), mentor_confirmed_at__isnull=False, adept_confirmed_at__isnull=False
    )
    next_planned = (
        PlannedMeeting.objects.filter(
            pair=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gt=now
        )
        .values("pair")
        .annotate(first=Min("starts_at"))
        .values("first")
    )
    pairs = pairs.annotate(
        meeting_count=Count("meetings", distinct=True),
        last_meeting=Max("meetings__date"),
        agreement_confirmed=Exists(confirmed),
        next_planned=Subquery(next_planned),
    )
    known = round_ is not None and tenant is not None
    rows = list(pairs if known else pairs.select_related("round", "round__programme", "tenant"))
    zones = {}
    for pair in rows:
        if known:
            pair.round, pair.tenant = round_, tenant
        pair.quiet_since = None
        weeks = pair.round.quiet_pair_weeks
        if pair.status != Pair.Status.ACTIVE or not weeks or pair.next_planned:
            continue
        if pair.end_requested_at:
            continue  # asked to end: the coordinator has it as a request to end, not a silence
        if not pair.round.follows_pairs:
            continue  # before the start or after the end, silence is expected
        zone = pair.tenant.timezone
        if zone not in zones:
            zones[zone] = now.astimezone(zoneinfo.ZoneInfo(zone)).date()
        today = zones[zone]
        ends_on = pair.year_ends_on(zoneinfo.ZoneInfo(zone))  # a continuous pair: its own year
        if ends_on and ends_on < today:
            continue
        since = pair.last_meeting or (
            pair.started_at and pair.started_at.astimezone(zoneinfo.ZoneInfo(zone)).date()
        )
        if since and (today - since).days >= weeks * 7:
            pair.quiet_since = since
    return rows


def activity_summary(pairs, *, minimum=None):
    """Figures for the top of the pairs page from ``with_activity`` rows."""
    active = [p for p in pairs if p.status == Pair.Status.ACTIVE]
    counts = sorted(p.meeting_count for p in active)
    median = None
    if counts:
        mid = len(counts) // 2
        median = counts[mid] if len(counts) % 2 else (counts[mid - 1] + counts[mid]) / 2
    return {
        "active": len(active),
        "agreement_confirmed": sum(1 for p in active if p.agreement_confirmed),
        "meetings": sum(counts),
        "median_meetings": median,
        "reached_minimum": sum(1 for c in counts if minimum and c >= minimum),
        "quiet": sum(1 for p in active if p.quiet_since),
        "end_requested": sum(1 for p in active if p.end_requested_at),
    }


def pair_next_steps(*, tenant, user, now):
    """The participant's next steps in their active pairs (mentorship.hooks.NEXT_STEPS):
    agree on and confirm the ground rules, prepare the first meeting, log a planned meeting
    that has taken place, plan the next one. None for a pair whose round has ended. Five
    queries, whatever the number of pairs."""
    from django.urls import reverse
    from django.utils import formats
    from django.utils.translation import gettext as _

    from pairs.models import Checklist, ChecklistItemAnswer, PairAgreement, PlannedMeeting
    from programmes.selectors import NextStep

    if not getattr(user, "is_authenticated", False):
        return []
    # A pair whose round has ended (closed, or past its last day) has nothing left to plan:
    # its people are not told to agree on rules, prepare a first meeting or plan the next one.
    today = timezone.localtime(now).date()
    pairs = with_activity(
        Pair.objects.filter(tenant=tenant, status=Pair.Status.ACTIVE)
        .filter(Q(mentor_user=user) | Q(adept_user=user))
        .exclude(round__status=Round.Status.CLOSED)
        .exclude(round__ends_on__lt=today)
        .select_related("mentor", "adept"),
        now=now,
    )
    if not pairs:
        return []
    ids = [p.pk for p in pairs]
    agreements = {a.pair_id: a for a in PairAgreement.objects.filter(pair_id__in=ids)}
    # The round's checklists before the first meeting: {round id: [(checklist, audience)]}.
    first_lists = {}
    for checklist in Checklist.objects.filter(
        tenant=tenant,
        round_id__in={p.round_id for p in pairs},
        timing=Checklist.Timing.BEFORE_FIRST,
        is_retired=False,
    ).only("pk", "round_id", "audience"):
        first_lists.setdefault(checklist.round_id, []).append(checklist)
    first_done = set(
        ChecklistItemAnswer.objects.filter(
            pair_id__in=ids, user=user, item__checklist__timing=Checklist.Timing.BEFORE_FIRST
        ).values_list("pair_id", "item__checklist_id")
    )
    to_log = {}
    for planned in PlannedMeeting.objects.filter(
        pair_id__in=ids, cancelled_at__isnull=True, logged_as__isnull=True, starts_at__lte=now
    ).order_by("starts_at"):
        to_log.setdefault(planned.pair_id, planned)
    steps = []
    for pair in pairs:
        is_mentor = pair.mentor_user_id == user.pk
        partner = (pair.adept if is_mentor else pair.mentor).full_name
        page = reverse("matching_pairwork:pair", kwargs={"tenant": tenant.slug, "pk": pair.pk})
        agreement = agreements.get(pair.pk)
        mine = agreement and (
            agreement.mentor_confirmed_at if is_mentor else agreement.adept_confirmed_at
        )
        if agreement is None:
            steps.append(
                NextStep(
                    _("Agree on your ground rules with %(name)s.") % {"name": partner},
                    f"{page}#agreement-title",
                    10,
                )
            )
        elif not mine:
            steps.append(
                NextStep(
                    _("Read and confirm the agreement with %(name)s.") % {"name": partner},
                    f"{page}#agreement-title",
                    10,
                )
            )
        role = "mentor" if is_mentor else "adept"
        unanswered = [
            c
            for c in first_lists.get(pair.round_id, [])
            if c.shown_to(role) and (pair.pk, c.pk) not in first_done
        ]
        if pair.meeting_count == 0 and unanswered:
            steps.append(
                NextStep(
                    _("Prepare for your first meeting with %(name)s: answer the checklist.")
                    % {"name": partner},
                    f"{page}#checklist-{unanswered[0].pk}-title",
                    20,
                )
            )
        planned = to_log.get(pair.pk)
        if planned is not None:
            steps.append(
                NextStep(
                    _("Did your meeting on %(date)s take place? Log it.")
                    % {
                        "date": formats.date_format(
                            timezone.localtime(planned.starts_at).date(), "j F"
                        )
                    },
                    f"{page}#meetings-title",
                    15,
                )
            )
        elif not pair.next_planned:
            steps.append(
                NextStep(
                    _("Plan your next meeting with %(name)s.") % {"name": partner},
                    f"{page}#planned-title",
                    40 if not pair.quiet_since else 12,
                )
            )
    return steps
