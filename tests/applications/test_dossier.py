"""The matching dossier: a background job with progress, an expiring download, access
re-checked in the job. One test runs it on a real Celery worker against the test Redis."""

import html
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from applications import exports, tasks
from applications.models import Application
from organisations import jobs
from organisations import tasks as job_tasks
from organisations.models import ActivityLog, ExportJob, Membership
from programmes.models import ParticipantRole, Round
from tests.applications import exports_world
from tests.applications.exports_world import (
    FOREIGN_NAME,
    SECRET_NOTE,
    client_for,
    exports_logged,
    pdf_text,
)
from tests.factories.applications import ApplicationFactory, ExportJobFactory
from tests.factories.organisations import MembershipFactory, TenantFactory
from tests.factories.programmes import RoundFactory

world = exports_world.world  # the fixture
Stage = Application.Stage


def dossier_url(w, round_=None):
    return reverse(
        "applications:dossier", kwargs={"tenant": w.tenant.slug, "round_pk": (round_ or w.round).pk}
    )


def job_url(tenant, job, name="job_status"):
    return reverse(f"applications:{name}", kwargs={"tenant": tenant.slug, "pk": job.pk})


def run_job(job):
    """What the worker does (eagerly, in this process)."""
    tasks.make_dossier(job_id=job.pk)
    job.refresh_from_db()
    return job


@pytest.fixture
def done_job(world):
    job = run_job(ExportJobFactory(round=world.round, requested_by=world.coordinator))
    assert job.status == ExportJob.Status.DONE, job.error
    yield job
    job.file.delete(save=False)


# --- the job ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_post_starts_the_job_after_commit_and_the_dossier_has_everyone(
    world, django_capture_on_commit_callbacks
):
    client = client_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(dossier_url(world))
    assert len(callbacks) == 1
    job = ExportJob.objects.get(tenant=world.tenant)
    assert response.status_code == 302
    assert response.url == job_url(world.tenant, job)
    assert job.status == ExportJob.Status.DONE, job.error
    assert (job.progress, job.total) == (2, 2)  # Åsa and Gunnar are accepted
    assert job.requested_by == world.coordinator
    assert abs(job.expires_at - (timezone.now() + timedelta(hours=24))) < timedelta(minutes=1)

    text = pdf_text(job.file.read())
    job.file.close()
    for expected in (
        "Matching dossier",
        "Omgång 7",
        "1 accepted mentor",
        "1 accepted adept",
        "Åsa Öberg",
        "Östersunds kommun",
        "Enhetschef äldreomsorg",
        "Ledarskap i förändring, Att leda chefer",
        "Mod att fatta svåra beslut",
        "Gunnar Grannsson",
        "Grannkommunen",
        "Manager of managers",
        SECRET_NOTE,
    ):
        assert expected in text, f"{expected!r} missing from the dossier"
    # Mentors first in the summary and in the sections; only accepted people.
    assert text.index("Gunnar Grannsson") < text.index("Åsa Öberg")
    assert "HYPERLINK" not in text and "Dragan" not in text
    assert FOREIGN_NAME not in text
    assert exports_logged(world.tenant) == [
        {"format": "pdf", "kind": "dossier", "count": 2, "job": job.pk}
    ]
    job.file.delete(save=False)


