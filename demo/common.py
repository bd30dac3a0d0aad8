"""What every demo tenant's story shares: the invented people, the dates, the tenant itself,
the mail the services queue, and ``backdate`` for the times a service cannot be given.

Invented organisations and invented people only. Every helper is idempotent (get-or-create by
natural keys), so ``seed_demo`` run twice changes nothing.
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone

from organisations.models import Membership, Organisation, OutgoingMail, Tenant
from organisations.services import log_activity

DEMO_PASSWORD = "mentor-demo-2026"
DEMO_DOMAIN = "demo.example"
TIME_ZONE = "Europe/Stockholm"
MON, TUE, WED, THU, FRI = range(5)


# --- people --------------------------------------------------------------------------------


def demo_email(local, spec):
    return f"{local}@{spec['slug']}.{DEMO_DOMAIN}"


@cache
def _demo_password_hash():
    """Hashed once: every demo login has the same public password, and hashing it anew for
    each of dozens of demo people made the first `make run` take half a minute."""
    return make_password(DEMO_PASSWORD)


def ensure_user(email, full_name, language="sv"):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "language": language}
    )
    if created:
        user.password = _demo_password_hash()
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


# --- dates ---------------------------------------------------------------------------------


def zone(tenant=None):
    return ZoneInfo(tenant.timezone if tenant is not None else TIME_ZONE)


def today(tenant=None):
    """Today in the tenant's time zone (Europe/Stockholm for every demo tenant)."""
    return timezone.localtime(timezone.now(), zone(tenant)).date()


def at(tenant, day, hour, minute=0):
    """``day`` at ``hour:minute`` in the tenant's time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone(tenant))


def on_or_after(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def on_or_before(day, weekday):
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def backdate(obj, **times):
    """Give a row written by a service the past times of the story (``created_at=...``,
    ``ended_at=...``): the one place the demo writes over what a service wrote, and only
    times, never a stage, a status or who did it. ``obj`` is a model instance or a queryset.
    The instance's attributes follow, so the caller can go on with it."""
    times = {name: value for name, value in times.items() if value is not None}
    if not times:
        return obj
    if hasattr(obj, "_meta"):
        type(obj)._base_manager.filter(pk=obj.pk).update(**times)
        for name, value in times.items():
            setattr(obj, name, value)
    else:
        obj.update(**times)
    return obj


# --- mail ----------------------------------------------------------------------------------


@contextmanager
def mail_kept_in_outbox(tenant):
    """The mails the services queue while the story is told stay in the outbox as a real run
    would leave them, but marked sent (at the time they were queued) before the transaction
    commits, so the outbox's worker finds nothing to send: no demo mail ever leaves."""
    before = set(OutgoingMail.objects.filter(tenant=tenant).values_list("pk", flat=True))
    yield
    OutgoingMail.objects.filter(tenant=tenant, status=OutgoingMail.Status.WAITING).exclude(
        pk__in=before
    ).update(status=OutgoingMail.Status.SENT, sent_at=F("created_at"), next_attempt_at=None)


# --- the tenant ----------------------------------------------------------------------------


def build_tenant(spec):
    """The tenant, its organisations, its coordinator and HR contacts; and their logins."""
    tenant, created = Tenant.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "contact_email": spec["contact_email"],
            "default_language": spec.get("language", "sv"),
            "timezone": TIME_ZONE,
        },
    )
    logins = []
    from django_scopes import scope

    with scope(tenant=tenant):
        if created:
            log_activity(tenant=tenant, actor=None, action="tenant.created", obj=tenant)
        orgs = {}
        for name, kind, region, place in spec["organisations"]:
            org, _ = Organisation.objects.get_or_create(
                tenant=tenant, name=name, defaults={"kind": kind, "region": region, "place": place}
            )
            orgs[name] = org
        for name, kind, region, place, parent in spec.get("children", []):
            org, _ = Organisation.objects.get_or_create(
                tenant=tenant,
                name=name,
                defaults={"kind": kind, "region": region, "place": place, "parent": orgs[parent]},
            )
            orgs[name] = org
        name, local = spec["coordinator"]
        coordinator = ensure_user(demo_email(local, spec), name)
        membership, _ = Membership.objects.get_or_create(tenant=tenant, user=coordinator)
        if not membership.is_coordinator:
            membership.is_coordinator = True
            membership.save()
        logins.append((coordinator.email, "coordinator"))
        for name, local, org_names in spec.get("hr_contacts", []):
            user = ensure_user(demo_email(local, spec), name)
            membership, _ = Membership.objects.get_or_create(tenant=tenant, user=user)
            if not membership.is_hr_contact:
                membership.is_hr_contact = True
                membership.save()
            membership.organisations.add(*[orgs[n] for n in org_names])
            logins.append((user.email, "HR contact: " + ", ".join(org_names)))
    return tenant, orgs, logins


class _Written:
    """The activity-log rows and mails a service call wrote (see :func:`rows_written`)."""

    def __init__(self, tenant):
        from organisations.models import ActivityLog

        self.tenant = tenant
        self.log_from = ActivityLog.objects.filter(tenant=tenant).order_by("-pk").first()
        self.mail_from = OutgoingMail.objects.filter(tenant=tenant).order_by("-pk").first()

    def backdate(self, when):
        """Date the log rows and mails the call wrote at ``when`` (a mail marked sent then)."""
        from organisations.models import ActivityLog

        logs = ActivityLog.objects.filter(tenant=self.tenant)
        mails = OutgoingMail.objects.filter(tenant=self.tenant)
        if self.log_from is not None:
            logs = logs.filter(pk__gt=self.log_from.pk)
        if self.mail_from is not None:
            mails = mails.filter(pk__gt=self.mail_from.pk)
        backdate(logs, created_at=when)
        backdate(mails, created_at=when)
        mails.filter(status=OutgoingMail.Status.SENT).update(sent_at=when)


@contextmanager
def rows_written(tenant):
    """``with rows_written(tenant) as written: service(...)`` then ``written.backdate(when)``:
    the log rows and mails of a step told after the fact get the step's time."""
    yield _Written(tenant)
