"""The load test (issue 15): the production stack on loopback, driven by wrk.

``make bench`` runs it after the other cases; ``make bench-load`` (``python -m benchmarks load``)
runs it alone. Options: ``--seconds 5`` per measurement, ``--mixed-seconds 60``, ``--users 200``,
``--size 1000`` (applications in the large tenant), ``--pages "round dashboard,pair page"``.

1. The large tenant (``_lists_world`` of benchmarks/cases.py through the import service: 1,000
   applications from 20 organisations, 400 pairs with meetings, a proposal, 10 shared days with
   answers, outbox and log rows, a final survey answered by every participant) is built once
   into the database ``bench_load`` (``bench_load_<size>`` for other sizes), which is kept. A
   marker table in it holds the migrations' fingerprint: the database is rebuilt only when it is
   missing, half-built or the migrations changed. Each run first removes the sessions and the
   log rows the previous run left.
2. The stack: gunicorn (gunicorn.conf.py, 3 workers, ``mentorship.settings.production``) on a
   free port of 127.0.0.1 and a Celery worker, both with Redis database 12 (flushed at the
   start) and mail to the console. Plain http on loopback: ``SECURE_SSL_REDIRECT=False`` (the
   secure cookies are sent anyway: wrk sets the Cookie header itself) and
   ``BENCH_BASELINE=1``, which adds the baseline view (organisations.views.BenchBaselineView).
   Both are stopped at the end, also on an error or Ctrl-C, SIGKILL after 10 s.
3. The roles sign in through sessions written in the database (the test client's
   ``force_login`` with the servers' secret key); every page is checked to answer 200 first.
4. Per page: wrk at 1, 10 and 50 connections (p50/p95/p99, req/s), the HTML size, the query
   count (once, in-process, with the test client on the same database), the throughput at 10
   connections as a ratio to the baseline view's (measured before and after the pages, the
   mean), the issue's "before" figures beside; then 200 simulated users for 60 s rotating over
   the pages and people (errors, p95); and whether the calendar feed answers 304 to a repeated
   request. Targets are printed, never asserted.
"""

import argparse
import hashlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/12"
# Bump when the world below changes, so a cached database is rebuilt.
WORLD_VERSION = 1
TAG = "load"
CONNECTIONS = (1, 10, 50)


@dataclass(frozen=True)
class Page:
    label: str
    role: str  # coordinator, hr, mentor, adept, anonymous
    url_name: str
    args: tuple  # names of the world's values, in the URL's order


# Every main page. ``args`` name values of the world (see ``_world_ids``).
PAGES = [
    Page("baseline view", "coordinator", "organisations:bench_baseline", ("slug",)),
    Page("trivial view (/healthz/)", "anonymous", "healthz", ()),
    Page("round dashboard", "coordinator", "programmes:round_dashboard", ("slug", "round")),
    Page("review list", "coordinator", "applications:review_list", ("slug", "round")),
    Page("proposal", "coordinator", "matching:proposal", ("slug", "proposal")),
    Page("pairs", "coordinator", "matching:pairs", ("slug", "round")),
    Page("outbox", "coordinator", "organisations:outbox", ("slug",)),
    Page("HR home", "hr", "organisations:hr_home", ("slug",)),
    Page("HR list", "hr", "applications:hr_list", ("slug", "round")),
    Page("participant home", "adept", "programmes:participant_home", ("slug",)),
    Page("pair page", "mentor", "matching_pairwork:pair", ("slug", "pair")),
    Page("calendar feed", "adept", "programmes:person_feed", ("slug", "token")),
    Page("public round page", "anonymous", "programmes:public_round", ("slug", "round")),
]
BASELINE = "baseline view"
FEED = "calendar feed"

# Issue 15's figures before the work: p50 ms at 1 connection, req/s at 10 connections (None:
# none finished within the timeout).
BEFORE = {
    "trivial view (/healthz/)": (3, 169),
    "round dashboard": (164, 4.2),
    "participant home": (336, 2.0),
    "pair page": (169, 5.6),
    "HR list": (121, 7.5),
    "calendar feed": (102, 7.7),
    "public round page": (99, 9.6),
    "review list": (1084, None),
    "proposal": (1029, 0.4),
    "pairs": (1391, 0.2),
}

