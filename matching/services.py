"""Every write in matching: keyword-only, each logged to the activity log.

``run_proposal`` loads the round (``selectors.load_pool``), scores every candidate pair at once
(``criteria``), solves the assignment exactly (``solver``), explains only the pairs it proposes
and every adept it leaves out, and saves a draft ``Proposal``. The coordinator pins or forbids
pairs (``set_constraint``) and runs it again, or moves one adept by hand (``reassign``, checked
live with ``check_pair``), then ``publish``es: active ``Pair`` rows, both applications matched,
participants, mail, through ``pairs.services.start_pair``, the one way a pair is made (publish,
a choice from the bank, an accepted mentor request, the demo); ``pairs.services.end_pair`` is
the one way it ends. Both are imported here for matching's callers.
"""

import gc
import json
import time
from contextlib import contextmanager

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy

from applications import services as application_services
from applications.models import Application
from organisations.services import log_activity
from pairs.models import Pair
from pairs.services import _mail_pair, end_pair, start_pair  # noqa: F401 (matching's callers)
from programmes.models import ParticipantRole

from . import criteria, selectors, solver
from .criteria import _, ngettext  # gettext, once per message within a matching run
from .models import PairConstraint, Proposal, ProposedPair

Stage = Application.Stage
SETTINGS_FIELDS = (
    "require_different_organisation",
    "allow_different_area",
    "require_outside_manager_line",
    "enforce_capacity",
    "require_eligibility",
    "exclude_earlier_pairs",
    "weight_geography",
    "weight_experience",
    "weight_sector",
    "weight_themes",
    "weight_wishes",
    "weight_language",
    "weight_other_area",
    "weight_other_field",
    "weight_education",
    "weight_described_experience",
)
NAMES_SHOWN = 10  # mentors named in an unmatched adept's reasons; the rest are counted


def _check_tenant(tenant, *objects):
    for obj in objects:
        if obj is not None and obj.tenant_id != tenant.pk:
            raise PermissionDenied


def _snapshot(settings):
    return {name: getattr(settings, name) for name in SETTINGS_FIELDS}


def _names(people, indices):
    names = [people[j].name for j in indices[:NAMES_SHOWN]]
    if len(indices) > NAMES_SHOWN:
        names.append(_("and %(n)s more") % {"n": len(indices) - NAMES_SHOWN})
    return names


def _move_stage(application, to_stage, *, actor, reason=""):
    """A stage change made by matching, through ``applications.services.change_stage``.
    Caller holds the lock."""
    application_services.change_stage(
        application=application, to_stage=to_stage, actor=actor, reason=reason
    )


# --- settings ------------------------------------------------------------------------------


@transaction.atomic
def save_settings(*, tenant, actor, round_, **values):
    """Switch hard rules and set weights (0–10) for a round."""
    _check_tenant(tenant, round_)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown matching settings: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    settings = selectors.settings_for(round_=round_)
    before = _snapshot(settings) if settings.pk else None
    for name, value in values.items():
        setattr(settings, name, value)
    settings.full_clean(exclude=["tenant", "round"])
    settings.save()
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.settings_saved",
        obj=round_,
        before=before,
        after=_snapshot(settings),
    )
    return settings


# --- computing a proposal ------------------------------------------------------------------


def _remaining_limit(round_):
    if round_.max_pairs is None:
        return None
    return max(round_.max_pairs - selectors.active_pair_count(round_), 0)


def _pin_problem_text(problem, pool):
    if problem["kind"] == "adept_pinned_twice":
        return _(
            "%(a)s is pinned to several mentors (%(names)s); none of these pins was "
            "applied. Keep one."
        ) % {
            "a": pool.adepts[problem["adept"]].name,
            "names": ", ".join(pool.mentors[j].name for j in problem["mentors"]),
        }
    if problem["kind"] == "mentor_over_capacity":
        return ngettext(
            "%(m)s is pinned to %(k)s adepts (%(names)s) but has room for %(n)s; none of these "
            "pins was applied.",
            "%(m)s is pinned to %(k)s adepts (%(names)s) but has room for %(n)s; none of these "
            "pins was applied.",
            problem["capacity"],
        ) % {
            "m": pool.mentors[problem["mentor"]].name,
            "k": len(problem["adepts"]),
            "n": problem["capacity"],
            "names": ", ".join(pool.adepts[i].name for i in problem["adepts"]),
        }
    if problem["kind"] == "pins_over_limit":
        return (
            _("%(pins)s pairs are pinned but the round has room for only %(limit)s more pairs.")
            % problem
        )
    return str(problem)


