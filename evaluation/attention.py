"""The surveys' "Att göra" items (``mentorship.hooks.ATTENTION_ITEMS``), for the coordinators:
an open survey, with its response rate and closing date, while some have not answered.
Only the answers the results may show count (released in a batch, ``results.released_q``),
as on the survey's own pages: the item must not tell when one more person has answered.
Two queries."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.attention import AttentionItem, round_filter, round_label
from programmes.models import Participant

from .models import RELEASE_BATCH, Survey
from .results import released_q


def attention_items(*, tenant, round_, membership, now):
    if membership is not None:
        return []
    surveys = list(
        Survey.objects.filter(tenant=tenant, status=Survey.Status.PUBLISHED, **round_filter(round_))
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("round__programme")
        .annotate(answered=Count("responses", filter=released_q("responses__"), distinct=True))
        .order_by("closes_at", "id")
    )
    if not surveys:
        return []
    invited = {}
    for round_id, role, n in (
        Participant.objects.filter(tenant=tenant, round_id__in={s.round_id for s in surveys})
        .values_list("round_id", "role")
        .annotate(n=Count("id"))
        .values_list("round_id", "role", "n")
        .order_by()
    ):
        invited[(round_id, role)] = n
    items = []
    for survey in surveys:
        expected = sum(invited.get((survey.round_id, role), 0) for role in survey.roles)
        missing = max(expected - survey.answered, 0)
        if not missing:
            continue
        rate = round(100 * survey.answered / expected) if expected else 0
        detail = _("Response rate %(rate)d %% (%(answered)d of %(invited)d).") % {
            "rate": rate,
            "answered": survey.answered,
            "invited": expected,
        }
        if survey.release == Survey.Release.BATCHES:
            detail += " " + _("Answers are counted %(n)d at a time.") % {"n": RELEASE_BATCH}
        else:
            detail += " " + _("Answers are counted when the survey closes.")
        items.append(
            AttentionItem(
                key="evaluation.survey",
                text=ngettext(
                    "“%(title)s” is open: %(count)d has not answered",
                    "“%(title)s” is open: %(count)d have not answered",
                    missing,
                )
                % {"title": survey.title, "count": missing},
                count=missing,
                url=reverse("evaluation:survey", kwargs={"tenant": tenant.slug, "pk": survey.pk}),
                order=60,
                deadline=survey.closes_at,
                detail=detail,
                round_id=survey.round_id,
                round_label=round_label(survey.round.programme.name, survey.round.name),
            )
        )
    return items
