"""The daily summary of new applications for coordinators and HR contacts (periodic:
``applications.tasks.send_application_digests`` in CELERY_BEAT_SCHEDULE).

Each coordinator hears of the applications sent in to any round of their tenant, each HR
contact of those from their own organisations, since their last summary (``Membership.
digest_sent_at``; the first one covers the day before). One mail per person and tenant, per
round a count and the names, and a link to the round's list (the coordinator's review list,
newest first; the HR contact's list of their organisations' applicants). Nothing new, no
mail; a person who turned it off on their account page (``Membership.application_digest``)
gets none. The outbox's key (``digest:<membership>:<date>``) holds it to one a day even if
the task runs twice.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from mentorship.mail import recipient_language
from mentorship.web import absolute
from organisations.models import Membership, Tenant
from organisations.reminders import queue_once

from .models import Application

Stage = Application.Stage
# The names listed per round in one mail; the rest is a count and the link.
NAMES_PER_ROUND = 20
FIRST_DIGEST_COVERS = timedelta(days=1)


def _new_applications(*, tenant, since, until, membership):
    qs = (
        Application.objects.filter(tenant=tenant, submitted_at__gt=since, submitted_at__lte=until)
        .exclude(stage__in=(Stage.DRAFT, Stage.WITHDRAWN))
        .select_related("round", "round__programme", "organisation")
        .order_by("round__programme__name", "round_id", "submitted_at", "pk")
    )
    if not membership.is_coordinator:
        qs = qs.filter(organisation__in=membership.organisations.all())
    return list(qs)


def _rounds(applications, *, tenant, hr):
    """[{round, applications, count, more, url}] in the order of the applications."""
    by_round = defaultdict(list)
    for application in applications:
        by_round[application.round].append(application)
    out = []
    for round_, apps in by_round.items():
        if hr:
            path = reverse(
                "applications:hr_list", kwargs={"tenant": tenant.slug, "round_pk": round_.pk}
            )
        else:
            path = (
                reverse(
                    "applications:review_list",
                    kwargs={"tenant": tenant.slug, "round_pk": round_.pk},
                )
                + "?sort=-submitted"
            )
        out.append(
            {
                "round": round_,
                "programme": round_.programme,
                "applications": apps[:NAMES_PER_ROUND],
                "count": len(apps),
                "more": max(len(apps) - NAMES_PER_ROUND, 0),
                "url": absolute(path),
            }
        )
    return out


def digest_context(*, membership, applications):
    """The mail's context (also used by tests/test_mail_templates.py)."""
    tenant = membership.tenant
    hr = not membership.is_coordinator
    rounds = _rounds(applications, tenant=tenant, hr=hr)
    return {
        "tenant": tenant,
        "membership": membership,
        "as_hr_contact": hr,
        "rounds": rounds,
        "count": len(applications),
        "settings_url": absolute(f"{reverse('profile')}?tenant={tenant.slug}"),
    }


def send_digest(*, membership, now):
    """One person's summary; True when a mail was queued."""
    since = membership.digest_sent_at or max(membership.created_at, now - FIRST_DIGEST_COVERS)
    applications = _new_applications(
        tenant=membership.tenant, since=since, until=now, membership=membership
    )
    if not applications:
        return False
    user = membership.user
    with transaction.atomic():
        queued = queue_once(
            purpose="application_digest",
            to=user.email,
            language=recipient_language(user=user, tenant=membership.tenant),
            context=digest_context(membership=membership, applications=applications),
            tenant=membership.tenant,
            dedupe_key=f"digest:{membership.pk}:{timezone.localdate(now).isoformat()}",
        )
        Membership.objects.filter(pk=membership.pk).update(digest_sent_at=now)
    return queued


def send_application_digests(*, now=None):
    """Every active tenant's coordinators and HR contacts who want the summary; returns how
    many mails were queued."""
    now = now or timezone.now()
    sent = 0
    for tenant in Tenant.objects.filter(is_active=True):
        with scope(tenant=tenant), timezone.override(tenant.timezone):
            memberships = (
                Membership.objects.filter(tenant=tenant, application_digest=True)
                .filter(Q(is_coordinator=True) | Q(is_hr_contact=True))
                .filter(user__is_active=True)
                .select_related("user", "tenant")
            )
            for membership in memberships:
                sent += send_digest(membership=membership, now=now)
    return sent
