"""Quiet-pair reminders (organisations.reminders).

A pair with no meeting logged for the round's ``quiet_pair_weeks`` (counted from the last
logged meeting, or from the start) and nothing planned ahead gets one reminder to both
partners; if it is still quiet two weeks after that reminder, the tenant's coordinators are
told. The dedupe keys carry the date the silence is counted from, so a pair that meets and
then goes quiet again is reminded again, never twice for the same silence. Pairs of a round
that is over (closed, archived or past its last day) are left alone.
"""

import zoneinfo
from datetime import timedelta

from django.db.models import Min
from django.urls import reverse

from mentorship.mail import recipient_language
from mentorship.web import site_url
from organisations import reminders
from organisations.models import Membership, OutgoingMail
from pairs.models import Pair
from programmes.models import Round

from .selectors import with_activity

COORDINATOR_AFTER = timedelta(weeks=2)


def quiet_pairs(*, now, tenant=None):
    """[(pair, quiet since (date), days quiet)] of active pairs past their round's limit: the
    coordinator's pairs page and these reminders share one rule (selectors.with_activity)."""
    pairs = Pair.objects.filter(
        # Narrowed in the database; with_activity applies the whole rule. A continuous
        # programme's standing round follows its pairs whatever its stage is called.
        Round.following_pairs_q("round__"),
        status=Pair.Status.ACTIVE,
        round__quiet_pair_weeks__gt=0,
        tenant__is_active=True,
    ).select_related("round__programme", "mentor_user", "adept_user", "mentor", "adept")
    if tenant is not None:
        pairs = pairs.filter(tenant=tenant)
    out = []
    for pair in with_activity(pairs, now=now):
        if pair.quiet_since is None:
            continue
        today = now.astimezone(zoneinfo.ZoneInfo(pair.tenant.timezone)).date()
        out.append((pair, pair.quiet_since, (today - pair.quiet_since).days))
    return out


def remind_quiet_pairs(now):
    queued = 0
    coordinators = {}
    for pair, since, days in quiet_pairs(now=now):
        tenant = pair.tenant
        pair_url = site_url() + reverse(
            "matching_pairwork:pair", kwargs={"tenant": tenant.slug, "pk": pair.pk}
        )
        partner_keys = [
            f"quiet:{pair.pk}:{since.isoformat()}:{user_id}"
            for user_id in (pair.mentor_user_id, pair.adept_user_id)
        ]
        # When the partners were reminded of this silence (before this run), if they were.
        reminded_at = None
        if days >= pair.round.quiet_pair_weeks * 7 + COORDINATOR_AFTER.days:
            reminded_at = OutgoingMail.objects.filter(
                tenant=tenant, dedupe_key__in=partner_keys
            ).aggregate(at=Min("created_at"))["at"]
        for user, partner in (
            (pair.mentor_user, pair.adept_user),
            (pair.adept_user, pair.mentor_user),
        ):
            if not user.is_active:
                continue
            queued += reminders.queue_once(
                purpose="reminder_quiet_pair",
                to=user.email,
                language=recipient_language(user=user, tenant=tenant),
                context={
                    "pair": pair,
                    "round": pair.round,
                    "tenant": tenant,
                    "partner": partner,
                    "since": since,
                    "weeks": days // 7,
                    "url": pair_url,
                },
                tenant=tenant,
                dedupe_key=f"quiet:{pair.pk}:{since.isoformat()}:{user.pk}",
            )
        # The coordinators only once the partners have had two weeks since their own reminder
        # (the mail says so): not in the same run when a long silence is first noticed, e.g.
        # after a planned meeting passed unlogged or the round's number of weeks was lowered.
        if reminded_at is None or reminded_at > now - COORDINATOR_AFTER:
            continue
        if tenant.pk not in coordinators:
            coordinators[tenant.pk] = list(
                Membership.objects.filter(
                    tenant=tenant, is_coordinator=True, user__is_active=True
                ).select_related("user")
            )
        pairs_url = site_url() + reverse(
            "matching:pairs", kwargs={"tenant": tenant.slug, "round_pk": pair.round_id}
        )
        for membership in coordinators[tenant.pk]:
            user = membership.user
            queued += reminders.queue_once(
                purpose="reminder_quiet_pair_coordinator",
                to=user.email,
                language=recipient_language(user=user, tenant=tenant),
                context={
                    "pair": pair,
                    "round": pair.round,
                    "tenant": tenant,
                    "since": since,
                    "weeks": days // 7,
                    "url": pairs_url,
                },
                tenant=tenant,
                dedupe_key=f"quiet-coordinator:{pair.pk}:{since.isoformat()}:{user.pk}",
            )
    return queued
