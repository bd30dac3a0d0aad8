"""The rights of the person (GDPR art. 15, 17, 20): the register extract as PDF and JSON,
the erasure request and how a coordinator carries it out; the extract for someone who asks
by mail. With isolation: another tenant's person, and another person of the same tenant."""

import json
import subprocess
import tempfile
import uuid
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from applications.models import Application, InterviewNote, PutForward
from choosing.models import MentorRequest
from messaging import services as messaging
from organisations.models import ActivityLog, Membership
from pairs import checklists
from pairs.models import ChecklistItemAnswer, Pair, PairMeeting, PrivateNote
from privacy.models import ErasureRequest
from programmes.models import Participant
from tests.factories.applications import (
    ApplicationFactory,
    EndorsementFactory,
    NominationFactory,
    QuestionFactory,
)
from tests.factories.organisations import MembershipFactory, UserFactory
from tests.factories.programmes import ParticipantFactory, RoundFactory
from tests.matching.factories import PairFactory


def url(tenant, name, **kwargs):
    return reverse(f"privacy:{name}", kwargs={"tenant": tenant.slug, **kwargs})


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(tenant, other_tenant):
    return build(tenant, other_tenant)


def build(tenant, other_tenant):
    """Sara, an adept in a pair with Mona, with something of every kind; Olle, another
    applicant of the same tenant; Frida, a person of another tenant only."""
    coordinator = MembershipFactory(
        tenant=tenant, is_coordinator=True, user__language="en", user__full_name="Karin Koord"
    ).user
    round_ = RoundFactory(programme__tenant=tenant, status="running")
    question = QuestionFactory(round=round_, label="Vad vill du lära dig?")
    sara = UserFactory(full_name="Sara Svensson", email="sara@kommun.example", language="en")
    pair = PairFactory(
        round=round_,
        adept__user=sara,
        adept__answers={str(question.pk): "Att leda förändring"},
        adept__manager_name="Chefen Cecilia",
        mentor__user=UserFactory(full_name="Mona Mentor"),
    )
    adept = pair.adept
    EndorsementFactory(application=adept, manager_name="Chefen Cecilia", comment="Sara är redo")
    NominationFactory(application=adept, nominated=True, motivation="Stark kandidat")
    InterviewNote.objects.create(tenant=tenant, application=adept, notes="Tydlig och engagerad")
    for application in (adept, pair.mentor):
        ParticipantFactory(round=round_, user=application.user, role=application.role)
    meeting = PairMeeting.objects.create(
        tenant=tenant, pair=pair, date=timezone.localdate(), minutes=90, logged_by=sara
    )
    PrivateNote.objects.create(tenant=tenant, meeting=meeting, author=sara, text="Saras anteckning")
    PrivateNote.objects.create(
        tenant=tenant, meeting=meeting, author=pair.mentor.user, text="Monas egen anteckning"
    )
    (checklist,) = checklists.start_from_template(
        tenant=tenant,
        actor=None,
        programme=round_.programme,
        round_=round_,
        template="relationship",
    )
    ChecklistItemAnswer.objects.create(
        tenant=tenant, pair=pair, user=sara, item=checklist.items.first(), text="Saras svar"
    )
    MentorRequest.objects.create(
        tenant=tenant, round=round_, adept=adept, mentor=pair.mentor, message="Saras förfrågan"
    )
    PutForward.objects.create(
        tenant=tenant,
        round=round_,
        organisation=adept.organisation,
        role="adept",
        full_name="Sara Svensson",
        email="Sara@kommun.example",
    )
    with scopes_disabled():
        messaging.send_message(
            tenant=tenant,
            actor=coordinator,
            round_=round_,
            audience="everyone",
            subject="Träff i maj",
            body="Välkomna till träffen",
            token=uuid.uuid4(),
        )
    olle = ApplicationFactory(
        round=round_,
        user=UserFactory(full_name="Olle Annan", language="en"),
        motivation="Olles egen motivering",
    ).user
    frida = ApplicationFactory(
        round=RoundFactory(programme__tenant=other_tenant),
        user=UserFactory(full_name="Frida Främling", email="frida@annan.example", language="en"),
    ).user
    return SimpleNamespace(
        tenant=tenant,
        other=other_tenant,
        coordinator=coordinator,
        round=round_,
        pair=pair,
        sara=sara,
        olle=olle,
        frida=frida,
    )