# The mixed run: a kickoff morning, most people opening their home page, pair and calendar.
MIX = {
    "participant home": 6,
    "calendar feed": 4,
    "pair page": 3,
    "public round page": 2,
    "HR home": 1,
    "HR list": 1,
    "round dashboard": 1,
    "review list": 1,
    "proposal": 1,
    "pairs": 1,
    "outbox": 1,
}
MIXED_PEOPLE = 20  # pairs whose mentor and adept take part in the mixed run


# --- wrk ---------------------------------------------------------------------------------------

# Printed by the Lua ``done`` of every run: wrk's own summary has no p95.
DONE_LUA = r"""
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local e = summary.errors
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("bad") or 0) end
  io.write(string.format(
    "BENCH requests=%d duration_us=%d connect=%d read=%d write=%d timeout=%d status=%d " ..
    "not200=%d bytes=%d p50=%d p95=%d p99=%d max=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    bad, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""

# Rotates over the lines of a file "path<TAB>cookie" (the mixed run); counts non-200 answers.
MIXED_LUA = r"""
local reqs = {}
local n = 0
bad = 0
init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]*)\t?(.*)$")
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    table.insert(reqs, wrk.format("GET", path, headers))
  end
  n = math.random(#reqs)
end
request = function()
  n = n % #reqs + 1
  return reqs[n]
end
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
"""


def parse_wrk(text):
    """wrk's output as a dict: requests, seconds, rps, p50/p95/p99/max in ms (p95 only from the
    BENCH line of our Lua ``done``), errors (socket errors and non-2xx/3xx; with the BENCH line
    also answers other than 200 when the script counted them), timeouts."""
    out = {"p50": None, "p95": None, "p99": None, "max": None, "errors": 0, "timeouts": 0}
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
    match = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", text)
    if match:
        out["requests"] = int(match[1])
        out["seconds"] = float(match[2]) * units[match[3]] / 1000
    match = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if match:
        out["rps"] = float(match[1])
    for pct, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M):
        out[f"p{pct}"] = float(value) * units[unit]
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if match:
        out["errors"] += sum(int(x) for x in match.groups())
        out["timeouts"] = int(match[4])
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if match:
        out["errors"] += int(match[1])
    match = re.search(r"^BENCH (.*)$", text, re.M)
    if match:
        f = {k: int(v) for k, v in (item.split("=") for item in match[1].split())}
        out["requests"] = f["requests"]
        out["seconds"] = f["duration_us"] / 1e6
        out["rps"] = f["requests"] / out["seconds"] if out["seconds"] else 0.0
        for key in ("p50", "p95", "p99", "max"):
            out[key] = f[key] / 1000 if f["requests"] else None
        out["timeouts"] = f["timeout"]
        out["errors"] = f["connect"] + f["read"] + f["write"] + f["timeout"]
        out["errors"] += max(f["status"], f["not200"])
    return out


def _wrk(url, *, connections, seconds, script, headers=(), args=(), timeout_s=10):
    threads = 1 if connections == 1 else 2
    cmd = [shutil.which("wrk"), f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    cmd += [f"--timeout={timeout_s}s", "--latency", "-s", script]
    for header in headers:
        cmd += ["-H", header]
    cmd += [url, *(["--", *args] if args else [])]
    result = subprocess.run(  # noqa: S603 (wrk, our own arguments)
        cmd, capture_output=True, text=True, timeout=seconds + timeout_s + 30, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed: {result.stderr.strip() or result.stdout.strip()}")
    return parse_wrk(result.stdout)


# --- the world ---------------------------------------------------------------------------------


def _migrations_fingerprint(size):
    digest = hashlib.sha256(f"world {WORLD_VERSION} size {size}\n".encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _database_exists(connection, name):
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _read_marker(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_load_marker') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT fingerprint, world FROM bench_load_marker")
        row = cursor.fetchone()
    return (row[0], json.loads(row[1])) if row else None


def _use_database(connection, name):
    connection.close()
    connection.settings_dict["NAME"] = name


def prepare_world(size):
    """The database of the large tenant, built when missing or out of date: its ids."""
    from django.core.management import call_command
    from django.db import connection

    name = "bench_load" if size == 1000 else f"bench_load_{size}"
    fingerprint = _migrations_fingerprint(size)
    if _database_exists(connection, name):
        _use_database(connection, name)
        marker = _read_marker(connection)
        if marker and marker[0] == fingerprint:
            print(f"Large tenant: database {name} is up to date (kept from an earlier run)")
            return name, marker[1]
        print(f"Large tenant: database {name} is out of date or half-built: rebuilding")
        connection.close()
    started = time.monotonic()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    _use_database(connection, name)
    call_command("migrate", verbosity=0, interactive=False)
    world = _build_world(size)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_load_marker (fingerprint text, world text)")
        cursor.execute(
            "INSERT INTO bench_load_marker VALUES (%s, %s)", [fingerprint, json.dumps(world)]
        )
    print(f"Large tenant: built database {name} in {time.monotonic() - started:.0f} s")
    return name, world


def _build_world(size):
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from benchmarks.cases import _lists_world
    from evaluation import services as survey_services
    from evaluation.models import SurveyQuestion
    from matching.models import Proposal
    from organisations.models import ActivityLog, Membership
    from pairs.models import Pair
    from programmes import services as programme_services
    from programmes.models import MeetingResponse, Participant, SharedMeeting

    tenant, coordinator, round_, _urls = _lists_world(size, TAG)
    with scopes_disabled():
        participants = list(Participant.objects.filter(round=round_).select_related("user"))
        meetings = list(SharedMeeting.objects.filter(round=round_))
        MeetingResponse.objects.bulk_create(
            [
                MeetingResponse(tenant=tenant, meeting=m, participant=p, attending=bool(i % 4))
                for m in meetings
                for i, p in enumerate(participants)
            ]
        )
        hr = Membership.objects.get(tenant=tenant, is_hr_contact=True).user
        proposal = Proposal.objects.filter(round=round_).get()
        pairs = list(Pair.objects.filter(round=round_).order_by("pk")[:MIXED_PEOPLE])
    with scope(tenant=tenant):
        survey = survey_services.create_survey(
            tenant=tenant, actor=coordinator, round_=round_, kind="final"
        )
        survey.opens_at = timezone.now() - timedelta(days=1)
        survey.closes_at = timezone.now() + timedelta(days=10)
        survey.ask_goals = False
        survey.save()
        survey_services.publish_survey(tenant=tenant, actor=coordinator, survey=survey)
        for i, p in enumerate(participants):
            answers = {}
            for q in survey_services.questions_for(survey, p.role):
                if q.kind == SurveyQuestion.Kind.SCALE:
                    answers[q.pk] = str(1 + (i + q.pk) % 5)
                elif q.kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
                    answers[q.pk] = [q.choices[i % len(q.choices)]]
                else:
                    answers[q.pk] = f"Svar {i} på fråga {q.pk}."
            survey_services.submit_response(
                tenant=tenant, user=p.user, survey=survey, role=p.role, answers=answers
            )
        people = []
        for pair in pairs:
            for role, user_id in (("mentor", pair.mentor_user_id), ("adept", pair.adept_user_id)):
                user = next(p.user for p in participants if p.user_id == user_id)
                token = programme_services.feed_for(tenant=tenant, user=user).token
                people.append({"role": role, "user": user_id, "pair": pair.pk, "token": token})
    with scopes_disabled():
        last_log = ActivityLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return {
        "slug": tenant.slug,
        "round": round_.pk,
        "proposal": proposal.pk,
        "coordinator": coordinator.pk,
        "hr": hr.pk,
        "people": people,
        "last_log": last_log,
    }


def _clean_after_earlier_runs(world):
    from django.contrib.sessions.models import Session
    from django_scopes import scopes_disabled

    from organisations.models import ActivityLog

    Session.objects.all().delete()
    with scopes_disabled():
        ActivityLog.objects.filter(pk__gt=world["last_log"]).delete()


def _world_ids(world, person):
    return {
        "slug": world["slug"],
        "round": world["round"],
        "proposal": world["proposal"],
        "pair": person["pair"],
        "token": person["token"],
    }


def page_url(page, ids):
    from django.urls import reverse

    return reverse(page.url_name, args=[ids[name] for name in page.args])


def _user_id(world, page, person):
    if page.role == "coordinator":
        return world["coordinator"]
    if page.role == "hr":
        return world["hr"]
    if page.role in ("mentor", "adept"):
        return person["user"]
    return None


def _person(world, role, k=0):
    return [p for p in world["people"] if p["role"] == role][k]


def _sign_in(user_ids, secret_key):
    """{user id: Cookie header} from sessions written into the database (force_login)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    cookies = {}
    with override_settings(SECRET_KEY=secret_key):
        for user in get_user_model().objects.filter(pk__in=user_ids):
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies[user.pk] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    return cookies


