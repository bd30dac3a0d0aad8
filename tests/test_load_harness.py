"""The load test's harness (benchmarks/load.py) does not rot: its pages are real URL names and it
reads wrk's output right. Nothing here is timed."""

import importlib

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, resolve
from django_scopes import scopes_disabled

from benchmarks import load

IDS = {"slug": "kommunen", "round": 7, "proposal": 3, "pair": 11, "token": "a1b2c3"}


def _reload_urls():
    import mentorship.urls
    import organisations.urls

    importlib.reload(organisations.urls)
    importlib.reload(mentorship.urls)
    clear_url_caches()


@pytest.fixture
def baseline_on():
    try:
        with override_settings(BENCH_BASELINE=True):
            _reload_urls()
            yield
    finally:
        _reload_urls()


def test_every_page_is_a_url_name_with_the_worlds_values(baseline_on):
    labels = [page.label for page in load.PAGES]
    assert len(labels) == len(set(labels))
    for page in load.PAGES:
        path = load.page_url(page, IDS)
        assert resolve(path).view_name == page.url_name, page.label
        if "slug" in page.args:
            assert path.startswith("/kommunen/")
    assert {load.BASELINE, load.FEED} <= set(labels)
    assert set(load.MIX) <= set(labels)
    assert set(load.BEFORE) <= set(labels)


def test_the_baseline_url_exists_only_when_the_load_run_turns_it_on(baseline_on):
    page = next(p for p in load.PAGES if p.label == load.BASELINE)
    assert load.page_url(page, IDS) == "/kommunen/manage/bench-baseline/"
    with override_settings(BENCH_BASELINE=False):
        _reload_urls()
        with pytest.raises(NoReverseMatch):
            load.page_url(page, IDS)


WRK_WITH_DONE = """\
Running 5s test @ http://127.0.0.1:40123/kommunen/my/
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.33ms  120.10ms   1.20s    70.00%
    Req/Sec    12.10      5.02    20.00     60.00%
  Latency Distribution
     50%  398.00ms
     75%  480.12ms
     90%  560.00ms
     99%    1.10s
  118 requests in 5.01s, 2.95MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 1
Requests/sec:     23.55
Transfer/sec:    602.10KB
BENCH requests=118 duration_us=5010000 connect=0 read=0 write=0 timeout=2 status=1 not200=3 \
bytes=3093000 p50=398000 p95=700500 p99=1100000 max=1200000
"""

WRK_PLAIN = """\
Running 2s test @ http://127.0.0.1:40123/healthz/
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    0.50ms   9.00ms   90.00%
    Req/Sec   470.00     20.00   500.00     80.00%
  Latency Distribution
     50%    1.95ms
     75%    2.20ms
     90%    2.60ms
     99%  850.00us
  940 requests in 2.00s, 150.00KB read
  Socket errors: connect 0, read 4, write 0, timeout 0
  Non-2xx or 3xx responses: 6
Requests/sec:    469.80
Transfer/sec:     75.00KB
"""


def test_the_wrk_parser_prefers_the_lua_summary():
    result = load.parse_wrk(WRK_WITH_DONE.replace("\\\n", ""))
    assert result["requests"] == 118
    assert result["seconds"] == pytest.approx(5.01)
    assert result["rps"] == pytest.approx(118 / 5.01)
    assert (result["p50"], result["p95"], result["p99"], result["max"]) == (
        398.0,
        700.5,
        1100.0,
        1200.0,
    )
    # Two timeouts and three answers other than 200 (the script's count beats wrk's 1).
    assert result["timeouts"] == 2
    assert result["errors"] == 5


def test_the_wrk_parser_reads_wrks_own_summary():
    result = load.parse_wrk(WRK_PLAIN)
    assert result["requests"] == 940
    assert result["seconds"] == pytest.approx(2.0)
    assert result["rps"] == pytest.approx(469.8)
    assert result["p50"] == pytest.approx(1.95)
    assert result["p99"] == pytest.approx(0.85)
    assert result["p95"] is None  # wrk's own summary has no p95
    assert result["errors"] == 10
    assert result["timeouts"] == 0


@pytest.mark.django_db
def test_the_baseline_view_is_a_coordinators_page_with_one_query(baseline_on, tenant, other_tenant):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.factories.organisations import MembershipFactory, OrganisationFactory

    OrganisationFactory.create_batch(3, tenant=tenant)
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True).user
    hr = MembershipFactory(tenant=tenant, is_coordinator=False, is_hr_contact=True).user
    url = f"/{tenant.slug}/manage/bench-baseline/"
    client = Client()
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(coordinator)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content == b"ok 3"  # this tenant's organisations, not the other's
    # The view's own query; the middleware's (session, user, tenant, membership) come first.
    view_queries = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT")]
    assert len(view_queries) == 1
    assert '"organisations_organisation"' in view_queries[0]
    client.force_login(hr)
    assert client.get(url).status_code == 403
    with scopes_disabled():
        stranger = other_tenant.memberships.filter(is_coordinator=True).first().user
    client.force_login(stranger)
    assert client.get(url).status_code == 404
