"""Matching side by side (``python -m benchmarks matching_compare``, part of ``make bench``).

The same people, at growing sizes, matched three ways, each in its own process so that the CPU
time and the peak memory (``resource.getrusage(...).ru_maxrss``) are its own:

* **ours**: ``matching.services.run_proposal`` as a coordinator runs it: load the round from
  PostgreSQL, score every adept × mentor pair with its reasons, solve, save the proposal;
* **bare solve**: SciPy's ``linear_sum_assignment`` alone on the same instance (our scores and
  hard rules, one column per mentor place): the floor nobody can go below with this solver;
* **mentor-match**: jonodrew's matcher (PyPI ``mentor-match``) in its own virtual environment
  (``var/bench/mentor-match-venv``, made on the first run), reading the same people from CSV in
  its own columns (``benchmarks/mentor_match_run.py``), with the same hard rules (different
  organisations, the mentors' places) and preferences in its own idiom (grades, profession).

Printed: CPU seconds of each and the ratios, the adepts matched by each against the maximum
possible under the hard rules (a maximum bipartite matching), and peak memory. Nothing is
asserted. The child processes are started by this module: ``python -m benchmarks.compare
ours|bare ...``.
"""

import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
VENV = BENCH_DIR / "mentor-match-venv"
INSTANCES = BENCH_DIR / "compare"
MENTOR_MATCH = "mentor-match==7.0.1"
# mentor-match is pure Python (munkres): a case it does not finish in this time is reported so.
MENTOR_MATCH_TIMEOUT = int(os.environ.get("BENCH_MENTOR_MATCH_TIMEOUT", "150"))

# (label, adepts, mentors, largest capacity)
SIZES = [
    ("100 people", 50, 50, 1),
    ("500 people", 250, 250, 1),
    ("1,000 people", 500, 500, 1),
    ("2,000 people", 1000, 1000, 1),
    ("3,000 people", 1500, 1500, 1),
    ("2,000 adepts x 1,000 mentors, capacity 1-3", 2000, 1000, 3),
]
REGIONS = ["Västra Götaland", "Halland", "Värmland", "Jönköpings län", "Skåne", "Stockholm"]
KINDS = ["municipality", "municipality", "region", "agency", "university", "company"]
PROFESSIONS = ["Skolchef", "Enhetschef", "HR-chef", "Socialchef", "Verksamhetschef", "Ekonomichef"]
LEVELS = ["first_line", "manager_of_managers", "senior_executive"]


