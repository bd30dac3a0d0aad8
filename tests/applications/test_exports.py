"""Exports of applications: one as a PDF, the round's as CSV or Excel; who may make them."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from applications.exports import csv_value, xlsx_value
from applications.models import Application
from organisations.models import ActivityLog
from tests.applications import exports_world
from tests.applications.exports_world import (
    FOREIGN_NAME,
    SECRET_NOTE,
    client_for,
    exports_logged,
    pdf_text,
)
from tests.factories.applications import ApplicationFactory

world = exports_world.world  # the fixture
pytestmark = pytest.mark.django_db
Stage = Application.Stage
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_url(w, name="export", round_=None):
    return reverse(
        f"applications:{name}", kwargs={"tenant": w.tenant.slug, "round_pk": (round_ or w.round).pk}
    )


def pdf_url(w, application, name="application_pdf"):
    return reverse(f"applications:{name}", kwargs={"tenant": w.tenant.slug, "pk": application.pk})


def post_export(client, url, columns, fmt="csv", stages=None):
    stages = stages or [s for s in Stage.values if s != Stage.DRAFT]
    return client.post(url, {"columns": columns, "format": fmt, "stages": stages})


def csv_rows(response):
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


# --- who may export ---------------------------------------------------------------------------


def every_url(w):
    return [
        export_url(w),
        export_url(w, "hr_export"),
        pdf_url(w, w.asa),
        pdf_url(w, w.asa, "hr_application_pdf"),
    ]


def test_anonymous_is_sent_to_sign_in(world):
    for url in every_url(world):
        response = client_for().get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["other_member", "stranger"])
def test_outsiders_get_not_found(world, who):
    client = client_for(getattr(world, who))
    for url in every_url(world):
        response = client.get(url)
        assert response.status_code == 404, url
        assert FOREIGN_NAME.encode() not in response.content
    response = post_export(client, export_url(world), ["full_name"])
    assert response.status_code == 404
    assert exports_logged(world.tenant) == []


def test_another_tenants_round_and_application_are_not_found(world):
    client = client_for(world.coordinator)
    assert client.get(export_url(world, round_=world.foreign_round)).status_code == 404
    response = post_export(client, export_url(world, round_=world.foreign_round), ["full_name"])
    assert response.status_code == 404
    assert client.get(pdf_url(world, world.foreign)).status_code == 404
    assert client.get(pdf_url(world, world.foreign, "hr_application_pdf")).status_code == 404
    assert exports_logged(world.tenant) == []


def test_hr_contact_may_not_use_the_coordinators_addresses(world):
    client = client_for(world.hr_contact)
    assert client.get(export_url(world)).status_code == 403
    assert post_export(client, export_url(world), ["full_name"]).status_code == 403
    assert client.get(pdf_url(world, world.asa)).status_code == 403


def test_member_without_a_role_is_forbidden(world):
    from tests.factories.organisations import MembershipFactory

    nobody = MembershipFactory(tenant=world.tenant, is_coordinator=False).user
    client = client_for(nobody)
    assert client.get(export_url(world, "hr_export")).status_code == 403
    assert client.get(pdf_url(world, world.asa, "hr_application_pdf")).status_code == 403


def test_coordinator_gets_the_form(world):
    response = client_for(world.coordinator).get(export_url(world))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="columns"' in content
    assert 'value="interview_notes"' in content
    assert "Vad vill du få ut av året?" in content  # the round's questions are columns too
    assert 'type="radio"' in content


def test_hr_contact_gets_a_form_without_interview_notes(world):
    response = client_for(world.hr_contact).get(export_url(world, "hr_export"))
    assert response.status_code == 200
    assert 'value="interview_notes"' not in response.content.decode()
    assert 'value="draft"' not in response.content.decode()


# --- CSV --------------------------------------------------------------------------------------

ALL = [
    "id",
    "full_name",
    "email",
    "phone",
    "role",
    "stage",
    "organisation",
    "job_title",
    "manager_level",
    "years_as_manager",
    "region",
    "themes",
    "capacity",
    "motivation",
    "nomination",
    "nomination_motivation",
    "submitted_at",
    "interview_notes",
]


def test_coordinator_csv(world):
    client = client_for(world.coordinator)
    columns = ALL + [f"q_{world.question.pk}", f"q_{world.yes_no.pk}"]
    response = post_export(client, export_url(world), columns)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "omgang-7" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert rows[0][:4] == ["Application number", "Name", "E-mail", "Phone"]
    assert rows[0][-2:] == ["Vad vill du få ut av året?", "Har du haft en mentor förut?"]
    by_email = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    # Drafts are left out unless asked for; the other tenant is never there.
    assert set(by_email) == {"asa.oberg@example.se", "evil@example.se", "gunnar@example.se"}
    asa = by_email["asa.oberg@example.se"]
    assert asa["Name"] == "Åsa Öberg"
    assert asa["Organisation"] == "Östersunds kommun"
    assert asa["Job title"] == "Enhetschef äldreomsorg"
    assert asa["Themes"] == "Ledarskap i förändring, Att leda chefer"
    assert asa["Stage"] == "Accepted"
    assert asa["Interview notes"] == SECRET_NOTE
    assert asa["Nomination"] == "Nominated"
    assert asa["Nomination: motivation"] == "Självklar kandidat från Östersund"
    assert asa["Vad vill du få ut av året?"] == "Mod att fatta svåra beslut"
    assert asa["Har du haft en mentor förut?"] == "Yes"
    assert asa["Adepts (mentors' capacity)"] == ""  # adepts have no capacity
    assert by_email["gunnar@example.se"]["Adepts (mentors' capacity)"] == "2"
    assert by_email["gunnar@example.se"]["Manager level"] == "Manager of managers"
    # Formula injection: every dangerous cell starts with a quote.
    evil = by_email["evil@example.se"]
    assert evil["Name"] == '\'=HYPERLINK("http://evil.example")'
    assert evil["Phone"] == "'+46 70 123 45 67"
    assert evil["Job title"] == "'-2+3"
    assert evil["Motivation"] == "'@SUM(1+1)"
    assert FOREIGN_NAME not in response.content.decode("utf-8-sig")

    assert exports_logged(world.tenant) == [
        {"format": "csv", "kind": "applications", "count": 3, "columns": columns}
    ]
    entry = ActivityLog.objects.get(tenant=world.tenant, action="applications.exported")
    assert entry.actor == world.coordinator
    assert exports_logged(world.other_tenant) == []


def test_only_the_chosen_columns_and_stages(world):
    response = post_export(
        client_for(world.coordinator),
        export_url(world),
        ["email", "full_name"],
        stages=[Stage.DRAFT],
    )
    rows = csv_rows(response)
    assert rows == [["Name", "E-mail"], ["Dragan Utkast", world.draft.email]]


def test_hr_contact_csv_has_only_their_organisations(world):
    response = post_export(
        client_for(world.hr_contact),
        export_url(world, "hr_export"),
        ["full_name", "organisation", "motivation"],
        stages=Stage.values[1:],
    )
    assert response.status_code == 200
    rows = csv_rows(response)
    names = {row[0] for row in rows[1:]}
    assert names == {"Åsa Öberg", '\'=HYPERLINK("http://evil.example")'}
    text = response.content.decode("utf-8-sig")
    assert "Gunnar" not in text
    assert "Grannkommunen" not in text
    assert "Dragan" not in text  # an HR contact never sees drafts
    assert exports_logged(world.tenant)[0]["count"] == 2


def test_hr_contact_cannot_ask_for_interview_notes_or_drafts(world):
    client = client_for(world.hr_contact)
    response = post_export(client, export_url(world, "hr_export"), ["full_name", "interview_notes"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert SECRET_NOTE not in response.content.decode()
    response = post_export(
        client, export_url(world, "hr_export"), ["full_name"], stages=[Stage.DRAFT]
    )
    assert response["Content-Type"].startswith("text/html")
    assert exports_logged(world.tenant) == []


def test_nothing_chosen_shows_the_errors(world):
    response = client_for(world.coordinator).post(export_url(world), {"format": "csv"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose at least one column." in content
    assert "Choose at least one stage." in content


# --- Excel ------------------------------------------------------------------------------------


def test_coordinator_xlsx(world):
    response = post_export(client_for(world.coordinator), export_url(world), ALL, fmt="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet, rows = xlsx_rows(response)
    assert sheet.title == "Omgång 7"
    header = rows[0]
    by_email = {row[2]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_email) == {"asa.oberg@example.se", "evil@example.se", "gunnar@example.se"}
    asa = by_email["asa.oberg@example.se"]
    assert asa["Name"] == "Åsa Öberg"
    assert asa["Organisation"] == "Östersunds kommun"
    assert asa["Years as a manager"] == 3  # numbers stay numbers
    assert asa["Interview notes"] == SECRET_NOTE
    evil = by_email["evil@example.se"]
    # Shown as typed, without the CSV's protective ': text cells, never formulas.
    assert evil["Name"] == '=HYPERLINK("http://evil.example")'
    assert evil["Phone"] == "+46 70 123 45 67"
    assert evil["Job title"] == "-2+3"
    assert evil["Motivation"] == "@SUM(1+1)"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    # Laid out for reading: the header row stays in view, filters, columns fit their content.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{len(rows)}"
    assert all(cell.font.bold for cell in sheet[1])
    widths = {
        label: sheet.column_dimensions[cell.column_letter].width
        for label, cell in zip(header, sheet[1], strict=True)
    }
    assert widths["Name"] >= len('=HYPERLINK("http://evil.example")')
    assert min(widths.values()) >= 8 and max(widths.values()) <= 60
    assert exports_logged(world.tenant)[0]["format"] == "xlsx"


def test_hr_contact_xlsx_has_only_their_organisations(world):
    response = post_export(
        client_for(world.hr_contact),
        export_url(world, "hr_export"),
        ["full_name", "organisation"],
        fmt="xlsx",
    )
    _sheet, rows = xlsx_rows(response)
    assert {row[1] for row in rows[1:]} == {"Östersunds kommun"}
    assert len(rows) == 3


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+46", "'+46"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("Åsa", "Åsa"),
        ("", ""),
        (None, ""),
        (True, "Yes"),
        (False, "No"),
    ],
)
def test_csv_value(value, expected):
    assert csv_value(value) == expected


def test_xlsx_value_drops_control_characters_and_keeps_numbers():
    assert xlsx_value("a\x00b\x07c") == "abc"
    assert xlsx_value("=cmd|' /C calc'!A0") == "=cmd|' /C calc'!A0"  # a text cell: see above
    assert xlsx_value(7) == 7
    assert xlsx_value(2.5) == 2.5


def test_yes_no_answers_are_the_pages_words_in_the_requesters_language(world):
    """A yes/no question's answer reads "Ja"/"Yes" as on the page, in CSV, XLSX and PDF."""
    world.coordinator.language = "sv"
    world.coordinator.save(update_fields=["language"])
    client = client_for(world.coordinator)
    column = f"q_{world.yes_no.pk}"
    rows = csv_rows(post_export(client, export_url(world), ["email", column]))
    by_email = {row[0]: row[1] for row in rows[1:]}
    assert by_email["asa.oberg@example.se"] == "Ja"
    _sheet, rows = xlsx_rows(post_export(client, export_url(world), ["email", column], fmt="xlsx"))
    assert {row[0]: row[1] for row in rows[1:]}["asa.oberg@example.se"] == "Ja"
    pdf = pdf_text(client.get(pdf_url(world, world.asa)).content)
    assert "Har du haft en mentor förut?" in pdf
    assert "Ja" in pdf.split("Har du haft en mentor förut?", 1)[1][:200]
    assert "yes" not in pdf.split("Har du haft en mentor förut?", 1)[1][:200]


