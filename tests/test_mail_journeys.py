"""The mails that the real services queue on whole journeys (a cohort application from
submitting to the end of its pair; an adept who chooses a mentor): every one links,
absolutely, to where its reader acts, and shows no Python. tests/test_mail_templates.py
checks each template with a context of its own; this checks what the services really pass,
with no ``base_url`` from a request (reminders, tasks): the site's address is used."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from applications import services as application_services
from applications.models import Application
from choosing import services as choosing
from organisations import services as organisation_services
from organisations.models import OutgoingMail, Role
from pairs import services as pair_services
from pairs.models import Pair
from programmes.models import ParticipantRole, Programme
from tests.applications.test_services import (
    coordinator_membership,
    hr_membership,
    make_application,
    open_round,
)
from tests.factories.organisations import OrganisationFactory
from tests.factories.programmes import ProgrammeFactory
from tests.test_mail_templates import FORBIDDEN_IN_TEXT, NO_LINK

Stage = Application.Stage
LINK = re.compile(r"https?://\S+")


def assert_every_mail_links():
    mails = list(OutgoingMail.objects.order_by("pk"))
    assert mails
    for mail in mails:
        text = f"{mail.subject}\n{mail.body}"
        for bad in FORBIDDEN_IN_TEXT:
            assert bad not in text, f"{mail.purpose} to {mail.to}: {bad!r} in\n{text}"
        if mail.purpose in NO_LINK:
            continue
        links = LINK.findall(mail.body)
        assert links, f"{mail.purpose} to {mail.to}: no link in\n{text}"
        assert all(link.startswith(settings.SITE_URL) for link in links), text
    return mails


def test_a_cohort_journey(tenant):
    org = OrganisationFactory(tenant=tenant, name="Alingsås kommun")
    hr = hr_membership(tenant, org)
    coordinator = coordinator_membership(tenant).user
    round_ = open_round(
        programme=ProgrammeFactory(tenant=tenant, name="Chefsmentor"),
        requires_endorsement=True,
        requires_nomination=True,
    )
    organisation_services.invite(
        tenant=tenant,
        actor=coordinator,
        email="ny.hr@alingsas.example",
        role=Role.HR_CONTACT,
        organisations=[org, OrganisationFactory(tenant=tenant, name="Lerums kommun")],
    )
    adept = make_application(round_, organisation=org)
    application_services.submit(application=adept, actor=adept.user)
    application_services.decide_endorsement(endorsement=adept.endorsements.get(), supports=True)
    application_services.nominate(
        application=Application.objects.get(pk=adept.pk),
        actor=hr.user,
        membership=hr,
        nominated=True,
    )
    application_services.decide(
        application=Application.objects.get(pk=adept.pk), actor=coordinator, decision="accepted"
    )
    mentor = make_application(
        round_, role=ParticipantRole.MENTOR, stage=Stage.ACCEPTED, organisation=org
    )
    pair = pair_services.start_pair(
        tenant=tenant,
        round_=round_,
        mentor_app=mentor,
        adept_app=Application.objects.get(pk=adept.pk),
        actor=coordinator,
        reason="Matchning",
    )
    planned = pair_services.plan_meeting(
        tenant=tenant,
        actor=mentor.user,
        pair=pair,
        starts_at=timezone.now() + timedelta(days=7),
        minutes=60,
        mode="in_person",
        place="Stadshuset",
    )
    pair_services.cancel_planned(tenant=tenant, actor=adept.user, pair=pair, planned_id=planned.pk)
    pair_services.request_end(tenant=tenant, actor=adept.user, pair=pair, reason="Ingen tid.")
    pair_services.end_pair(
        tenant=tenant, actor=coordinator, pair=pair, reason=Pair.EndReason.values[0]
    )

    mails = assert_every_mail_links()
    purposes = Counter(m.purpose for m in mails)
    assert {
        "invitation",
        "application_submitted",
        "endorsement_request",
        "endorsement_given",
        "nomination_needed",
        "nominated",
        "decision_accepted",
        "pair_published",
        "pair_meeting_planned",
        "pair_meeting_cancelled",
        "pair_end_requested",
        "pair_ended",
    } <= set(purposes)
    invitation = next(m for m in mails if m.purpose == "invitation")
    # In words, not a Python list of model objects (the tenant's Swedish once merged).
    assert re.search(r": Alingsås kommun (och|and) Lerums kommun\n", invitation.body)


def test_an_adept_who_chooses(tenant):
    programme = ProgrammeFactory(
        tenant=tenant, name="Kommundirektörer", matching_mode=Programme.MatchingMode.ADEPT_CHOOSES
    )
    round_ = open_round(programme=programme)
    first, second = (
        make_application(round_, role=ParticipantRole.MENTOR, stage=Stage.ACCEPTED)
        for _ in range(2)
    )
    adept = make_application(round_, stage=Stage.ACCEPTED)
    request = choosing.ask(tenant=tenant, actor=adept.user, adept_app=adept, mentor_app=first)
    choosing.decline(tenant=tenant, actor=first.user, request=request, note="Full vår.")
    request = choosing.ask(tenant=tenant, actor=adept.user, adept_app=adept, mentor_app=second)
    pair = choosing.accept(tenant=tenant, actor=second.user, request=request)

    mails = assert_every_mail_links()
    to_adept = [m.purpose for m in mails if m.to == adept.email]
    assert to_adept == ["mentor_request_declined", "mentor_request_accepted"]
    accepted = next(m for m in mails if m.purpose == "mentor_request_accepted")
    assert f"/{tenant.slug}/my/pairs/{pair.pk}/" in accepted.body
    declined = next(m for m in mails if m.purpose == "mentor_request_declined")
    assert f"/{tenant.slug}/my/mentors/" in declined.body


@pytest.mark.parametrize("mode", Programme.MatchingMode.values)
def test_the_acceptance_fits_the_way_pairs_are_made(tenant, mode):
    programme = ProgrammeFactory(tenant=tenant, matching_mode=mode)
    round_ = open_round(programme=programme)
    adept = make_application(round_, stage=Stage.UNDER_REVIEW)
    adept.user.language = "en"
    adept.user.save()
    application_services.decide(application=adept, actor=None, decision="accepted")
    body = OutgoingMail.objects.get(purpose="decision_accepted").body
    if mode == Programme.MatchingMode.ADEPT_CHOOSES:
        assert "choose your mentor" in body and f"/{tenant.slug}/my/mentors/" in body
        assert "when the matching is done" not in body
    elif mode == Programme.MatchingMode.HR_ASSIGNS:
        assert "from the mentor bank" in body and "when the matching is done" not in body
    else:
        assert "when the matching is done" in body


def test_a_link_behind_sign_in_goes_through_the_sign_in_page_and_back(tenant, client):
    """The link in a mail, opened signed out, leads to the sign-in page with ``next`` set to
    the page; signing in there lands on it."""
    from urllib.parse import urlsplit

    from allauth.account.models import EmailAddress

    from tests.factories.organisations import PASSWORD

    round_ = open_round(programme=ProgrammeFactory(tenant=tenant))
    adept = make_application(round_, stage=Stage.UNDER_REVIEW)
    EmailAddress.objects.create(
        user=adept.user, email=adept.user.email, verified=True, primary=True
    )
    application_services.decide(application=adept, actor=None, decision="declined")
    body = OutgoingMail.objects.get(purpose="decision_declined").body
    path = urlsplit(LINK.search(body).group(0)).path
    assert path == f"/{tenant.slug}/my/applications/{adept.pk}/"

    response = client.get(path)
    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith("/accounts/login/")
    assert f"next={path}" in login.replace("%2F", "/")
    response = client.post(login, {"login": adept.user.email, "password": PASSWORD}, follow=False)
    assert response.status_code == 302 and response["Location"] == path
    assert client.get(path).status_code == 200