def pdf_text(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(
            ["pdftotext", f.name, "-"], capture_output=True, check=True, text=True
        ).stdout


def test_a_person_downloads_everything_held_about_her(world):
    client = client_for(world.sara)
    start = client.get(reverse("start")).content.decode()
    assert url(world.tenant, "my_data") in start
    page = client.get(url(world.tenant, "my_data"))
    assert page.status_code == 200
    assert "Download as PDF" in page.content.decode()

    response = client.get(url(world.tenant, "my_data_json"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    data = json.loads(response.content)["data"]
    text = json.dumps(data, ensure_ascii=False)
    (application,) = data["Applications"]
    assert application["Answers"] == {"Vad vill du lära dig?": "Att leda förändring"}
    assert application["Endorsements"][0]["Comment"] == "Sara är redo"
    assert application["Nominations"][0]["Motivation"] == "Stark kandidat"
    assert application["Interview notes"] == "Tydlig och engagerad"
    assert data["Pairs"][0]["Partner"] == "Mona Mentor"
    assert len(data["Meetings"]) == 1
    assert [n["Note"] for n in data["Notes you wrote"]] == ["Saras anteckning"]
    assert "Monas egen anteckning" not in text  # the partner's own notes stay the partner's
    assert data["Checklist answers"][0]["Answer"] == "Saras svar"
    assert data["Mentor requests"][0]["Message"] == "Saras förfrågan"
    assert data["Messages to you"][0]["Subject"] == "Träff i maj"
    assert data["Put forward by an HR contact"][0]["Name"] == "Sara Svensson"
    assert any(m["Subject"] for m in data["E-mails to you"])
    assert "Olle" not in text and "Frida" not in text

    pdf = client.get(url(world.tenant, "my_data_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    body = pdf_text(pdf.content)
    for expected in ("Sara Svensson", "Att leda förändring", "Saras anteckning", "Träff i maj"):
        assert expected in body
    assert "Monas egen anteckning" not in body
    logged = ActivityLog.objects.filter(action="privacy.extract_downloaded")
    assert sorted(e.data["format"] for e in logged) == ["json", "pdf"]
    assert all(e.actor == world.sara for e in logged)
    assert "sara@kommun.example" not in json.dumps([e.data for e in logged])


def test_nobody_else_gets_her_data(world):
    # Another tenant's person: our tenant holds nothing about her, so no page at all.
    frida = client_for(world.frida)
    for name in ("my_data", "my_data_pdf", "my_data_json"):
        assert frida.get(url(world.tenant, name)).status_code == 404
    assert frida.post(url(world.tenant, "erasure_request")).status_code == 404
    # Her own tenant's extract holds only her own.
    with scopes_disabled():
        own = json.loads(frida.get(url(world.other, "my_data_json")).content)["data"]
    assert "Sara" not in json.dumps(own, ensure_ascii=False)
    # Another person of the same tenant gets his own, not hers.
    olle = client_for(world.olle)
    data = json.loads(olle.get(url(world.tenant, "my_data_json")).content)["data"]
    text = json.dumps(data, ensure_ascii=False)
    assert "Olles egen motivering" in text and "Sara" not in text
    # The coordinators' copy of the extract is theirs only (not a member: not even a 403).
    assert olle.get(url(world.tenant, "extract_json", user_pk=world.sara.pk)).status_code == 404
    hr = MembershipFactory(tenant=world.tenant, is_coordinator=False, is_hr_contact=True).user
    assert (
        client_for(hr).get(url(world.tenant, "extract_json", user_pk=world.sara.pk)).status_code
        == 403
    )


def test_erasure_request_carried_out_by_a_coordinator(world):
    sara = client_for(world.sara)
    too_long = sara.post(url(world.tenant, "erasure_request"), {"message": "x" * 2001})
    assert too_long.status_code == 400
    assert "Please correct the following" in too_long.content.decode()
    assert not ErasureRequest.objects.exists()
    response = sara.post(url(world.tenant, "erasure_request"), {"message": "Jag har slutat"})
    assert response.status_code == 302
    request = ErasureRequest.objects.get()
    assert request.user == world.sara and request.status == "requested"
    sara.post(url(world.tenant, "erasure_request"), {"message": "Igen"})
    assert ErasureRequest.objects.count() == 1  # one open request at a time
    assert "You asked on" in sara.get(url(world.tenant, "my_data")).content.decode()
    # Another person does not see it.
    olle_page = client_for(world.olle).get(url(world.tenant, "my_data")).content.decode()
    assert "You asked on" not in olle_page

    coordinator = client_for(world.coordinator)
    overview = coordinator.get(
        reverse("organisations:dashboard", kwargs={"tenant": world.tenant.slug})
    )
    assert "1 erasure request waits" in overview.content.decode()
    assert url(world.tenant, "erasure_list") in overview.content.decode()
    listing = coordinator.get(url(world.tenant, "erasure_list")).content.decode()
    assert "Sara Svensson" in listing
    preview = coordinator.get(url(world.tenant, "erasure_detail", pk=request.pk)).content.decode()
    assert "What goes" in preview and "What must stay" in preview
    assert "never proposed as a pair again" in preview
    assert "Jag har slutat" in preview
    assert ActivityLog.objects.filter(
        action="personal_data.viewed", object_id=str(request.pk)
    ).exists()

    response = coordinator.post(url(world.tenant, "erasure_carry_out", pk=request.pk))
    assert response.status_code == 302

    request.refresh_from_db()
    assert request.status == "done" and request.handled_by == world.coordinator
    adept = Application.objects.get(pk=world.pair.adept.pk)
    assert adept.anonymised_at is not None and adept.full_name != "Sara Svensson"
    assert adept.answers == {} and adept.manager_name == ""
    assert not InterviewNote.objects.filter(application=adept).exists()
    assert not PrivateNote.objects.filter(author=world.sara).exists()
    assert not ChecklistItemAnswer.objects.filter(user=world.sara).exists()
    assert MentorRequest.objects.get(adept=adept).message == ""
    assert not Participant.objects.filter(user=world.sara).exists()
    assert PutForward.objects.get().email == "anonymised@invalid"
    assert not Membership.objects.filter(tenant=world.tenant, user=world.sara).exists()
    # What stays: the rows for the statistics, and the pair's link to the two accounts.
    pair = Pair.objects.get(pk=world.pair.pk)
    assert pair.adept_user == world.sara and PairMeeting.objects.filter(pair=pair).count() == 1
    assert ActivityLog.objects.filter(
        action="privacy.erasure_carried_out", actor=world.coordinator
    ).exists()
    # The other applicant is untouched.
    assert Application.objects.get(user=world.olle).motivation == "Olles egen motivering"
    # Handled: it cannot be carried out twice.
    again = coordinator.post(url(world.tenant, "erasure_carry_out", pk=request.pk), follow=True)
    assert "already been handled" in again.content.decode()


def test_declining_needs_a_reason(world):
    request = ErasureRequest.objects.create(tenant=world.tenant, user=world.sara)
    coordinator = client_for(world.coordinator)
    response = coordinator.post(url(world.tenant, "erasure_decline", pk=request.pk), {"reason": ""})
    assert response.status_code == 400
    assert "Please correct the following" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "requested"
    coordinator.post(
        url(world.tenant, "erasure_decline", pk=request.pk), {"reason": "Pågående ärende"}
    )
    request.refresh_from_db()
    assert request.status == "declined" and request.decline_reason == "Pågående ärende"
    page = client_for(world.sara).get(url(world.tenant, "my_data")).content.decode()
    assert "Pågående ärende" in page


def test_a_coordinator_makes_the_extract_for_someone_who_asks_by_mail(world):
    coordinator = client_for(world.coordinator)
    found = coordinator.post(url(world.tenant, "extract"), {"email": "SARA@kommun.example"})
    body = found.content.decode()
    assert url(world.tenant, "extract_pdf", user_pk=world.sara.pk) in body
    # Someone only another tenant knows: not found, and no download by number either.
    other = coordinator.post(url(world.tenant, "extract"), {"email": "frida@annan.example"})
    assert "Nothing is held" in other.content.decode()
    assert (
        coordinator.get(url(world.tenant, "extract_json", user_pk=world.frida.pk)).status_code
        == 404
    )
    bad = coordinator.post(url(world.tenant, "extract"), {"email": "inte en adress"})
    assert "Please correct the following" in bad.content.decode()

    data = json.loads(
        coordinator.get(url(world.tenant, "extract_json", user_pk=world.sara.pk)).content
    )["data"]
    assert data["Person"][0]["Name"] == "Sara Svensson"
    entry = ActivityLog.objects.get(action="privacy.extract_downloaded")
    assert entry.actor == world.coordinator and entry.data["own"] is False