@pytest.mark.django_db
def test_a_second_click_follows_the_running_job(world, django_capture_on_commit_callbacks):
    running = ExportJobFactory(
        round=world.round, requested_by=world.coordinator, status=ExportJob.Status.RUNNING
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(world.coordinator).post(dossier_url(world))
    assert response.url == job_url(world.tenant, running)
    assert callbacks == []
    assert ExportJob.objects.filter(tenant=world.tenant).count() == 1
    # A job that has been "running" for hours died with its worker: a new one may start.
    ExportJob.objects.filter(pk=running.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(world.coordinator).post(dossier_url(world))
    assert len(callbacks) == 1
    assert ExportJob.objects.filter(tenant=world.tenant).count() == 2


@pytest.mark.django_db
def test_job_rechecks_that_the_requester_is_still_a_coordinator(world):
    former = MembershipFactory(tenant=world.tenant, is_coordinator=True, user__language="en").user
    job = ExportJobFactory(round=world.round, requested_by=former)
    Membership.objects.filter(tenant=world.tenant, user=former).update(is_coordinator=False)
    job = run_job(job)
    assert job.status == ExportJob.Status.FAILED
    assert "no longer a coordinator" in job.error
    assert not job.file
    assert exports_logged(world.tenant) == []


@pytest.mark.django_db
def test_job_of_someone_from_another_tenant_fails(world):
    job = run_job(ExportJobFactory(round=world.round, requested_by=world.other_member))
    assert job.status == ExportJob.Status.FAILED
    assert not job.file


def pass_time(job, minutes):
    """As if ``minutes`` had passed since the job was asked for, last tried and last moved."""
    delta = timedelta(minutes=minutes)
    job.refresh_from_db()
    fields = {"created_at": job.created_at - delta}
    for name in ("next_attempt_at", "heartbeat_at"):
        if getattr(job, name):
            fields[name] = getattr(job, name) - delta
    ExportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_failure_is_tried_again_then_recorded_with_a_plain_message(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    media_root, settings.MEDIA_ROOT = settings.MEDIA_ROOT, str(blocker)  # cannot be saved
    job = run_job(ExportJobFactory(round=world.round, requested_by=world.coordinator))
    # The first failure is tried again after a minute, the second after two more.
    assert (job.status, job.attempts) == (ExportJob.Status.PENDING, 1)
    assert job.next_attempt_at > timezone.now()
    assert job_tasks.drain_export_jobs() == 0  # not due yet
    assert job_tasks.drain_export_jobs() == 0
    for attempts in (2, 3):
        pass_time(job, 2 ** (attempts - 1))
        assert job_tasks.drain_export_jobs() == 1  # handed over and (eagerly) tried again
        job.refresh_from_db()
        assert job.attempts == attempts
    assert job.status == ExportJob.Status.FAILED
    assert job.error.startswith("The dossier could not be made. Try again")
    assert "Traceback" not in job.error and "Errno" not in job.error
    assert job.finished_at is not None
    pass_time(job, 60)
    assert job_tasks.drain_export_jobs() == 0  # failed for good: not tried for ever

    # The page says so and offers "Start again", which makes the dossier anew.
    client = client_for(world.coordinator)
    content = html.unescape(client.get(job_url(world.tenant, job)).content.decode())
    assert "This job has failed." in content and job.error in content
    assert "hx-trigger" not in content
    again = job_url(world.tenant, job, "job_start_again")
    assert f'action="{again}"' in content and "Start again" in content
    settings.MEDIA_ROOT = media_root
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(again)
    new = ExportJob.objects.filter(tenant=world.tenant).latest("pk")
    assert new.pk != job.pk
    assert response.status_code == 302 and response.url == job_url(world.tenant, new)
    assert (new.status, new.requested_by, new.attempts) == (
        ExportJob.Status.DONE,
        world.coordinator,
        1,
    )
    assert "The dossier is ready" in client.get(response.url).content.decode()
    assert exports_logged(world.tenant, "applications.export_started_again") == [
        {"kind": "dossier", "job": job.pk, "new_job": new.pk, "created": True}
    ]
    new.file.delete(save=False)


@pytest.mark.django_db
def test_a_job_delivered_twice_is_made_once(world, done_job):
    first_file = done_job.file.name
    again = run_job(done_job)
    assert again.file.name == first_file
    assert len(exports_logged(world.tenant)) == 1


@pytest.mark.django_db
def test_the_job_runs_in_the_tenants_scope_and_language(world):
    world.coordinator.language = "sv"
    world.coordinator.save()
    job = run_job(ExportJobFactory(round=world.round, requested_by=world.coordinator))
    text = pdf_text(job.file.read())
    job.file.close()
    assert "Chef över chefer" in text  # Gunnar's level, in the requester's language
    assert "Manager of managers" not in text
    job.file.delete(save=False)


@pytest.mark.django_db
def test_an_empty_round_gives_a_dossier_that_says_so(world):
    empty = RoundFactory(programme=world.round.programme)
    job = run_job(ExportJobFactory(round=empty, requested_by=world.coordinator))
    assert job.status == ExportJob.Status.DONE
    assert (job.progress, job.total) == (0, 0)
    assert "no accepted mentors or adepts" in pdf_text(job.file.read())
    job.file.close()
    job.file.delete(save=False)


# --- the life cycle: lost tasks, dead workers, races -----------------------------------------


def made_files(tenant, round_):
    """The dossier files written for the round (each attempt that got so far writes one)."""
    return sorted(
        Path(settings.MEDIA_ROOT).glob(f"exports/*/*/dossier-{tenant.slug}-{round_.pk}-*.pdf")
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_a_job_left_running_by_a_killed_worker_is_made_again_by_the_drain(world, media):
    # Arrange: a worker took the job, laid out some people and was killed 11 minutes ago.
    job = ExportJobFactory(
        round=world.round,
        requested_by=world.coordinator,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        progress=1,
        total=2,
        heartbeat_at=timezone.now() - timedelta(minutes=9),
    )
    assert job_tasks.drain_export_jobs() == 0  # it may still be working
    tasks.make_dossier(job_id=job.pk)  # and a task delivered again meanwhile does not take it
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.RUNNING, 1)
    pass_time(job, 2)
    assert job_tasks.drain_export_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.total) == (
        ExportJob.Status.DONE,
        2,
        2,
        2,
    )
    assert made_files(world.tenant, world.round) == [Path(job.file.path)]
    assert len(exports_logged(world.tenant)) == 1
    assert job_tasks.drain_export_jobs() == 0


@pytest.mark.django_db
def test_a_worker_that_was_thought_dead_stops_and_keeps_nothing(world, media):
    slow = jobs.claim(
        job=ExportJobFactory(round=world.round, requested_by=world.coordinator),
        kind=ExportJob.Kind.DOSSIER,
    )
    progress = jobs.JobProgress(slow)
    progress.start(2)
    pass_time(slow, 11)
    assert job_tasks.drain_export_jobs() == 1  # made again by another worker
    slow.refresh_from_db()
    assert (slow.status, slow.attempts) == (ExportJob.Status.DONE, 2)
    with pytest.raises(jobs.JobLost):
        progress.update(1, force=True)
    # The slow worker finishing anyway changes nothing and leaves no second file.
    with scope(tenant=world.tenant):
        pdf = jobs.run_pdf_job(
            job=slow,
            kind=ExportJob.Kind.DOSSIER,
            build=lambda job, progress: (b"%PDF-late", {}),
            keep=timedelta(hours=1),
            action="applications.exported",
            refused="",
            failed="",
        )
    assert pdf.attempts == 2 and pdf.status == ExportJob.Status.DONE
    assert made_files(world.tenant, world.round) == [Path(pdf.file.path)]
    assert len(exports_logged(world.tenant)) == 1


@pytest.mark.django_db
def test_a_job_interrupted_on_every_attempt_fails_with_the_reason(world):
    job = ExportJobFactory(
        round=world.round,
        requested_by=world.coordinator,
        status=ExportJob.Status.RUNNING,
        attempts=3,
        heartbeat_at=timezone.now() - timedelta(minutes=11),
    )
    assert job_tasks.drain_export_jobs() == 0
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error.startswith("The file could not be made: the work was interrupted 3 times.")
    assert not job.file
    content = client_for(world.coordinator).get(job_url(world.tenant, job)).content.decode()
    assert "This job has failed." in content and "interrupted 3 times" in content
    assert job_url(world.tenant, job, "job_start_again") in content


@pytest.mark.django_db
def test_a_job_nobody_took_for_a_day_is_given_up(world):
    job = ExportJobFactory(round=world.round, requested_by=world.coordinator)
    pass_time(job, 25 * 60)
    assert job_tasks.drain_export_jobs() == 0
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "never started" in job.error


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stuck",
    [
        {"status": ExportJob.Status.PENDING, "minutes": 2},  # its task was lost
        {"status": ExportJob.Status.RUNNING, "minutes": 11, "attempts": 1},  # its worker died
    ],
    ids=["pending", "running"],
)
def test_asking_again_replaces_a_stuck_job(world, stuck, django_capture_on_commit_callbacks):
    minutes = stuck.pop("minutes")
    old = ExportJobFactory(
        round=world.round, requested_by=world.coordinator, heartbeat_at=timezone.now(), **stuck
    )
    pass_time(old, minutes)
    client = client_for(world.coordinator)
    assert (
        "The work seems to have stopped" in client.get(job_url(world.tenant, old)).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(dossier_url(world))
    new = ExportJob.objects.filter(tenant=world.tenant).latest("pk")
    assert new.pk != old.pk
    assert response.url == job_url(world.tenant, new)
    assert new.status == ExportJob.Status.DONE, new.error
    old.refresh_from_db()
    assert old.status == ExportJob.Status.FAILED
    assert "replaced by a newer one" in old.error
    # The replaced job's task, should it still arrive, does nothing.
    assert run_job(old).status == ExportJob.Status.FAILED and not old.file
    new.file.delete(save=False)


@pytest.mark.django_db
def test_a_long_job_that_still_moves_is_followed_not_replaced(world):
    job = ExportJobFactory(
        round=world.round,
        requested_by=world.coordinator,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now(),
    )
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=2))
    response = client_for(world.coordinator).post(dossier_url(world))
    assert response.url == job_url(world.tenant, job)
    assert ExportJob.objects.filter(tenant=world.tenant).count() == 1


