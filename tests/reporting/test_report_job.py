"""The round report as a PDF: a background job with progress, in the requester's language, an
expiring download, access re-checked in the job; the seed-002 demo report read back with
pdftotext; one run on a real Celery worker."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from organisations.models import ActivityLog, ExportJob, Membership
from organisations.tasks import drain_export_jobs
from programmes.models import Round
from reporting import reports, statistics, tasks
from tests.applications import test_dossier
from tests.applications.exports_world import client_for, pdf_text
from tests.factories.applications import ExportJobFactory
from tests.factories.organisations import MembershipFactory, TenantFactory
from tests.reporting import test_report_world
from tests.reporting.test_report_world import (
    HIDDEN_QUOTE,
    PRIVATE_END_NOTE,
    QUOTE,
    build_round,
)

REPORT = ExportJob.Kind.ROUND_REPORT
report_world = test_report_world.report_world  # the fixtures
celery_worker = test_dossier.celery_worker
celery_worker_env = test_dossier.celery_worker_env
_worker_log = test_dossier._worker_log
pass_time = test_dossier.pass_time


def start_url(w, round_=None):
    return reverse(
        "reports:start", kwargs={"tenant": w.tenant.slug, "round_pk": (round_ or w.round).pk}
    )


def job_url(tenant, job, name="job_status"):
    return reverse(f"reports:{name}", kwargs={"tenant": tenant.slug, "pk": job.pk})


def report_job(w, **kwargs):
    return ExportJobFactory(round=w.round, requested_by=w.coordinator, kind=REPORT, **kwargs)


def run_job(job):
    """What the worker does (eagerly, in this process)."""
    tasks.make_round_report(job_id=job.pk)
    job.refresh_from_db()
    return job


def read(job):
    with job.file.open("rb") as handle:
        return pdf_text(handle.read())


def logged(tenant, action):
    return list(
        ActivityLog.objects.filter(tenant=tenant, action=action)
        .order_by("id")
        .values_list("data", flat=True)
    )


@pytest.fixture
def done_job(report_world):
    job = run_job(report_job(report_world))
    assert job.status == ExportJob.Status.DONE, job.error
    yield job
    job.file.delete(save=False)


# --- the job ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_post_starts_the_job_and_the_report_has_every_section(
    report_world, django_capture_on_commit_callbacks
):
    w = report_world
    w.round.report_conclusions = "Hög relevans.\n\nFörutsättningarna för bärkraft är goda."
    w.round.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(w.coordinator).post(start_url(w))
    assert len(callbacks) == 1
    job = ExportJob.objects.get(tenant=w.tenant)
    assert response.status_code == 302
    assert response.url == job_url(w.tenant, job)
    assert (job.kind, job.status, job.requested_by) == (
        REPORT,
        ExportJob.Status.DONE,
        w.coordinator,
    )
    assert job.progress == job.total == 6  # five sections and the layout
    assert abs(job.expires_at - (timezone.now() + timedelta(hours=24))) < timedelta(minutes=1)

    text = read(job)
    flat = " ".join(text.split())
    for expected in (
        "Round report",
        "Chefsmentorskap · Omgång 1",
        "The programme",
        "Participation",
        "Applications 4 6 10",
        "Nominated by their organisation 2 3 5",
        "Accepted 3 5 8",
        "Participants 3 5 8",
        "Pairs that completed the programme 3",
        "Pairs that ended early 2",
        "Changed job 1",
        "Shared meeting days",
        "2025-01-15 Uppstart Everyone 8 6 5 (62 %)",
        "Pair meetings",
        "Pairs that reached the minimum 2 of 5 (40 %)",
        "4 or more 2 40 %",
        "Evaluation",
        "Slututvärdering 2025",
        "Response rate: 75 %.",
        "Relevance",
        "Svarade programmet mot ett behov du hade?",
        "6 answers, mean 4.3",
        "Parets träffar 4",
        "Goal fulfilment",
        QUOTE,
        "Fewer than 3 people answered: the results are not shown.",
        "The participants' own goals",
        "Reached 4 2 2",
        "Conclusions",
        "Förutsättningarna för bärkraft är goda.",
    ):
        assert expected in flat, f"{expected!r} missing from the report"
    for secret in (HIDDEN_QUOTE, PRIVATE_END_NOTE, w.participant.full_name, "Främmande omgång"):
        assert secret not in flat, secret
    # The page folds each chart's table under "Show table"; the PDF prints them all in full
    # (the rows above) with nothing to click.
    assert "Show table" not in flat and "On this page" not in flat
    assert logged(w.tenant, reports.REPORT_EXPORTED) == [
        {"format": "pdf", "kind": "report", "job": job.pk}
    ]
    job.file.delete(save=False)


@pytest.mark.django_db
def test_the_report_is_in_the_requesters_language(report_world):
    w = report_world
    w.coordinator.language = "sv"
    w.coordinator.save()
    job = run_job(report_job(w))
    text = " ".join(read(job).split())
    assert "Har bytt jobb 1" in text  # the end reason, in Swedish
    assert "Changed job" not in text
    job.file.delete(save=False)


@pytest.mark.django_db
def test_a_second_click_follows_the_running_job(report_world, django_capture_on_commit_callbacks):
    w = report_world
    running = report_job(w, status=ExportJob.Status.RUNNING)
    # A dossier being made for the round is another matter.
    ExportJobFactory(round=w.round, requested_by=w.coordinator, status=ExportJob.Status.RUNNING)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(w.coordinator).post(start_url(w))
    assert response.url == job_url(w.tenant, running)
    assert callbacks == []
    ExportJob.objects.filter(pk=running.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(w.coordinator).post(start_url(w))
    assert len(callbacks) == 1
    assert ExportJob.objects.filter(tenant=w.tenant, kind=REPORT).count() == 2


@pytest.mark.django_db
def test_job_rechecks_that_the_requester_is_still_a_coordinator(report_world):
    w = report_world
    former = MembershipFactory(tenant=w.tenant, is_coordinator=True, user__language="en").user
    job = ExportJobFactory(round=w.round, requested_by=former, kind=REPORT)
    Membership.objects.filter(tenant=w.tenant, user=former).update(is_coordinator=False)
    job = run_job(job)
    assert job.status == ExportJob.Status.FAILED
    assert "no longer a coordinator" in job.error
    assert not job.file
    assert logged(w.tenant, reports.REPORT_EXPORTED) == []


@pytest.mark.django_db
def test_a_failure_is_tried_again_then_recorded_with_a_plain_message(
    report_world, settings, tmp_path, django_capture_on_commit_callbacks
):
    w = report_world
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    media_root, settings.MEDIA_ROOT = settings.MEDIA_ROOT, str(blocker)  # cannot be saved
    job = run_job(report_job(w))
    assert (job.status, job.attempts) == (ExportJob.Status.PENDING, 1)
    content = client_for(w.coordinator).get(job_url(w.tenant, job)).content.decode()
    assert "Attempt 1 of 3 did not finish. It will be tried again automatically." in content
    for minutes in (1, 2):
        pass_time(job, minutes)
        assert drain_export_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.FAILED, 3)
    assert job.error.startswith("The report could not be made. Try again")
    assert "Traceback" not in job.error and "Errno" not in job.error

    client = client_for(w.coordinator)
    content = client.get(job_url(w.tenant, job)).content.decode()
    assert "This job has failed." in content
    again = job_url(w.tenant, job, "job_start_again")
    assert f'action="{again}"' in content
    settings.MEDIA_ROOT = media_root
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(again)
    new = ExportJob.objects.filter(tenant=w.tenant, kind=REPORT).latest("pk")
    assert new.pk != job.pk and response.url == job_url(w.tenant, new)
    assert new.status == ExportJob.Status.DONE, new.error
    assert "The report is ready." in client.get(response.url).content.decode()
    new.file.delete(save=False)


@pytest.mark.django_db
def test_asking_again_replaces_a_stuck_report(report_world, django_capture_on_commit_callbacks):
    w = report_world
    stuck = report_job(w, status=ExportJob.Status.RUNNING, attempts=1, heartbeat_at=timezone.now())
    pass_time(stuck, 11)  # its worker died
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(w.coordinator).post(start_url(w))
    new = ExportJob.objects.filter(tenant=w.tenant, kind=REPORT).latest("pk")
    assert new.pk != stuck.pk and response.url == job_url(w.tenant, new)
    assert new.status == ExportJob.Status.DONE, new.error
    stuck.refresh_from_db()
    assert stuck.status == ExportJob.Status.FAILED
    new.file.delete(save=False)


@pytest.mark.django_db
def test_the_drain_makes_a_report_whose_task_was_lost(report_world):
    job = report_job(report_world)
    pass_time(job, 2)
    assert drain_export_jobs() == 1  # the report's own task, not the dossier's
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 1), job.error
    assert "Participation" in read(job)
    job.file.delete(save=False)


@pytest.mark.django_db
def test_a_job_delivered_twice_is_made_once(report_world, done_job):
    first = done_job.file.name
    assert run_job(done_job).file.name == first
    assert len(logged(report_world.tenant, reports.REPORT_EXPORTED)) == 1


@pytest.mark.django_db
def test_the_task_leaves_a_dossier_job_alone(report_world):
    dossier = ExportJobFactory(round=report_world.round, requested_by=report_world.coordinator)
    tasks.make_round_report(job_id=dossier.pk)
    dossier.refresh_from_db()
    assert dossier.status == ExportJob.Status.PENDING and not dossier.file


@pytest.mark.django_db
def test_report_build_queries_do_not_grow_with_the_pairs(report_world):
    from tests.matching.factories import PairFactory

    w = report_world

    def queries():
        job = report_job(w)
        with CaptureQueriesContext(connection) as ctx, scope(tenant=w.tenant):
            reports.build_round_report(job=job)
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE, job.error
        job.file.delete(save=False)
        return len(
            [q for q in ctx.captured_queries if 'UPDATE "applications_exportjob"' not in q["sql"]]
        )

    queries()
    small = queries()
    for _ in range(6):
        PairFactory(round=w.round)
    assert queries() == small


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_isolation_of_the_job_pages(report_world, done_job):
    w = report_world
    foreign = ExportJobFactory(round=w.foreign.round, requested_by=w.other_member, kind=REPORT)
    dossier = ExportJobFactory(round=w.round, requested_by=w.coordinator)
    failed = report_job(w, status=ExportJob.Status.FAILED)
    for url in (job_url(w.tenant, done_job), job_url(w.tenant, done_job, "job_download")):
        response = client_for().get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
        for outsider in (w.other_member, w.stranger):
            assert client_for(outsider).get(url).status_code == 404, url
        assert client_for(w.hr_contact).get(url).status_code == 403, url
        assert client_for(w.participant).get(url).status_code in (403, 404), url
    # "Start again" (POST) on a failed report: nobody but a coordinator of the tenant.
    again = job_url(w.tenant, failed, "job_start_again")
    response = client_for().post(again)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    for outsider in (w.other_member, w.stranger):
        assert client_for(outsider).post(again).status_code == 404
    assert client_for(w.hr_contact).post(again).status_code == 403
    assert client_for(w.participant).post(again).status_code in (403, 404)
    assert ExportJob.objects.filter(tenant=w.tenant).count() == 3  # nothing started
    coordinator = client_for(w.coordinator)
    for job in (foreign, dossier):  # another tenant's report; a dossier is not a report
        assert coordinator.get(job_url(w.tenant, job)).status_code == 404
        assert coordinator.get(job_url(w.tenant, job, "job_download")).status_code == 404
        assert coordinator.post(job_url(w.tenant, job, "job_start_again")).status_code == 404
    assert ExportJob.objects.filter(tenant=w.tenant).count() == 3
    other = client_for(w.other_member)
    assert other.get(job_url(w.other_tenant, done_job, "job_download")).status_code == 404


@pytest.mark.django_db
def test_status_page_polls_while_running_and_offers_the_download_when_done(report_world):
    w = report_world
    job = report_job(w, status=ExportJob.Status.RUNNING, progress=2, total=6)
    client = client_for(w.coordinator)
    content = client.get(job_url(w.tenant, job)).content.decode()
    assert f'hx-get="{job_url(w.tenant, job)}"' in content
    assert 'hx-trigger="every 2s"' in content
    assert "Making the report: step 2 of 6." in content
    assert 'max="6"' in content and 'value="2"' in content
    fragment = client.get(job_url(w.tenant, job), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'id="job-progress"' in fragment

    # That worker dies; the task, delivered again once the job has gone quiet, makes it.
    job = run_job(pass_time(job, 11))
    fragment = client.get(job_url(w.tenant, job), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment
    assert "The report is ready." in fragment
    assert job_url(w.tenant, job, "job_download") in fragment
    page = client.get(reverse("reports:round", args=[w.tenant.slug, w.round.pk])).content.decode()
    assert job_url(w.tenant, job, "job_download") in page
    job.file.delete(save=False)


@pytest.mark.django_db
def test_status_page_shows_a_failure(report_world):
    job = report_job(report_world, status=ExportJob.Status.FAILED, error="Det gick inte.")
    content = client_for(report_world.coordinator).get(job_url(report_world.tenant, job))
    assert "Det gick inte." in content.content.decode()
    assert "hx-trigger" not in content.content.decode()


@pytest.mark.django_db
def test_download_is_logged_and_private(report_world, done_job):
    w = report_world
    response = client_for(w.coordinator).get(job_url(w.tenant, done_job, "job_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "round-report-omgang-1-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert "Participation" in pdf_text(body)
    assert logged(w.tenant, reports.REPORT_DOWNLOADED) == [
        {"format": "pdf", "kind": "report", "job": done_job.pk}
    ]


@pytest.mark.django_db
def test_an_expired_download_is_gone(report_world, done_job):
    done_job.expires_at = timezone.now() - timedelta(seconds=1)
    done_job.save()
    w = report_world
    response = client_for(w.coordinator).get(job_url(w.tenant, done_job, "job_download"))
    assert response.status_code == 410
    assert "reports are kept for 24 hours" in response.content.decode()
    assert logged(w.tenant, reports.REPORT_DOWNLOADED) == []


@pytest.mark.django_db
def test_an_unfinished_job_has_nothing_to_download(report_world):
    job = report_job(report_world)
    url = job_url(report_world.tenant, job, "job_download")
    assert client_for(report_world.coordinator).get(url).status_code == 404


# --- the seed-002 demo ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_002_demo_report():
    """``seed_demo``'s kvarnadalen (seed 002), round 1: 12 participants in 6 pairs from
    different municipalities, 7 shared days, the final evaluation with its quotes."""
    call_command("seed_demo", stdout=StringIO())
    with scopes_disabled():
        rounds = list(
            Round.objects.filter(tenant__slug="kvarnadalen")
            .select_related("tenant", "programme")
            .order_by("number")
        )
        coordinator = (
            Membership.objects.filter(tenant__slug="kvarnadalen", is_coordinator=True)
            .select_related("user")
            .first()
            .user
        )
        coordinator.language = "en"
        coordinator.save()
        job = ExportJobFactory(round=rounds[0], requested_by=coordinator, kind=REPORT)
    assert [r.name for r in rounds] == ["Omgång 1", "Omgång 2"]
    job = run_job(job)
    assert job.status == ExportJob.Status.DONE, job.error
    text = " ".join(read(job).split())
    job.file.delete(save=False)
    for expected in (
        "Round report",
        "Mentorsprogram för chefer i regionens kommuner · Omgång 1",
        "Kvarnådalens kommuner",
        "Participation",
        "Applications 6 6 12",
        "Accepted 6 6 12",
        "Participants 6 6 12",
        "Pairs 6 (at most 6)",
        "Pairs that completed the programme 6",
        "Pairs that ended early 0",
        "Shared meeting days",
        "The round had 7 shared meeting days.",
        "Uppstart Everyone 12",
        "Kärnkvadranten",
        "Skuggning som metod",
        "Domänteorin och avslutning",
        "Pair meetings",
        "Pairs by the number of meetings they logged",
        "Evaluation",
        "Relevance",
        "Implementation",
        "Goal fulfilment",
        "Selected quotes",
        "The participants' own goals",
        "Conclusions",
    ):
        assert expected in text, f"{expected!r} missing from the demo report"
    tenant = rounds[0].tenant
    with scope(tenant=tenant):
        surveys = reports.report_figures(tenant=tenant, round_=rounds[0])["surveys"]
    quotes = [
        quote["text"]
        for survey in surveys["surveys"]
        for group in survey["groups"]
        for question in group["texts"]
        for quote in question["quotes"]
    ]
    assert quotes, "the demo's final evaluation has free-text answers"
    for quote in quotes:
        assert " ".join(quote.split()) in text, quote
    assert f"Response rate: {surveys['surveys'][-1]['response_rate']} %." in text
    # And the programme's statistics: "22 managers in two rounds" (12 + 10).
    with scope(tenant=tenant):
        stats = statistics.programme_statistics(tenant=tenant, programme=rounds[0].programme)
    assert [(r["round"].name, r["participants"], r["pairs"]) for r in stats.rounds] == [
        ("Omgång 1", 12, 6),
        ("Omgång 2", 10, 5),
    ]
    assert (stats.total["participants"], stats.people) == (22, 22)
    assert len(stats.organisations) == 7


# --- a real worker ----------------------------------------------------------------------------


def test_report_on_a_real_worker(celery_worker):
    with scopes_disabled():
        tenant = TenantFactory()
        coordinator = MembershipFactory(
            tenant=tenant, is_coordinator=True, user__language="en"
        ).user
        built = build_round(tenant)
    response = client_for(coordinator).post(
        reverse("reports:start", kwargs={"tenant": tenant.slug, "round_pk": built.round.pk})
    )
    assert response.status_code == 302
    with scopes_disabled():
        job = ExportJob.objects.get(tenant=tenant, kind=REPORT)
    # Not made in this process: the request only queued it.
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
    text = " ".join(read(job).split())
    assert "Participants 3 5 8" in text and QUOTE in text
    client = client_for(coordinator)
    assert "The report is ready." in client.get(job_url(tenant, job)).content.decode()
    download = client.get(job_url(tenant, job, "job_download"))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    job.file.delete(save=False)


@pytest.mark.django_db
def test_the_report_is_a_tagged_pdf_with_title_and_language(report_world):
    from tests.pdf_checks import assert_accessible_pdf

    w = report_world
    job = run_job(report_job(w))
    with job.file.open("rb") as handle:
        content = handle.read()
    language = w.coordinator.language or "sv"
    word = "Round report" if language == "en" else "Omgångsrapport"
    assert_accessible_pdf(content, title=f"{word}: {w.round}", language=language)
    job.file.delete(save=False)
