"""The export job moved from ``applications`` to ``organisations`` without moving a row: jobs
written at the state before the move are read afterwards through ``organisations.models`` with
the same ids, files and states, the shared life cycle takes them up, and the content type now
says ``organisations``."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scopes_disabled

from organisations import jobs
from organisations.models import ActivityLog, ExportJob
from tests.factories.organisations import UserFactory
from tests.factories.programmes import RoundFactory

BEFORE = [("applications", "0006_export_job_attempts_and_heartbeat")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_jobs_written_before_the_move_are_read_through_organisations_after_it():
    with scopes_disabled():
        round_ = RoundFactory()
        coordinator = UserFactory()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert "exportjob" not in old.all_models["organisations"]  # not yet moved at that state
    OldExportJob = old.get_model("applications", "ExportJob")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldActivityLog = old.get_model("organisations", "ActivityLog")
    # Going back relabelled the content type too: the old state names it under applications.
    old_type = OldContentType.objects.get(app_label="applications", model="exportjob")
    assert not OldContentType.objects.filter(app_label="organisations", model="exportjob").exists()

    now = timezone.now()
    done = OldExportJob.objects.create(
        tenant_id=round_.tenant_id,
        round_id=round_.pk,
        kind="dossier",
        requested_by_id=coordinator.pk,
        status="done",
        progress=12,
        total=12,
        file="exports/2026/03/dossier-x.pdf",
        attempts=1,
        finished_at=now,
        expires_at=now + timezone.timedelta(hours=24),
    )
    stuck = OldExportJob.objects.create(
        tenant_id=round_.tenant_id,
        round_id=round_.pk,
        kind="report",
        requested_by_id=coordinator.pk,
        status="running",
        progress=3,
        total=7,
        attempts=1,
        heartbeat_at=now - timezone.timedelta(hours=1),
    )
    log = OldActivityLog.objects.create(
        tenant_id=round_.tenant_id,
        action="applications.exported",
        content_type=old_type,
        object_id=str(done.pk),
        object_repr="x",
    )

    _migrate(latest)
    ContentType.objects.clear_cache()

    with scopes_disabled():
        rows = {job.pk: job for job in ExportJob.objects.all()}
        assert set(rows) == {done.pk, stuck.pk}
        moved = rows[done.pk]
        assert (moved.kind, moved.status, moved.progress, moved.total, moved.attempts) == (
            ExportJob.Kind.DOSSIER,
            ExportJob.Status.DONE,
            12,
            12,
            1,
        )
        assert moved.file.name == "exports/2026/03/dossier-x.pdf"
        assert (moved.round, moved.tenant, moved.requested_by) == (
            round_,
            round_.tenant,
            coordinator,
        )
        # The shared life cycle reads the moved rows: the dead report is found stuck.
        assert jobs.is_stuck(rows[stuck.pk]) and not jobs.is_stuck(moved)

        # The same content type row, now labelled organisations: the log row finds the job.
        assert ContentType.objects.get_for_model(ExportJob).pk == old_type.pk
        assert ContentType.objects.get(pk=old_type.pk).app_label == "organisations"
        row = ActivityLog.objects.get(pk=log.pk)
        assert row.content_type.model_class() is ExportJob
        assert row.content_type.get_object_for_this_type(pk=row.object_id) == moved
        assert not ContentType.objects.filter(app_label="applications", model="exportjob").exists()


def test_the_model_keeps_its_table():
    assert ExportJob._meta.db_table == "applications_exportjob"
    assert ExportJob._meta.app_label == "organisations"