def _unmatched_reason(i, *, pool, settings, masks, allowed, solution, max_pairs):
    adept = pool.adepts[i]
    entry = {"adept": adept.application_id, "name": adept.name}
    if not pool.mentors:
        entry.update(
            kind="no_mentors",
            text=_("There are no mentors with a free place in this round."),
            rules=[],
        )
        return entry
    possible = np.nonzero(allowed[i])[0]
    if len(possible):
        if solution.limit_reached:
            entry.update(
                kind="limit",
                rules=[],
                text=_("The round's limit of %(n)s pairs is reached; other adepts fitted better.")
                % {"n": max_pairs},
            )
        else:
            entry.update(
                kind="capacity",
                rules=[],
                mentors=_names(pool.mentors, possible),
                text=ngettext(
                    "Capacity ran out: the only mentor who could take %(a)s (%(names)s) "
                    "has no place left; every place went to another adept.",
                    "Capacity ran out: all %(n)s mentors who could take %(a)s "
                    "(%(names)s) have no place left; every place went to another adept.",
                    len(possible),
                )
                % {
                    "a": adept.name,
                    "n": len(possible),
                    "names": ", ".join(_names(pool.mentors, possible)),
                },
            )
        return entry
    rules = []
    for rule in criteria.RULES:
        mask = masks.get(rule.key)
        if mask is None:
            continue
        excluded = np.nonzero(mask[i])[0]
        if len(excluded):
            rules.append(
                {
                    "rule": rule.key,
                    "label": str(rule.label),
                    "count": int(len(excluded)),
                    "mentors": _names(pool.mentors, excluded),
                    "example": rule.breach(pool, settings, adept, pool.mentors[excluded[0]]),
                }
            )
    parts = [
        ngettext(
            "%(label)s: %(n)s mentor (%(names)s)",
            "%(label)s: %(n)s mentors (%(names)s)",
            r["count"],
        )
        % {"label": r["label"], "n": r["count"], "names": ", ".join(r["mentors"])}
        for r in rules
    ]
    entry.update(
        kind="excluded",
        rules=rules,
        text=_("Every mentor is excluded by a hard rule. %(parts)s.") % {"parts": "; ".join(parts)},
    )
    return entry


def compute(*, tenant, round_, settings=None):
    """Load, score and solve without saving anything: (pool, settings, solution, figures)."""
    settings = settings or selectors.settings_for(round_=round_)
    t0, c0 = time.perf_counter(), time.process_time()
    pool = selectors.load_pool(tenant=tenant, round_=round_, settings=settings)
    t1, c1 = time.perf_counter(), time.process_time()
    masks = criteria.blocked_masks(pool, settings)
    allowed = criteria.allowed_matrix(masks, pool.shape)
    score = criteria.score_matrix(pool, settings)
    t2, c2 = time.perf_counter(), time.process_time()
    capacity = (
        np.array([m.capacity for m in pool.mentors], dtype=np.int64)
        if settings.enforce_capacity
        else None
    )
    problems, pins, pin_reasons = [], [], {}
    for mentor_id, adept_id, reason in pool.pins:
        i, j = pool.adept_index.get(adept_id), pool.mentor_index.get(mentor_id)
        if i is None or j is None:
            problems.append(
                {
                    "kind": "pin_unavailable",
                    "text": _(
                        "A pin was not applied: the mentor or the adept is no longer waiting to be "
                        "matched in this round (or the mentor has no place left)."
                    ),
                }
            )
            continue
        pins.append((i, j))
        pin_reasons[(i, j)] = reason
    limit = _remaining_limit(round_)
    solution = solver.solve(score, allowed, capacity=capacity, pins=pins, max_pairs=limit)
    t3, c3 = time.perf_counter(), time.process_time()
    problems += [{"kind": p["kind"], "text": _pin_problem_text(p, pool)} for p in solution.problems]
    figures = {
        "masks": masks,
        "allowed": allowed,
        "score": score,
        "limit": limit,
        "problems": problems,
        "pin_reasons": pin_reasons,
        "timing": {
            "load": t1 - t0,
            "score": t2 - t1,
            "solve": solution.seconds,
            "solve_total": t3 - t2,
        },
        # The same in CPU seconds of this process (the database's own work not included).
        "cpu": {"load": c1 - c0, "score": c2 - c1, "solve": c3 - c2},
    }
    return pool, settings, solution, figures


