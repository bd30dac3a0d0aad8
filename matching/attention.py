"""The matching and the pairs' "Att göra" items (``mentorship.hooks.ATTENTION_ITEMS``), for
the coordinators: a proposal made but not published, pairs that have not confirmed their
agreement four weeks after the start, quiet pairs, requests to end a pair. Two queries."""

from datetime import timedelta

from django.db.models import Count, Exists, Max, OuterRef
from django.urls import reverse
from django.utils.translation import ngettext

from organisations.attention import AttentionItem, round_filter, round_label
from pairs.models import Pair

from .models import Proposal
from .selectors import with_activity

# A pair that has not confirmed its agreement this long after the start needs a nudge.
AGREEMENT_WEEKS = 4


def unconfirmed_after_weeks(pair, now):
    """An active pair without a confirmed agreement four weeks (or more) after it started."""
    return (
        pair.status == Pair.Status.ACTIVE
        and not pair.agreement_confirmed
        and pair.started_at is not None
        and pair.started_at <= now - timedelta(weeks=AGREEMENT_WEEKS)
    )


def attention_items(*, tenant, round_, membership, now):
    if membership is not None:
        return []
    items = []
    published = Proposal.objects.filter(round=OuterRef("round"), status=Proposal.Status.PUBLISHED)
    drafts = (
        Proposal.objects.filter(
            tenant=tenant,
            status=Proposal.Status.DRAFT,
            round__status="matching",
            **round_filter(round_),
        )
        .exclude(Exists(published))
        .values("round_id", "round__name", "round__programme__name")
        .annotate(n=Count("id"), latest=Max("id"))
        .order_by()
    )
    for row in drafts:
        url = reverse("matching:proposal", kwargs={"tenant": tenant.slug, "pk": row["latest"]})
        items.append(
            AttentionItem(
                key="matching.proposal",
                text=ngettext(
                    "%(count)d proposal is not published",
                    "%(count)d proposals are not published",
                    row["n"],
                )
                % {"count": row["n"]},
                count=row["n"],
                url=url,
                order=45,
                round_id=row["round_id"],
                round_label=round_label(row["round__programme__name"], row["round__name"]),
            )
        )
    pairs = with_activity(
        Pair.objects.filter(tenant=tenant, status=Pair.Status.ACTIVE, **round_filter(round_))
        .select_related("round__programme")
        .order_by(),
        now=now,
    )
    by_round = {}
    for pair in pairs:
        counts = by_round.setdefault(pair.round_id, {"round": pair.round})
        for key, hit in (
            ("unconfirmed", unconfirmed_after_weeks(pair, now)),
            ("quiet", bool(pair.quiet_since)),
            ("asked", bool(pair.end_requested_at)),
        ):
            if hit:
                counts[key] = counts.get(key, 0) + 1
    texts = {
        "asked": (
            lambda n: ngettext("%(count)d pair asks to end", "%(count)d pairs ask to end", n),
            30,
        ),
        "quiet": (
            lambda n: ngettext(
                "%(count)d pair has gone quiet", "%(count)d pairs have gone quiet", n
            ),
            55,
        ),
        "unconfirmed": (
            lambda n: ngettext(
                "%(count)d pair has not confirmed its agreement after %(weeks)d weeks",
                "%(count)d pairs have not confirmed their agreement after %(weeks)d weeks",
                n,
            ),
            50,
        ),
    }
    for round_id, counts in by_round.items():
        round_obj = counts["round"]
        url = reverse("matching:pairs", kwargs={"tenant": tenant.slug, "round_pk": round_id})
        for key, (text, order) in texts.items():
            n = counts.get(key, 0)
            if not n:
                continue
            items.append(
                AttentionItem(
                    key=f"pairs.{key}",
                    text=text(n) % {"count": n, "weeks": AGREEMENT_WEEKS},
                    count=n,
                    url=f"{url}?show={key}",
                    order=order,
                    round_id=round_id,
                    round_label=round_label(round_obj.programme.name, round_obj.name),
                )
            )
    return items