def _query_count(url, user_id, secret_key):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(SECRET_KEY=secret_key):
        client = Client()
        if user_id:
            client.force_login(get_user_model().objects.get(pk=user_id))
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
    if response.status_code != 200:
        return f"{response.status_code}!"
    return len(ctx.captured_queries)


# --- the stack ---------------------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _production_env(database, secret_key, port):
    env = dict(os.environ)
    for key in ("DATABASE_URL", "TEST_DATABASE_NAME", "CELERY_QUEUE", "CELERY_EAGER"):
        env.pop(key, None)
    env.update(
        DJANGO_SETTINGS_MODULE="mentorship.settings.production",
        SECRET_KEY=secret_key,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        REDIS_URL=REDIS_URL,
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="False",
        EMAIL_URL="consolemail://",
        SECURE_SSL_REDIRECT="False",
        SECURE_HSTS_SECONDS="0",
        TRUSTED_PROXY_COUNT="0",
        SITE_URL=f"http://127.0.0.1:{port}",
        BENCH_BASELINE="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="3",
    )
    return env


def _collectstatic(env):
    """The hashed static files the production storage needs, made again when static/ changed."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    newest = max(
        (p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()), default=0
    )
    if manifest.exists() and manifest.stat().st_mtime > newest:
        return
    subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


class Stack:
    """gunicorn and a Celery worker, each in its own process group, stopped by their ids."""

    def __init__(self, env, port, logdir):
        self.env, self.port, self.logdir = env, port, logdir
        self.procs = []

    def _start(self, name, cmd):
        log = open(self.logdir / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop)
        proc = subprocess.Popen(  # noqa: S603 (our own programs)
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append((name, proc, log))
        return proc

    def start(self):
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        gunicorn = [str(VENV_BIN / "gunicorn"), "mentorship.wsgi:application"]
        self._start("gunicorn", [*gunicorn, "--config", "gunicorn.conf.py"])
        worker = [str(VENV_BIN / "celery"), "-A", "mentorship", "worker", "-l", "info"]
        self._start(
            "worker", [*worker, "--concurrency", "1", "--without-gossip", "--without-mingle"]
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for name, proc, _log in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} stopped: see {self.logdir / name}.log")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz/", timeout=2) as response:  # noqa: S310
                    web_ready = response.status == 200
            except OSError:
                web_ready = False
            worker_ready = b"ready." in (self.logdir / "worker.log").read_bytes()
            if web_ready and worker_ready:
                return
            time.sleep(0.5)
        raise RuntimeError(f"the stack did not start within 60 s: see {self.logdir}")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        for _name, proc, _log in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, proc, log in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
            log.close()
        self.procs = []


def _settle(stack):
    """Wait until the server has worked off what a run left queued: wrk stops on time, but the
    requests already accepted are still answered. /healthz/ waits in the same queue."""
    _get(stack.url + "/healthz/", timeout=180)


def _warm_up(stack, targets):
    """Every page twice on each worker (three at a time), so no measurement pays for the
    templates' first compilation."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3) as pool:
        for url, _user, cookie in targets.values():
            list(pool.map(lambda _k, u=url, c=cookie: _get(stack.url + u, c), range(6)))