# --- query counts -----------------------------------------------------------------------------


def _export_queries(client, url, fmt):
    with CaptureQueriesContext(connection) as ctx:
        response = post_export(client, url, ALL + ["endorsement"], fmt=fmt)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_the_applications(world, fmt):
    client = client_for(world.coordinator)
    url = export_url(world)
    _export_queries(client, url, fmt)  # warm the caches (content types, session)
    small = _export_queries(client, url, fmt)
    for _ in range(15):
        ApplicationFactory(round=world.round, organisation=world.organisation, themes=world.themes)
    assert _export_queries(client, url, fmt) == small


def test_hr_export_queries_do_not_grow_with_the_applications(world):
    client = client_for(world.hr_contact)
    url = export_url(world, "hr_export")
    _export_queries(client, url, "csv")  # warm the caches (content types, session)
    small = _export_queries(client, url, "csv")
    for _ in range(10):
        ApplicationFactory(round=world.round, organisation=world.organisation, themes=world.themes)
    assert _export_queries(client, url, "csv") == small


# --- one application as a PDF -----------------------------------------------------------------


def test_coordinator_pdf_has_everything_including_the_interview(world):
    response = client_for(world.coordinator).get(pdf_url(world, world.asa))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    for expected in (
        "Åsa Öberg",
        "Östersunds kommun",
        "Enhetschef äldreomsorg",
        "Jämtland",
        "Ledarskap i förändring, Att leda chefer",
        "Vad vill du få ut av året?",
        "Mod att fatta svåra beslut",
        "Självklar kandidat från Östersund",
        SECRET_NOTE,
        "Omgång 7",
    ):
        assert expected in text, f"{expected!r} missing from the PDF"
    assert FOREIGN_NAME not in text
    assert exports_logged(world.tenant) == [{"format": "pdf", "kind": "application"}]
    entry = ActivityLog.objects.get(tenant=world.tenant, action="applications.exported")
    assert entry.object_id == str(world.asa.pk)