def _explanation_encoder():
    """``json.dumps`` of an explanation, the same text, each distinct criterion's item
    (``"geography": {"points": 4.2, "reason": "…"}``) encoded once for the whole proposal."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    fragments = {}

    def dumps(explanation):
        parts = []
        for key, item in explanation.items():
            if item.keys() != {"points", "reason"}:
                parts.append(f"{encode(key)}: {encode(item)}")
                continue
            points, reason = item["points"], item["reason"]
            memo = (key, type(points), points, reason)
            fragment = fragments.get(memo)
            if fragment is None:
                fragment = fragments[memo] = f"{encode(key)}: {encode(item)}"
            parts.append(fragment)
        return "{" + ", ".join(parts) + "}"

    return dumps


def _save_pairs(tenant, proposal, rows):
    """The proposal's pairs in one COPY (PostgreSQL), else one ``bulk_create`` in batches."""
    if connection.vendor != "postgresql":
        ProposedPair.objects.bulk_create(
            [
                ProposedPair(
                    tenant=tenant,
                    proposal=proposal,
                    mentor_id=mentor.application_id,
                    adept_id=adept.application_id,
                    score=round(score, 4),
                    explanation=explanation,
                    pinned=pinned,
                    override_reason=override,
                )
                for adept, mentor, score, explanation, pinned, override in rows
            ],
            batch_size=1000,
        )
        return
    meta = ProposedPair._meta
    names = ("tenant", "proposal", "mentor", "adept", "score", "explanation", "pinned")
    columns = ", ".join(
        connection.ops.quote_name(meta.get_field(n).column) for n in (*names, "override_reason")
    )
    dumps = _explanation_encoder()
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"  # noqa: S608
        ) as copy,
    ):
        for adept, mentor, score, explanation, pinned, override in rows:
            copy.write_row(
                (
                    tenant.pk,
                    proposal.pk,
                    mentor.application_id,
                    adept.application_id,
                    round(score, 4),
                    dumps(explanation),
                    pinned,
                    override,
                )
            )


@transaction.atomic
def run_proposal(*, tenant, actor, round_, name=""):
    """Compute the best assignment for the round's accepted adepts and save it as a draft."""
    _check_tenant(tenant, round_)
    if round_.status in (round_.Status.CLOSED, round_.Status.ARCHIVED):
        raise ValidationError(_("The round is closed: no new proposals are computed for it."))
    with criteria.fixed_language(), _no_cycle_collection():
        return _run_proposal(tenant=tenant, actor=actor, round_=round_, name=name)