def _get(url, cookie=None, headers=None, timeout=60):
    request = urllib.request.Request(url)  # noqa: S310 (http on loopback)
    if cookie:
        request.add_header("Cookie", cookie)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


# --- the run -----------------------------------------------------------------------------------


def _ms(value):
    return f"{value:.0f}" if value is not None and value >= 10 else f"{value:.1f}" if value else "–"


def _feed_304(url, cookie):
    _status, _body, headers = _get(url, cookie)
    conditional = {}
    if headers.get("ETag"):
        conditional["If-None-Match"] = headers["ETag"]
    if headers.get("Last-Modified"):
        conditional["If-Modified-Since"] = headers["Last-Modified"]
    if not conditional:
        return "no (the feed sends neither ETag nor Last-Modified)"
    status, _body, _headers = _get(url, cookie, conditional)
    sent = " and ".join(conditional)
    return f"{'yes' if status == 304 else 'no'} ({sent} → {status})"


def run(args):
    from django.conf import settings

    if not shutil.which("wrk"):
        print("Load test skipped: wrk is missing (bash scripts/ensure-system.sh wrk)")
        return
    if not settings.BENCH_BASELINE:
        raise SystemExit("the load test needs BENCH_BASELINE=1 (python -m benchmarks sets it)")
    database, world = prepare_world(args.size)
    _clean_after_earlier_runs(world)
    secret_key = secrets.token_urlsafe(50)
    port = _free_port()
    env = _production_env(database, secret_key, port)
    _collectstatic(env)
    pages = [p for p in PAGES if not args.pages or p.label in args.pages or p.label == BASELINE]
    adept, mentor = _person(world, "adept"), _person(world, "mentor")
    person_of = {"mentor": mentor, "adept": adept}
    user_ids = {world["coordinator"], world["hr"]} | {p["user"] for p in world["people"]}
    cookies = _sign_in(user_ids, secret_key)
    targets = {}
    for page in pages:
        person = person_of.get(page.role, adept)
        user_id = _user_id(world, page, person)
        url = page_url(page, _world_ids(world, person))
        targets[page.label] = (url, user_id, cookies.get(user_id))

    logdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    stack = Stack(env, port, logdir)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        stack.start()
        print(
            f"Stack: gunicorn (3 workers, production settings) at {stack.url}, a Celery worker, "
            f"PostgreSQL {database}, Redis db 12; logs in {logdir}"
        )
        _measure_pages(args, pages, targets, stack, secret_key)
        _mixed_run(args, world, cookies, stack, logdir)
        feed_url, _user, feed_cookie = targets.get(FEED) or (None, None, None)
        if feed_url:
            print(
                f"Calendar feed answers a repeated request with 304: {_feed_304(stack.url + feed_url, feed_cookie)}"
            )
            print("  (target: yes)")
        print()
    finally:
        stack.stop()
        signal.signal(signal.SIGTERM, previous)
        _clean_after_earlier_runs(world)


