"""The programmes' "Att göra" items (``mentorship.hooks.ATTENTION_ITEMS``), for the
coordinators: a shared day within 7 days that participants have not answered. Two queries."""

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from organisations.attention import AttentionItem, round_filter, round_label

from .models import Participant, SharedMeeting

SOON_DAYS = 7


def attention_items(*, tenant, round_, membership, now):
    if membership is not None:
        return []
    today = timezone.localdate(now)
    meetings = list(
        SharedMeeting.objects.filter(
            tenant=tenant,
            date__gte=today,
            date__lte=today + timedelta(days=SOON_DAYS),
            **round_filter(round_),
        )
        .select_related("round__programme")
        .annotate(answered=Count("responses", distinct=True))
        .order_by("date", "starts_at")
    )
    if not meetings:
        return []
    invited = {}
    for round_id, role, n in (
        Participant.objects.filter(tenant=tenant, round_id__in={m.round_id for m in meetings})
        .values_list("round_id", "role")
        .annotate(n=Count("id"))
        .values_list("round_id", "role", "n")
        .order_by()
    ):
        invited[(round_id, role)] = n
    items = []
    for meeting in meetings:
        expected = sum(invited.get((meeting.round_id, role), 0) for role in meeting.audience_roles)
        missing = max(expected - meeting.answered, 0)
        if not missing:
            continue
        items.append(
            AttentionItem(
                key="programmes.shared_day",
                text=ngettext(
                    "%(count)d participant has not answered for “%(title)s”",
                    "%(count)d participants have not answered for “%(title)s”",
                    missing,
                )
                % {"count": missing, "title": meeting.title},
                count=missing,
                url=reverse(
                    "programmes:meeting_detail", kwargs={"tenant": tenant.slug, "pk": meeting.pk}
                ),
                order=35,
                deadline=meeting.date,
                round_id=meeting.round_id,
                round_label=round_label(meeting.round.programme.name, meeting.round.name),
            )
        )
    return items