@contextmanager
def _no_cycle_collection():
    """A matching run makes some objects per person and per proposed pair, none of them in a
    reference cycle, and frees them as it goes. Python's cycle collector would still walk every
    object of the process now and then (a full pass in a Django process takes 0.1 s, every
    second run at 3,000 people): it is paused for the run and resumed after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run_proposal(*, tenant, actor, round_, name):
    pool, settings, solution, figures = compute(tenant=tenant, round_=round_)
    t0, c0 = time.perf_counter(), time.process_time()
    masks, allowed, limit = figures["masks"], figures["allowed"], figures["limit"]

    rows, total_score = [], 0.0
    explained = criteria.explain_pairs(pool, settings, solution.pairs)
    for (i, j), (score, explanation) in zip(solution.pairs, explained, strict=True):
        adept, mentor = pool.adepts[i], pool.mentors[j]
        override = ""
        if (i, j) in solution.pinned:
            reason = figures["pin_reasons"].get((i, j)) or ""
            explanation["pin"] = {
                "points": 0,
                "reason": (
                    _("Pinned by the coordinator: %(reason)s") % {"reason": reason}
                    if reason
                    else _("Pinned by the coordinator.")
                ),
            }
            broken = criteria.breaches(pool, settings, adept, mentor)
            if broken:
                explanation["hard_rules"] = {
                    "points": 0,
                    "reason": " ".join(b["reason"] for b in broken),
                }
                override = reason or _("Pinned by the coordinator.")
        total_score += score
        rows.append((adept, mentor, score, explanation, (i, j) in solution.pinned, override))

    unmatched = [
        _unmatched_reason(
            i,
            pool=pool,
            settings=settings,
            masks=masks,
            allowed=allowed,
            solution=solution,
            max_pairs=round_.max_pairs,
        )
        for i in solution.unmatched
    ]
    t1, c1 = time.perf_counter(), time.process_time()

    if not name:
        name = _("Proposal %(n)s") % {
            "n": Proposal.objects.filter(tenant=tenant, round=round_).count() + 1
        }
    summary = {
        "adepts": len(pool.adepts),
        "mentors": len(pool.mentors),
        "places": (
            int(sum(m.capacity for m in pool.mentors)) if settings.enforce_capacity else None
        ),
        "matched": solution.matched,
        "pinned": len(solution.pinned),
        "unmatched": len(solution.unmatched),
        "pair_limit": limit,
        "limit_reached": solution.limit_reached,
        "total_score": round(total_score, 2),
        "problems": figures["problems"],
        "unmatched_reasons": unmatched,
        "settings": _snapshot(settings),
    }
    proposal = Proposal.objects.create(
        tenant=tenant,
        round=round_,
        name=name[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
        summary=summary,
    )
    _save_pairs(tenant, proposal, rows)
    t2, c2 = time.perf_counter(), time.process_time()
    timing = {**figures["timing"], "explain": t1 - t0, "save": t2 - t1}
    proposal.summary["timing"] = {k: round(v, 4) for k, v in timing.items()}
    cpu = {**figures["cpu"], "explain": c1 - c0, "save": c2 - c1}
    proposal.summary["timing_cpu"] = {k: round(v, 4) for k, v in cpu.items()}
    proposal.save(update_fields=["summary"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.proposal_created",
        obj=proposal,
        data={
            "round": round_.pk,
            "matched": solution.matched,
            "unmatched": len(solution.unmatched),
            "problems": len(figures["problems"]),
        },
    )
    return proposal


# --- one pair: check, pin/forbid, reassign ----------------------------------------------------


def _check(*, round_, mentor_app, adept_app, proposal=None):
    """(breaches, pool, settings) for one possible pair; the pool holds just the two people."""
    tenant = round_.tenant
    settings = selectors.settings_for(round_=round_)
    problems = []
    if mentor_app.round_id != round_.pk or adept_app.round_id != round_.pk:
        problems.append(
            {"rule": "availability", "reason": _("Both applications must belong to this round.")}
        )
        return problems, None, settings
    if mentor_app.role != ParticipantRole.MENTOR or adept_app.role != ParticipantRole.ADEPT:
        problems.append(
            {"rule": "availability", "reason": _("Pair a mentor's application with an adept's.")}
        )
        return problems, None, settings
    pool = selectors.load_pool(
        tenant=tenant,
        round_=round_,
        settings=settings,
        adept_ids=[adept_app.pk],
        mentor_ids=[mentor_app.pk],
    )
    adept, mentor = pool.adepts[0], pool.mentors[0]
    if adept_app.stage != Stage.ACCEPTED:
        problems.append(
            {
                "rule": "availability",
                "reason": _("%(a)s is not waiting to be matched (stage: %(stage)s).")
                % {"a": adept.name, "stage": Stage(adept_app.stage).label},
            }
        )
    elif Pair.objects.filter(tenant=tenant, adept=adept_app, status=Pair.Status.ACTIVE).exists():
        problems.append(
            {
                "rule": "availability",
                "reason": _("%(a)s already has an active pair.") % {"a": adept.name},
            }
        )
    if mentor_app.stage not in selectors.MENTOR_STAGES:
        problems.append(
            {
                "rule": "availability",
                "reason": _("%(m)s is not available as a mentor (stage: %(stage)s).")
                % {"m": mentor.name, "stage": Stage(mentor_app.stage).label},
            }
        )
    problems += criteria.breaches(pool, settings, adept, mentor)
    active = (mentor_app.capacity or 1) - mentor.capacity
    in_proposal = 0
    if proposal is not None:
        in_proposal = (
            ProposedPair.objects.filter(tenant=tenant, proposal=proposal, mentor=mentor_app)
            .exclude(adept=adept_app)
            .count()
        )
    full = criteria.capacity_breach(
        settings=settings,
        mentor_name=mentor.name,
        capacity=mentor_app.capacity or 1,
        taken=active + in_proposal,
    )
    if full:
        problems.append({"rule": "capacity", "reason": full})
    return problems, pool, settings


def check_pair(*, round_, mentor_app, adept_app, proposal=None):
    """The hard rules this pair would break, as [{"rule", "reason"}] (empty: it may be made).

    With ``proposal``, the mentor's places count the pairs already in that proposal."""
    problems, _pool, _settings = _check(
        round_=round_, mentor_app=mentor_app, adept_app=adept_app, proposal=proposal
    )
    return problems


