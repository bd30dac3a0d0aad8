"""Importing applications from CSV and Excel: formats, all or nothing, limits, the command."""

import html
import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from applications import importing
from applications.models import Application, StageChange, Theme
from organisations.models import ActivityLog, Organisation
from programmes.models import ManagerLevel, Participant, ParticipantRole
from tests.applications import exports_world
from tests.applications.exports_world import (
    client_for,
)
from tests.factories.organisations import OrganisationFactory

world = exports_world.world  # the fixture
pytestmark = pytest.mark.django_db
Stage = Application.Stage
User = get_user_model()

HEADER = [
    "role",
    "first_name",
    "last_name",
    "email",
    "organisation",
    "title",
    "manager_email",
    "manager_level",
    "years_as_manager",
    "region",
    "themes",
    "capacity",
]


def people():
    return [
        [
            "mentor",
            "Märta",
            "Ångström",
            "marta.angstrom@example.se",
            "Östersunds kommun",
            "Förvaltningschef",
            "chef1@example.se",
            "manager_of_managers",
            "15",
            "Jämtland",
            "Ledarskap i förändring|Att leda chefer",
            "3",
        ],
        [
            "adept",
            "Örjan",
            "Ekström",
            "Orjan.Ekstrom@Example.se",
            "grannkommunen",
            "Enhetschef",
            "",
            "Första linjens chef",
            "1",
            "",
            "Att leda chefer",
            "",
        ],
    ]


def csv_bytes(rows, delimiter=",", encoding="utf-8", header=HEADER):
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_url(w, round_=None):
    return reverse(
        "applications:import", kwargs={"tenant": w.tenant.slug, "round_pk": (round_ or w.round).pk}
    )


def upload(client, url, data, name="ansokningar.csv", **extra):
    return client.post(
        url, {"file": SimpleUploadedFile(name, data), "stage": Stage.SUBMITTED, **extra}
    )


def imported(w):
    return Application.objects.filter(
        round=w.round, email__in=["marta.angstrom@example.se", "orjan.ekstrom@example.se"]
    ).order_by("role")


def run(w, data, **kwargs):
    kwargs.setdefault("filename", "fil.csv")
    return importing.import_applications(
        tenant=w.tenant, round_=w.round, actor=w.coordinator, data=data, **kwargs
    )


# --- who may import ---------------------------------------------------------------------------


def test_isolation(world):
    url = import_url(world)
    response = client_for().get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    for outsider in (world.other_member, world.stranger):
        assert client_for(outsider).get(url).status_code == 404
        assert upload(client_for(outsider), url, csv_bytes(people())).status_code == 404
    assert client_for(world.hr_contact).get(url).status_code == 403
    assert upload(client_for(world.hr_contact), url, csv_bytes(people())).status_code == 403
    # A coordinator cannot import into another tenant's round.
    response = upload(
        client_for(world.coordinator), import_url(world, world.foreign_round), csv_bytes(people())
    )
    assert response.status_code == 404
    assert not imported(world).exists()
    assert client_for(world.coordinator).get(url).status_code == 200


def test_the_page_documents_the_format_and_serves_the_sample(world):
    client = client_for(world.coordinator)
    response = client.get(import_url(world))
    content = response.content.decode()
    for column in (
        "role",
        "first_name",
        "last_name",
        "email",
        "organisation",
        "title",
        "manager_email",
        "manager_level",
        "years_as_manager",
        "region",
        "themes",
        "capacity",
    ):
        assert f"<code>{column}</code>" in content
    assert "?download=sample" in content
    assert "?download=format" in content
    sample = client.get(import_url(world) + "?download=sample")
    assert sample.status_code == 200
    assert sample.content == (Path(settings.BASE_DIR) / "docs" / "sample-import.csv").read_bytes()
    doc = client.get(import_url(world) + "?download=format")
    assert "All or nothing" in doc.content.decode()
    assert (
        client_for(world.hr_contact).get(import_url(world) + "?download=sample").status_code == 403
    )


def test_the_sample_file_imports(world):
    # The world's programme has the sample's themes; its organisations are created.
    data = (Path(settings.BASE_DIR) / "docs" / "sample-import.csv").read_bytes()
    # In the form Swedish Excel opens and saves ("CSV UTF-8"), like the exports: a byte-order
    # mark and semicolons.
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("role;first_name;last_name;email;") and "," not in header
    result = run(world, data, create_organisations=True)
    assert result.ok, result.errors
    assert len(result.created) == 3
    assert {o.name for o in result.organisations_created} == {"Exempelkommunen", "Exempelregionen"}


