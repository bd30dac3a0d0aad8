"""Application-deadline reminders (organisations.reminders): a week and a day before a round's
deadline, to applicants with an unsubmitted draft, to managers who have not yet answered an
endorsement request, and to HR contacts whose organisation has applicants waiting for their
decision. Each mail is recorded once per person, round and window (dedupe key)."""

import zoneinfo
from collections import defaultdict
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mentorship.mail import recipient_language
from mentorship.web import site_url
from organisations import reminders
from organisations.models import Membership
from programmes.models import Round

from .models import Application, Endorsement

Stage = Application.Stage
WINDOWS = (("1d", timedelta(days=1)), ("7d", timedelta(days=7)))


def window_for(closes_at, now):
    """ "1d" when the deadline is at most a day away, "7d" when at most a week, else None."""
    left = closes_at - now
    if left <= timedelta(0):
        return None
    for name, span in WINDOWS:
        if left <= span:
            return name
    return None


def remind_deadline(now):
    queued = 0
    rounds = Round.objects.filter(
        status=Round.Status.OPEN,
        application_closes_at__gt=now,
        application_closes_at__lte=now + timedelta(days=7),
        tenant__is_active=True,
    ).select_related("tenant", "programme")
    for round_ in rounds:
        window = window_for(round_.application_closes_at, now)
        if window is None:
            continue
        # The deadline in the mails is the tenant's local time, as on its pages.
        with timezone.override(zoneinfo.ZoneInfo(round_.tenant.timezone)):
            queued += _drafts(round_, window)
            queued += _endorsements(round_, window, now)
            queued += _hr_contacts(round_, window)
    return queued


def _context(round_, **extra):
    return {
        "round": round_,
        "tenant": round_.tenant,
        "deadline": round_.application_closes_at,
        **extra,
    }


def _drafts(round_, window):
    queued = 0
    drafts = (
        Application.objects.filter(round=round_, stage=Stage.DRAFT)
        .exclude(user__is_active=False)
        .select_related("user")
    )
    known = reminders.recorded_keys(tenant=round_.tenant, prefix=f"deadline:{window}:draft:")
    for application in drafts:
        url = site_url() + reverse(
            "applications:edit", kwargs={"tenant": round_.tenant.slug, "pk": application.pk}
        )
        to = application.email or (application.user.email if application.user else "")
        if not to:
            continue
        queued += reminders.queue_once(
            known=known,
            purpose="reminder_deadline_draft",
            to=to,
            language=recipient_language(user=application.user, tenant=round_.tenant),
            context=_context(round_, application=application, url=url),
            tenant=round_.tenant,
            dedupe_key=f"deadline:{window}:draft:{application.pk}",
        )
    return queued


def _endorsements(round_, window, now):
    from .services import endorsement_url

    queued = 0
    pending = Endorsement.objects.filter(
        application__round=round_,
        application__stage=Stage.AWAITING_ENDORSEMENT,
        decided_at__isnull=True,
        superseded_at__isnull=True,
        expires_at__gt=now,
    ).select_related("application", "tenant")
    for endorsement in pending:
        queued += reminders.queue_once(
            purpose="reminder_deadline_endorsement",
            to=endorsement.manager_email,
            # The manager has no account: the tenant's language.
            language=recipient_language(tenant=round_.tenant),
            context=_context(
                round_,
                application=endorsement.application,
                endorsement=endorsement,
                url=endorsement_url(endorsement, site_url()),
            ),
            tenant=round_.tenant,
            dedupe_key=f"deadline:{window}:endorse:{endorsement.pk}",
        )
    return queued


def _hr_contacts(round_, window):
    waiting = defaultdict(int)
    for org_id in Application.objects.filter(
        round=round_, stage=Stage.AWAITING_NOMINATION, organisation__isnull=False
    ).values_list("organisation_id", flat=True):
        waiting[org_id] += 1
    if not waiting:
        return 0
    memberships = (
        Membership.objects.filter(
            tenant=round_.tenant,
            is_hr_contact=True,
            organisations__in=list(waiting),
            user__is_active=True,
        )
        .distinct()
        .select_related("user")
        .prefetch_related("organisations")
    )
    url = site_url() + reverse(
        "applications:hr_list", kwargs={"tenant": round_.tenant.slug, "round_pk": round_.pk}
    )
    queued = 0
    for membership in memberships:
        user = membership.user
        count = sum(waiting.get(org.pk, 0) for org in membership.organisations.all())
        queued += reminders.queue_once(
            purpose="reminder_deadline_hr",
            to=user.email,
            language=recipient_language(user=user, tenant=round_.tenant),
            context=_context(round_, count=count, url=url),
            tenant=round_.tenant,
            dedupe_key=f"deadline:{window}:hr:{round_.pk}:{user.pk}",
        )
    return queued