@transaction.atomic
def set_constraint(*, tenant, actor, round_, mentor_app, adept_app, kind, reason=""):
    """Pin (always pair), forbid (never pair) or clear a possible pair of the round.

    A pin that breaks a hard rule needs a reason (it then overrides the rule)."""
    _check_tenant(tenant, round_, mentor_app, adept_app)
    if kind not in (PairConstraint.Kind.PIN, PairConstraint.Kind.FORBID, "clear"):
        raise ValidationError(_("Choose pin, forbid or clear."))
    if (
        mentor_app.round_id != round_.pk
        or adept_app.round_id != round_.pk
        or (mentor_app.role != ParticipantRole.MENTOR or adept_app.role != ParticipantRole.ADEPT)
    ):
        raise ValidationError(_("Pair a mentor's application with an adept's of this round."))
    reason = (reason or "").strip()
    existing = PairConstraint.objects.filter(
        tenant=tenant, round=round_, mentor=mentor_app, adept=adept_app
    ).first()
    before = {"kind": existing.kind, "reason": existing.reason} if existing else None
    if kind == "clear":
        if existing:
            existing.delete()
            log_activity(
                tenant=tenant,
                actor=actor,
                action="matching.constraint_cleared",
                obj=round_,
                before=before,
                data={"mentor": mentor_app.pk, "adept": adept_app.pk},
            )
        return None
    if kind == PairConstraint.Kind.PIN:
        broken = [
            p
            for p in check_pair(round_=round_, mentor_app=mentor_app, adept_app=adept_app)
            if p["rule"] not in ("capacity", "availability")
        ]
        if broken and not reason:
            raise ValidationError(
                [_("This pair breaks a hard rule; give a reason to pin it anyway.")]
                + [b["reason"] for b in broken]
            )
    constraint, _created = PairConstraint.objects.update_or_create(
        tenant=tenant,
        round=round_,
        mentor=mentor_app,
        adept=adept_app,
        defaults={
            "kind": kind,
            "reason": reason,
            "created_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action=f"matching.constraint_{kind}",
        obj=round_,
        before=before,
        after={"kind": kind, "reason": reason},
        data={"mentor": mentor_app.pk, "adept": adept_app.pk},
    )
    return constraint


def _lock_draft(tenant, proposal):
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("round", "round__programme")
        .get(pk=proposal.pk, tenant=tenant)
    )
    if proposal.status != Proposal.Status.DRAFT:
        raise ValidationError(_("This proposal is already published; run a new one."))
    return proposal


