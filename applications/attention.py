"""The applications' "Att göra" items (``mentorship.hooks.ATTENTION_ITEMS``).

For the coordinators: waiting for the manager's support (and the longest wait), waiting for
the organisations' nominations (with the deadline), submitted or nominated but not reviewed,
under review and not decided (where a submitted application goes when the round has no
manager's or nomination step), no interview noted where the round interviews, accepted but not
matched. For an HR contact:
their organisations' applicants waiting for a nomination (with the deadline and what is left
of the quota) and those still waiting for their manager. Three queries at most.
"""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import ngettext

from organisations.attention import AttentionItem, round_filter, round_label
from programmes.models import step_q, step_scope_q

from .models import Application
from .rules import visible_organisation_ids

Stage = Application.Stage

# Stages that use a place in the organisation's nomination quota (as the HR list counts).
QUOTA_STAGES = (
    Stage.NOMINATED,
    Stage.UNDER_REVIEW,
    Stage.ACCEPTED,
    Stage.WAITLISTED,
    Stage.MATCHED,
)
NOT_DECIDED = (Stage.SUBMITTED, Stage.NOMINATED, Stage.UNDER_REVIEW)
ROUND_FIELDS = (
    "round_id",
    "round__name",
    "round__status",
    "round__programme__name",
    "round__application_closes_at",
    "round__nomination_quota",
    "round__programme__kind",
)


def _days(now, since):
    return max((now - since).days, 0) if since else 0


def _waited(now, since):
    days = _days(now, since)
    if not days:
        return ""
    return ngettext(
        "The longest has waited %(days)d day.",
        "The longest has waited %(days)d days.",
        days,
    ) % {"days": days}


def _rows(qs):
    """{round_id: {"round": the round's fields, stage: (count, oldest)}} from a grouped query."""
    out = {}
    for row in qs:
        entry = out.setdefault(row["round_id"], {"round": row})
        entry[row["stage"]] = (row["n"], row["oldest"])
    return out


def attention_items(*, tenant, round_, membership, now):
    if membership is not None:
        return _hr_items(tenant=tenant, round_=round_, membership=membership, now=now)
    return _coordinator_items(tenant=tenant, round_=round_, now=now)


