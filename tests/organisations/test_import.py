"""Importing member organisations from CSV and Excel: preview, all or nothing, parents,
duplicates, HR contacts invited through the invitation service; and the import page."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import Workbook

from organisations import importing
from organisations.models import ActivityLog, Invitation, Organisation, Role
from tests.factories.organisations import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
Kind = Organisation.Kind


@pytest.fixture(autouse=True)
def _english():
    """The services' sentences are read in English here."""
    with translation.override("en"):
        yield


def csv_bytes(lines, *, sep=";", bom=True):
    out = io.StringIO()
    csv.writer(out, delimiter=sep).writerows(lines)
    text = out.getvalue()
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(lines):
    book = Workbook()
    sheet = book.active
    for cells in lines:
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    ["namn", "typ", "län", "ort", "del_av", "hr_kontakter"],
    ["Borås stad", "Kommun", "Västra Götalands län", "Borås", "", "hr@boras.example.se"],
    [
        "Borås stad, socialförvaltningen",
        "Area or department",
        "Västra Götalands län",
        "Borås",
        "Borås stad",
        "a@boras.example.se; b@boras.example.se",
    ],
    ["Region Väst", "region", "Västra Götalands län", "Göteborg", "", ""],
]


def names(tenant):
    return sorted(Organisation.objects.filter(tenant=tenant).values_list("name", flat=True))


def test_preview_writes_nothing_and_says_what_happens(tenant, coordinator):
    OrganisationFactory(tenant=tenant, name="Region Väst", kind=Kind.OTHER)
    plan = importing.preview_organisations(
        tenant=tenant, actor=coordinator, data=csv_bytes(GOOD), update_existing=True
    )
    assert plan.ok, plan.errors
    assert [r.name for r in plan.created] == ["Borås stad", "Borås stad, socialförvaltningen"]
    assert [r.name for r in plan.updated] == ["Region Väst"]
    assert "kind" in plan.updated[0].changed_fields
    assert plan.rows[1].kind == Kind.AREA and plan.rows[1].parent_name == "Borås stad"
    assert [a for a, _names in plan.invitations] == [
        "hr@boras.example.se",
        "a@boras.example.se",
        "b@boras.example.se",
    ]
    assert names(tenant) == ["Region Väst"]
    assert not Invitation.objects.filter(tenant=tenant).exists()


def test_import_creates_updates_sets_parents_and_invites_on_commit(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    OrganisationFactory(tenant=tenant, name="Region Väst", kind=Kind.OTHER)
    with django_capture_on_commit_callbacks(execute=True):
        plan = importing.import_organisations(
            tenant=tenant,
            actor=coordinator,
            data=xlsx_bytes(GOOD),
            filename="org.xlsx",
            update_existing=True,
        )
    assert plan.ok, plan.errors
    assert names(tenant) == ["Borås stad", "Borås stad, socialförvaltningen", "Region Väst"]
    unit = Organisation.objects.get(tenant=tenant, name="Borås stad, socialförvaltningen")
    assert unit.parent.name == "Borås stad" and unit.kind == Kind.AREA
    assert Organisation.objects.get(tenant=tenant, name="Region Väst").kind == Kind.REGION
    invitation = Invitation.objects.get(tenant=tenant, email="a@boras.example.se")
    assert invitation.role == Role.HR_CONTACT
    assert list(invitation.organisations.all()) == [unit]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a@boras.example.se",
        "b@boras.example.se",
        "hr@boras.example.se",
    ]
    entry = ActivityLog.objects.get(tenant=tenant, action="organisations.imported")
    assert entry.data["created"] == ["Borås stad", "Borås stad, socialförvaltningen"]
    assert entry.data["file"] == "org.xlsx"


def test_comma_separated_csv_without_bom(tenant, coordinator):
    data = csv_bytes([["name", "kind"], ["Alingsås kommun", "municipality"]], sep=",", bom=False)
    plan = importing.import_organisations(tenant=tenant, actor=coordinator, data=data)
    assert plan.ok, plan.errors
    assert Organisation.objects.get(tenant=tenant, name="Alingsås kommun").kind == Kind.MUNICIPALITY


def test_any_error_saves_nothing_and_names_row_and_column(
    tenant, coordinator, django_capture_on_commit_callbacks
):
    lines = [
        ["name", "kind", "parent", "hr_contacts"],
        ["Ett", "kommun", "", "ok@example.se"],
        ["Två", "planet", "", ""],
        ["Tre", "", "Finns inte", "inte-en-adress"],
        ["ett", "", "", ""],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        plan = importing.import_organisations(
            tenant=tenant, actor=coordinator, data=csv_bytes(lines)
        )
    problems = {(e.row, e.column) for e in plan.errors}
    assert problems == {(3, "kind"), (4, "parent"), (4, "hr_contacts"), (5, "name")}
    assert any("row 2" in e.message for e in plan.errors if e.row == 5)
    assert names(tenant) == []
    assert not Invitation.objects.filter(tenant=tenant).exists()
    assert mail.outbox == []


def test_a_name_already_in_the_list_is_an_error_unless_updating(tenant, coordinator):
    OrganisationFactory(tenant=tenant, name="Borås stad")
    plan = importing.preview_organisations(tenant=tenant, actor=coordinator, data=csv_bytes(GOOD))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "name")]
    assert "already an organisation" in plan.errors[0].message


def test_parent_loops_are_refused(tenant, coordinator):
    lines = [["name", "parent"], ["A", "B"], ["B", "C"], ["C", "A"], ["D", "D"]]
    plan = importing.preview_organisations(tenant=tenant, actor=coordinator, data=csv_bytes(lines))
    assert {(e.row, e.column) for e in plan.errors} == {
        (2, "parent"),
        (3, "parent"),
        (4, "parent"),
        (5, "parent"),
    }