def people(n_adepts, n_mentors, max_capacity, seed=15):
    """The instance: organisations (a few large, many small, so that "different organisations"
    bites) and people, as plain dicts shared by both formats."""
    rng = random.Random(seed + n_adepts * 7 + n_mentors)  # noqa: S311 (invented data)
    n_orgs = max(8, (n_adepts + n_mentors) // 60)
    orgs = [
        {
            "name": f"Organisation {k}",
            "kind": rng.choice(KINDS),
            "region": rng.choice(REGIONS),
        }
        for k in range(n_orgs)
    ]
    weights = [6 if k < 3 else 1 for k in range(n_orgs)]
    out = []
    for k in range(n_adepts + n_mentors):
        role = "adept" if k < n_adepts else "mentor"
        level = rng.randrange(3) if role == "adept" else rng.choice([0, 1, 1, 2, 2])
        out.append(
            {
                "email": f"{role}{k}@compare.example",
                "first": "Person",
                "last": str(k),
                "role": role,
                "org": rng.choices(range(n_orgs), weights)[0],
                "level": level,
                "years": rng.randint(1, 25),
                "profession": rng.choice(PROFESSIONS),
                "capacity": rng.randint(1, max_capacity) if role == "mentor" else 1,
            }
        )
    return orgs, out


def write_csv(folder, orgs, persons):
    """mentor-match's input: mentors.csv and mentees.csv with its columns."""
    folder.mkdir(parents=True, exist_ok=True)
    columns = ["email", "first name", "last name", "role", "organisation", "grade", "profession"]
    for role, name in (("mentor", "mentors.csv"), ("adept", "mentees.csv")):
        with open(folder / name, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([*columns, "capacity"])
            for p in persons:
                if p["role"] == role:
                    writer.writerow(
                        [
                            p["email"],
                            p["first"],
                            p["last"],
                            "mentor" if role == "mentor" else "mentee",
                            orgs[p["org"]]["name"],
                            p["level"] + 1,
                            p["profession"],
                            p["capacity"],
                        ]
                    )


def build_round(tag, orgs, persons):
    """The same people in our database: a tenant, a round in matching, accepted applications."""
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model

    from applications.models import Application
    from organisations.models import Organisation, Tenant
    from programmes.models import Programme, Round

    User = get_user_model()
    tenant = Tenant.objects.create(slug=f"cmp-{tag}", name=f"Compare {tag}", contact_email="c@x.se")
    programme = Programme.objects.create(tenant=tenant, name="Compare", slug="compare")
    round_ = Round.objects.create(
        tenant=tenant,
        programme=programme,
        name="Omgång 1",
        status=Round.Status.MATCHING,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=365),
    )
    org_rows = Organisation.objects.bulk_create(
        [
            Organisation(tenant=tenant, name=o["name"], kind=o["kind"], region=o["region"])
            for o in orgs
        ]
    )
    users = User.objects.bulk_create(
        [User(email=f"{tag}-{p['email']}", full_name=f"{p['first']} {p['last']}") for p in persons]
    )
    Application.objects.bulk_create(
        [
            Application(
                tenant=tenant,
                round=round_,
                user=u,
                role=p["role"],
                stage=Application.Stage.ACCEPTED,
                full_name=u.full_name,
                email=u.email,
                organisation=org_rows[p["org"]],
                job_title=p["profession"],
                manager_level=LEVELS[p["level"]],
                years_as_manager=p["years"],
                capacity=p["capacity"],
            )
            for u, p in zip(users, persons, strict=True)
        ],
        batch_size=1000,
    )
    return tenant, round_


def proposal_page(capture, clock, tenant, round_):
    """The coordinator's proposal page for the round's latest proposal: server time of the
    first page (median of 5 after one warm-up), queries and size."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from matching.models import Proposal
    from organisations.models import Membership

    with scopes_disabled():
        user = get_user_model().objects.create_user(
            email=f"coord-{tenant.slug}@compare.example", password="bench-password-1"
        )
        Membership.objects.create(tenant=tenant, user=user, is_coordinator=True)
        proposal = Proposal.objects.filter(round=round_).order_by("-id").first()
    client = Client()
    client.force_login(user)
    url = reverse("matching:proposal", args=[tenant.slug, proposal.pk])
    assert client.get(url).status_code == 200
    timings, cpu = [], []
    for _ in range(5):
        with capture(connection) as ctx:
            start, start_cpu = clock(), time.process_time()
            response = client.get(url)
            timings.append((clock() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    timings.sort()
    cpu.sort()
    return {
        "ms": timings[2],
        "cpu_ms": cpu[2],
        "queries": len(ctx.captured_queries),
        "kb": len(response.content) / 1024,
    }


# --- the child processes -------------------------------------------------------------------


def _maxrss_mb():
    """Peak resident memory of this process in MB. Linux carries ``ru_maxrss`` over an exec
    from the forked parent (the benchmark's own process), so VmHWM of /proc/self/status, which
    starts afresh with the new program, is used where there is one."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ours(db_name, tenant_id, round_id, npz, runs):
    """run_proposal ``runs`` times (the first one also warms the caches); the median of the
    rest. Saves the instance (scores, hard rules, places) for the bare solve."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings.test")
    import django

    django.setup()
    setup_mb = _maxrss_mb()
    import numpy as np
    from django.db import connection
    from django.utils import translation
    from django_scopes import scope, scopes_disabled

    from matching import services
    from organisations.models import Tenant
    from programmes.models import Round

    ready_mb = _maxrss_mb()
    connection.settings_dict["NAME"] = db_name
    translation.activate("sv")
    with scopes_disabled():
        tenant = Tenant.objects.get(pk=tenant_id)
        round_ = Round.objects.select_related("tenant", "programme").get(pk=round_id)
    results = []
    for _run in range(runs):
        with scope(tenant=tenant):
            cpu, wall = time.process_time(), time.perf_counter()
            proposal = services.run_proposal(tenant=tenant, actor=None, round_=round_)
            results.append(
                (time.process_time() - cpu, time.perf_counter() - wall, proposal.summary)
            )
    measured = sorted(results[1:] or results, key=lambda r: r[0])  # the first warms the caches
    cpu, wall, summary = measured[len(measured) // 2]
    with scope(tenant=tenant):
        pool, _settings, _solution, figures = services.compute(tenant=tenant, round_=round_)
    capacity = np.array([m.capacity for m in pool.mentors], dtype=np.int64)
    np.savez(npz, score=figures["score"], allowed=figures["allowed"], capacity=capacity)
    print(
        json.dumps(
            {
                "cpu": cpu,
                "wall": wall,
                "matched": summary["matched"],
                "timing": summary.get("timing", {}),
                "timing_cpu": summary.get("timing_cpu", {}),
                "setup_mb": setup_mb,
                "ready_mb": ready_mb,
                "maxrss_mb": _maxrss_mb(),
            }
        )
    )


def child_bare(npz):
    """linear_sum_assignment alone on the instance: adepts × one column per mentor place,
    cost −(1 + score) for an allowed pair and 0 for a forbidden one. Also the maximum number
    of adepts that can be matched (untimed)."""
    import numpy as np
    from scipy import sparse
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse.csgraph import maximum_bipartite_matching

    data = np.load(npz)
    score, allowed, capacity = data["score"], data["allowed"], data["capacity"]
    slots = np.repeat(np.arange(len(capacity)), capacity)
    allowed_s, score_s = allowed[:, slots], score[:, slots]
    cost = np.where(allowed_s, -(1.0 + score_s), 0.0)
    cpu, wall = time.process_time(), time.perf_counter()
    rows, cols = linear_sum_assignment(cost)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    matched = int(allowed_s[rows, cols].sum())
    graph = sparse.csr_matrix(allowed_s.astype(np.int8))
    maximum = int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
    print(
        json.dumps(
            {
                "cpu": cpu,
                "wall": wall,
                "matched": matched,
                "maximum": maximum,
                "maxrss_mb": _maxrss_mb(),
            }
        )
    )


# --- the parent ----------------------------------------------------------------------------


def _run_json(args, timeout, env=None):
    try:
        done = subprocess.run(  # noqa: S603 (our own interpreter and scripts)
            args,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=str(ROOT),
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout} s", "timeout": timeout}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        return {"error": f"exit {done.returncode}: {tail[0][:120]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _own_env():
    """The environment for mentor-match's interpreter: without PYTHONPATH, which could put the
    project's own ``matching`` before mentor-match's."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def ensure_mentor_match():
    """The interpreter of mentor-match's own virtual environment, made on the first run
    (None, and the reason, when it cannot be installed)."""
    python = VENV / "bin" / "python"

    def works():
        probe = [str(python), "-c", "import matching.process, munkres"]
        done = subprocess.run(probe, capture_output=True, cwd="/", env=_own_env(), check=False)  # noqa: S603
        return done.returncode == 0

    if python.exists() and works():
        return python, None
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(VENV)],
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            MENTOR_MATCH,
        ],
    ]
    for step in steps:
        try:
            done = subprocess.run(  # noqa: S603
                step, capture_output=True, text=True, timeout=300, env=_own_env(), check=False
            )
        except subprocess.TimeoutExpired:
            return None, f"{' '.join(step[:4])} took over 300 s"
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
            return None, tail[0][:160]
    if not works():
        return None, "installed, but `import matching.process` fails"
    return python, None