@pytest.mark.django_db
def test_start_again_is_only_for_a_failed_or_stuck_job(world, done_job):
    client = client_for(world.coordinator)
    response = client.post(job_url(world.tenant, done_job, "job_start_again"), follow=True)
    assert response.redirect_chain[-1][0] == job_url(world.tenant, done_job)
    assert "nothing to start again" in response.content.decode()
    assert ExportJob.objects.filter(tenant=world.tenant).count() == 1
    # GET does nothing.
    assert client.get(job_url(world.tenant, done_job, "job_start_again")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_hand_the_job_over_once(world, media):
    job = ExportJobFactory(round=world.round, requested_by=world.coordinator)
    pass_time(job, 2)  # its task was lost (the broker was down)
    handed = race(job_tasks.drain_export_jobs, job_tasks.drain_export_jobs)
    assert sorted(handed) == [0, 1]
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 1)
    assert made_files(world.tenant, world.round) == [Path(job.file.path)]
    assert len(exports_logged(world.tenant)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_delivered_twice_at_once_makes_the_job_once(world, media):
    job = ExportJobFactory(round=world.round, requested_by=world.coordinator)
    race(*[partial(tasks.make_dossier, job_id=job.pk)] * 2)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 1)
    assert made_files(world.tenant, world.round) == [Path(job.file.path)]
    assert len(exports_logged(world.tenant)) == 1


