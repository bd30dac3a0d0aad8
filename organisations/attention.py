""" "Att göra": what waits for the coordinators or an HR contact now, computed from the data.

Each feature app computes its own items (``mentorship.hooks.ATTENTION_ITEMS``); this module
collects and sorts them, and adds the organisations app's own (mails that failed). An item
is only returned while something is left to do, so it disappears when the work is done.
Every implementation runs a fixed number of queries whatever the number of applications,
pairs or rounds (``tests/organisations/test_attention.py`` counts them at two sizes).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from mentorship import hooks

# The rounds that can have work waiting (the overview shows these; a round's own page
# shows that round whatever its status). Strings, as the programmes app owns Round.
LIVE_ROUND_STATUSES = ("open", "review", "matching", "running")


@dataclass(frozen=True)
class AttentionItem:
    """One thing to do: ``text`` says what and how many (``count``), ``url`` leads straight to
    the filtered list, ``deadline`` (date or datetime) when there is one, ``detail`` a short
    extra ("the oldest has waited 12 days"), ``round_label`` which round it belongs to (shown
    on the overview). Lower ``order`` first."""

    key: str
    text: str
    count: int
    url: str
    order: int = 50
    round_id: int | None = None
    round_label: str = ""
    deadline: date | datetime | None = None
    detail: str = ""


def round_filter(round_, prefix="round"):
    """The filter keyword arguments for "this round" or "every live round"."""
    if round_ is not None:
        return {prefix: round_}
    return {f"{prefix}__status__in": LIVE_ROUND_STATUSES}


def round_label(programme_name, round_name):
    return f"{programme_name}: {round_name}"


def items_for(*, tenant, round_=None, membership=None, now=None):
    """Every open item for the coordinators (``membership`` None) or for one HR contact,
    for one round or (``round_`` None) every live round, sorted."""
    now = now or timezone.now()
    items = []
    for implementation in hooks.ATTENTION_ITEMS:
        items.extend(
            implementation(tenant=tenant, round_=round_, membership=membership, now=now) or []
        )
    items.sort(key=lambda item: (item.order, item.round_label, item.key))
    return items


def outbox_items(*, tenant, round_, membership, now):
    """Mails that failed in the outbox (the coordinators' overview only: the outbox belongs
    to the whole tenant). One query."""
    from .models import OutgoingMail

    if round_ is not None or membership is not None:
        return []
    failed = OutgoingMail.objects.filter(tenant=tenant, status=OutgoingMail.Status.FAILED).count()
    if not failed:
        return []
    url = reverse("organisations:outbox", kwargs={"tenant": tenant.slug})
    return [
        AttentionItem(
            key="outbox.failed",
            text=ngettext(
                "%(count)d mail could not be sent",
                "%(count)d mails could not be sent",
                failed,
            )
            % {"count": failed},
            count=failed,
            url=f"{url}?status={OutgoingMail.Status.FAILED}",
            order=90,
        )
    ]
