"""Exports of a shared day's answers (CSV for Excel, PDF to print) and who may make them."""

import csv
import io
import shutil
import subprocess
import threading
from datetime import date, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from organisations.models import ActivityLog
from programmes.exports import render_pdf, safe_cell
from programmes.models import Audience, ParticipantRole, Round
from tests.factories.organisations import OrganisationFactory
from tests.factories.programmes import (
    MeetingResponseFactory,
    ParticipantFactory,
    RoundFactory,
    SharedMeetingFactory,
)

FOREIGN_NAME = "Främling Utomståendesson"
EXPORTS = ["answers_csv", "answers_pdf"]


@pytest.fixture
def world(tenant, coordinator, hr_contact, other_tenant, other_member, stranger):
    for user in (coordinator, hr_contact, other_member, stranger):
        user.language = "en"
        user.save()
    organisation = OrganisationFactory(tenant=tenant, name="Östersunds kommun")
    round_ = RoundFactory(programme__tenant=tenant, status=Round.Status.RUNNING)
    meeting = SharedMeetingFactory(
        round=round_,
        title="Uppstart på Kulturhuset",
        date=date(2026, 3, 6),
        starts_at=time(9, 0),
        ends_at=time(15, 30),
        audience=Audience.EVERYONE,
        place="Kulturhuset, Storgatan 1",
        includes_meal=True,
    )

    def person(name, email, role=ParticipantRole.ADEPT):
        return ParticipantFactory(
            round=round_,
            role=role,
            organisation=organisation,
            user__full_name=name,
            user__email=email,
        )

    asa = person("Åsa Öberg", "asa.oberg@example.se")
    MeetingResponseFactory(
        meeting=meeting,
        participant=asa,
        attending=True,
        dietary_needs="Glutenfri, inga nötter",
        attended=True,
    )
    evil = person('=HYPERLINK("http://evil.example")', "evil@example.se")
    MeetingResponseFactory(
        meeting=meeting, participant=evil, attending=True, dietary_needs="@SUM(1+1)"
    )
    bjorn = person("Björn Ängel", "bjorn@example.se", role=ParticipantRole.MENTOR)
    MeetingResponseFactory(meeting=meeting, participant=bjorn, attending=False)
    person("Cecilia Lund", "cecilia@example.se")  # no answer

    # The other tenant: a day with an answer of its own, so a leak would show.
    foreign_meeting = SharedMeetingFactory(
        round__programme__tenant=other_tenant, round__status=Round.Status.RUNNING
    )
    MeetingResponseFactory(meeting=foreign_meeting, participant__user__full_name=FOREIGN_NAME)
    return SimpleNamespace(
        tenant=tenant,
        meeting=meeting,
        coordinator=coordinator,
        hr_contact=hr_contact,
        other_tenant=other_tenant,
        other_member=other_member,
        stranger=stranger,
        foreign_meeting=foreign_meeting,
    )


def url(name, tenant, meeting):
    return reverse(f"programmes:{name}", kwargs={"tenant": tenant.slug, "pk": meeting.pk})


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def exports_logged(tenant):
    return list(
        ActivityLog.objects.filter(tenant=tenant, action="meeting.answers_exported").values_list(
            "data", flat=True
        )
    )


def pdf_text(content):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is needed (apt-get install poppler-utils)"
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