def race(*calls):
    """Run the calls in threads that start together; their results, in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(number, call):
        try:
            barrier.wait(10)
            results[number] = call()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def test_the_drain_runs_every_minute(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["drain-export-jobs"]
    assert schedule == {"task": "organisations.tasks.drain_export_jobs", "schedule": 60}
    assert job_tasks.drain_export_jobs.name == schedule["task"]


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_isolation_of_the_pages(world, done_job):
    foreign_job = ExportJobFactory(round=world.foreign_round, requested_by=world.other_member)
    urls = [
        dossier_url(world),
        job_url(world.tenant, done_job),
        job_url(world.tenant, done_job, "job_download"),
    ]
    for url in urls:
        response = client_for().get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
        for outsider in (world.other_member, world.stranger):
            assert client_for(outsider).get(url).status_code == 404, url
        assert client_for(world.hr_contact).get(url).status_code == 403, url
    assert client_for(world.hr_contact).post(dossier_url(world)).status_code == 403
    # "Start again" (POST) on a failed dossier: nobody but a coordinator of the tenant.
    failed = ExportJobFactory(
        round=world.round, requested_by=world.coordinator, status=ExportJob.Status.FAILED
    )
    again = job_url(world.tenant, failed, "job_start_again")
    response = client_for().post(again)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    for outsider in (world.other_member, world.stranger):
        assert client_for(outsider).post(again).status_code == 404
    assert client_for(world.hr_contact).post(again).status_code == 403
    assert (
        client_for(world.coordinator)
        .post(job_url(world.tenant, foreign_job, "job_start_again"))
        .status_code
        == 404
    )
    assert ExportJob.objects.filter(tenant=world.tenant).count() == 2  # nothing started
    failed.delete()
    coordinator = client_for(world.coordinator)
    assert coordinator.get(dossier_url(world, world.foreign_round)).status_code == 404
    assert coordinator.post(dossier_url(world, world.foreign_round)).status_code == 404
    assert coordinator.get(job_url(world.tenant, foreign_job)).status_code == 404
    assert coordinator.get(job_url(world.tenant, foreign_job, "job_download")).status_code == 404
    # The other tenant's coordinator cannot fetch our job through their own tenant either.
    other = client_for(world.other_member)
    assert other.get(job_url(world.other_tenant, done_job, "job_download")).status_code == 404
    assert ExportJob.objects.filter(tenant=world.tenant).count() == 1


@pytest.mark.django_db
def test_dossier_page_lists_the_latest_jobs(world, done_job):
    response = client_for(world.coordinator).get(dossier_url(world))
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 accepted mentor" in content and "1 accepted adept" in content
    assert job_url(world.tenant, done_job, "job_download") in content
    assert 'method="post"' in content


@pytest.mark.django_db
def test_status_page_polls_while_running_and_stops_when_done(world):
    job = ExportJobFactory(
        round=world.round,
        requested_by=world.coordinator,
        status=ExportJob.Status.RUNNING,
        progress=3,
        total=12,
    )
    client = client_for(world.coordinator)
    response = client.get(job_url(world.tenant, job))
    content = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{job_url(world.tenant, job)}"' in content
    assert 'hx-trigger="every 2s"' in content
    assert "3 of 12 people" in content
    assert 'max="12"' in content and 'value="3"' in content  # the <progress> bar
    # htmx asks for the fragment only.
    fragment = client.get(job_url(world.tenant, job), HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert 'id="job-progress"' in fragment.content.decode()

    # That worker dies; the task, delivered again once the job has gone quiet, makes it.
    job = run_job(pass_time(job, 11))
    fragment = client.get(job_url(world.tenant, job), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment
    assert job_url(world.tenant, job, "job_download") in fragment
    job.file.delete(save=False)


@pytest.mark.django_db
def test_status_page_shows_a_failure(world):
    job = ExportJobFactory(
        round=world.round,
        requested_by=world.coordinator,
        status=ExportJob.Status.FAILED,
        error="Det gick inte.",
    )
    content = client_for(world.coordinator).get(job_url(world.tenant, job)).content.decode()
    assert "Det gick inte." in content
    assert "hx-trigger" not in content


@pytest.mark.django_db
def test_download(world, done_job):
    response = client_for(world.coordinator).get(job_url(world.tenant, done_job, "job_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "matching-dossier-omgang-7-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert "Åsa Öberg" in pdf_text(body)
    logged = exports_logged(world.tenant, "applications.export_downloaded")
    assert logged == [{"format": "pdf", "kind": "dossier", "job": done_job.pk}]


@pytest.mark.django_db
def test_any_coordinator_of_the_tenant_may_download(world, done_job):
    colleague = MembershipFactory(tenant=world.tenant, is_coordinator=True).user
    response = client_for(colleague).get(job_url(world.tenant, done_job, "job_download"))
    assert response.status_code == 200
    response.close()


@pytest.mark.django_db
def test_an_expired_download_is_gone(world, done_job):
    done_job.expires_at = timezone.now() - timedelta(seconds=1)
    done_job.save()
    response = client_for(world.coordinator).get(job_url(world.tenant, done_job, "job_download"))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert exports_logged(world.tenant, "applications.export_downloaded") == []


@pytest.mark.django_db
def test_an_unfinished_job_has_nothing_to_download(world):
    job = ExportJobFactory(round=world.round, requested_by=world.coordinator)
    assert (
        client_for(world.coordinator).get(job_url(world.tenant, job, "job_download")).status_code
        == 404
    )


@pytest.mark.django_db
def test_expired_files_are_purged(world, done_job):
    path = done_job.file.path
    assert os.path.exists(path)
    assert job_tasks.purge_expired_exports() == 0
    ExportJob.objects.filter(pk=done_job.pk).update(expires_at=timezone.now())
    assert job_tasks.purge_expired_exports() == 1
    done_job.refresh_from_db()
    assert not done_job.file
    assert not os.path.exists(path)


@pytest.mark.django_db
def test_dossier_queries_do_not_grow_with_the_people(world):
    def queries():
        job = ExportJobFactory(round=world.round, requested_by=world.coordinator)
        with CaptureQueriesContext(connection) as ctx, scope(tenant=world.tenant):
            exports.build_dossier(job=job)
        job.refresh_from_db()
        job.file.delete(save=False)
        # Progress updates are the only queries allowed per person (at most one each).
        return len(
            [q for q in ctx.captured_queries if 'UPDATE "applications_exportjob"' not in q["sql"]]
        )

    queries()  # warm the caches (content types)
    small = queries()
    for _ in range(8):
        ApplicationFactory(
            round=world.round,
            stage=Stage.ACCEPTED,
            themes=world.themes,
            role=ParticipantRole.MENTOR,
        )
    assert queries() == small


# --- a real worker ----------------------------------------------------------------------------


def _database_url():
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker_env():
    """Extra environment for the worker; a test module overrides this fixture to add some."""
    return {}


@pytest.fixture
def celery_worker(transactional_db, settings, tmp_path, celery_worker_env):
    """A real worker (``celery -A mentorship worker --pool=solo``) on this test process's own
    queue, connected to this test database; the test process sends its tasks to Redis."""
    from mentorship.celery import app

    queue = app.conf.task_default_queue
    assert queue.startswith("test-"), "mentorship.settings.test names a queue per process"
    # Read before changing Django's settings: Celery loads its configuration lazily from them,
    # so reading it afterwards would "restore" the non-eager value for every later test.
    was_eager = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentorship.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_EAGER": "0",
        "CELERY_QUEUE": queue,
        **celery_worker_env,
    }
    log_path = tmp_path / "celery-worker.log"
    with open(log_path, "wb") as log:  # the worker keeps its own copy of the handle
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mentorship",
                "worker",
                "--pool=solo",
                "-l",
                "warning",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker.log_path = log_path

    yield worker

    app.conf.task_always_eager = was_eager
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


def _worker_log(worker):
    with open(worker.log_path, encoding="utf-8", errors="replace") as handle:
        return handle.read()[-4000:]


def test_dossier_on_a_real_worker(celery_worker):
    tenant = TenantFactory()
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en").user
    round_ = RoundFactory(programme__tenant=tenant, status=Round.Status.MATCHING)
    for name, role in (
        ("Åke Ärlig", ParticipantRole.MENTOR),
        ("Örjan Ödmjuk", "adept"),
        ("Bo Ström", "adept"),
    ):
        ApplicationFactory(round=round_, full_name=name, role=role, stage=Stage.ACCEPTED)
    ApplicationFactory(round=round_, full_name="Inte Antagen", stage=Stage.SUBMITTED)

    response = client_for(coordinator).post(
        reverse("applications:dossier", kwargs={"tenant": tenant.slug, "round_pk": round_.pk})
    )
    assert response.status_code == 302
    job = ExportJob.objects.get(tenant=tenant)
    # Not made in this process: the request only queued it (the worker is still starting).
    assert job.status == ExportJob.Status.PENDING

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            break
        assert celery_worker.poll() is None, f"the worker died:\n{_worker_log(celery_worker)}"
        time.sleep(0.3)
    assert job.status == ExportJob.Status.DONE, (
        f"job {job.status} {job.error!r}\n{_worker_log(celery_worker)}"
    )
    assert (job.progress, job.total) == (3, 3)
    text = pdf_text(job.file.read())
    job.file.close()
    for name in ("Åke Ärlig", "Örjan Ödmjuk", "Bo Ström"):
        assert name in text
    assert "Inte Antagen" not in text
    assert (
        ActivityLog.objects.filter(
            tenant=tenant, action="applications.exported", actor=coordinator
        ).count()
        == 1
    )

    # The page shows it ready, and the file downloads.
    client = client_for(coordinator)
    status = client.get(job_url(tenant, job)).content.decode()
    assert "The dossier is ready" in status
    download = client.get(job_url(tenant, job, "job_download"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    job.file.delete(save=False)


@contextmanager
def broker_down(settings):
    """Celery publishes to a Redis that is not there, until the block ends (as in production
    when Redis is down and then back); see tests/organisations/test_outbox.py."""
    from mentorship.celery import app

    was_eager = app.conf.task_always_eager  # read before changing Django's settings
    was_url = app.conf.broker_url
    was_pool, was_producers = app._pool, app.amqp._producer_pool
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.broker_url = was_url
        app.conf.task_always_eager = was_eager
        app._pool, app.amqp._producer_pool = was_pool, was_producers


def wait_for(job, worker):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            break
        assert worker.poll() is None, f"the worker died:\n{_worker_log(worker)}"
        time.sleep(0.3)
    assert job.status == ExportJob.Status.DONE, (
        f"job {job.status} {job.error!r}\n{_worker_log(worker)}"
    )
    return job


def test_a_dossier_asked_for_with_the_broker_down_is_made_once_it_is_back(celery_worker, settings):
    tenant = TenantFactory()
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en").user
    round_ = RoundFactory(programme__tenant=tenant, status=Round.Status.MATCHING)
    ApplicationFactory(round=round_, full_name="Åke Ärlig", stage=Stage.ACCEPTED)
    url = reverse("applications:dossier", kwargs={"tenant": tenant.slug, "round_pk": round_.pk})

    with broker_down(settings):
        started = time.monotonic()
        response = client_for(coordinator).post(url)
        assert response.status_code == 302
        assert time.monotonic() - started < 3, "the page must not hang on the broker"
        job = ExportJob.objects.get(tenant=tenant)
        assert response.url == job_url(tenant, job)
        # Asking again while the task may yet come follows the same job.
        assert client_for(coordinator).post(url).url == job_url(tenant, job)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.PENDING, 0)  # the task was lost

    # The broker is back: the drain hands the job to the worker after its grace.
    assert job_tasks.drain_export_jobs() == 0
    pass_time(job, 2)
    assert job_tasks.drain_export_jobs() == 1
    job = wait_for(job, celery_worker)
    assert (job.attempts, job.total) == (1, 1)
    assert "Åke Ärlig" in pdf_text(job.file.read())
    job.file.close()
    assert job_tasks.drain_export_jobs() == 0
    assert "The dossier is ready" in client_for(coordinator).get(response.url).content.decode()
    job.file.delete(save=False)


def test_tasks_go_to_this_test_processes_own_queue():
    from mentorship.celery import app

    assert app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE
    assert app.conf.task_default_queue.startswith("test-")


@pytest.mark.django_db
def test_the_dossier_is_tagged_and_its_page_numbers_run_through(world, done_job):
    """A tagged PDF (headings, tables for a screen reader) with the round's title and the
    requester's language; the page numbers run 1, 2, 3… over all people (each person is laid
    out on their own, and used to start again at 1)."""
    from tests.pdf_checks import assert_accessible_pdf, page_texts

    with done_job.file.open("rb") as handle:
        content = handle.read()
    assert_accessible_pdf(content, title=f"Matching dossier: {world.round}", language="en")
    pages = page_texts(content)
    assert len(pages) >= 3  # the summary, then Åsa and Gunnar
    for number, text in enumerate(pages, start=1):
        last_line = [line for line in text.splitlines() if line.strip()][-1]
        assert last_line.split()[-1] == str(number), (number, last_line)
