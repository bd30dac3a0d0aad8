"""The round report's figures (exact numbers on a constructed round), the report page with the
conclusions form, its access rules and its number of queries."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from organisations.models import ActivityLog
from pairs.models import Pair, PairMeeting
from programmes.models import Participant, ParticipantRole
from reporting import reports
from reporting.reports import Bucket, meeting_buckets
from tests.applications.exports_world import client_for
from tests.matching.factories import PairFactory
from tests.reporting import test_report_world
from tests.reporting.test_report_world import (
    HIDDEN_QUOTE,
    PRIVATE_END_NOTE,
    QUOTE,
    at,
)

pytestmark = pytest.mark.django_db
report_world = test_report_world.report_world  # the fixture


def report_url(w, round_=None):
    return reverse(
        "reports:round", kwargs={"tenant": w.tenant.slug, "round_pk": (round_ or w.round).pk}
    )


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children, self.texts = tag, attrs, parent, [], []

    def iter(self, tag=None, **attrs):
        for child in self.children:
            if (tag is None or child.tag == tag) and all(
                child.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()
            ):
                yield child
            yield from child.iter(tag, **attrs)

    def find(self, tag=None, **attrs):
        return next(self.iter(tag, **attrs), None)

    @property
    def text(self):
        return " ".join(" ".join([*self.texts, *(child.text for child in self.children)]).split())


VOID = {"br", "img", "input", "meta", "link", "hr", "rect", "line", "path", "circle", "source"}


class Tree(HTMLParser):
    """The page as a tree of elements (the standard library's parser; enough for our
    well-formed templates): ``tree(html).find("nav", class_="page-toc")``."""

    def __init__(self):
        super().__init__()
        self.root = self.current = Element("#root", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.texts.append(data)


def tree(html):
    parser = Tree()
    parser.feed(html)
    return parser.root


def figures(w):
    with scope(tenant=w.tenant), translation.override("en"):
        return reports.report_figures(tenant=w.tenant, round_=w.round)


# --- figures ----------------------------------------------------------------------------------


def test_participation(report_world):
    p = figures(report_world)["participation"]
    rows = {row["key"]: (row["mentors"], row["adepts"], row["total"]) for row in p["rows"]}
    assert rows == {
        "applications": (4, 6, 10),  # the draft does not count
        "nominated": (2, 3, 5),
        "accepted": (3, 5, 8),  # the adept who withdrew after being accepted counts
        "participants": (3, 5, 8),
        "withdrawn": (0, 1, 1),
    }
    assert [row["label"] for row in p["rows"]] == [
        "Applications",
        "Nominated by their organisation",
        "Accepted",
        "Participants",
        "Withdrew",
    ]
    assert (p["pairs"], p["completed"], p["still_active"], p["ended_early"]) == (5, 3, 0, 2)
    assert p["round_over"] is True
    assert [(str(r["reason"]), r["count"]) for r in p["end_reasons"]] == [
        ("Changed job", 1),
        ("Other", 1),
    ]


def test_pairs_of_a_round_still_running_are_still_active(report_world):
    round_ = report_world.round
    round_.status = round_.Status.RUNNING
    round_.ends_on = date.today().replace(year=date.today().year + 1)
    round_.save()
    p = figures(report_world)["participation"]
    # Active pairs are not "completed" before the end; every ended pair ended early.
    assert (p["pairs"], p["completed"], p["still_active"], p["ended_early"]) == (5, 0, 2, 3)
    assert [(str(r["reason"]), r["count"]) for r in p["end_reasons"]] == [
        ("By agreement", 1),
        ("Changed job", 1),
        ("Other", 1),
    ]


def test_pair_meetings_against_the_cadence(report_world):
    m = figures(report_world)["meetings"]
    assert (m["pairs"], m["meetings"], m["median"], m["mean"]) == (5, 12, 2, 2.4)
    assert (m["minimum"], m["reached"], m["reached_percent"]) == (4, 2, 40)
    assert (m["hours"], m["mean_minutes"]) == (18.0, 90)
    assert [(row["label"], row["pairs"], row["percent"]) for row in m["distribution"]] == [
        ("0", 1, 20),
        ("1–2", 2, 40),
        ("3", 0, 0),
        ("4 or more", 2, 40),
    ]
    assert m["cadence_text"] == "cirka 1,5 timme var 4:e vecka"
    assert "<svg" in m["chart"] and "4 or more: 2" in m["chart"]


@pytest.mark.parametrize(
    "minimum, expected",
    [
        (None, [(0, 0), (1, 2), (3, 5), (6, 9), (10, None)]),
        (1, [(0, 0), (1, None)]),
        (2, [(0, 0), (1, 1), (2, None)]),
        (3, [(0, 0), (1, 1), (2, 2), (3, None)]),
        (6, [(0, 0), (1, 2), (3, 4), (5, 5), (6, None)]),
        (12, [(0, 0), (1, 3), (4, 6), (7, 9), (10, 11), (12, None)]),
    ],
)
def test_meeting_buckets_cover_every_count_once(minimum, expected):
    buckets = meeting_buckets(minimum)
    assert [(b.low, b.high) for b in buckets] == expected
    for n in range(0, 40):
        assert sum(b.holds(n) for b in buckets) == 1, n


def test_bucket_labels():
    with translation.override("en"):
        assert [Bucket(0, 0).label(), Bucket(1, 2).label(), Bucket(6, None).label()] == [
            "0",
            "1–2",
            "6 or more",
        ]


def test_shared_days(report_world):
    s = figures(report_world)["shared_days"]
    rows = [
        (d["title"], d["invited"], d["yes"], d["no"], d["attended"], d["attended_percent"])
        for d in s["days"]
    ]
    assert rows == [
        ("Uppstart", 8, 6, 1, 5, 62),
        ("Mentorsträff", 3, 2, 0, None, None),  # attendance not marked
        ("Adepternas dag", 5, 0, 0, None, None),  # next year
    ]
    assert [d["past"] for d in s["days"]] == [True, True, False]
    assert (s["count"], s["marked"], s["mean_attended_percent"]) == (3, 1, 62)
    assert "<svg" in s["chart"]


def test_surveys(report_world):
    section = figures(report_world)["surveys"]
    final, midterm = section["surveys"]  # by opening date: the mid-term check-in first?
    if final["title"] != "Slututvärdering 2025":
        final, midterm = midterm, final
    assert (final["invited"]["total"], final["answered"]["total"], final["response_rate"]) == (
        8,
        6,
        75,
    )
    assert final["withheld"] is False
    groups = {g["criterion"]: g for g in final["groups"]}
    assert list(groups) == ["relevance", "implementation", "goal_fulfilment"]
    (scale,) = groups["relevance"]["figures"]
    assert scale["n"] == 6
    assert round(scale["mean"], 2) == 4.33
    assert [(r["count"], r["mentors"], r["adepts"]) for r in scale["rows"]] == [
        (0, 0, 0),
        (0, 0, 0),
        (1, 0, 1),
        (2, 2, 0),
        (3, 1, 2),
    ]
    assert "<svg" in scale["chart"]
    (choice,) = groups["implementation"]["figures"]
    assert [(r["label"], r["count"]) for r in choice["rows"]] == [
        ("Parets träffar", 4),
        ("Gemensamma träffar", 2),
        ("Nätverket", 2),
    ]
    (text,) = groups["goal_fulfilment"]["texts"]
    assert sorted((q["text"], q["count"]) for q in text["quotes"]) == sorted(
        [(QUOTE, 1), ("Ny energi i mitt eget ledarskap", 1)]
    )
    assert section["quotes"] == 2
    # Two answers only: the mid-term check-in shows nothing but who answered.
    assert midterm["withheld"] is True
    assert midterm["groups"] == []
    goals = section["goals"]
    assert (goals["n"], goals["withheld"]) == (6, False)
    assert [(r["label"], r["count"], r["by_role"]) for r in goals["rows"]] == [
        ("Reached", 4, [2, 2]),
        ("Partly reached", 1, [1, 0]),
        ("Not reached", 1, [0, 1]),
    ]
    assert goals["roles"] == ["Mentors", "Adepts"]


def test_a_round_with_nothing_yet(tenant):
    from tests.factories.programmes import RoundFactory

    round_ = RoundFactory(programme__tenant=tenant, min_pair_meetings=None)
    with scope(tenant=tenant), translation.override("en"):
        f = reports.report_figures(tenant=tenant, round_=round_)
    assert f["participation"]["pairs"] == 0
    assert [row["key"] for row in f["participation"]["rows"]] == [
        "applications",
        "accepted",
        "participants",
    ]
    assert f["meetings"]["median"] is None and f["meetings"]["chart"] == ""
    assert f["shared_days"]["days"] == [] and f["shared_days"]["chart"] == ""
    assert f["surveys"]["surveys"] == [] and f["surveys"]["goals"] is None


def test_figures_take_a_fixed_number_of_queries(report_world):
    w = report_world

    def count():
        with CaptureQueriesContext(connection) as ctx:
            figures(w)
        return len(ctx.captured_queries)

    count()
    before = count()
    mentor = Participant.objects.filter(round=w.round, role=ParticipantRole.MENTOR).first()
    for index in range(6):
        pair = PairFactory(round=w.round, started_at=at(w.tenant, date(2025, 2, 1)))
        for day in range(index):
            PairMeeting.objects.create(
                tenant=w.tenant, pair=pair, date=date(2025, 3, 1 + day), minutes=60
            )
    Participant.objects.create(
        tenant=w.tenant, round=w.round, user=mentor.user, role=ParticipantRole.ADEPT
    )
    assert Pair.objects.filter(round=w.round).count() == 12
    assert count() == before


# --- the page ---------------------------------------------------------------------------------


def test_page_shows_the_figures_and_no_names_or_private_texts(report_world):
    w = report_world
    response = client_for(w.coordinator).get(report_url(w))
    assert response.status_code == 200
    content = response.content.decode()
    for expected in (
        "Round report",
        "Participation",
        "Nominated by their organisation",
        "Pairs that completed the programme",
        "Changed job",
        "Pair meetings",
        "4 or more",
        "2 of 5 (40 %)",
        "Shared meeting days",
        "Uppstart",
        "not marked",
        "not yet",
        "Slututvärdering 2025",
        "Response rate: 75 %.",
        QUOTE,
        "Fewer than 3 people answered: the results are not shown.",
        "The participants' own goals",
        'name="report_conclusions"',
        reverse("reports:start", kwargs={"tenant": w.tenant.slug, "round_pk": w.round.pk}),
    ):
        assert expected in content, expected
    for secret in (HIDDEN_QUOTE, PRIVATE_END_NOTE, w.participant.full_name, "Främmande omgång"):
        assert secret not in content, secret


def test_conclusions_are_saved_and_logged_without_the_text(report_world):
    w = report_world
    text = "Hög relevans.\n\nProgrammet är väl genomfört."
    response = client_for(w.coordinator).post(report_url(w), {"report_conclusions": f"  {text} "})
    assert response.status_code == 302
    assert response.url == report_url(w) + "#conclusions-title"
    w.round.refresh_from_db()
    assert w.round.report_conclusions == text
    (entry,) = ActivityLog.objects.filter(tenant=w.tenant, action=reports.CONCLUSIONS_SAVED)
    assert entry.data == {"characters": len(text)}
    assert entry.actor == w.coordinator
    page = client_for(w.coordinator).get(report_url(w)).content.decode()
    assert "Programmet är väl genomfört." in page
    # Saving the same text again changes nothing and logs nothing.
    client_for(w.coordinator).post(report_url(w), {"report_conclusions": text})
    assert ActivityLog.objects.filter(action=reports.CONCLUSIONS_SAVED).count() == 1


def test_too_long_conclusions_are_refused_with_a_message(report_world):
    w = report_world
    response = client_for(w.coordinator).post(report_url(w), {"report_conclusions": "x" * 20001})
    assert response.status_code == 200
    content = response.content.decode()
    assert "error-summary" in content
    assert "Ensure this value has at most 20000 characters" in content
    w.round.refresh_from_db()
    assert w.round.report_conclusions == ""


def test_isolation(report_world):
    w = report_world
    url = report_url(w)
    start = reverse("reports:start", kwargs={"tenant": w.tenant.slug, "round_pk": w.round.pk})
    response = client_for().get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    for outsider in (w.other_member, w.stranger):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(start).status_code == 404
    for member in (w.hr_contact, w.participant):
        assert client_for(member).get(url).status_code in (403, 404)
        assert client_for(member).post(url, {"report_conclusions": "x"}).status_code in (403, 404)
        assert client_for(member).post(start).status_code in (403, 404)
    assert client_for(w.hr_contact).get(url).status_code == 403
    coordinator = client_for(w.coordinator)
    assert coordinator.get(report_url(w, w.foreign.round)).status_code == 404
    assert (
        coordinator.post(report_url(w, w.foreign.round), {"report_conclusions": "x"}).status_code
        == 404
    )
    foreign_start = reverse(
        "reports:start", kwargs={"tenant": w.tenant.slug, "round_pk": w.foreign.round.pk}
    )
    assert coordinator.post(foreign_start).status_code == 404
    w.foreign.round.refresh_from_db()
    assert w.foreign.round.report_conclusions == ""


def test_page_queries_do_not_grow_with_the_pairs(report_world):
    w = report_world
    client = client_for(w.coordinator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(report_url(w)).status_code == 200
        return len(ctx.captured_queries)

    count()
    small = count()
    for _ in range(5):
        pair = PairFactory(round=w.round, started_at=at(w.tenant, date(2025, 2, 1)))
        PairMeeting.objects.create(tenant=w.tenant, pair=pair, date=date(2025, 3, 1), minutes=60)
    assert count() == small


def test_dashboard_links_the_report(report_world):
    w = report_world
    with scope(tenant=w.tenant):
        section = reports.dashboard_section(tenant=w.tenant, round_=w.round)
    assert section["template"] == "evaluation/report_dashboard_section.html"
    assert section["latest_report"] is None and section["has_conclusions"] is False
    from django.template.loader import render_to_string

    with translation.override("en"):
        html = render_to_string(section["template"], {"data": section, "tenant": w.tenant})
    assert report_url(w) in html
    assert "not written yet" in html


def test_the_dashboard_section_on_the_round_dashboard(report_world):
    """The last section of the round dashboard (mentorship.hooks.DASHBOARD_SECTIONS)."""
    from mentorship import hooks

    assert list(hooks.DASHBOARD_SECTIONS)[-1] is reports.dashboard_section
    w = report_world
    client = client_for(w.coordinator)
    client.post(report_url(w), {"report_conclusions": "Klart."})
    url = reverse("programmes:round_dashboard", kwargs={"tenant": w.tenant.slug, "pk": w.round.pk})
    content = client.get(url).content.decode()
    assert 'id="round-report-title"' in content
    assert report_url(w) in content
    assert "Your conclusions are written." in content


def test_the_pdf_draws_its_charts_smaller():
    from mentorship.charts import bar_chart_svg

    chart = bar_chart_svg(labels=["a", "b"], values=[1, 2], title="T")
    width = int(chart.split('width="')[1].split('"')[0])
    scaled = reports.scaled_charts({"x": [{"chart": chart}], "n": 3}, 0.5)
    assert scaled["n"] == 3
    svg = scaled["x"][0]["chart"]
    assert f'width="{width * 0.5:.0f}"' in svg
    assert svg.split("viewBox=")[1] == chart.split("viewBox=")[1]  # the drawing is unchanged


# --- the page's sections, charts and folded tables ---------------------------------------------


def test_the_page_is_in_sections_with_a_menu_of_them_at_the_top(report_world):
    w = report_world
    content = client_for(w.coordinator).get(report_url(w)).content.decode()
    page = tree(content)
    main = page.find("main") or page
    toc = main.find("nav", class_="page-toc report-toc")
    assert toc is not None
    # The menu comes before the first section, folds into a <details> sent open (it works
    # without JavaScript; static/js/menu.js folds it on a phone).
    assert content.index('class="page-toc report-toc"') < content.index('id="summary"')
    details = toc.find("details")
    assert "open" in details.attrs and "data-collapse" in details.attrs
    assert details.find("summary").text == "On this page"
    links = [(a.attrs["href"], a.text) for a in toc.iter("a")]
    assert links == [
        ("#summary", "Summary"),
        ("#participation", "Participation"),
        ("#pair-meetings", "Pair meetings"),
        ("#shared-days", "Shared meeting days"),
        ("#survey-1", "Avstämning i halvtid"),
        ("#survey-2", "Slututvärdering 2025"),
        ("#goals", "Own goals"),
        ("#conclusions", "Conclusions"),
        ("#pdf", "The report as a PDF"),
    ]
    for href, _label in links:
        target = main.find(id=href[1:])
        assert target is not None, href
        assert target.tag == "section", href
        assert target.find("h2") or target.find("h3"), href
    summary = main.find("section", id="summary").text
    for expected in (
        "Applications 10",
        "Participants 8",
        "Pairs 5",
        "Pairs that completed the programme 3",
        "Meetings logged 12",
        "Shared meeting days 3",
        "Response rate, Slututvärdering 2025 75 %",
    ):
        assert expected in summary, expected
    # The conclusions, then the PDF at the end.
    assert content.index('id="conclusions"') < content.index('id="pdf"')


def test_a_round_without_surveys_links_the_evaluation_section(tenant):
    from tests.applications.test_services import coordinator_membership
    from tests.factories.programmes import RoundFactory

    round_ = RoundFactory(programme__tenant=tenant)
    coordinator = coordinator_membership(tenant).user
    coordinator.language = "en"
    coordinator.save()
    url = reverse("reports:round", kwargs={"tenant": tenant.slug, "round_pk": round_.pk})
    page = tree(client_for(coordinator).get(url).content.decode())
    links = [a.attrs["href"] for a in page.find("nav", class_="page-toc report-toc").iter("a")]
    assert "#evaluation" in links and "#goals" not in links
    assert page.find("section", id="evaluation") is not None
    assert page.find("details", class_="chart-table") is None  # no pairs, no answers: no charts


def _chart_and_table(container):
    """The chart and the folded table that follows it in a question's (or section's) box."""
    svg = container.find("svg")
    details = container.find("details", class_="chart-table")
    return svg, details


def _assert_chart_has_a_text_alternative(page, svg):
    assert svg.attrs["role"] == "img"
    title_id, desc_id = svg.attrs["aria-labelledby"].split()
    assert svg.find("title", id=title_id).text
    assert svg.find("desc", id=desc_id).text
    assert page.find(id=title_id) is svg.find("title", id=title_id)  # the ids are unique


def test_each_question_is_a_chart_with_its_table_folded_under_it(report_world):
    w = report_world
    page = tree(client_for(w.coordinator).get(report_url(w)).content.decode())
    folded = list(page.iter("details", class_="chart-table"))
    # The meetings' distribution, the scale and the choice question, the own goals.
    assert len(folded) == 4
    for details in folded:
        summary = details.find("summary")
        assert summary.text.startswith("Show table")
        assert "open" not in details.attrs  # the table is there, the chart is what shows
        tables = list(details.iter("table"))
        assert len(tables) == 1
        wrap = details.find("div", class_="table-wrap")
        assert (wrap.attrs["tabindex"], wrap.attrs["role"]) == ("0", "region")
        assert wrap.attrs["aria-label"] in summary.text  # says which table it opens

    questions = [
        q
        for q in page.find("section", id="survey-2").iter("div", class_="question")
        if q.find("svg")
    ]
    assert len(questions) == 2
    scale = questions[0]
    svg, details = _chart_and_table(scale)
    _assert_chart_has_a_text_alternative(page, svg)
    assert "Svarade programmet mot ett behov du hade?" in svg.find("title").text
    # The table under the chart holds the same numbers as the chart's text alternative.
    rows = [row.text for row in details.find("tbody").iter("tr")]
    assert len(rows) == 5
    desc = svg.find("desc").text
    for row in rows:
        label, total = row.split()[0], row.split()[1]
        assert f"{label}" in desc and total in desc

    meetings = page.find("section", id="pair-meetings")
    svg, details = _chart_and_table(meetings)
    _assert_chart_has_a_text_alternative(page, svg)
    assert "4 or more 2 40 %" in details.text

    goals = page.find("section", id="goals")
    svg, details = _chart_and_table(goals)
    _assert_chart_has_a_text_alternative(page, svg)
    assert "Reached 4 2 2" in details.text

    # The withheld mid-term check-in has neither chart nor table.
    midterm = page.find("section", id="survey-1")
    assert midterm.find("svg") is None and midterm.find("details") is None


def test_the_pdf_prints_every_table_in_full(report_world):
    """The PDF (WeasyPrint) has no "Show table" to click: it prints the <details>' content,
    and its own style hides the summary."""
    w = report_world
    with scope(tenant=w.tenant), translation.override("en"):
        html = reports.render_report_html(tenant=w.tenant, round_=w.round, figures=figures(w))
    assert "details.chart-table > summary { display: none; }" in html
    page = tree(html)
    assert page.find("nav") is None  # no in-page menu in the PDF
    folded = list(page.iter("details", class_="chart-table"))
    assert len(folded) == 4
    assert all(details.find("table") is not None for details in folded)
