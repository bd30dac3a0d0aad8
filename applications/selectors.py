"""Reads for the application pages. Each takes ``tenant=``."""

from django.db.models import Count, Q

from .models import Application, Question, StageChange
from .rules import visible_organisation_ids

Stage = Application.Stage


def questions_for(*, tenant, round_):
    return list(Question.objects.filter(tenant=tenant, round=round_).order_by("position", "id"))


def applications_for_review(*, tenant, round_, filters=None):
    """A round's applications (drafts excluded) with the coordinator's filters applied."""
    filters = filters or {}
    qs = (
        Application.objects.filter(tenant=tenant, round=round_)
        .exclude(stage=Stage.DRAFT)
        .select_related("organisation", "user")
        .prefetch_related("themes")
    )
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    if filters.get("organisation"):
        qs = qs.filter(organisation=filters["organisation"])
    if filters.get("theme"):
        qs = qs.filter(themes=filters["theme"])
    if filters.get("interview") == "missing":
        # Not decided yet and no interview notes (the "Att göra" item's link).
        qs = qs.filter(stage__in=(Stage.SUBMITTED, Stage.NOMINATED, Stage.UNDER_REVIEW)).filter(
            Q(interview__isnull=True) | Q(interview__notes="")
        )
    if filters.get("q"):
        text = filters["q"]
        qs = qs.filter(
            Q(full_name__icontains=text)
            | Q(email__icontains=text)
            | Q(job_title__icontains=text)
            | Q(motivation__icontains=text)
        )
    return qs.order_by("role", "full_name", "id").distinct()


def applications_for_hr(*, tenant, round_, membership):
    """Only the applicants of the HR contact's own organisations."""
    return (
        Application.objects.filter(
            tenant=tenant, round=round_, organisation_id__in=visible_organisation_ids(membership)
        )
        .exclude(stage=Stage.DRAFT)
        .select_related("organisation")
        .order_by("stage", "role", "full_name")
    )


def stage_counts(*, tenant, round_):
    rows = (
        Application.objects.filter(tenant=tenant, round=round_)
        .values("stage")
        .annotate(n=Count("id"))
    )
    return {row["stage"]: row["n"] for row in rows}


def history(*, tenant, application):
    return list(
        StageChange.objects.filter(tenant=tenant, application=application).select_related("actor")
    )


def dashboard_section(*, tenant, round_):
    """The applications part of the round dashboard (fixed number of queries)."""
    rows = (
        Application.objects.filter(tenant=tenant, round=round_)
        .exclude(stage=Stage.DRAFT)
        .values("stage", "role")
        .annotate(n=Count("id"))
    )
    by_stage = {}
    for row in rows:
        by_stage.setdefault(row["stage"], {"mentor": 0, "adept": 0})[row["role"]] = row["n"]
    by_org = (
        Application.objects.filter(tenant=tenant, round=round_)
        .exclude(stage=Stage.DRAFT)
        .values("organisation__name")
        .annotate(total=Count("id"), waiting=Count("id", filter=Q(stage=Stage.AWAITING_NOMINATION)))
        .order_by("organisation__name")
    )
    drafts = Application.objects.filter(tenant=tenant, round=round_, stage=Stage.DRAFT).count()
    stages = [(Stage(s), by_stage[s]) for s in Stage.values if s in by_stage]
    return {
        "template": "applications/includes/dashboard_section.html",
        "round": round_,
        "stages": stages,
        "by_organisation": list(by_org),
        "drafts": drafts,
        "waiting_nomination": sum(
            v["mentor"] + v["adept"] for k, v in by_stage.items() if k == Stage.AWAITING_NOMINATION
        ),
        "waiting_endorsement": sum(
            v["mentor"] + v["adept"] for k, v in by_stage.items() if k == Stage.AWAITING_ENDORSEMENT
        ),
    }