def _refresh_summary(proposal, *, matched_adept=None, unmatched_entry=None):
    summary = dict(proposal.summary or {})
    reasons = [
        r
        for r in summary.get("unmatched_reasons", [])
        if r.get("adept") not in (matched_adept, (unmatched_entry or {}).get("adept"))
    ]
    if unmatched_entry:
        reasons.append(unmatched_entry)
    pairs = list(proposal.pairs.values_list("score", flat=True))
    summary.update(
        matched=len(pairs),
        unmatched=len(reasons),
        unmatched_reasons=reasons,
        total_score=round(sum(pairs), 2),
        edited=True,
    )
    proposal.summary = summary
    proposal.save(update_fields=["summary"])


@transaction.atomic
def reassign(*, tenant, actor, proposal, adept_app, mentor_app, override_reason=None):
    """Give an adept another mentor in a draft proposal (``mentor_app=None`` takes the adept
    out). A pair that breaks a hard rule is refused unless ``override_reason`` is given."""
    _check_tenant(tenant, proposal, adept_app, mentor_app)
    proposal = _lock_draft(tenant, proposal)
    existing = ProposedPair.objects.filter(
        tenant=tenant, proposal=proposal, adept=adept_app
    ).first()
    before = {"mentor": existing.mentor_id} if existing else {"mentor": None}
    if mentor_app is None:
        if existing:
            existing.delete()
        _refresh_summary(
            proposal,
            unmatched_entry={
                "adept": adept_app.pk,
                "name": adept_app.full_name or adept_app.email,
                "kind": "removed",
                "rules": [],
                "text": _("Taken out of the proposal by the coordinator."),
            },
        )
        log_activity(
            tenant=tenant,
            actor=actor,
            action="matching.pair_removed",
            obj=proposal,
            before=before,
            data={"adept": adept_app.pk},
        )
        return None
    override_reason = (override_reason or "").strip()
    problems, pool, settings = _check(
        round_=proposal.round, mentor_app=mentor_app, adept_app=adept_app, proposal=proposal
    )
    if problems and not override_reason:
        raise ValidationError([p["reason"] for p in problems])
    if pool is None:  # not even a mentor and an adept of this round: no override for that
        raise ValidationError([p["reason"] for p in problems])
    score, explanation = criteria.explain_pair(pool, settings, pool.adepts[0], pool.mentors[0])
    if problems:
        explanation["hard_rules"] = {"points": 0, "reason": " ".join(p["reason"] for p in problems)}
    if existing:
        existing.delete()
    pair = ProposedPair.objects.create(
        tenant=tenant,
        proposal=proposal,
        mentor=mentor_app,
        adept=adept_app,
        score=round(score, 4),
        explanation=explanation,
        pinned=False,
        override_reason=override_reason if problems else "",
    )
    _refresh_summary(proposal, matched_adept=adept_app.pk)
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.pair_overridden" if problems else "matching.pair_reassigned",
        obj=proposal,
        before=before,
        after={"mentor": mentor_app.pk},
        data={
            "adept": adept_app.pk,
            "override_reason": override_reason,
            "breaches": [p["reason"] for p in problems],
        }
        if problems
        else {"adept": adept_app.pk},
    )
    return pair


# --- publishing and ending pairs -------------------------------------------------------------