# --- happy paths ------------------------------------------------------------------------------


def check_imported(w, stage=Stage.SUBMITTED):
    marta, orjan = imported(w).order_by("-role")
    assert marta.role == ParticipantRole.MENTOR
    assert marta.full_name == "Märta Ångström"
    assert marta.organisation == w.organisation
    assert marta.job_title == "Förvaltningschef"
    assert marta.manager_email == "chef1@example.se"
    assert marta.manager_level == ManagerLevel.MANAGER_OF_MANAGERS
    assert marta.years_as_manager == 15
    assert marta.region == "Jämtland"
    assert marta.capacity == 3
    assert marta.stage == stage
    assert marta.submitted_at is not None
    assert {t.name for t in marta.themes.all()} == {"Ledarskap i förändring", "Att leda chefer"}
    # Case-insensitive organisation, Swedish level name, the organisation's region by default.
    assert orjan.email == "orjan.ekstrom@example.se"
    assert orjan.organisation == w.neighbour
    assert orjan.manager_level == ManagerLevel.FIRST_LINE
    assert orjan.region == w.neighbour.region
    assert orjan.capacity == 1
    for application in (marta, orjan):
        assert not application.user.has_usable_password()
        assert application.user.email == application.email
        history = StageChange.objects.get(application=application)
        assert (history.from_stage, history.to_stage) == ("", stage)
        log = ActivityLog.objects.get(
            tenant=w.tenant, action="application.imported", object_id=str(application.pk)
        )
        assert log.data["after"] == {"stage": stage}
    return marta, orjan


def test_utf8_comma_file_through_the_page(world):
    response = upload(client_for(world.coordinator), import_url(world), csv_bytes(people()))
    assert response.status_code == 302
    assert response.url == reverse(
        "applications:review_list", kwargs={"tenant": world.tenant.slug, "round_pk": world.round.pk}
    )
    marta, _orjan = check_imported(world)
    assert StageChange.objects.get(application=marta).actor == world.coordinator
    summary = ActivityLog.objects.get(tenant=world.tenant, action="applications.imported")
    assert summary.data["count"] == 2
    assert summary.data["file"] == "ansokningar.csv"
    assert summary.actor == world.coordinator