def _measure_pages(args, pages, targets, stack, secret_key):
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(DONE_LUA)
    rows = {}
    size = {}
    for page in pages:
        url, user_id, cookie = targets[page.label]
        status, body, _headers = _get(stack.url + url, cookie)
        if status != 200:
            raise RuntimeError(f"{page.label} ({url}) answered {status}, not 200")
        size[page.label] = len(body) / 1024
    _warm_up(stack, targets)
    print(
        f"Load test: each page for {args.seconds} s at {', '.join(map(str, CONNECTIONS))} connections"
    )
    order = pages + [p for p in pages if p.label == BASELINE]
    baseline_runs = []
    for k, page in enumerate(order):
        url, user_id, cookie = targets[page.label]
        headers = [f"Cookie: {cookie}"] if cookie else []
        if page.label == BASELINE and k == len(order) - 1:
            result = _wrk(
                stack.url + url,
                connections=10,
                seconds=args.seconds,
                script=str(script),
                headers=headers,
            )
            baseline_runs.append(result["rps"])
            _settle(stack)
            continue
        runs = {}
        for c in CONNECTIONS:
            runs[c] = _wrk(
                stack.url + url,
                connections=c,
                seconds=args.seconds,
                script=str(script),
                headers=headers,
            )
            _settle(stack)
        if page.label == BASELINE:
            baseline_runs.append(runs[10]["rps"])
        rows[page.label] = (runs, _query_count(url, user_id, secret_key))
        print(f"  measured {page.label}", file=sys.stderr)
    script.unlink()
    base_rps = sum(baseline_runs) / len(baseline_runs)
    header = (
        f"{'page':<26} {'KB':>6} {'queries':>7} │ {'p50':>5} {'p95':>5} {'p99':>5} {'req/s':>6} "
        f"│ {'p50':>5} {'p95':>5} {'p99':>5} {'req/s':>6} │ {'p50':>5} {'p95':>5} {'p99':>5} "
        f"{'req/s':>6} {'err':>4} │ {'ratio':>5} │ {'p50 before':>10} {'req/s before':>12}"
    )
    print(
        f"{'':<41}│ {'1 connection (ms)':<24}│ {'10 connections (ms)':<24}│ {'50 connections (ms)':<29}│ {'@10':<6}│"
    )
    print(header)
    for page in pages:
        runs, queries = rows[page.label]
        cells = []
        for c in CONNECTIONS:
            r = runs[c]
            cells.append(
                f"{_ms(r['p50']):>5} {_ms(r['p95']):>5} {_ms(r['p99']):>5} {r['rps']:>6.1f}"
            )
        errors = sum(r["errors"] for r in runs.values())
        ratio = runs[10]["rps"] / base_rps if base_rps else 0
        p50_before, rps_before = BEFORE.get(page.label, ("–", "–"))
        rps_before = "none" if rps_before is None else rps_before
        print(
            f"{page.label:<26} {size[page.label]:>6.1f} {queries!s:>7} │ {cells[0]} │ {cells[1]} │ "
            f"{cells[2]} {errors:>4} │ {ratio:>5.2f} │ {p50_before!s:>10} {rps_before!s:>12}"
        )
    print(
        f"baseline at 10 connections: {' and '.join(f'{r:.1f}' for r in baseline_runs)} req/s "
        f"(before and after the pages; the ratio uses the mean, {base_rps:.1f})"
    )
    slow = [p.label for p in pages if (rows[p.label][0][1]["p50"] or 1e9) >= 100]
    weak = [
        p.label for p in pages if p.label != BASELINE and rows[p.label][0][10]["rps"] < base_rps / 5
    ]
    print(
        f"Target p50 < 100 ms at 1 connection: {'met' if not slow else 'missed by ' + ', '.join(slow)}"
    )
    print(
        "Target at 10 connections ≥ 1/5 of the baseline's throughput: "
        f"{'met' if not weak else 'missed by ' + ', '.join(weak)}"
    )
    print()


