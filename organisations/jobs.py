"""The life cycle of an export job (organisations.models.ExportJob: the matching dossier, the
round report), shared machinery in one place and built like the outbox (organisations/outbox.py):

- asked for (``request_job``): recorded in the caller's transaction and handed to a worker
  after it commits; with the broker down the page still answers and the job waits;
- taken (``claim``): under a row lock with SKIP LOCKED, counting the attempt, so two workers
  (or a task delivered twice) never make the same job at once;
- alive: every progress step writes ``heartbeat_at``; a worker that finds the job taken from
  it meanwhile (``JobLost``) stops and keeps nothing;
- finished, or not: an error is tried again after a backoff, a refusal (the requester is no
  longer a coordinator) is final; after EXPORT_JOB_MAX_ATTEMPTS the job has failed, with why;
- drained (``drain_jobs``, every minute by Celery beat): a waiting job whose task was lost is
  handed to a worker again; a running job whose heartbeat is older than
  EXPORT_JOB_TIMEOUT_MINUTES lost its worker and is tried again (failed after the last try);
- asked for again: a job being made is followed; a stuck one is replaced, never reused, and
  ``start_again`` makes a failed or stuck job anew for the coordinator who asks.

What a job makes is the caller's: ``run_pdf_job(build=...)``; which Celery task makes a kind
is registered by dotted path in ``mentorship.hooks.EXPORT_JOBS`` (the dossier's task in
applications, the report's in reporting), so this module imports no feature app. The expired
files are deleted by ``purge_expired``; ``organisations.views`` has the status page, the
"start again" button and the download guard that each kind's views subclass.
"""

import logging
import secrets
import time
import zoneinfo
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope, scopes_disabled

from mentorship import hooks

from .models import ExportJob, Membership
from .services import log_activity

logger = logging.getLogger(__name__)
Status = ExportJob.Status

# The Celery task that makes each kind: {kind: task}, declared in mentorship.hooks.
TASKS = hooks.EXPORT_JOBS
# A waiting job whose task never ran (broker down) is handed to a worker again after this long.
GRACE = timedelta(minutes=1)
# A job no worker has taken for this long is given up rather than made a day late.
UNSTARTED_LIMIT = timedelta(hours=24)
STARTED_AGAIN = "applications.export_started_again"


def timeout():
    """How long a running job may go without progress before its worker is taken as dead."""
    return timedelta(minutes=settings.EXPORT_JOB_TIMEOUT_MINUTES)


def max_attempts():
    return settings.EXPORT_JOB_MAX_ATTEMPTS


def _backoff(attempts):
    """1, 2, 4 … minutes after the first, second, third … failed attempt."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


class JobLost(Exception):
    """The job was taken from this worker (it was thought dead and is being made again)."""


# --- states -----------------------------------------------------------------------------------


def is_active(job, now=None):
    """Being made, or about to be: a second request follows it. A stuck job is not active."""
    now = now or timezone.now()
    if job.status == Status.PENDING:
        return (job.next_attempt_at or job.created_at + GRACE) > now
    if job.status == Status.RUNNING:
        return (job.heartbeat_at or job.created_at) > now - timeout()
    return False


def is_stuck(job, now=None):
    """Waiting past its grace (its task was lost) or running with no progress for too long
    (its worker died): the drain will hand it to a worker again."""
    return job.status in (Status.PENDING, Status.RUNNING) and not is_active(job, now)


def _due(now):
    """The drain's query: waiting jobs due to be handed to a worker, running jobs gone quiet."""
    dead_before = now - timeout()
    return (
        Q(status=Status.PENDING)
        & (
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, created_at__lte=now - GRACE)
        )
    ) | _dead(dead_before)


def _dead(dead_before):
    return Q(status=Status.RUNNING) & (
        Q(heartbeat_at__lte=dead_before) | Q(heartbeat_at__isnull=True, created_at__lte=dead_before)
    )


def is_coordinator(*, tenant, user):
    return (
        user is not None
        and user.is_active
        and Membership.objects.filter(tenant=tenant, user=user, is_coordinator=True).exists()
    )


def job_language(job):
    """The language of the coordinator who asked for the job (messages, the file itself)."""
    return (job.requested_by.language if job.requested_by else "") or job.tenant.default_language


def _give_up(job, message):
    """Failed for good (called with the row locked)."""
    job.status = Status.FAILED
    job.error = str(message)[:500]
    job.finished_at = timezone.now()
    job.next_attempt_at = None
    job.save(update_fields=["status", "error", "finished_at", "next_attempt_at"])


def _interrupted(job):
    with translation.override(job_language(job)):
        return ngettext(
            "The file could not be made: the work was interrupted. Start again; if it stops "
            "again, tell the platform's support.",
            "The file could not be made: the work was interrupted %(count)s times. Start "
            "again; if it stops again, tell the platform's support.",
            job.attempts,
        ) % {"count": job.attempts}


# --- asking for a job -------------------------------------------------------------------------