# --- CSV -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_for_swedish_excel(world):
    response = client_for(world.coordinator).get(url("answers_csv", world.tenant, world.meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "uppstart-pa-kulturhuset-2026-03-06.csv" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"\xef\xbb\xbf")

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Name",
        "E-mail",
        "Organisation",
        "Role",
        "Answer",
        "Dietary needs",
        "Attended",
    ]
    by_email = {row[1]: row for row in rows[1:]}
    assert len(by_email) == 4
    assert by_email["asa.oberg@example.se"] == [
        "Åsa Öberg",
        "asa.oberg@example.se",
        "Östersunds kommun",
        "Adept",
        "Attending",
        "Glutenfri, inga nötter",
        "Yes",
    ]
    assert by_email["bjorn@example.se"][3:6] == ["Mentor", "Not attending", ""]
    assert by_email["cecilia@example.se"][4:] == ["No answer", "", ""]
    # Formulas come out as text.
    assert by_email["evil@example.se"][0] == '\'=HYPERLINK("http://evil.example")'
    assert by_email["evil@example.se"][5] == "'@SUM(1+1)"
    assert FOREIGN_NAME not in text

    assert exports_logged(world.tenant) == [{"format": "csv"}]
    entry = ActivityLog.objects.get(tenant=world.tenant, action="meeting.answers_exported")
    assert entry.actor == world.coordinator
    assert entry.object_id == str(world.meeting.pk)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+46 70 123", "'+46 70 123"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Anna", "Anna"),
        ("", ""),
        (None, ""),
        ("a=b", "a=b"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


# --- PDF -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pdf_with_swedish_characters(world):
    response = client_for(world.coordinator).get(url("answers_pdf", world.tenant, world.meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")

    text = pdf_text(response.content)
    for expected in (
        "Uppstart på Kulturhuset",
        "Åsa Öberg",
        "Björn Ängel",
        "Östersunds kommun",
        "Glutenfri, inga nötter",
        "Kulturhuset, Storgatan 1",
        "09:00–15:30",
        "Cecilia Lund",
    ):
        assert expected in text, f"{expected!r} missing from the PDF"
    assert "Attending: 2" in text
    assert "Not attending: 1" in text
    assert "No answer: 1" in text
    assert FOREIGN_NAME not in text
    assert exports_logged(world.tenant) == [{"format": "pdf"}]


class _Recorder(BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_pdf_rendering_fetches_nothing():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        html = (
            f'<html><head><link rel="stylesheet" href="{base}/style.css"></head>'
            f'<body><img src="{base}/logo.png"><p style="background: url({base}/bg.png)">'
            f"Hej</p></body></html>"
        )
        assert render_pdf(html).startswith(b"%PDF")
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.hits == []


# --- who may export ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_is_sent_to_sign_in(world, name):
    target = url(name, world.tenant, world.meeting)
    response = client_for().get(target)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
def test_hr_contact_without_coordinator_role_is_forbidden(world, name):
    response = client_for(world.hr_contact).get(url(name, world.tenant, world.meeting))
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("who", ["other_member", "stranger"])
def test_outsiders_get_not_found(world, name, who):
    response = client_for(getattr(world, who)).get(url(name, world.tenant, world.meeting))
    assert response.status_code == 404
    assert FOREIGN_NAME.encode() not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
def test_another_tenants_meeting_is_not_found(world, name):
    response = client_for(world.coordinator).get(url(name, world.tenant, world.foreign_meeting))
    assert response.status_code == 404
    assert FOREIGN_NAME.encode() not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
def test_coordinator_may_export_and_refusals_are_not_logged(world, name):
    refused = [client_for(), client_for(world.hr_contact), client_for(world.other_member)]
    for client in refused:
        client.get(url(name, world.tenant, world.meeting))
    assert exports_logged(world.tenant) == []
    assert exports_logged(world.other_tenant) == []

    response = client_for(world.coordinator).get(url(name, world.tenant, world.meeting))
    assert response.status_code == 200
    assert exports_logged(world.tenant) == [{"format": name.removeprefix("answers_")}]


@pytest.mark.django_db
def test_the_answers_pdf_is_tagged_with_title_and_language(world):
    from tests.pdf_checks import assert_accessible_pdf

    response = client_for(world.coordinator).get(url("answers_pdf", world.tenant, world.meeting))
    language = world.coordinator.language or "sv"
    title = "Answers: " if language == "en" else "Svar: "
    assert_accessible_pdf(
        response.content, title=f"{title}{world.meeting.title}", language=language
    )
