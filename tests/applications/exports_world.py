"""A round with applications from two organisations and another tenant's data, shared by the
export, import and dossier tests (test_exports.py, test_import.py, test_dossier.py)."""

import shutil
import subprocess
from types import SimpleNamespace

import pytest
from django.test import Client

from applications.models import Application, Question
from organisations.models import ActivityLog
from programmes.models import ManagerLevel, ParticipantRole, Round
from tests.factories.applications import (
    ApplicationFactory,
    InterviewNoteFactory,
    NominationFactory,
    QuestionFactory,
    ThemeFactory,
)
from tests.factories.organisations import OrganisationFactory
from tests.factories.programmes import RoundFactory

FOREIGN_NAME = "Främling Utomståendesson"
SECRET_NOTE = "Hemlig intervjuanteckning: stark på förändringsledning"
Stage = Application.Stage


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def exports_logged(tenant, action="applications.exported"):
    return list(
        ActivityLog.objects.filter(tenant=tenant, action=action)
        .order_by("id")
        .values_list("data", flat=True)
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


@pytest.fixture
def world(tenant, organisation, coordinator, hr_contact, other_tenant, other_member, stranger):
    """``organisation`` is the HR contact's; ``neighbour`` is another organisation of the
    same tenant, whose applicants the HR contact must never see."""
    for user in (coordinator, hr_contact, other_member, stranger):
        user.language = "en"
        user.save()
    organisation.name = "Östersunds kommun"
    organisation.save()
    neighbour = OrganisationFactory(tenant=tenant, name="Grannkommunen")
    round_ = RoundFactory(programme__tenant=tenant, name="Omgång 7", status=Round.Status.REVIEW)
    change = ThemeFactory(programme=round_.programme, name="Ledarskap i förändring")
    leading = ThemeFactory(programme=round_.programme, name="Att leda chefer")
    question = QuestionFactory(round=round_, label="Vad vill du få ut av året?")
    yes_no = QuestionFactory(
        round=round_, label="Har du haft en mentor förut?", kind=Question.Kind.YES_NO
    )

    asa = ApplicationFactory(
        round=round_,
        organisation=organisation,
        full_name="Åsa Öberg",
        email="asa.oberg@example.se",
        user__email="asa.oberg@example.se",
        job_title="Enhetschef äldreomsorg",
        region="Jämtland",
        themes=[change, leading],
        # As the form stores a yes/no answer: "yes" (the exports show the page's word).
        answers={str(question.pk): "Mod att fatta svåra beslut", str(yes_no.pk): "yes"},
        stage=Stage.ACCEPTED,
    )
    InterviewNoteFactory(application=asa, notes=SECRET_NOTE)
    NominationFactory(application=asa, motivation="Självklar kandidat från Östersund")
    evil = ApplicationFactory(
        round=round_,
        organisation=organisation,
        full_name='=HYPERLINK("http://evil.example")',
        phone="+46 70 123 45 67",
        job_title="-2+3",
        motivation="@SUM(1+1)",
        email="evil@example.se",
        user__email="evil@example.se",
    )
    gunnar = ApplicationFactory(
        round=round_,
        organisation=neighbour,
        role=ParticipantRole.MENTOR,
        capacity=2,
        full_name="Gunnar Grannsson",
        email="gunnar@example.se",
        user__email="gunnar@example.se",
        manager_level=ManagerLevel.MANAGER_OF_MANAGERS,
        years_as_manager=12,
        stage=Stage.ACCEPTED,
        themes=[leading],
    )
    draft = ApplicationFactory(
        round=round_,
        organisation=organisation,
        stage=Stage.DRAFT,
        full_name="Dragan Utkast",
        submitted_at=None,
    )

    foreign_round = RoundFactory(programme__tenant=other_tenant, status=Round.Status.REVIEW)
    foreign = ApplicationFactory(round=foreign_round, full_name=FOREIGN_NAME, stage=Stage.ACCEPTED)
    return SimpleNamespace(
        tenant=tenant,
        organisation=organisation,
        neighbour=neighbour,
        round=round_,
        themes=[change, leading],
        question=question,
        yes_no=yes_no,
        asa=asa,
        evil=evil,
        gunnar=gunnar,
        draft=draft,
        coordinator=coordinator,
        hr_contact=hr_contact,
        other_tenant=other_tenant,
        other_member=other_member,
        stranger=stranger,
        foreign_round=foreign_round,
        foreign=foreign,
    )