def test_excel_swedish_csv_cp1252_semicolons(world):
    data = csv_bytes(people(), delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = run(world, data)
    assert result.ok, result.errors
    check_imported(world)


def test_utf8_with_bom_and_semicolons(world):
    result = run(world, b"\xef\xbb\xbf" + csv_bytes(people(), delimiter=";"))
    assert result.ok, result.errors
    check_imported(world)


def test_xlsx_file(world):
    response = upload(
        client_for(world.coordinator),
        import_url(world),
        xlsx_bytes(people()),
        name="ansokningar.xlsx",
    )
    assert response.status_code == 302
    check_imported(world)


def test_swedish_column_names(world):
    header = [
        "Roll",
        "Förnamn",
        "Efternamn",
        "E-post",
        "Organisation",
        "Titel",
        "Chefens e-post",
        "Chefsnivå",
        "År som chef",
        "Län",
        "Teman",
        "Kapacitet",
    ]
    result = run(world, csv_bytes(people(), delimiter=";", header=header))
    assert result.ok, result.errors
    check_imported(world)


def test_existing_user_is_reused_and_accepted_become_participants(world):
    existing = User.objects.create_user(
        email="marta.angstrom@example.se", password="x" * 12, full_name="Märta Å."
    )
    result = run(world, csv_bytes(people()), stage=Stage.ACCEPTED)
    assert result.ok, result.errors
    marta = imported(world).get(role=ParticipantRole.MENTOR)
    assert marta.user == existing
    assert existing.has_usable_password()
    assert User.objects.filter(email="marta.angstrom@example.se").count() == 1
    assert Participant.objects.filter(
        round=world.round, user=existing, role=ParticipantRole.MENTOR
    ).exists()
    assert Participant.objects.filter(
        round=world.round, role=ParticipantRole.ADEPT, user__email="orjan.ekstrom@example.se"
    ).exists()


def test_formula_protection_from_our_own_export_is_undone(world):
    rows = people()
    rows[0][5] = "'-chef"
    result = run(world, csv_bytes(rows))
    assert result.ok, result.errors
    assert imported(world).get(role="mentor").job_title == "-chef"


# --- all or nothing ---------------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_every_problem_is_listed(world):
    rows = people() + [
        [
            "mentor",
            "Berit",
            "Berg",
            "inte-en-adress",
            "Östersunds kommun",
            "",
            "",
            "",
            "",
            "",
            "",
            "11",
        ],
        [
            "chef",
            "Carl",
            "",
            "carl@example.se",
            "Okänd kommun",
            "",
            "",
            "nivå 9",
            "sju",
            "",
            "Tema som inte finns",
            "",
        ],
        [
            "adept",
            "Åsa",
            "Öberg",
            "asa.oberg@example.se",
            "Östersunds kommun",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],  # already applied as adept (world)
        [
            "adept",
            "Örjan",
            "Ekström",
            "orjan.ekstrom@example.se",
            "Grannkommunen",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],  # twice in the file
    ]
    users_before = User.objects.count()
    orgs_before = Organisation.objects.count()
    logs_before = ActivityLog.objects.count()
    response = upload(client_for(world.coordinator), import_url(world), csv_bytes(rows))
    assert response.status_code == 200
    assert not imported(world).exists()
    assert User.objects.count() == users_before
    assert Organisation.objects.count() == orgs_before
    assert ActivityLog.objects.count() == logs_before

    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert errors == {
        (4, "email"),
        (4, "capacity"),
        (5, "role"),
        (5, "last_name"),
        (5, "organisation"),
        (5, "manager_level"),
        (5, "years_as_manager"),
        (5, "themes"),
        (6, "email"),
        (7, "email"),
    }
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "10 problems" in content
    assert "Unknown organisation “Okänd kommun”" in content
    assert "The programme has no theme “Tema som inte finns”" in content
    assert "The same person and role as on row 3." in content
    assert "asa.oberg@example.se already has an application as adept in this round." in content


def test_create_organisations_instead_of_errors(world):
    rows = people()
    rows[1][4] = "Nya kommunen"
    rows.append(
        ["adept", "Ny", "Person", "ny@example.se", "NYA KOMMUNEN", "", "", "", "", "", "", ""]
    )
    assert not run(world, csv_bytes(rows)).ok
    result = run(world, csv_bytes(rows), create_organisations=True)
    assert result.ok, result.errors
    assert [o.name for o in result.organisations_created] == ["Nya kommunen"]
    new = Organisation.objects.get(tenant=world.tenant, name="Nya kommunen")
    assert Application.objects.filter(organisation=new).count() == 2
    assert ActivityLog.objects.filter(tenant=world.tenant, action="organisation.created").exists()


def test_matching_columns_and_the_kind_of_a_new_organisation(world):
    header = HEADER + [
        "önskemål",
        "annan_sektor",
        "organisationstyp",
        "verksamhetsområde",
        "utbildning",
        "arbetslivserfarenhet",
    ]
    rows = people()
    rows[0] += ["", "nej", "", "Socialtjänst", "Socionom", "Socialchef i tio år"]
    rows[1][4] = "Nya regionen"
    rows[1] += ["Gärna någon inom skolan", "Ja", "Region", "Skola", "Lärare", ""]
    result = run(world, csv_bytes(rows, header=header), create_organisations=True)
    assert result.ok, result.errors
    adept, mentor = imported(world)
    assert (adept.matching_wishes, adept.prefers_other_sector) == ("Gärna någon inom skolan", True)
    assert (adept.work_field, adept.education) == ("Skola", "Lärare")
    assert (mentor.prefers_other_sector, mentor.work_experience) == (False, "Socialchef i tio år")
    assert Organisation.objects.get(tenant=world.tenant, name="Nya regionen").kind == "region"


def test_years_at_the_level_column(world):
    """Seed 002 counts years at the manager level: the import carries them, in Swedish too,
    and refuses a number that is no number or more than the years as a manager."""
    header = HEADER + ["år på nivån"]
    rows = people()
    rows[0] += ["4"]
    rows[1] += [""]
    result = run(world, csv_bytes(rows, header=header))
    assert result.ok, result.errors
    adept, mentor = imported(world)
    assert (mentor.years_in_level, adept.years_in_level) == (4, None)

    imported(world).delete()
    rows = people()
    rows[0] += ["16"]
    rows[1] += ["många"]
    result = run(world, csv_bytes(rows, header=header))
    assert not result.ok
    found = {(e.row, e.column): e.message for e in result.errors}
    assert found[(2, "years_in_level")] == (
        "The years at the level cannot be more than the years as a manager."
    )
    assert found[(3, "years_in_level")] == "Write a whole number from 0 to 60."
    assert not imported(world).exists()


def test_bad_yes_no_and_unknown_kind_are_errors_in_their_row(world):
    header = HEADER + ["prefers_other_sector", "organisation_kind"]
    rows = people()
    rows[0] += ["kanske", ""]
    rows[1] += ["", "rymdstation"]
    result = run(world, csv_bytes(rows, header=header), create_organisations=True)
    assert not result.ok
    found = {(e.row, e.column): e.message for e in result.errors}
    assert found[(2, "prefers_other_sector")] == "Write yes or no (ja or nej)."
    assert found[(3, "organisation_kind")] == "Unknown kind of organisation “rymdstation”."
    assert not imported(world).exists()


def test_create_themes_instead_of_errors(world):
    rows = people()
    rows[0][10] = "Ledarskap i förändring|Hållbart ledarskap"
    rows[1][10] = "hållbart  ledarskap|Att leda chefer"
    result = run(world, csv_bytes(rows))
    assert not result.ok
    assert any("Hållbart ledarskap" in e.message for e in result.errors)
    result = run(world, csv_bytes(rows), create_themes=True)
    assert result.ok, result.errors
    assert [t.name for t in result.themes_created] == ["Hållbart ledarskap"]
    new = Theme.objects.get(programme=world.round.programme, name="Hållbart ledarskap")
    adept, mentor = imported(world)
    assert new in mentor.themes.all() and new in adept.themes.all()
    assert adept.themes.count() == 2


def test_another_tenants_organisation_is_unknown(world):
    OrganisationFactory(tenant=world.other_tenant, name="Bara hos grannen")
    rows = people()
    rows[0][4] = "Bara hos grannen"
    result = run(world, csv_bytes(rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "organisation")]


def test_unknown_and_missing_columns(world):
    header = [h for h in HEADER if h != "email"] + ["favoritfärg"]
    rows = [[v for i, v in enumerate(r) if HEADER[i] != "email"] + ["blå"] for r in people()]
    result = run(world, csv_bytes(rows, header=header))
    messages = [e.message for e in result.errors]
    assert "Unknown column “favoritfärg”. The columns are described on the import page." in messages
    assert "The column “email” is missing." in messages
    assert not imported(world).exists()


# --- files that are not right -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data, name, message",
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "bild.png",
            "The file is not a spreadsheet.",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "brev.pdf", "The file is a PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "gammal.xls", "old Excel format"),
        (b"PK\x03\x04" + bytes(200), "trasig.xlsx", "The file is not a spreadsheet."),
        (b"Hej! Har ni fatt min ansokan? Mvh Asa", "brev.txt", "The file is not a spreadsheet."),
        (
            b"Hej, har ni fatt min ansokan, undrar jag",
            "brev.txt",
            "This does not look like a list of applications",
        ),
        (b"", "tom.csv", "file is empty."),  # Django's own FileField message
        (
            b"role,first_name,last_name,email,organisation\r\n",
            "bara-rubrik.csv",
            "only the header row",
        ),
    ],
)
def test_not_a_spreadsheet_gives_a_clear_error(world, data, name, message):
    response = upload(client_for(world.coordinator), import_url(world), data, name=name)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert not Application.objects.filter(
        round=world.round, stage=Stage.SUBMITTED, email__startswith="marta"
    ).exists()


