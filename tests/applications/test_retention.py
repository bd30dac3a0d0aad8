"""Personal data in applications is anonymised after the tenant's retention period."""

from datetime import timedelta

from django.utils import timezone

from applications import tasks
from applications.models import Application, Endorsement, InterviewNote, StageChange
from organisations.models import ActivityLog
from organisations.services import log_activity
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

    tasks.anonymise_expired_applications()

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

    tasks.anonymise_expired_applications()  # running again changes nothing
    assert ActivityLog.objects.filter(action="applications.anonymised").count() == 1