@transaction.atomic
def publish(*, tenant, actor, proposal, mentor_mail="pair_published"):
    """Make the proposal's pairs real: active pairs, both applications matched, participants,
    and a mail to both people. All or nothing: anything that no longer fits stops it."""
    _check_tenant(tenant, proposal)
    proposal = _lock_draft(tenant, proposal)
    round_ = proposal.round
    proposed = list(ProposedPair.objects.filter(tenant=tenant, proposal=proposal).order_by("id"))
    if not proposed:
        raise ValidationError(_("The proposal has no pairs to publish."))
    ids = {p.mentor_id for p in proposed} | {p.adept_id for p in proposed}
    applications = {
        a.pk: a
        for a in Application.objects.select_for_update(of=("self",))
        .select_related("user", "round", "tenant", "organisation")
        .filter(tenant=tenant, pk__in=ids)
    }
    settings = selectors.settings_for(round_=round_)
    active = dict(
        Pair.objects.filter(tenant=tenant, round=round_, status=Pair.Status.ACTIVE)
        .order_by()
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    active_adepts = set(
        Pair.objects.filter(tenant=tenant, adept_id__in=ids, status=Pair.Status.ACTIVE).values_list(
            "adept_id", flat=True
        )
    )
    problems, new_per_mentor = [], {}
    for p in proposed:
        mentor, adept = applications[p.mentor_id], applications[p.adept_id]
        if adept.stage != Stage.ACCEPTED or adept.pk in active_adepts:
            problems.append(
                _("%(a)s is no longer waiting to be matched (stage: %(stage)s).")
                % {"a": adept.full_name or adept.email, "stage": Stage(adept.stage).label}
            )
        if mentor.stage not in selectors.MENTOR_STAGES:
            problems.append(
                _("%(m)s is no longer available as a mentor (stage: %(stage)s).")
                % {"m": mentor.full_name or mentor.email, "stage": Stage(mentor.stage).label}
            )
        new_per_mentor.setdefault(mentor.pk, []).append(p)
    if settings.enforce_capacity:
        for mentor_id, pairs in new_per_mentor.items():
            mentor = applications[mentor_id]
            if active.get(mentor_id, 0) + len(pairs) > (mentor.capacity or 1) and not any(
                p.override_reason for p in pairs
            ):
                problems.append(
                    _("%(m)s would have more adepts than places (%(n)s).")
                    % {"m": mentor.full_name or mentor.email, "n": mentor.capacity}
                )
    if round_.max_pairs is not None:
        total = sum(active.values()) + len(proposed)
        if total > round_.max_pairs:
            problems.append(
                _(
                    "The round allows at most %(max)s pairs; publishing would make "
                    "%(n)s. Take some pairs out first."
                )
                % {"max": round_.max_pairs, "n": total}
            )
    if problems:
        raise ValidationError(problems)

    now = timezone.now()
    reason = _("Matched in “%(proposal)s”.") % {"proposal": proposal.name}
    pairs = []
    for p in proposed:
        mentor, adept = applications[p.mentor_id], applications[p.adept_id]
        pairs.append(
            start_pair(
                tenant=tenant,
                round_=round_,
                mentor_app=mentor,
                adept_app=adept,
                actor=actor,
                reason=reason,
                started_at=now,
                created_from=proposal,
                log_data={"proposal": proposal.pk, "override_reason": p.override_reason or None},
                mentor_mail=mentor_mail,
            )
        )
    proposal.status = Proposal.Status.PUBLISHED
    proposal.published_at = now
    proposal.published_by = actor if getattr(actor, "pk", None) else None
    proposal.save(update_fields=["status", "published_at", "published_by"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.proposal_published",
        obj=proposal,
        data={"pairs": len(pairs)},
    )
    return pairs


ACTIVITY_LABELS = {
    "matching.settings_saved": gettext_lazy("Matching settings changed"),
    "matching.proposal_created": gettext_lazy("Matching proposal computed"),
    "matching.constraint_pin": gettext_lazy("Pair pinned"),
    "matching.constraint_forbid": gettext_lazy("Pair forbidden"),
    "matching.constraint_cleared": gettext_lazy("Pin or forbid removed"),
    "matching.pair_reassigned": gettext_lazy("Adept given another mentor in a proposal"),
    "matching.pair_overridden": gettext_lazy("Hard rule overridden in a proposal"),
    "matching.pair_removed": gettext_lazy("Adept taken out of a proposal"),
    "matching.proposal_published": gettext_lazy("Matching proposal published"),
    "matching.pair_started": gettext_lazy("Pair started"),
    "matching.pair_ended": gettext_lazy("Pair ended"),
}