def test_a_loop_through_an_organisation_already_in_the_list(tenant, coordinator):
    top = OrganisationFactory(tenant=tenant, name="Topp")
    OrganisationFactory(tenant=tenant, name="Under", parent=top)
    lines = [["name", "parent"], ["Topp", "Under"]]
    plan = importing.preview_organisations(
        tenant=tenant, actor=coordinator, data=csv_bytes(lines), update_existing=True
    )
    assert [(e.row, e.column) for e in plan.errors] == [(2, "parent")]


def test_parent_may_be_an_organisation_already_in_the_list(tenant, coordinator):
    OrganisationFactory(tenant=tenant, name="Västra kommun")
    lines = [["name", "parent"], ["Västra kommun, skolan", "västra kommun"]]
    plan = importing.import_organisations(tenant=tenant, actor=coordinator, data=csv_bytes(lines))
    assert plan.ok, plan.errors
    unit = Organisation.objects.get(tenant=tenant, name="Västra kommun, skolan")
    assert unit.parent.name == "Västra kommun" and unit.kind == Kind.AREA


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"%PDF-1.4 ...", "PDF"),
        (b"\x81\x8d\x8f\x90\x9d;x\r\n", "characters"),
        (b"name\r\n", "only the header"),
        (b"colour;size\r\nred;3\r\n", "Unknown column"),
    ],
)
def test_unreadable_files_are_refused_with_a_sentence(tenant, coordinator, data, words):
    plan = importing.preview_organisations(tenant=tenant, actor=coordinator, data=data)
    assert not plan.ok
    assert words in " ".join(e.message for e in plan.errors)


def test_huge_files_are_capped(tenant, coordinator, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    lines = [["name"]] + [[f"Org {n}"] for n in range(10)]
    plan = importing.preview_organisations(tenant=tenant, actor=coordinator, data=csv_bytes(lines))
    assert "more than 3 rows" in plan.errors[0].message
    monkeypatch.setattr(importing, "MAX_BYTES", 10)
    plan = importing.preview_organisations(tenant=tenant, actor=coordinator, data=csv_bytes(lines))
    assert "too large" in plan.errors[0].message


def test_hr_contact_already_there_is_not_invited_again(tenant, coordinator):
    org = OrganisationFactory(tenant=tenant, name="Borås stad")
    MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[org],
        user__email="hr@boras.example.se",
    )
    lines = [["name", "hr_contacts"], ["Borås stad", "HR@boras.example.se"]]
    plan = importing.import_organisations(
        tenant=tenant, actor=coordinator, data=csv_bytes(lines), update_existing=True
    )
    assert plan.ok and plan.skipped_contacts == ["hr@boras.example.se"]
    assert not Invitation.objects.filter(tenant=tenant).exists()


def test_only_coordinators_import(tenant, hr_contact):
    with pytest.raises(PermissionDenied):
        importing.preview_organisations(tenant=tenant, actor=hr_contact, data=csv_bytes(GOOD))


def test_the_sample_file_imports_cleanly(tenant, coordinator):
    data = (Path(__file__).resolve().parents[2] / "docs" / "sample-organisations.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
    plan = importing.preview_organisations(tenant=tenant, actor=coordinator, data=data)
    assert plan.ok, plan.errors
    assert len(plan.created) == 4


# --- the page ------------------------------------------------------------------------------


def page(tenant):
    return reverse("organisations:organisation_import", kwargs={"tenant": tenant.slug})


def logged_in(user):
    user.language = "en"
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_page_previews_then_imports_on_confirm(tenant, coordinator):
    client = logged_in(coordinator)
    listing = client.get(reverse("organisations:organisation_list", kwargs={"tenant": tenant.slug}))
    assert page(tenant) in listing.content.decode()
    upload = SimpleUploadedFile("org.csv", csv_bytes(GOOD), content_type="text/csv")
    response = client.post(page(tenant), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "3 organisations will be created" in body and "3 HR contacts will be invited" in body
    assert names(tenant) == []
    signed = re.search(r'name="signed" value="([^"]+)"', body).group(1)
    response = client.post(page(tenant), {"signed": signed}, follow=True)
    assert "3 organisations created." in response.content.decode()
    assert len(names(tenant)) == 3


def test_page_lists_errors_and_saves_nothing(tenant, coordinator):
    client = logged_in(coordinator)
    lines = [["name", "kind"], ["A", "planet"]]
    upload = SimpleUploadedFile("bad.csv", csv_bytes(lines), content_type="text/csv")
    response = client.post(page(tenant), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: bad.csv has 1 problem." in body and "planet" in body
    assert names(tenant) == []


def test_tampered_confirmation_is_refused(tenant, coordinator):
    client = logged_in(coordinator)
    response = client.post(page(tenant), {"signed": "garbage"}, follow=True)
    assert "Upload it anew" in response.content.decode()
    assert names(tenant) == []


def test_sample_download(tenant, coordinator):
    response = logged_in(coordinator).get(page(tenant) + "?download=sample")
    assert response["Content-Disposition"].endswith('sample-organisations.csv"')
    assert "namn;typ" in response.content.decode("utf-8-sig")


def test_other_tenants_organisations_are_not_parents(tenant, coordinator, other_tenant):
    lines = [["name", "parent"], ["Min enhet", "Främmande kommun"]]
    plan = importing.preview_organisations(tenant=tenant, actor=coordinator, data=csv_bytes(lines))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "parent")]
    with scopes_disabled():
        assert Organisation.objects.filter(name="Främmande kommun").count() == 1
