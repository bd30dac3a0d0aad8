""" "Att göra" on the coordinators' overview: erasure requests that wait
(``mentorship.hooks.ATTENTION_ITEMS``). One query, on the overview only: the requests belong
to the whole tenant, not to a round or an HR contact."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import ngettext

from organisations.attention import AttentionItem

from .models import ErasureRequest


def attention_items(*, tenant, round_, membership, now):
    if round_ is not None or membership is not None:
        return []
    waiting = ErasureRequest.objects.filter(
        tenant=tenant, status=ErasureRequest.Status.REQUESTED
    ).aggregate(n=Count("pk"), oldest=Min("requested_at"))
    if not waiting["n"]:
        return []
    return [
        AttentionItem(
            key="privacy.erasure_requested",
            text=ngettext(
                "%(count)d erasure request waits",
                "%(count)d erasure requests wait",
                waiting["n"],
            )
            % {"count": waiting["n"]},
            count=waiting["n"],
            url=reverse("privacy:erasure_list", kwargs={"tenant": tenant.slug}),
            order=85,
        )
    ]