def _review_url(tenant, round_id, **params):
    url = reverse("applications:review_list", kwargs={"tenant": tenant.slug, "round_pk": round_id})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def _coordinator_items(*, tenant, round_, now):
    wanted = (
        Stage.SUBMITTED,
        Stage.AWAITING_ENDORSEMENT,
        Stage.AWAITING_NOMINATION,
        Stage.NOMINATED,
        Stage.UNDER_REVIEW,
        Stage.ACCEPTED,
    )
    rounds = _rows(
        Application.objects.filter(tenant=tenant, stage__in=wanted, **round_filter(round_))
        .values(*ROUND_FIELDS, "stage")
        .annotate(n=Count("id"), oldest=Min("submitted_at"))
        .order_by()
    )
    # How long the manager has been asked: the oldest request still unanswered.
    waiting_since = dict(
        Application.objects.filter(
            tenant=tenant, stage=Stage.AWAITING_ENDORSEMENT, **round_filter(round_)
        )
        .values("round_id")
        .annotate(
            since=Min(
                "endorsements__sent_at",
                filter=Q(
                    endorsements__superseded_at__isnull=True,
                    endorsements__decided_at__isnull=True,
                ),
            )
        )
        .order_by()
        .values_list("round_id", "since")
    )
    no_interview = {
        row["round_id"]: row
        for row in Application.objects.filter(
            tenant=tenant,
            stage__in=NOT_DECIDED,
            **round_filter(round_),
        )
        .filter(step_q("interview"))
        .filter(Q(interview__isnull=True) | Q(interview__notes=""))
        .values(*ROUND_FIELDS)
        .annotate(n=Count("id"))
        .order_by()
    }
    items = []
    for round_id, entry in rounds.items():
        info = entry["round"]
        label = round_label(info["round__programme__name"], info["round__name"])
        common = {"round_id": round_id, "round_label": label}
        n, oldest = entry.get(Stage.AWAITING_ENDORSEMENT, (0, None))
        if n:
            items.append(
                AttentionItem(
                    key="applications.awaiting_endorsement",
                    text=ngettext(
                        "%(count)d application waits for the manager's support",
                        "%(count)d applications wait for the manager's support",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=_review_url(tenant, round_id, stage=Stage.AWAITING_ENDORSEMENT),
                    order=20,
                    detail=_waited(now, waiting_since.get(round_id) or oldest),
                    **common,
                )
            )
        n, oldest = entry.get(Stage.AWAITING_NOMINATION, (0, None))
        if n:
            items.append(
                AttentionItem(
                    key="applications.awaiting_nomination",
                    text=ngettext(
                        "%(count)d application waits for the organisation's nomination",
                        "%(count)d applications wait for the organisations' nominations",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=_review_url(tenant, round_id, stage=Stage.AWAITING_NOMINATION),
                    order=25,
                    deadline=info["round__application_closes_at"],
                    **common,
                )
            )
        n, oldest = entry.get(Stage.SUBMITTED, (0, None))
        if n:
            items.append(
                AttentionItem(
                    key="applications.submitted",
                    text=ngettext(
                        "%(count)d submitted application is not reviewed yet",
                        "%(count)d submitted applications are not reviewed yet",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=_review_url(tenant, round_id, stage=Stage.SUBMITTED),
                    order=10,
                    detail=_waited(now, oldest),
                    **common,
                )
            )
        n, oldest = entry.get(Stage.NOMINATED, (0, None))
        if n:
            items.append(
                AttentionItem(
                    key="applications.nominated",
                    text=ngettext(
                        "%(count)d nominated application waits for your review",
                        "%(count)d nominated applications wait for your review",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=_review_url(tenant, round_id, stage=Stage.NOMINATED),
                    order=11,
                    **common,
                )
            )
        n, oldest = entry.get(Stage.UNDER_REVIEW, (0, None))
        if n:
            items.append(
                AttentionItem(
                    key="applications.under_review",
                    text=ngettext(
                        "%(count)d application under review waits for your decision",
                        "%(count)d applications under review wait for your decision",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=_review_url(tenant, round_id, stage=Stage.UNDER_REVIEW),
                    order=12,
                    detail=_waited(now, oldest),
                    **common,
                )
            )
        n, oldest = entry.get(Stage.ACCEPTED, (0, None))
        if n and info["round__status"] in ("matching", "running"):
            url = _review_url(tenant, round_id, stage=Stage.ACCEPTED)
            if info["round__programme__kind"] == "continuous":
                # A mentor bank matches one new manager at a time, on the bank's page.
                url = reverse(
                    "matching_bank:manage_bank_home",
                    kwargs={"tenant": tenant.slug, "round_pk": round_id},
                )
            items.append(
                AttentionItem(
                    key="applications.accepted",
                    text=ngettext(
                        "%(count)d accepted applicant is not matched",
                        "%(count)d accepted applicants are not matched",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=url,
                    order=40,
                    **common,
                )
            )
    for round_id, info in no_interview.items():
        n = info["n"]
        items.append(
            AttentionItem(
                key="applications.no_interview",
                text=ngettext(
                    "%(count)d applicant has no interview noted",
                    "%(count)d applicants have no interview noted",
                    n,
                )
                % {"count": n},
                count=n,
                url=_review_url(tenant, round_id, interview="missing"),
                order=15,
                round_id=round_id,
                round_label=round_label(info["round__programme__name"], info["round__name"]),
            )
        )
    return items


def _hr_items(*, tenant, round_, membership, now):
    org_ids = visible_organisation_ids(membership)
    if not org_ids:
        return []
    rows = list(
        Application.objects.filter(
            tenant=tenant,
            organisation_id__in=org_ids,
            stage__in=(Stage.AWAITING_NOMINATION, Stage.AWAITING_ENDORSEMENT, *QUOTA_STAGES),
            **round_filter(round_),
        )
        .filter(step_scope_q("nomination"))
        .values(*ROUND_FIELDS, "stage", "organisation_id", "organisation__name")
        .annotate(n=Count("id"), oldest=Min("submitted_at"))
        .order_by("organisation__name")
    )
    rounds = {}
    for row in rows:
        entry = rounds.setdefault(row["round_id"], {"round": row, "used": {}, "orgs": {}})
        entry["orgs"][row["organisation_id"]] = row["organisation__name"]
        if row["stage"] in QUOTA_STAGES:
            entry["used"][row["organisation_id"]] = (
                entry["used"].get(row["organisation_id"], 0) + row["n"]
            )
        else:
            count, oldest = entry.get(row["stage"], (0, None))
            oldest = min(filter(None, (oldest, row["oldest"])), default=None)
            entry[row["stage"]] = (count + row["n"], oldest)
    items = []
    for round_id, entry in rounds.items():
        info = entry["round"]
        label = round_label(info["round__programme__name"], info["round__name"])
        url = reverse("applications:hr_list", kwargs={"tenant": tenant.slug, "round_pk": round_id})
        n, _oldest = entry.get(Stage.AWAITING_NOMINATION, (0, None))
        if n:
            detail = ""
            quota = info["round__nomination_quota"]
            if quota:
                detail = " ".join(
                    ngettext(
                        "%(organisation)s: %(left)d nomination left of %(quota)d.",
                        "%(organisation)s: %(left)d nominations left of %(quota)d.",
                        max(quota - entry["used"].get(org_id, 0), 0),
                    )
                    % {
                        "organisation": name,
                        "left": max(quota - entry["used"].get(org_id, 0), 0),
                        "quota": quota,
                    }
                    for org_id, name in sorted(entry["orgs"].items(), key=lambda kv: kv[1])
                )
            items.append(
                AttentionItem(
                    key="applications.hr_nomination",
                    text=ngettext(
                        "%(count)d application waits for your decision",
                        "%(count)d applications wait for your decision",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=f"{url}?stage={Stage.AWAITING_NOMINATION}",
                    order=10,
                    deadline=info["round__application_closes_at"],
                    detail=detail,
                    round_id=round_id,
                    round_label=label,
                )
            )
        n, oldest = entry.get(Stage.AWAITING_ENDORSEMENT, (0, None))
        if n:
            items.append(
                AttentionItem(
                    key="applications.hr_endorsement",
                    text=ngettext(
                        "%(count)d applicant waits for their manager's support",
                        "%(count)d applicants wait for their manager's support",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=f"{url}?stage={Stage.AWAITING_ENDORSEMENT}",
                    order=20,
                    detail=_waited(now, oldest),
                    round_id=round_id,
                    round_label=label,
                )
            )
    return items