def dispatch(job):
    """Hand a recorded job to a worker. With the broker down the job stays waiting and the
    drain hands it over later: the page that asked must not fail."""
    try:
        # No publishing retries: the drain is the retry, and a page must not hang on Redis.
        TASKS[job.kind].apply_async(kwargs={"job_id": job.pk}, retry=False)
    except Exception:
        logger.warning("export job %s not handed to a worker; the drain will", job.pk)


def request_job(*, tenant, round_, kind, user):
    """A coordinator asks for an export of the round. A job of that kind being made for the
    round (a second click, a colleague's) is followed; a stuck one is marked failed and
    replaced, never reused. A new job is handed to a worker after the caller's transaction
    commits. Returns ``(job, created)``."""
    if not is_coordinator(tenant=tenant, user=user):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        # One request at a time per round, so two clicks on two web servers make one job.
        # (The round's model by the foreign key: this core app imports no programmes module.)
        round_model = ExportJob._meta.get_field("round").related_model
        round_model.objects.select_for_update().filter(tenant=tenant, pk=round_.pk).first()
        open_jobs = list(
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("tenant", "requested_by")
            .filter(
                tenant=tenant, round=round_, kind=kind, status__in=[Status.PENDING, Status.RUNNING]
            )
        )
        for job in open_jobs:
            if is_active(job, now):
                return job, False
        for job in open_jobs:
            logger.warning("export job %s was stuck (%s); replaced", job.pk, job.status)
            with translation.override(job_language(job)):
                _give_up(job, _("This request got stuck and was replaced by a newer one."))
        job = ExportJob.objects.create(
            tenant=tenant,
            round=round_,
            kind=kind,
            requested_by=user,
            next_attempt_at=now + GRACE,
        )
        transaction.on_commit(partial(dispatch, job))
    return job, True


def start_again(*, job, user):
    """ "Start again" on a failed or stuck job: the same export asked for anew by ``user``
    (who must be a coordinator now), or the one a colleague has started meanwhile. Returns the
    job to follow, or None when ``job`` has neither failed nor got stuck."""
    if not (job.status == Status.FAILED or is_stuck(job)):
        return None
    new, created = request_job(tenant=job.tenant, round_=job.round, kind=job.kind, user=user)
    log_activity(
        tenant=job.tenant,
        actor=user,
        action=STARTED_AGAIN,
        obj=job.round,
        data={"kind": job.kind, "job": job.pk, "new_job": new.pk, "created": created},
    )
    return new


# --- making it --------------------------------------------------------------------------------


def claim(*, job, kind):
    """Take the job for this worker, or None when it is not ours to make (done already, taken
    by a live worker, locked by one right now). The row is locked with SKIP LOCKED, so two
    workers never wait for each other and never both take it; the attempt is counted. A dead
    job on its last attempt is failed here."""
    now = timezone.now()
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("tenant", "round", "round__programme", "requested_by")
            .filter(Q(status=Status.PENDING) | _dead(now - timeout()))
            .filter(pk=job.pk, tenant=job.tenant, kind=kind)
            .first()
        )
        if job is None:
            return None
        if job.attempts >= max_attempts():
            _give_up(job, _interrupted(job))
            return None
        job.status = Status.RUNNING
        job.attempts += 1
        job.heartbeat_at = now
        job.next_attempt_at = None
        job.progress = 0
        job.save(
            update_fields=["status", "attempts", "heartbeat_at", "next_attempt_at", "progress"]
        )
    return job


def _ours(job, attempt):
    """The job, as long as it is still this worker's attempt."""
    return ExportJob.objects.filter(
        pk=job.pk, tenant=job.tenant, status=Status.RUNNING, attempts=attempt
    )


class JobProgress:
    """The job's progress as a build reports it: ``start(total)``, then ``update(number)``,
    written at most twice a second (the status page polls it), each write a heartbeat. Raises
    JobLost when the job is no longer this worker's."""

    def __init__(self, job):
        self.job = job
        self.attempt = job.attempts
        self._saved = 0.0

    def _write(self, **fields):
        if not _ours(self.job, self.attempt).update(heartbeat_at=timezone.now(), **fields):
            raise JobLost
        self._saved = time.monotonic()

    def start(self, total):
        self.job.total = total
        self.job.progress = 0
        self._write(total=total, progress=0)

    def update(self, number, *, force=False):
        if force or number >= self.job.total or time.monotonic() - self._saved >= 0.5:
            self.job.progress = number
            self._write(progress=number)


def _attempt_failed(job, attempt, message):
    """An error: tried again after a backoff, or failed for good after the last attempt."""
    now = timezone.now()
    if attempt >= max_attempts():
        fields = {"status": Status.FAILED, "finished_at": now, "next_attempt_at": None}
    else:
        fields = {"status": Status.PENDING, "next_attempt_at": now + _backoff(attempt)}
    fields.update(error=str(message)[:500], heartbeat_at=None)
    if _ours(job, attempt).update(**fields):
        for name, value in fields.items():
            setattr(job, name, value)