def _num(value, digits):
    return "–" if value is None else f"{value:.{digits}f}"


def _ratio(a, b):
    return f"{a / b:.3g}" if a is not None and b else "–"


def matching_compare(capture, clock, sizes=None, runs=3):
    """Ours, SciPy's bare solve and mentor-match on the same people: see the module's doc."""
    from django.db import connection
    from django_scopes import scopes_disabled

    sizes = sizes or SIZES
    python_mm, why = ensure_mentor_match()
    print(
        "Matching side by side: ours (run_proposal, end to end), SciPy's bare solve, mentor-match"
    )
    if python_mm is None:
        print(f"mentor-match skipped: it could not be installed ({why}).")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mentorship.settings.test"}
    db_name = connection.settings_dict["NAME"]
    head = (
        f"{'case':<44} {'max':>5} {'ours':>5} {'bare':>5} {'m-m':>5} "
        f"{'ours s':>7} {'bare s':>7} {'m-m s':>8} {'ours/bare':>9} {'ours/m-m':>9} "
        f"{'ours MB':>8} {'m-m MB':>7}"
    )
    print(head)
    rows, page = [], None
    for label, n_adepts, n_mentors, max_capacity in sizes:
        tag = f"{n_adepts}x{n_mentors}c{max_capacity}"
        orgs, persons = people(n_adepts, n_mentors, max_capacity)
        folder = INSTANCES / tag
        write_csv(folder, orgs, persons)
        with scopes_disabled():
            tenant, round_ = build_round(tag, orgs, persons)
        connection.commit() if not connection.get_autocommit() else None
        npz = folder / "instance.npz"
        ours = _run_json(
            [sys.executable, "-m", "benchmarks.compare", "ours", db_name, str(tenant.pk),
             str(round_.pk), str(npz), str(runs)],
            timeout=600,
            env=env,
        )  # fmt: skip
        bare = (
            _run_json([sys.executable, "-m", "benchmarks.compare", "bare", str(npz)], 600, env)
            if "error" not in ours
            else {"error": "no instance"}
        )
        if python_mm is not None:
            mm = _run_json(
                [str(python_mm), str(ROOT / "benchmarks" / "mentor_match_run.py"), str(folder)],
                timeout=MENTOR_MATCH_TIMEOUT,
                env=_own_env(),
            )
        else:
            mm = {"error": "not installed"}
        rows.append((label, ours, bare, mm))
        if n_adepts == 1000 and "error" not in ours:
            page = proposal_page(capture, clock, tenant, round_)
        o, b, m = (r.get("cpu") for r in (ours, bare, mm))
        mm_ratio = _ratio(o, m)
        if m is None and o is not None and mm.get("timeout"):
            mm_ratio = f"<{o / mm['timeout']:.3g}"  # it used at least that long (wall time)
        print(
            f"{label:<44} {bare.get('maximum', '?'):>5} {ours.get('matched', '?'):>5} "
            f"{bare.get('matched', '?'):>5} {mm.get('matched', '–'):>5} "
            f"{_num(o, 3):>7} {_num(b, 3):>7} {_num(m, 2):>8} {_ratio(o, b):>9} "
            f"{mm_ratio:>9} {_num(ours.get('maxrss_mb'), 0):>8} "
            f"{_num(mm.get('maxrss_mb'), 0):>7}"
        )
        for name, r in (("ours", ours), ("bare solve", bare), ("mentor-match", mm)):
            if "error" in r and not (name == "mentor-match" and python_mm is None):
                print(f"    {name}: {r['error']}")
    print(
        "(CPU seconds of each process's matching, ours the median of runs 2-3; max: the most "
        "adepts that can be matched under the hard rules; MB: peak resident memory of the "
        "process, VmHWM; <x: mentor-match did not finish within its timeout, wall time, so "
        "the ratio is below x)"
    )
    if page:
        print(
            "The proposal page for 1,000 adepts, first page of 50 pairs (GET, median of 5): "
            f"{page['ms']:.0f} ms ({page['cpu_ms']:.0f} ms of CPU), {page['queries']} queries, {page['kb']:.0f} KB (target: "
            "under 150 ms)"
        )
    print(
        "Ours, where the time goes (CPU seconds of the process, from the proposal's summary; "
        "wall: the whole run_proposal)"
    )
    print(
        f"{'case':<44} {'load':>7} {'score':>7} {'solve':>7} {'explain':>8} {'save':>7} "
        f"{'cpu':>7} {'wall':>7} {'MB after setup':>15}"
    )
    for label, ours, _bare, _mm in rows:
        t = ours.get("timing_cpu") or {}
        print(
            f"{label:<44} {t.get('load', 0):>7.3f} {t.get('score', 0):>7.3f} "
            f"{t.get('solve', 0):>7.3f} {t.get('explain', 0):>8.3f} {t.get('save', 0):>7.3f} "
            f"{ours.get('cpu', 0):>7.3f} {ours.get('wall', 0):>7.3f} "
            f"{ours.get('setup_mb', 0):>15.0f}"
        )
    print()
    return rows


if __name__ == "__main__":
    if sys.argv[1] == "ours":
        child_ours(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6]))
    elif sys.argv[1] == "bare":
        child_bare(sys.argv[2])