def _mixed_run(args, world, cookies, stack, logdir):
    if not args.mixed_seconds:
        return
    lines = []
    for k, person in enumerate(world["people"]):
        for label, weight in MIX.items():
            page = next(p for p in PAGES if p.label == label)
            if page.role in ("coordinator", "hr") and k % 4:
                continue  # a staff page a quarter as often as a participant's page
            # A participant's page (home, pair, calendar) as this person, mentor or adept.
            user_id = _user_id(world, page, person)
            url = page_url(page, _world_ids(world, person))
            cookie = cookies.get(user_id, "")
            lines += [f"{url}\t{cookie}"] * weight
    # Shuffled (always alike), so neighbouring connections do not ask for the same page.
    random.Random(15).shuffle(lines)  # noqa: S311 (an order, not a secret)
    rotation = logdir / "mixed.txt"
    rotation.write_text("\n".join(lines) + "\n")
    script = logdir / "mixed.lua"
    script.write_text(MIXED_LUA + DONE_LUA)
    result = _wrk(
        stack.url + "/",
        connections=args.users,
        seconds=args.mixed_seconds,
        script=str(script),
        args=[str(rotation)],
        timeout_s=10,
    )
    _settle(stack)
    print(
        f"Mixed run: {args.users} simulated users for {args.mixed_seconds} s over "
        f"{len(world['people'])} participants, the HR contact and the coordinator "
        f"({len(lines)} requests in the rotation)"
    )
    print(
        f"{'requests':>9} {'req/s':>7} {'errors':>7} {'timeouts':>9} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'p99 ms':>7}"
    )
    print(
        f"{result['requests']:>9} {result['rps']:>7.1f} {result['errors']:>7} "
        f"{result['timeouts']:>9} {_ms(result['p50']):>7} {_ms(result['p95']):>7} "
        f"{_ms(result['p99']):>7}"
    )
    ok = result["errors"] == 0 and (result["p95"] or 1e9) < 1000
    print(
        f"Target 0 errors and p95 < 1 s: {'met' if ok else 'missed'} (timeouts after 10 s count as errors)"
    )
    print()


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks load")
    parser.add_argument("--seconds", type=int, default=5, help="each page at each connection count")
    parser.add_argument("--mixed-seconds", type=int, default=60, help="the mixed run (0: none)")
    parser.add_argument("--users", type=int, default=200, help="connections of the mixed run")
    parser.add_argument("--size", type=int, default=1000, help="applications in the large tenant")
    parser.add_argument(
        "--pages",
        type=lambda s: [x.strip() for x in s.split(",")],
        default=None,
        help="comma-separated page labels (the baseline is always measured)",
    )
    return parser.parse_args(argv)


def main(argv):
    run(parse_args(argv))
