"""The programme's statistics across rounds: exact figures per round, in total, by organisation
and role; the CSV and Excel downloads; access; a fixed number of queries at two sizes."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope
from openpyxl import load_workbook

from applications.models import Application
from organisations.models import ActivityLog
from programmes.models import Participant, ParticipantRole, Round
from reporting import reports, statistics
from tests.applications.exports_world import client_for
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory, TenantFactory
from tests.factories.programmes import ParticipantFactory, ProgrammeFactory, RoundFactory
from tests.matching.factories import PairFactory
from tests.reporting.test_report_world import build_round

pytestmark = pytest.mark.django_db
Stage = Application.Stage
MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT


def second_round(first):
    """Round 2, still running: a mentor from round 1 again, an adept from a new organisation,
    one adept with no organisation (not accepted), one active pair."""
    tenant = first.tenant
    today = timezone.localdate()
    round_ = RoundFactory(
        programme=first.programme,
        name="Omgång 2",
        status=Round.Status.RUNNING,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
    )
    osterby = OrganisationFactory(tenant=tenant, name="Österby kommun")
    again = Participant.objects.filter(round=first.round, role=MENTOR).order_by("pk").first()
    mentor = ApplicationFactory(
        round=round_, role=MENTOR, stage=Stage.MATCHED, organisation=first.north, user=again.user
    )
    ApplicationFactory(round=round_, role=MENTOR, stage=Stage.DECLINED, organisation=first.north)
    adept = ApplicationFactory(round=round_, role=ADEPT, stage=Stage.MATCHED, organisation=osterby)
    ApplicationFactory(round=round_, role=ADEPT, stage=Stage.SUBMITTED, organisation=None)
    for app in (mentor, adept):
        Participant.objects.create(
            tenant=tenant, round=round_, user=app.user, role=app.role, organisation=app.organisation
        )
    PairFactory(round=round_, mentor=mentor, adept=adept)
    return round_


@pytest.fixture
def stats_world(tenant, coordinator, hr_contact, other_tenant, other_member, stranger):
    for user in (coordinator, hr_contact, other_member, stranger):
        user.language = "en"
        user.save()
    first = build_round(tenant)
    round_2 = second_round(first)
    foreign = build_round(other_tenant, name="Främmande omgång")
    participant = Participant.objects.filter(round=first.round).select_related("user").first()
    return SimpleNamespace(
        **vars(first),
        round_2=round_2,
        coordinator=coordinator,
        hr_contact=hr_contact,
        participant=participant.user,
        other_tenant=other_tenant,
        other_member=other_member,
        stranger=stranger,
        foreign=foreign,
    )


def stats_url(w, programme=None, **query):
    url = reverse(
        "reports:statistics",
        kwargs={"tenant": w.tenant.slug, "programme_pk": (programme or w.programme).pk},
    )
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def compute(w):
    with scope(tenant=w.tenant), translation.override("en"):
        return statistics.programme_statistics(tenant=w.tenant, programme=w.programme)


KEYS = (
    "applications",
    "accepted",
    "mentors",
    "adepts",
    "participants",
    "pairs",
    "completed",
    "still_active",
    "ended_early",
)


def test_per_round_and_in_total(stats_world):
    stats = compute(stats_world)
    assert [row["round"].name for row in stats.rounds] == ["Omgång 1", "Omgång 2"]
    assert [tuple(row[k] for k in KEYS) for row in stats.rounds] == [
        (10, 8, 3, 5, 8, 5, 3, 0, 2),
        (4, 2, 1, 1, 2, 1, 0, 1, 0),  # still running: the active pair is not completed yet
    ]
    assert tuple(stats.total[k] for k in KEYS) == (14, 10, 4, 6, 10, 6, 3, 1, 2)
    assert stats.rounds[0]["period"] == "2025-01-01 – 2025-12-31"
    # "22 managers in two rounds": the mentor who came back counts once.
    assert stats.people == 9
    assert stats.people_by_role == {"mentor": 3, "adept": 6}


def test_by_organisation_and_role(stats_world):
    stats = compute(stats_world)
    rows = [
        (
            str(org["name"]),
            org["applications"],
            org["accepted"],
            org["mentors"],
            org["adepts"],
            org["participants"],
            org["by_round"],
        )
        for org in stats.organisations
    ]
    assert rows == [
        ("Norrby kommun", 7, 5, 3, 2, 5, [4, 1]),
        ("Söderås kommun", 5, 4, 1, 3, 4, [4, 0]),
        ("Österby kommun", 1, 1, 0, 1, 1, [0, 1]),
        ("No organisation", 1, 0, 0, 0, 0, [0, 0]),
    ]
    total = stats.organisation_total
    assert (total["applications"], total["participants"], total["by_round"]) == (14, 10, [8, 2])


def test_a_programme_with_no_rounds(tenant):
    programme = ProgrammeFactory(tenant=tenant)
    with scope(tenant=tenant):
        stats = statistics.programme_statistics(tenant=tenant, programme=programme)
    assert (stats.rounds, stats.organisations, stats.people) == ([], [], 0)


# --- the page and the downloads ---------------------------------------------------------------


def test_page(stats_world):
    w = stats_world
    response = client_for(w.coordinator).get(stats_url(w))
    assert response.status_code == 200
    content = response.content.decode()
    for expected in (
        "Statistics across rounds",
        "9 people have taken part in 2 rounds.",
        "Mentors: 3, adepts: 6.",
        "Omgång 1",
        "Omgång 2",
        "Norrby kommun",
        "Österby kommun",
        "No organisation",
        "Participants: Omgång 2",
        "?format=xlsx",
        "?format=csv&amp;table=organisations",
        reverse("reports:round", args=[w.tenant.slug, w.round.pk]),
    ):
        assert expected in content, expected
    assert "Främmande" not in content
    assert w.participant.full_name not in content


def test_csv_per_round(stats_world):
    w = stats_world
    response = client_for(w.coordinator).get(stats_url(w, format="csv", table="rounds"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "statistics-per-round-chefsmentorskap-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0] == [
        "Round",
        "Period",
        "Applications",
        "Accepted",
        "Mentors",
        "Adepts",
        "Participants",
        "Pairs",
        "Pairs completed",
        "Pairs still active",
        "Pairs ended early",
    ]
    assert rows[1] == [
        "Omgång 1",
        "2025-01-01 – 2025-12-31",
        "10",
        "8",
        "3",
        "5",
        "8",
        "5",
        "3",
        "0",
        "2",
    ]
    assert rows[2][0] == "Omgång 2" and rows[2][2:] == ["4", "2", "1", "1", "2", "1", "0", "1", "0"]
    assert rows[3] == ["Total", "", "14", "10", "4", "6", "10", "6", "3", "1", "2"]
    assert rows[4] == ["Different people", "", "", "", "3", "6", "9", "", "", "", ""]
    assert len(rows) == 5
    (entry,) = ActivityLog.objects.filter(tenant=w.tenant, action=reports.STATISTICS_EXPORTED)
    assert entry.data == {"format": "csv", "kind": "statistics", "table": "rounds", "rounds": 2}
    assert entry.actor == w.coordinator


def test_csv_by_organisation_is_formula_safe(stats_world):
    w = stats_world
    w.south.name = "=HYPERLINK(1)"
    w.south.save()
    response = client_for(w.coordinator).get(stats_url(w, format="csv", table="organisations"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    assert rows[0] == [
        "Organisation",
        "Applications",
        "Accepted",
        "Mentors",
        "Adepts",
        "Participants",
        "Participants: Omgång 1",
        "Participants: Omgång 2",
    ]
    assert ["Norrby kommun", "7", "5", "3", "2", "5", "4", "1"] in rows
    assert ["'=HYPERLINK(1)", "5", "4", "1", "3", "4", "4", "0"] in rows
    assert rows[-1] == ["Total", "14", "10", "4", "6", "10", "8", "2"]


def test_xlsx_has_both_tables(stats_world):
    w = stats_world
    response = client_for(w.coordinator).get(stats_url(w, format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Per round", "By organisation"]
    rounds = [list(r) for r in book["Per round"].iter_rows(values_only=True)]
    assert rounds[0][:3] == ["Round", "Period", "Applications"]
    assert rounds[1] == ["Omgång 1", "2025-01-01 – 2025-12-31", 10, 8, 3, 5, 8, 5, 3, 0, 2]
    assert rounds[3] == ["Total", None, 14, 10, 4, 6, 10, 6, 3, 1, 2]
    orgs = [list(r) for r in book["By organisation"].iter_rows(values_only=True)]
    assert orgs[1] == ["Norrby kommun", 7, 5, 3, 2, 5, 4, 1]
    assert orgs[-1] == ["Total", 14, 10, 4, 6, 10, 8, 2]
    (entry,) = ActivityLog.objects.filter(tenant=w.tenant, action=reports.STATISTICS_EXPORTED)
    assert entry.data["format"] == "xlsx" and entry.data["table"] == "all"


def test_an_unknown_download_is_refused_with_a_message(stats_world):
    w = stats_world
    client = client_for(w.coordinator)
    for query in ({"format": "pdf"}, {"format": "csv", "table": "people"}):
        response = client.get(stats_url(w, **query), follow=True)
        assert response.redirect_chain[-1][0] == stats_url(w)
        assert "That download does not exist" in response.content.decode()
    assert not ActivityLog.objects.filter(action=reports.STATISTICS_EXPORTED).exists()


def test_isolation(stats_world):
    w = stats_world
    urls = [stats_url(w), stats_url(w, format="csv", table="rounds"), stats_url(w, format="xlsx")]
    for url in urls:
        response = client_for().get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
        for outsider in (w.other_member, w.stranger):
            assert client_for(outsider).get(url).status_code == 404, url
        assert client_for(w.hr_contact).get(url).status_code == 403, url
        assert client_for(w.participant).get(url).status_code in (403, 404), url
    coordinator = client_for(w.coordinator)
    for query in ({}, {"format": "csv", "table": "rounds"}, {"format": "xlsx"}):
        assert coordinator.get(stats_url(w, w.foreign.programme, **query)).status_code == 404
    assert not ActivityLog.objects.filter(action=reports.STATISTICS_EXPORTED).exists()


# --- queries ----------------------------------------------------------------------------------


def build(size):
    """A programme whose rounds, organisations, applications, participants and pairs grow with
    ``size``."""
    tenant = TenantFactory()
    coordinator = MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en").user
    programme = ProgrammeFactory(tenant=tenant)
    orgs = [OrganisationFactory(tenant=tenant) for _ in range(max(2, size // 3))]
    for r in range(max(1, size // 4)):
        round_ = RoundFactory(programme=programme, status=Round.Status.CLOSED)
        for i in range(size):
            org = orgs[i % len(orgs)]
            mentor = ApplicationFactory(
                round=round_, role=MENTOR, stage=Stage.MATCHED, organisation=org
            )
            adept = ApplicationFactory(
                round=round_,
                role=ADEPT,
                stage=Stage.MATCHED,
                organisation=orgs[(i + 1) % len(orgs)],
            )
            ParticipantFactory(round=round_, user=mentor.user, role=MENTOR, organisation=org)
            ParticipantFactory(
                round=round_, user=adept.user, role=ADEPT, organisation=adept.organisation
            )
            PairFactory(round=round_, mentor=mentor, adept=adept)
        ApplicationFactory(round=round_, stage=Stage.SUBMITTED, organisation=None)
    return SimpleNamespace(tenant=tenant, coordinator=coordinator, programme=programme)


@pytest.mark.parametrize(
    "query", [{}, {"format": "csv", "table": "organisations"}, {"format": "xlsx"}]
)
def test_statistics_queries_do_not_grow(query):
    def count(w):
        client = client_for(w.coordinator)
        client.get(stats_url(w, **query))  # warm up
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(stats_url(w, **query)).status_code == 200
        return len(ctx.captured_queries)

    small, large = build(2), build(12)
    with scope(tenant=large.tenant):
        assert Round.objects.filter(programme=large.programme).count() == 3
    assert count(small) == count(large)
