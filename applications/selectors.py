"""Reads for the application pages. Each takes ``tenant=``."""

from django.db.models import Count, Q

from mentorship.listing import MAX_SEARCH, apply_search
from organisations.models import Organisation
from programmes.models import step_scope_q

from .models import Application, Question, StageChange, Theme
from .rules import visible_organisation_ids

Stage = Application.Stage


def questions_for(*, tenant, round_):
    return list(Question.objects.filter(tenant=tenant, round=round_).order_by("position", "id"))


# The review list's search: name, e-mail, organisation (and, as before, title and motivation).
REVIEW_SEARCH = ("full_name", "email", "organisation__name", "job_title", "motivation")
# The HR list's and the export's: name, e-mail and organisation.
PEOPLE_SEARCH = ("full_name", "email", "organisation__name")
# The filters a list of applications keeps in its address (also carried into its export).
LIST_FILTER_KEYS = ("stage", "role", "organisation", "theme", "interview", "q")


def list_filters(params, *, tenant, round_):
    """The list filters from a query (GET, or the hidden fields of a POST): each value checked,
    a foreign or unknown organisation or theme simply matches nothing."""
    filters = {"q": params.get("q", "")[:MAX_SEARCH].strip()}
    if params.get("stage") in Stage.values and params.get("stage") != Stage.DRAFT:
        filters["stage"] = params["stage"]
    if params.get("role") in ("mentor", "adept"):
        filters["role"] = params["role"]
    if params.get("interview") == "missing":
        filters["interview"] = "missing"
    if params.get("organisation", "").isdigit():
        filters["organisation"] = Organisation.objects.filter(
            tenant=tenant, pk=int(params["organisation"])
        ).first()
        filters["organisation_asked"] = True
    if params.get("theme", "").isdigit():
        filters["theme"] = Theme.objects.filter(
            programme=round_.programme, pk=int(params["theme"])
        ).first()
        filters["theme_asked"] = True
    return filters


def filter_query(filters):
    """The filters as query parameters (for links and hidden fields), empty ones left out."""
    query = {}
    for key in LIST_FILTER_KEYS:
        value = filters.get(key)
        if value:
            query[key] = getattr(value, "pk", value)
    return query


def apply_filters(qs, filters, *, search=REVIEW_SEARCH):
    """Narrow a queryset of applications by ``list_filters``; only ever narrows."""
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    if filters.get("organisation_asked"):
        qs = qs.filter(organisation=filters.get("organisation"))
        if filters.get("organisation") is None:
            qs = qs.none()
    if filters.get("theme_asked"):
        if filters.get("theme") is None:
            qs = qs.none()
        else:
            qs = qs.filter(
                pk__in=Application.themes.through.objects.filter(theme=filters["theme"]).values(
                    "application_id"
                )
            )
    if filters.get("interview") == "missing":
        # Not decided yet and no interview notes (the "Att göra" item's link).
        # Where the round interviews one role only, the other role is never "missing" one.
        qs = (
            qs.filter(stage__in=(Stage.SUBMITTED, Stage.NOMINATED, Stage.UNDER_REVIEW))
            .filter(Q(interview__isnull=True) | Q(interview__notes=""))
            .filter(step_scope_q("interview"))
        )
    if filters.get("q"):
        qs = apply_search(qs, search, filters["q"])
    return qs


def applications_for_review(*, tenant, round_, filters=None):
    """A round's applications (drafts excluded) with the coordinator's filters applied."""
    qs = (
        Application.objects.filter(tenant=tenant, round=round_)
        .exclude(stage=Stage.DRAFT)
        .select_related("organisation", "user")
        .prefetch_related("themes")
    )
    return apply_filters(qs, filters or {}).order_by("role", "full_name", "id")


def applications_for_hr(*, tenant, round_, membership):
    """Only the applicants of the HR contact's own organisations and, where the round has its
    organisations nominate one role only, only that role's."""
    return (
        Application.objects.filter(
            tenant=tenant, round=round_, organisation_id__in=visible_organisation_ids(membership)
        )
        .filter(step_scope_q("nomination"))
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