def test_hr_contact_pdf_of_own_organisation_without_interview_notes(world):
    response = client_for(world.hr_contact).get(pdf_url(world, world.asa, "hr_application_pdf"))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Åsa Öberg" in text
    assert "Självklar kandidat från Östersund" in text
    assert SECRET_NOTE not in text
    assert "Interview" not in text
    assert exports_logged(world.tenant) == [{"format": "pdf", "kind": "application"}]


def test_hr_contact_gets_404_for_another_organisations_applicant_and_drafts(world):
    client = client_for(world.hr_contact)
    response = client.get(pdf_url(world, world.gunnar, "hr_application_pdf"))
    assert response.status_code == 404
    assert b"Gunnar" not in response.content
    assert client.get(pdf_url(world, world.draft, "hr_application_pdf")).status_code == 404
    assert exports_logged(world.tenant) == []


def test_coordinator_may_use_the_hr_address_too(world):
    response = client_for(world.coordinator).get(pdf_url(world, world.gunnar, "hr_application_pdf"))
    assert response.status_code == 200
    assert "Gunnar Grannsson" in pdf_text(response.content)


def test_pdf_neutralises_markup_and_fetches_nothing(world):
    world.evil.motivation = '<img src="http://127.0.0.1:9/x.png"><b>fet</b>'
    world.evil.save()
    response = client_for(world.coordinator).get(pdf_url(world, world.evil))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert '<img src="http://127.0.0.1:9/x.png"><b>fet</b>' in text  # shown, not rendered


def test_the_application_pdf_is_tagged_with_title_and_language(world):
    from tests.pdf_checks import assert_accessible_pdf

    response = client_for(world.coordinator).get(pdf_url(world, world.asa))
    assert_accessible_pdf(response.content, title="Åsa Öberg", language="en")
    world.coordinator.language = "sv"
    world.coordinator.save(update_fields=["language"])
    response = client_for(world.coordinator).get(pdf_url(world, world.asa))
    assert_accessible_pdf(response.content, title="Åsa Öberg", language="sv")