def run_pdf_job(*, job, kind, build, keep, action, refused, failed):
    """The life of a PDF export job (the dossier, the round report): claimed (so run once even
    if its task is delivered twice), only for a requester who is still a coordinator,
    ``build(job, progress)`` returning ``(pdf bytes, data for the activity log)``; the file
    kept for ``keep``; a failure tried again, then recorded with the plain message ``failed``.
    Returns the job as it now is."""
    claimed = claim(job=job, kind=kind)
    if claimed is None:
        return ExportJob.objects.get(pk=job.pk, tenant=job.tenant)
    job, attempt = claimed, claimed.attempts
    if not is_coordinator(tenant=job.tenant, user=job.requested_by):
        _ours(job, attempt).update(
            status=Status.FAILED, error=str(refused)[:500], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    try:
        pdf, log_data = build(job, JobProgress(job))
        job.file.save(
            f"{kind}-{job.tenant.slug}-{job.round_id}-{secrets.token_urlsafe(12)}.pdf",
            ContentFile(pdf),
            save=False,
        )
    except JobLost:
        logger.warning("Export job %s (%s) was taken from this worker; stopped", job.pk, kind)
        return job
    except Exception:
        logger.exception("Export job %s (%s) failed (attempt %s)", job.pk, kind, attempt)
        _attempt_failed(job, attempt, failed)
        return job
    now = timezone.now()
    with transaction.atomic():
        finished = _ours(job, attempt).update(
            file=job.file.name,
            progress=job.total,
            status=Status.DONE,
            finished_at=now,
            expires_at=now + keep,
            error="",
            heartbeat_at=now,
        )
        if finished:
            log_activity(
                tenant=job.tenant,
                actor=job.requested_by,
                action=action,
                obj=job.round,
                data={"format": "pdf", "kind": kind, "job": job.pk, **log_data},
            )
    if not finished:
        # Taken from this worker while it wrote the file: the other attempt's file counts.
        logger.warning("Export job %s (%s) was taken from this worker; file dropped", job.pk, kind)
        job.file.delete(save=False)
    job.refresh_from_db()
    return job


def run_export_job(*, job_id, kind, build):
    """What a job's task does: load the job, then run ``build(job=...)`` inside its tenant's
    scope, in the language of the coordinator who asked for it and the tenant's time zone."""
    with scopes_disabled():
        # Only to learn the job's tenant; everything else runs inside that tenant's scope.
        job = (
            ExportJob.objects.select_related("tenant", "requested_by")
            .filter(pk=job_id, kind=kind)
            .first()
        )
    if job is None:
        logger.warning("Export job %s (%s) no longer exists", job_id, kind)
        return
    tenant = job.tenant
    with (
        scope(tenant=tenant),
        translation.override(job_language(job)),
        timezone.override(zoneinfo.ZoneInfo(tenant.timezone)),
    ):
        # The build re-checks that the person who asked is still a coordinator.
        build(job=job)


# --- the drain --------------------------------------------------------------------------------


def drain_jobs(*, limit=100):
    """Every minute (CELERY_BEAT_SCHEDULE): hand to a worker each waiting job whose task was
    lost or whose retry is due, and each running job whose worker died; fail those past their
    last attempt or never started for a day. Returns how many jobs were handed over.

    The rows are locked with SKIP LOCKED and leased (``next_attempt_at``) before they are
    handed over, so two drains at once hand each job over once."""
    now = timezone.now()
    handed = []
    with scopes_disabled(), transaction.atomic():
        jobs = list(
            ExportJob.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("tenant", "requested_by")
            .filter(_due(now))
            .order_by("created_at", "pk")[:limit]
        )
        for job in jobs:
            if job.status == Status.PENDING and job.created_at <= now - UNSTARTED_LIMIT:
                with translation.override(job_language(job)):
                    _give_up(
                        job,
                        _(
                            "The file was never started: the background service was "
                            "unavailable. Start again."
                        ),
                    )
                continue
            if job.status == Status.RUNNING:
                logger.warning("export job %s stopped (attempt %s)", job.pk, job.attempts)
                if job.attempts >= max_attempts():
                    _give_up(job, _interrupted(job))
                    continue
            job.status = Status.PENDING
            job.heartbeat_at = None
            # Not handed over again while this task waits for a (busy) worker.
            job.next_attempt_at = now + timeout()
            job.save(update_fields=["status", "heartbeat_at", "next_attempt_at"])
            handed.append(job)
    for job in handed:
        dispatch(job)
    return len(handed)


# --- expiry -----------------------------------------------------------------------------------


def purge_expired(now=None):
    """Delete the files of expired export jobs (the rows stay, as a record). Runs in the
    scope of no tenant in particular: called by the periodic task with scopes disabled."""
    now = now or timezone.now()
    purged = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        job.file = ""
        job.save(update_fields=["file"])
        purged += 1
    return purged