def test_a_word_document_is_not_a_spreadsheet(world):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    result = run(world, out.getvalue())
    assert [e.message for e in result.errors] == [str(importing._NOT_A_SPREADSHEET)]


def test_50000_rows_are_refused_quickly(world):
    row = [
        "adept",
        "Anna",
        "Andersson",
        "anna{}@example.se",
        "Östersunds kommun",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    lines = [",".join(HEADER)] + [",".join(row).format(i) for i in range(50_000)]
    data = "\n".join(lines).encode()
    assert len(data) < importing.MAX_BYTES  # refused for its rows, not its size
    started = time.monotonic()
    response = upload(client_for(world.coordinator), import_url(world), data)
    assert time.monotonic() - started < 10
    content = response.content.decode()
    assert "The file has more than 5 000 rows." in content
    assert not Application.objects.filter(round=world.round, full_name="Anna Andersson").exists()


def test_too_many_rows_in_excel(world):
    rows = [
        [
            "adept",
            "Anna",
            "Andersson",
            f"anna{i}@example.se",
            "Östersunds kommun",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
        for i in range(importing.MAX_ROWS + 1)
    ]
    result = run(world, xlsx_bytes(rows), filename="stor.xlsx")
    assert [e.message for e in result.errors] == [
        "The file has more than 5 000 rows. Import at most 5 000 applications at a time: split "
        "the file into smaller ones."
    ]


def test_too_large_file(world):
    data = csv_bytes(people()) + b"#" * importing.MAX_BYTES
    response = upload(client_for(world.coordinator), import_url(world), data)
    assert response.status_code == 200
    assert "The file is too large." in response.content.decode()
    assert not imported(world).exists()


# --- the command ------------------------------------------------------------------------------


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_command_imports(world, tmp_path, capsys):
    path = write(tmp_path, "ansokningar.csv", csv_bytes(people(), delimiter=";", encoding="cp1252"))
    call_command("import_applications", path, tenant=world.tenant.slug, round=world.round.pk)
    assert "Imported 2 applications" in capsys.readouterr().out
    marta, _orjan = check_imported(world)
    history = StageChange.objects.get(application=marta)
    assert history.actor is None
    assert history.actor_label == "manage.py import_applications"


def test_command_with_stage_and_new_organisations(world, tmp_path, capsys):
    rows = people()
    rows[1][4] = "Nya kommunen"
    path = write(tmp_path, "ansokningar.xlsx", xlsx_bytes(rows))
    call_command(
        "import_applications",
        path,
        "--tenant",
        world.tenant.slug,
        "--round",
        str(world.round.pk),
        "--stage",
        "accepted",
        "--create-organisations",
    )
    out = capsys.readouterr().out
    assert "Created organisation: Nya kommunen" in out
    assert imported(world).filter(stage=Stage.ACCEPTED).count() == 2
    assert Participant.objects.filter(round=world.round).count() >= 2


def test_command_reports_errors_and_imports_nothing(world, tmp_path, capsys):
    rows = people()
    rows[1][3] = "fel"
    path = write(tmp_path, "ansokningar.csv", csv_bytes(rows))
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_applications", path, tenant=world.tenant.slug, round=world.round.pk)
    assert "row 3 [email]" in capsys.readouterr().err
    assert not imported(world).exists()


def test_command_refuses_another_tenants_round(world, tmp_path):
    path = write(tmp_path, "ansokningar.csv", csv_bytes(people()))
    with pytest.raises(CommandError, match="has no round"):
        call_command(
            "import_applications", path, tenant=world.tenant.slug, round=world.foreign_round.pk
        )
    with pytest.raises(CommandError, match="No tenant"):
        call_command("import_applications", path, tenant="finns-inte", round=world.round.pk)
    assert not imported(world).exists()


def test_the_managers_address_may_not_be_the_applicants_own(world):
    """Case and spaces ignored: the manager's link would let the applicant endorse themselves."""
    rows = people()
    rows[0][HEADER.index("manager_email")] = " MARTA.Angstrom@example.se"
    own = "Give your manager's address, not your own."
    with translation.override("en"):
        result = run(world, csv_bytes(rows))
    assert [(e.row, e.column, e.message) for e in result.errors] == [(2, "manager_email", own)]
    assert not imported(world).exists()

    response = upload(client_for(world.coordinator), import_url(world), xlsx_bytes(rows))
    assert response.status_code == 200
    assert own in html.unescape(response.content.decode())
    assert not imported(world).exists()


# --- hostile or broken Excel files ----------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)


HANDMADE_ROWS = 1500  # a sheet of some 300 kB: parsed in pieces, most of it while rows are read


def _handmade_xlsx(*, sheet=None, shared_strings=None):
    """A plain .xlsx as Excel writes it: a header and HANDMADE_ROWS rows of people()'s first
    person, the texts in xl/sharedStrings.xml; ``sheet`` or ``shared_strings`` replace those
    parts."""
    import zipfile
    from xml.sax.saxutils import escape

    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    texts = HEADER + people()[0]
    strings = "".join(f"<si><t>{escape(t)}</t></si>" for t in texts)
    columns = "ABCDEFGHIJKL"

    def cells(row, offset):
        return "".join(
            f'<c r="{columns[i]}{row}" t="s"><v>{offset + i}</v></c>' for i in range(len(HEADER))
        )

    parts = {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": head + f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="Ansökningar" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet
        or head
        + f'<worksheet xmlns="{main}">'
        # As Excel writes it: the size first, so a reader need not parse the whole sheet.
        f'<dimension ref="A1:L{HANDMADE_ROWS + 1}"/>'
        f'<sheetData><row r="1">{cells(1, 0)}</row>'
        + "".join(
            f'<row r="{n}">{cells(n, len(HEADER))}</row>' for n in range(2, HANDMADE_ROWS + 2)
        )
        + "</sheetData></worksheet>",
        "xl/sharedStrings.xml": shared_strings
        or head
        + f'<sst xmlns="{main}" count="{len(texts)}" uniqueCount="{len(texts)}">{strings}</sst>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml.encode())
    return out.getvalue()


def _part(name):
    import zipfile

    return zipfile.ZipFile(io.BytesIO(_handmade_xlsx())).read(name).decode()


def _with_entities(xml, where):
    """The part's XML behind a DOCTYPE of nested entities, the biggest used at the last
    ``where`` (10⁹ "lol"s if expanded): far into the part, past what is parsed on opening."""
    body = xml.split("?>", 1)[1]
    at = body.rindex(where) + len(where)
    return BILLION_LAUGHS + body[:at] + "&lol9;" + body[at:]


def _truncated(xml):
    return xml[: len(xml) * 9 // 10]


HOSTILE_FILES = {
    "billion-laughs-in-the-sheet": lambda: _handmade_xlsx(
        sheet=_with_entities(
            _part("xl/worksheets/sheet1.xml").replace(
                '<c r="A1501" t="s"><v>12</v></c>',
                '<c r="A1501" t="inlineStr"><is><t>mentor</t></is></c>',
            ),
            "<is><t>mentor",
        )
    ),
    "billion-laughs-in-the-shared-strings": lambda: _handmade_xlsx(
        shared_strings=_with_entities(_part("xl/sharedStrings.xml"), "<t>role")
    ),
    "sheet-broken-half-way": lambda: _handmade_xlsx(
        sheet=_truncated(_part("xl/worksheets/sheet1.xml"))
    ),
    "shared-strings-broken-half-way": lambda: _handmade_xlsx(
        shared_strings=_truncated(_part("xl/sharedStrings.xml"))
    ),
}


def test_the_handmade_excel_file_imports_when_it_is_not_tampered_with(world):
    """The control for the hostile files below: the same file, untouched, is read."""
    with translation.override("en"):
        rows = importing.read_table(_handmade_xlsx())
    assert rows[0] == HEADER
    assert len(rows) == HANDMADE_ROWS + 1
    assert rows[-1][:4] == ["mentor", "Märta", "Ångström", "marta.angstrom@example.se"]


def test_openpyxl_reads_xml_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_a_hostile_or_broken_excel_file_is_refused_through_the_service(world, kind):
    data = HOSTILE_FILES[kind]()
    started = time.monotonic()
    with translation.override("en"):
        result = run(world, data, filename="elak.xlsx")
        refused = str(importing._NOT_A_SPREADSHEET)
    assert time.monotonic() - started < 10
    assert [(e.row, e.message) for e in result.errors] == [(None, refused)]
    assert result.created == []
    assert not imported(world).exists()
    assert not ActivityLog.objects.filter(action="applications.imported").exists()


@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_a_hostile_or_broken_excel_file_is_refused_through_the_page(world, kind):
    applications_before = Application.objects.count()
    response = upload(
        client_for(world.coordinator),
        import_url(world),
        HOSTILE_FILES[kind](),
        name="elak.xlsx",
    )
    assert response.status_code == 200
    assert "The file is not a spreadsheet." in html.unescape(response.content.decode())
    assert Application.objects.count() == applications_before
    assert User.objects.filter(email="marta.angstrom@example.se").count() == 0
