"""Personal data in applications is anonymised after the tenant's retention period."""

from datetime import timedelta

from django.utils import timezone

from applications.models import Application, Endorsement, InterviewNote, StageChange
from organisations.models import ActivityLog
from organisations.services import log_activity
from privacy import tasks as retention_tasks
from programmes.models import Round
from tests.factories.applications import (
    ApplicationFactory,
    EndorsementFactory,
    InterviewNoteFactory,
    StageChangeFactory,
)
from tests.factories.programmes import ProgrammeFactory, RoundFactory


def _round(tenant, *, status, ended_days_ago):
    ends = timezone.localdate() - timedelta(days=ended_days_ago)
    return RoundFactory(
        programme=ProgrammeFactory(tenant=tenant),
        status=status,
        starts_on=ends - timedelta(days=365),
        ends_on=ends,
    )


def test_old_closed_rounds_are_anonymised_and_recent_ones_kept(tenant):
    tenant.retention_months = 12
    tenant.save()
    old = _round(tenant, status=Round.Status.CLOSED, ended_days_ago=400)
    recent = _round(tenant, status=Round.Status.CLOSED, ended_days_ago=100)
    still_running = _round(tenant, status=Round.Status.RUNNING, ended_days_ago=400)
    gone = ApplicationFactory(
        round=old,
        full_name="Åsa Öberg",
        phone="070-1740600",
        manager_email="chef@example.se",
        answers={"1": "hemligt"},
    )
    InterviewNoteFactory(application=gone, notes="Känsliga anteckningar")
    EndorsementFactory(application=gone, comment="Bra chef")
    StageChangeFactory(application=gone, reason="Personlig anledning")
    log_activity(tenant=tenant, actor=None, action="application.viewed", obj=gone)
    kept = [
        ApplicationFactory(round=recent, full_name="Kvar Kvarsson"),
        ApplicationFactory(round=still_running, full_name="Pågår Pågårsson"),
    ]

    retention_tasks.apply_retention()

    gone.refresh_from_db()
    assert gone.anonymised_at is not None
    assert "Åsa" not in gone.full_name and gone.email == "" and gone.phone == ""
    assert gone.manager_email == "" and gone.motivation == "" and gone.answers == {}
    assert gone.stage == Application.Stage.SUBMITTED  # the row and its stage stay for statistics
    assert not InterviewNote.objects.filter(application=gone).exists()
    assert Endorsement.objects.get(application=gone).comment == ""
    assert StageChange.objects.get(application=gone).reason == ""
    entry = ActivityLog.objects.get(action="application.viewed", object_id=str(gone.pk))
    assert "Åsa" not in entry.object_repr
    assert ActivityLog.objects.filter(action="applications.anonymised").count() == 1
    for application in kept:
        application.refresh_from_db()
        assert application.anonymised_at is None
        assert application.full_name in ("Kvar Kvarsson", "Pågår Pågårsson")

    retention_tasks.apply_retention()  # running again changes nothing
    assert ActivityLog.objects.filter(action="applications.anonymised").count() == 1


def _tenant_texts(tenant):
    """Every text, char and JSON value of every row the tenant owns (all apps), as one string."""
    from django.apps import apps
    from django.db import models
    from django_scopes import scopes_disabled

    kinds = (models.CharField, models.TextField, models.JSONField)
    chunks = []
    with scopes_disabled():
        for model in apps.get_models():
            if not any(f.name == "tenant" for f in model._meta.concrete_fields):
                continue
            names = [f.name for f in model._meta.concrete_fields if isinstance(f, kinds)]
            if names:
                rows = model._base_manager.filter(tenant=tenant).values_list(*names)
                chunks.extend(f"{model.__name__}: {row}" for row in rows)
    return "\n".join(chunks)


def test_no_trace_of_the_rounds_people_is_left_anywhere(tenant, mailoutbox):
    """Outbox, activity log, message recipients, pairs, requests: after anonymisation, none of
    the names, addresses and reasons is left in any of the tenant's tables."""
    import uuid

    from choosing.models import MentorRequest
    from messaging import services as messaging
    from organisations.models import OutgoingMail
    from pairs import services as pairwork
    from tests.factories.organisations import MembershipFactory, UserFactory
    from tests.factories.programmes import ParticipantFactory
    from tests.matching.factories import PairFactory

    tenant.retention_months = 12
    tenant.save()
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    old = _round(tenant, status=Round.Status.RUNNING, ended_days_ago=-30)
    mentor_user = UserFactory(full_name="Fatima Rahimi", email="fatima.rahimi@kommun.example")
    adept_user = UserFactory(full_name="Samir Haddad", email="samir.haddad@kommun.example")
    pair = PairFactory(
        round=old,
        mentor__user=mentor_user,
        adept__user=adept_user,
        adept__manager_name="Karin Lindqvist",
        adept__manager_email="karin.lindqvist@kommun.example",
    )
    EndorsementFactory(
        application=pair.adept,
        manager_name="Karin Lindqvist",
        manager_email="karin.lindqvist@kommun.example",
        comment="Samir växer med uppgiften",
    )
    for user, role in ((mentor_user, "mentor"), (adept_user, "adept")):
        ParticipantFactory(round=old, user=user, role=role)
    MentorRequest.objects.create(
        tenant=tenant,
        round=old,
        adept=pair.adept,
        mentor=pair.mentor,
        message="Jag vill gärna ha dig som mentor, Fatima",
    )
    reason = "Vi har inte fått det att fungera mellan oss"
    pairwork.request_end(tenant=tenant, actor=mentor_user, pair=pair, reason=reason)
    messaging.send_message(
        tenant=tenant,
        actor=coordinator,
        round_=old,
        audience="everyone",
        subject="Välkomna",
        body="Hej alla!",
        token=uuid.uuid4(),
    )
    log_activity(
        tenant=tenant,
        actor=coordinator,
        action="matching.pair_changed",
        obj=pair,
        before={"adept": "Samir Haddad (Adept)"},
        after={"reason": reason},
    )
    assert OutgoingMail.objects.filter(to=adept_user.email).exists()
    needles = [
        "Fatima Rahimi",
        "Samir Haddad",
        "fatima.rahimi@kommun.example",
        "samir.haddad@kommun.example",
        "Karin Lindqvist",
        "karin.lindqvist@kommun.example",
        reason,
        "Samir växer med uppgiften",
        "Jag vill gärna ha dig som mentor",
    ]
    before = _tenant_texts(tenant)
    assert all(needle in before for needle in needles)
    mails = OutgoingMail.objects.filter(tenant=tenant).count()
    Round.objects.filter(pk=old.pk).update(
        status=Round.Status.CLOSED, ends_on=timezone.localdate() - timedelta(days=400)
    )

    retention_tasks.apply_retention()

    after = _tenant_texts(tenant)
    left = [needle for needle in needles if needle.lower() in after.lower()]
    assert left == [], [line for line in after.splitlines() if any(n in line for n in left)]
    # The rows stay for the counts: the outbox page, the log, the pair.
    assert OutgoingMail.objects.filter(tenant=tenant).count() == mails
    assert ActivityLog.objects.filter(action="matching.end_requested").count() == 1
    assert ActivityLog.objects.filter(action="matching.pair_changed").count() == 1
