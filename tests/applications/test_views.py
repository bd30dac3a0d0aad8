"""The application pages through the test client: the applicant's journey, the manager's link,
the HR contact's list and nomination, and the coordinators' review, decisions and form builder.
"""

import html
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Endorsement, PutForward, Question, Theme
from programmes.models import Participant, ParticipantRole, Round
from tests.applications.test_services import (
    coordinator_membership,
    hr_membership,
    link_in,
    mails_to,
    make_application,
    open_round,
    refresh,
)
from tests.factories.organisations import OrganisationFactory, UserFactory
from tests.factories.programmes import ProgrammeFactory, SharedMeetingFactory

Stage = Application.Stage


def client_for(user=None):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def text(response):
    return html.unescape(response.content.decode())


def template_names(response):
    return [t.name for t in response.templates if t.name]


def url(name, tenant, **kwargs):
    return reverse(f"applications:{name}", kwargs={"tenant": tenant.slug, **kwargs})


@pytest.fixture
def world(tenant):
    programme = ProgrammeFactory(tenant=tenant, name="Chefsmentorprogrammet")
    round_ = open_round(
        programme=programme,
        name="Omgång 15",
        requires_endorsement=True,
        requires_nomination=True,
        nomination_quota=2,
    )
    org_a = OrganisationFactory(tenant=tenant, name="Alingsås kommun")
    org_b = OrganisationFactory(tenant=tenant, name="Borås stad")
    return SimpleNamespace(
        tenant=tenant,
        programme=programme,
        round=round_,
        org_a=org_a,
        org_b=org_b,
        coordinator=coordinator_membership(tenant, full_name="Sara Samordnare").user,
        hr_a=hr_membership(tenant, org_a, full_name="Hanna HR", email="hanna@alingsas.example"),
        hr_b=hr_membership(tenant, org_b, full_name="Hugo HR", email="hugo@boras.example"),
        applicant=UserFactory(full_name="Ada Adept", email="ada@alingsas.example", language="en"),
    )


def form_data(organisation, **overrides):
    """A complete application as the browser posts it."""
    data = {
        "full_name": "Ada Adept",
        "email": "ada@alingsas.example",
        "phone": "0322-61 60 00",
        "organisation": str(organisation.pk),
        "job_title": "Enhetschef för hemtjänsten",
        "current_assignment": "Leder 30 medarbetare i hemtjänsten.",
        "manager_level": "first_line",
        "years_as_manager": "2",
        "managers_reporting": "",
        "region": "Västra Götaland",
        "education": "Socionomexamen",
        "work_experience": "Tio år som biståndshandläggare.",
        "motivation": "Jag vill bli tryggare i svåra samtal.",
        "matching_wishes": "Gärna någon från en annan kommun.",
        "languages": "svenska",
        "manager_name": "Karin Chef",
        "manager_email": "karin.chef@alingsas.example",
        "discussed_with_manager": "on",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the applicant's journey ----------------------------------------------------------------------


def test_public_round_page_has_an_apply_button_when_open(world):
    page = client_for().get(
        reverse(
            "programmes:public_round", kwargs={"tenant": world.tenant.slug, "pk": world.round.pk}
        )
    )
    assert page.status_code == 200
    assert f'href="{url("apply", world.tenant, round_pk=world.round.pk)}"' in text(page)

    world.round.status = Round.Status.REVIEW
    world.round.save()
    page = client_for().get(
        reverse(
            "programmes:public_round", kwargs={"tenant": world.tenant.slug, "pk": world.round.pk}
        )
    )
    assert url("apply", world.tenant, round_pk=world.round.pk) not in text(page)
    assert "Applications for this round are closed." in text(page)


def test_the_apply_page_opens_sign_up_for_an_anonymous_visitor(world):
    visitor = client_for()
    closed = visitor.get(reverse("account_signup"))
    assert "account/signup_closed.html" in template_names(closed)

    apply_url = url("apply", world.tenant, round_pk=world.round.pk)
    page = visitor.get(apply_url)
    assert page.status_code == 200
    content = text(page)
    assert f"{reverse('account_signup')}?next={apply_url}" in content.replace("%2F", "/")
    assert f"{reverse('account_login')}?next=" in content

    signup = visitor.get(reverse("account_signup"))
    assert signup.status_code == 200
    assert "account/signup.html" in template_names(signup)
    assert 'name="password1"' in text(signup)


def test_the_apply_page_of_a_closed_round_does_not_open_sign_up(world):
    world.round.application_closes_at = timezone.now() - timezone.timedelta(hours=1)
    world.round.save()
    visitor = client_for()
    assert visitor.get(url("apply", world.tenant, round_pk=world.round.pk)).status_code == 200
    assert "account/signup_closed.html" in template_names(visitor.get(reverse("account_signup")))


def _start(world, client, role="adept"):
    response = client.post(url("apply", world.tenant, round_pk=world.round.pk), {"role": role})
    application = Application.objects.get(user=world.applicant, role=role)
    assert response.status_code == 302
    assert response.url == url("edit", world.tenant, pk=application.pk)
    return application


def test_the_applicant_journey(world, django_capture_on_commit_callbacks):
    client = client_for(world.applicant)
    page = client.get(url("apply", world.tenant, round_pk=world.round.pk))
    assert 'name="role"' in text(page)

    # Choose a role: a draft with the person's name and address.
    application = _start(world, client)
    assert (application.stage, application.full_name, application.email) == (
        Stage.DRAFT,
        "Ada Adept",
        "ada@alingsas.example",
    )
    # Choosing again leads to the same draft.
    assert _start(world, client).pk == application.pk
    page = client.get(url("edit", world.tenant, pk=application.pk))
    assert page.status_code == 200
    assert "Submit the application" in text(page)

    # Save a half-done draft: what was typed is kept.
    half = form_data(world.org_a, motivation="", consent=None, save="1")
    response = client.post(url("edit", world.tenant, pk=application.pk), half)
    assert response.status_code == 302
    application = refresh(application)
    assert application.stage == Stage.DRAFT
    assert application.job_title == "Enhetschef för hemtjänsten"
    assert application.organisation == world.org_a
    assert application.consent_given_at is None
    page = text(client.get(url("edit", world.tenant, pk=application.pk)))
    assert "Your answers have been saved." in page
    assert 'value="Enhetschef för hemtjänsten"' in page

    # Submitting what is incomplete keeps the draft and lists what is missing.
    response = client.post(url("edit", world.tenant, pk=application.pk), {**half, "submit": "1"})
    assert response.status_code == 400
    assert refresh(application).stage == Stage.DRAFT
    assert "Fill this in before you submit." in text(response)
    assert "Your consent is needed" in text(response)

    # Submit with everything.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("edit", world.tenant, pk=application.pk), form_data(world.org_a, submit="1")
        )
    assert response.status_code == 302
    application = refresh(application)
    assert application.stage == Stage.AWAITING_ENDORSEMENT
    page = text(client.get(url("edit", world.tenant, pk=application.pk)))
    assert "Thank you! Your application has been submitted." in page
    assert "Waiting for the manager's support" in page
    assert "Your manager has been asked by e-mail to confirm their support." in page
    assert len(mails_to("karin.chef@alingsas.example")) == 1

    # Until the deadline the answers can still be changed.
    assert "Save changes" in page
    response = client.post(
        url("edit", world.tenant, pk=application.pk),
        form_data(world.org_a, job_title="Områdeschef", save="1"),
    )
    assert response.status_code == 302
    application = refresh(application)
    assert application.job_title == "Områdeschef"
    assert application.stage == Stage.AWAITING_ENDORSEMENT

    # After the deadline: no more changes.
    world.round.application_closes_at = timezone.now() - timezone.timedelta(minutes=1)
    world.round.save()
    page = text(client.get(url("edit", world.tenant, pk=application.pk)))
    assert "Save changes" not in page
    assert "Områdeschef" in page
    response = client.post(
        url("edit", world.tenant, pk=application.pk),
        form_data(world.org_a, job_title="Något annat", save="1"),
        follow=True,
    )
    assert "The application can no longer be changed." in text(response)
    assert refresh(application).job_title == "Områdeschef"

    # Withdraw.
    response = client.post(url("withdraw", world.tenant, pk=application.pk), follow=True)
    assert refresh(application).stage == Stage.WITHDRAWN
    assert "You have withdrawn your application." in text(response)
    assert "Withdraw my application" not in text(response)

    my = text(client.get(url("my_applications", world.tenant)))
    assert "Chefsmentorprogrammet: Omgång 15" in my and "Withdrawn" in my


def test_an_invalid_manager_address_loses_nothing(world):
    client = client_for(world.applicant)
    application = _start(world, client)
    data = form_data(
        world.org_a,
        manager_email="karin.chef@",
        save="1",
        motivation="Mitt långa och genomtänkta svar om mina mål.",
    )
    response = client.post(url("edit", world.tenant, pk=application.pk), data)
    assert response.status_code == 400
    page = text(response)
    assert "Please correct the following" in page
    assert "Enter a valid email address." in page
    for typed in (
        "karin.chef@",
        "Enhetschef för hemtjänsten",
        "Karin Chef",
        "Mitt långa och genomtänkta svar om mina mål.",
        "Västra Götaland",
        "Gärna någon från en annan kommun.",
    ):
        assert typed in page, typed
    assert re.search(rf'<option value="{world.org_a.pk}"\s+selected', page)
    assert re.search(r'name="consent"[^>]*checked', page)


def test_autosave_keeps_the_valid_fields(world, tenant):
    question = Question.objects.create(
        tenant=tenant, round=world.round, label="Antal år?", kind=Question.Kind.NUMBER
    )
    client = client_for(world.applicant)
    application = _start(world, client)
    application.answers = {str(question.pk): "7"}
    application.save()
    data = form_data(world.org_a, manager_email="inte-en-adress", **{question.field_name: "sju"})
    response = client.post(
        url("autosave", world.tenant, pk=application.pk), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Saved, except fields that need correcting." in text(response)
    application = refresh(application)
    assert application.job_title == "Enhetschef för hemtjänsten"
    assert application.motivation == "Jag vill bli tryggare i svåra samtal."
    assert application.organisation == world.org_a
    assert application.manager_email == ""
    # An invalid answer does not wipe the answer saved before.
    assert application.answers[str(question.pk)] == "7"
    assert application.stage == Stage.DRAFT

    response = client.post(
        url("autosave", world.tenant, pk=application.pk),
        form_data(world.org_a, **{question.field_name: "8"}),
        HTTP_HX_REQUEST="true",
    )
    assert "All changes saved." in text(response)
    application = refresh(application)
    assert application.manager_email == "karin.chef@alingsas.example"
    assert application.answers[str(question.pk)] == "8"


def test_autosave_refused_once_the_organisation_has_decided(world):
    client = client_for(world.applicant)
    application = make_application(
        world.round, user=world.applicant, organisation=world.org_a, stage=Stage.NOMINATED
    )
    response = client.post(url("autosave", world.tenant, pk=application.pk), form_data(world.org_a))
    assert response.status_code == 409
    assert refresh(application).stage == Stage.NOMINATED


def test_custom_answers_are_saved_through_the_form(world, tenant):
    choice = Question.objects.create(
        tenant=tenant,
        round=world.round,
        label="Var?",
        kind=Question.Kind.MULTIPLE_CHOICE,
        choices=["Norr", "Söder"],
        required=True,
    )
    when = Question.objects.create(
        tenant=tenant, round=world.round, label="Från när?", kind=Question.Kind.DATE
    )
    client = client_for(world.applicant)
    application = _start(world, client)
    client.post(
        url("edit", world.tenant, pk=application.pk),
        {
            **form_data(world.org_a, save="1"),
            choice.field_name: ["Norr", "Söder"],
            when.field_name: "2026-03-01",
        },
    )
    application = refresh(application)
    assert application.answers[str(choice.pk)] == ["Norr", "Söder"]
    assert application.answers[str(when.pk)] == "2026-03-01"
    page = text(client.get(url("edit", world.tenant, pk=application.pk)))
    assert re.search(r'value="Söder"[^>]*checked', page)


def test_the_manager_answers_without_an_account(world, django_capture_on_commit_callbacks):
    application = make_application(world.round, user=world.applicant, organisation=world.org_a)
    client = client_for(world.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("edit", world.tenant, pk=application.pk), form_data(world.org_a, submit="1")
        )
    [request] = mails_to("karin.chef@alingsas.example")
    link = link_in(request).removeprefix("http://testserver")
    mail.outbox.clear()

    manager = client_for()
    page = manager.get(link)
    assert page.status_code == 200
    assert "Ada Adept" in text(page) and "Enhetschef för hemtjänsten" in text(page)
    # Nothing chosen: asked again, nothing recorded.
    assert manager.post(link, {}).status_code == 400
    assert Endorsement.objects.get(application=application).decided_at is None

    with django_capture_on_commit_callbacks(execute=True):
        done = manager.post(link, {"supports": "yes", "comment": "Varmt stöd"})
    assert done.status_code == 200
    assert "Your support for Ada Adept's application has been recorded." in text(done)
    assert refresh(application).stage == Stage.AWAITING_NOMINATION
    assert len(mails_to(world.hr_a.user.email)) == 1
    assert mails_to(world.hr_b.user.email) == []

    again = manager.get(link)
    assert again.status_code == 410
    assert "You have already answered. Thank you." in text(again)


# --- HR contacts ------------------------------------------------------------------------------------


def test_hr_list_shows_the_quota_and_nominates_through_the_form(world):
    nominated = make_application(
        world.round, organisation=world.org_a, stage=Stage.NOMINATED, full_name="Nils Nominerad"
    )
    waiting = make_application(
        world.round,
        organisation=world.org_a,
        stage=Stage.AWAITING_NOMINATION,
        full_name="Vera Väntar",
        role=ParticipantRole.MENTOR,
    )
    hr = client_for(world.hr_a.user)
    page = text(hr.get(url("hr_list", world.tenant, round_pk=world.round.pk)))
    assert "Alingsås kommun: 1 of 2 nominations used" in page
    assert "Nils Nominerad" in page and "Vera Väntar" in page

    detail = text(hr.get(url("hr_detail", world.tenant, pk=waiting.pk)))
    assert f'name="version" value="{waiting.version}"' in detail

    # A mentor without a motivation: the form says so and nothing changes.
    response = hr.post(
        url("hr_detail", world.tenant, pk=waiting.pk),
        {"decision": "nominate", "motivation": "", "version": waiting.version},
    )
    assert response.status_code == 400
    assert "Say why this person would be a good mentor." in text(response)
    assert refresh(waiting).stage == Stage.AWAITING_NOMINATION

    response = hr.post(
        url("hr_detail", world.tenant, pk=waiting.pk),
        {
            "decision": "nominate",
            "motivation": "Uppskattad chef i tolv år.",
            "version": waiting.version,
        },
    )
    assert response.status_code == 302
    assert response.url == url("hr_list", world.tenant, round_pk=world.round.pk)
    assert refresh(waiting).stage == Stage.NOMINATED
    page = text(hr.get(url("hr_list", world.tenant, round_pk=world.round.pk)))
    assert "Alingsås kommun: 2 of 2 nominations used" in page
    assert nominated.pk


def test_nominating_with_a_stale_version_shows_the_conflict(world):
    waiting = make_application(
        world.round,
        organisation=world.org_a,
        stage=Stage.AWAITING_NOMINATION,
        full_name="Vera Väntar",
    )
    hr = client_for(world.hr_a.user)
    response = hr.post(
        url("hr_detail", world.tenant, pk=waiting.pk),
        {"decision": "decline", "motivation": "Nej", "version": waiting.version - 1},
        follow=True,
    )
    assert "Somebody else changed this application" in text(response)
    assert refresh(waiting).stage == Stage.AWAITING_NOMINATION


def test_the_quota_refusal_is_shown_on_the_form(world):
    world.round.nomination_quota = 1
    world.round.save()
    make_application(world.round, organisation=world.org_a, stage=Stage.NOMINATED)
    waiting = make_application(
        world.round, organisation=world.org_a, stage=Stage.AWAITING_NOMINATION
    )
    response = client_for(world.hr_a.user).post(
        url("hr_detail", world.tenant, pk=waiting.pk),
        {"decision": "nominate", "motivation": "", "version": waiting.version},
    )
    assert response.status_code == 400
    assert "Your organisation has used all 1 nominations for this round." in text(response)
    assert refresh(waiting).stage == Stage.AWAITING_NOMINATION


def test_hr_puts_a_person_forward(world, django_capture_on_commit_callbacks):
    hr = client_for(world.hr_a.user)
    page = text(hr.get(url("put_forward", world.tenant, round_pk=world.round.pk)))
    assert "Alingsås kommun" in page and "Borås stad" not in page

    # Not for another organisation.
    response = hr.post(
        url("put_forward", world.tenant, round_pk=world.round.pk),
        {
            "full_name": "Bo Borås",
            "email": "bo@boras.example",
            "role": "adept",
            "organisation": world.org_b.pk,
        },
    )
    assert response.status_code == 400
    assert not PutForward.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            url("put_forward", world.tenant, round_pk=world.round.pk),
            {
                "full_name": "Alva Alingsås",
                "email": "alva@alingsas.example",
                "role": "mentor",
                "organisation": world.org_a.pk,
            },
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["alva@alingsas.example"]
    link = link_in(message).removeprefix("http://testserver")

    # Anonymous: invited to sign up or sign in.
    page = client_for().get(link)
    assert page.status_code == 200
    assert "Alingsås kommun would like you to apply" in text(page)

    alva = UserFactory(email="alva@alingsas.example", full_name="Alva Alingsås", language="en")
    alva_client = client_for(alva)
    # Signed in, the link shows a button; opening it starts nothing.
    page = alva_client.get(link)
    assert page.status_code == 200
    assert re.search(rf'<form method="post"\s+action="{link}">', text(page))
    assert "Start my application" in text(page)
    assert not Application.objects.filter(user=alva).exists()

    response = alva_client.post(link)
    application = Application.objects.get(user=alva)
    assert response.status_code == 302
    assert response.url == url("edit", world.tenant, pk=application.pk)
    assert (application.stage, application.role, application.organisation) == (
        Stage.DRAFT,
        ParticipantRole.MENTOR,
        world.org_a,
    )
    page = text(alva_client.get(response.url))
    assert re.search(rf'<option value="{world.org_a.pk}"\s+selected', page)
    assert PutForward.objects.get().used_at is not None

    # Single use: the link now explains itself and points to the application.
    page = alva_client.get(link)
    assert page.status_code == 410
    assert "This link has already been used." in text(page)
    assert f'href="{url("my_applications", world.tenant)}"' in text(page)
    assert Application.objects.filter(user=alva).count() == 1


@pytest.fixture
def put_forward_link(world):
    def make(**changes):
        put_forward = PutForward.objects.create(
            tenant=world.tenant,
            round=world.round,
            organisation=world.org_a,
            role="adept",
            full_name="Alva Alingsås",
            email="alva@alingsas.example",
            invited_by=world.hr_a.user,
            **changes,
        )
        return put_forward, url("put_forward_accept", world.tenant, token=put_forward.token)

    return make


def rows_written():
    from applications.models import StageChange
    from organisations.models import ActivityLog

    return (
        Application.objects.count(),
        StageChange.objects.count(),
        ActivityLog.objects.count(),
        sorted(PutForward.objects.values_list("pk", "used_at")),
    )


def test_put_forward_links_last_as_long_as_invitations(world, put_forward_link, settings):
    put_forward, _link = put_forward_link()
    expected = put_forward.created_at + timezone.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    assert abs(put_forward.expires_at - expected) < timezone.timedelta(seconds=5)


def test_opening_a_put_forward_link_writes_nothing(world, put_forward_link):
    _put_forward, link = put_forward_link()
    alva = UserFactory(email="alva@alingsas.example", language="en")
    before = rows_written()
    assert client_for().get(link).status_code == 200
    assert client_for(alva).get(link).status_code == 200
    assert client_for(world.applicant).get(link).status_code == 403  # someone else
    assert rows_written() == before


@pytest.mark.parametrize("signed_in", [False, True])
def test_expired_put_forward_link_is_refused_with_nothing_written(
    world, put_forward_link, signed_in
):
    _put_forward, link = put_forward_link(expires_at=timezone.now() - timezone.timedelta(days=1))
    alva = UserFactory(email="alva@alingsas.example", language="en")
    client = client_for(alva if signed_in else None)
    before = rows_written()
    for response in (client.get(link), client.post(link)):
        if not signed_in and response.request["REQUEST_METHOD"] == "POST":
            assert response.status_code == 302  # back to the link, to sign in first
            continue
        assert response.status_code == 410
        page = text(response)
        assert "This link has expired." in page
        assert "ask your HR contact at Alingsås kommun to put you forward again" in page
        assert f'href="mailto:{world.tenant.contact_email}"' in page
        assert "Create an account" not in page
    assert rows_written() == before


def test_a_400_day_old_put_forward_link_signs_nobody_up(world, put_forward_link):
    _put_forward, link = put_forward_link(expires_at=timezone.now() - timezone.timedelta(days=386))
    client = client_for()
    assert client.get(link).status_code == 410
    # The link did not open sign-up for this browser.
    page = client.get(reverse("account_signup"))
    assert 'name="password1"' not in text(page)


def test_used_put_forward_link_is_refused(world, put_forward_link):
    _put_forward, link = put_forward_link(used_at=timezone.now())
    alva = UserFactory(email="alva@alingsas.example", language="en")
    before = rows_written()
    for response in (client_for(alva).get(link), client_for(alva).post(link)):
        assert response.status_code == 410
        assert "This link has already been used." in text(response)
    assert rows_written() == before


def test_put_forward_button_for_someone_else_starts_nothing(world, put_forward_link):
    _put_forward, link = put_forward_link()
    before = rows_written()
    response = client_for(world.applicant).post(link)
    assert response.status_code == 403
    assert "but the invitation was sent to alva@alingsas.example" in text(response)
    assert rows_written() == before


# --- coordinators ------------------------------------------------------------------------------------


@pytest.fixture
def review(world, tenant):
    leading = Theme.objects.create(
        tenant=tenant, programme=world.programme, name="Förändringsledning"
    )
    digital = Theme.objects.create(tenant=tenant, programme=world.programme, name="Digitalisering")
    return SimpleNamespace(
        anna=make_application(
            world.round,
            organisation=world.org_a,
            stage=Stage.UNDER_REVIEW,
            full_name="Anna Alingsås",
            themes=[leading],
        ),
        bertil=make_application(
            world.round,
            organisation=world.org_b,
            role=ParticipantRole.MENTOR,
            stage=Stage.AWAITING_NOMINATION,
            full_name="Bertil Borås",
            themes=[digital],
        ),
        cecilia=make_application(
            world.round,
            organisation=world.org_b,
            stage=Stage.NOMINATED,
            full_name="Cecilia Centrum",
            motivation="Jag vill leda verksamhetens omställning.",
        ),
        doris=make_application(world.round, organisation=world.org_a, full_name="Doris Draft"),
        leading=leading,
        digital=digital,
    )


NAMES = ("Anna Alingsås", "Bertil Borås", "Cecilia Centrum")


@pytest.mark.parametrize(
    "query, shown",
    [
        ({}, NAMES),
        ({"stage": "under_review"}, ("Anna Alingsås",)),
        ({"role": "mentor"}, ("Bertil Borås",)),
        ({"role": "adept"}, ("Anna Alingsås", "Cecilia Centrum")),
        ({"organisation": "A"}, ("Anna Alingsås",)),
        ({"organisation": "B"}, ("Bertil Borås", "Cecilia Centrum")),
        ({"theme": "digital"}, ("Bertil Borås",)),
        ({"q": "omställning"}, ("Cecilia Centrum",)),
        ({"q": "bertil"}, ("Bertil Borås",)),
        ({"role": "adept", "organisation": "B"}, ("Cecilia Centrum",)),
    ],
)
def test_review_list_filters(world, review, query, shown):
    params = dict(query)
    if params.get("organisation") == "A":
        params["organisation"] = world.org_a.pk
    elif params.get("organisation") == "B":
        params["organisation"] = world.org_b.pk
    if params.get("theme") == "digital":
        params["theme"] = review.digital.pk
    response = client_for(world.coordinator).get(
        url("review_list", world.tenant, round_pk=world.round.pk), params
    )
    assert response.status_code == 200
    page = text(response)
    for name in NAMES:
        assert (name in page) == (name in shown), name
    assert "Doris Draft" not in page


def test_bulk_accept(world, review):
    coordinator = client_for(world.coordinator)
    response = coordinator.post(
        url("review_list", world.tenant, round_pk=world.round.pk),
        {"selected": [review.anna.pk, review.cecilia.pk], "decision": "accepted"},
        follow=True,
    )
    assert "2 applications updated." in text(response)
    assert refresh(review.anna).stage == Stage.ACCEPTED
    assert refresh(review.cecilia).stage == Stage.ACCEPTED
    assert refresh(review.bertil).stage == Stage.AWAITING_NOMINATION
    assert set(Participant.objects.values_list("user_id", flat=True)) == {
        review.anna.user_id,
        review.cecilia.user_id,
    }

    # One that cannot be accepted is named; the others still go through.
    response = coordinator.post(
        url("review_list", world.tenant, round_pk=world.round.pk),
        {"selected": [review.bertil.pk], "decision": "declined"},
        follow=True,
    )
    assert "Bertil Borås:" in text(response)
    assert refresh(review.bertil).stage == Stage.AWAITING_NOMINATION


def test_interview_notes_are_for_coordinators_only(world, review):
    secret = "Hemlig anteckning: nervös men lovande"
    coordinator = client_for(world.coordinator)
    response = coordinator.post(
        url("review_detail", world.tenant, pk=review.anna.pk),
        {"action": "interview", "booking": "3 december 10:00, Teams", "notes": secret},
        follow=True,
    )
    assert "The interview notes have been saved." in text(response)
    assert secret in text(response)

    hr = client_for(world.hr_a.user)
    page = hr.get(url("hr_detail", world.tenant, pk=review.anna.pk))
    assert page.status_code == 200
    assert "Anna Alingsås" in text(page)
    assert secret not in text(page) and "3 december 10:00" not in text(page)

    applicant = client_for(review.anna.user)
    page = applicant.get(url("edit", world.tenant, pk=review.anna.pk))
    assert page.status_code == 200
    assert secret not in text(page) and "3 december 10:00" not in text(page)


def test_accepting_without_an_interview_asks_for_the_override_and_its_reason(world, review):
    world.round.requires_interview = True
    world.round.save()
    coordinator = client_for(world.coordinator)
    detail = url("review_detail", world.tenant, pk=review.anna.pk)
    page = text(coordinator.get(detail))
    assert "Accept without an interview" in page
    version = review.anna.version
    response = coordinator.post(
        detail, {"action": "decide", "decision": "accepted", "version": version}
    )
    assert response.status_code == 400
    assert "no interview is noted" in text(response)
    response = coordinator.post(
        detail,
        {
            "action": "decide",
            "decision": "accepted",
            "version": version,
            "override_interview": "on",
        },
    )
    assert response.status_code == 400
    assert "Give the reason for accepting without an interview." in text(response)
    assert refresh(review.anna).stage == Stage.UNDER_REVIEW
    response = coordinator.post(
        detail,
        {
            "action": "decide",
            "decision": "accepted",
            "version": version,
            "override_interview": "on",
            "reason": "Intervjuad i förra omgången",
        },
        follow=True,
    )
    assert "The decision has been saved." in text(response)
    assert refresh(review.anna).stage == Stage.ACCEPTED
    # Once an interview is noted, the override is not offered.
    other = url("review_detail", world.tenant, pk=review.cecilia.pk)
    assert "Accept without an interview" in text(coordinator.get(other))
    coordinator.post(other, {"action": "interview", "booking": "", "notes": "Bra samtal"})
    assert "Accept without an interview" not in text(coordinator.get(other))


def test_two_coordinators_decide_at_once(world, review, tenant):
    first = client_for(world.coordinator)
    second = client_for(coordinator_membership(tenant, full_name="Sven Samordnare").user)
    detail = url("review_detail", world.tenant, pk=review.anna.pk)
    version = int(re.search(r'name="version" value="(\d+)"', text(first.get(detail))).group(1))
    assert f'name="version" value="{version}"' in text(second.get(detail))

    done = first.post(
        detail, {"action": "decide", "decision": "accepted", "version": version}, follow=True
    )
    assert "The decision has been saved." in text(done)
    late = second.post(
        detail, {"action": "decide", "decision": "declined", "version": version}, follow=True
    )
    assert late.status_code == 200
    assert "Somebody else changed this application while you were looking at it." in text(late)
    assert refresh(review.anna).stage == Stage.ACCEPTED
    assert Participant.objects.filter(user=review.anna.user).exists()


def test_move_back_through_the_page(world, review):
    coordinator = client_for(world.coordinator)
    detail = url("review_detail", world.tenant, pk=review.anna.pk)
    application = refresh(review.anna)
    missing = coordinator.post(
        detail,
        {
            "action": "move_back",
            "back-to_stage": "nominated",
            "back-reason": "",
            "back-version": application.version,
        },
    )
    assert missing.status_code == 400
    assert refresh(review.anna).stage == Stage.UNDER_REVIEW
    coordinator.post(
        detail,
        {
            "action": "move_back",
            "back-to_stage": "nominated",
            "back-reason": "Intervjun ska göras om",
            "back-version": application.version,
        },
    )
    assert refresh(review.anna).stage == Stage.NOMINATED
    page = text(coordinator.get(detail))
    assert "Intervjun ska göras om" in page and "Sara Samordnare" in page


KINDS = [
    ("short_text", "both", "Vilken förvaltning?", ""),
    ("long_text", "mentor", "Vad kan du erbjuda en adept?", ""),
    ("single_choice", "adept", "Vilken ort passar bäst?", "Borås\nAlingsås"),
    ("multiple_choice", "both", "Vilka dagar kan du träffas?", "Måndag\nTisdag\nOnsdag"),
    ("yes_no", "adept", "Har du haft en mentor förut?", ""),
    ("number", "both", "Hur många medarbetare har du?", ""),
    ("date", "mentor", "När kan du börja?", ""),
]


def test_form_builder_adds_every_kind_for_the_right_role(world, tenant):
    coordinator = client_for(world.coordinator)
    builder = url("form_builder", world.tenant, round_pk=world.round.pk)
    assert coordinator.get(builder).status_code == 200
    for kind, audience, label, choices in KINDS:
        response = coordinator.post(
            builder,
            {
                "label": label,
                "help_text": "",
                "kind": kind,
                "audience": audience,
                "position": "0",
                "is_active": "on",
                "choices_text": choices,
            },
        )
        assert response.status_code == 302, text(response)
    assert list(Question.objects.filter(round=world.round).values_list("kind", "position")) == [
        (kind, n) for n, (kind, *_rest) in enumerate(KINDS, start=1)
    ]
    page = text(coordinator.get(builder))
    for _kind, _audience, label, _choices in KINDS:
        assert label in page

    # A choice question needs two choices.
    refused = coordinator.post(
        builder,
        {
            "label": "Ensam",
            "kind": "single_choice",
            "audience": "both",
            "position": "0",
            "is_active": "on",
            "choices_text": "Bara en",
        },
    )
    assert refused.status_code == 400
    assert "Give at least two choices." in text(refused)

    adept = make_application(
        world.round, user=world.applicant, organisation=world.org_a, role=ParticipantRole.ADEPT
    )
    mentor = make_application(world.round, organisation=world.org_a, role=ParticipantRole.MENTOR)
    adept_page = text(client_for(adept.user).get(url("edit", world.tenant, pk=adept.pk)))
    mentor_page = text(client_for(mentor.user).get(url("edit", world.tenant, pk=mentor.pk)))
    for _kind, audience, label, _choices in KINDS:
        assert (label in adept_page) == (audience in ("both", "adept")), label
        assert (label in mentor_page) == (audience in ("both", "mentor")), label
    assert 'value="Alingsås"' in adept_page and 'type="radio"' in adept_page
    assert 'value="Tisdag"' in mentor_page and 'type="checkbox"' in mentor_page
    assert 'type="date"' in mentor_page and 'type="number"' in mentor_page


def test_a_hidden_question_is_not_asked(world, tenant):
    question = Question.objects.create(tenant=tenant, round=world.round, label="Gammal fråga")
    application = make_application(
        world.round,
        user=world.applicant,
        organisation=world.org_a,
        answers={str(question.pk): "Svar"},
    )
    coordinator = client_for(world.coordinator)
    response = coordinator.post(
        url("question_edit", world.tenant, pk=question.pk), {"action": "delete"}, follow=True
    )
    assert "it has been hidden instead of deleted" in text(response)
    question.refresh_from_db()
    assert question.is_active is False
    page = text(client_for(world.applicant).get(url("edit", world.tenant, pk=application.pk)))
    assert "Gammal fråga" not in page


def test_the_question_preview_answers_htmx(world):
    coordinator = client_for(world.coordinator)
    response = coordinator.get(
        url("form_builder", world.tenant, round_pk=world.round.pk),
        {
            "preview": "1",
            "label": "Vilken ort passar bäst?",
            "kind": "single_choice",
            "choices_text": "Borås\nAlingsås",
            "help_text": "Välj en",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = text(response)
    assert "<html" not in fragment
    assert "Vilken ort passar bäst?" in fragment and "Välj en" in fragment
    assert fragment.count('type="radio"') == 2
    assert 'value="Borås"' in fragment and 'value="Alingsås"' in fragment

    # Without the htmx header it is the whole page.
    page = coordinator.get(
        url("form_builder", world.tenant, round_pk=world.round.pk), {"preview": "1", "label": "X"}
    )
    assert "<html" in text(page)


def test_themes_page_adds_and_hides(world, tenant):
    coordinator = client_for(world.coordinator)
    themes = url("themes", world.tenant, programme_pk=world.programme.pk)
    coordinator.post(themes, {"name": "Svåra samtal", "position": "1"})
    theme = Theme.objects.get(programme=world.programme)
    assert theme.name == "Svåra samtal"
    duplicate = coordinator.post(themes, {"name": "svåra samtal", "position": "2"})
    assert duplicate.status_code == 400
    coordinator.post(themes, {"toggle": str(theme.pk)})
    theme.refresh_from_db()
    assert theme.is_active is False
    # Hidden themes are not offered on the form; shown ones are.
    Theme.objects.create(tenant=tenant, programme=world.programme, name="Arbetsmiljö")
    application = make_application(world.round, user=world.applicant, organisation=world.org_a)
    page = text(client_for(world.applicant).get(url("edit", world.tenant, pk=application.pk)))
    assert "Arbetsmiljö" in page and "Svåra samtal" not in page


def test_shared_days_question_only_when_the_round_has_days(world):
    application = make_application(world.round, user=world.applicant, organisation=world.org_a)
    client = client_for(world.applicant)
    assert 'name="available_for_shared_days"' not in text(
        client.get(url("edit", world.tenant, pk=application.pk))
    )
    SharedMeetingFactory(round=world.round)
    assert 'name="available_for_shared_days"' in text(
        client.get(url("edit", world.tenant, pk=application.pk))
    )


def test_the_applicant_corrects_the_managers_address(world, django_capture_on_commit_callbacks):
    application = make_application(world.round, user=world.applicant, organisation=world.org_a)
    client = client_for(world.applicant)
    client.post(url("edit", world.tenant, pk=application.pk), form_data(world.org_a, submit="1"))
    old = Endorsement.objects.get(application=application)

    wrong = client.post(
        url("resend_endorsement", world.tenant, pk=application.pk),
        {"manager-manager_name": "Kalle Chef", "manager-manager_email": "kalle@"},
    )
    assert wrong.status_code == 400
    assert "Enter a valid email address." in text(wrong) and "kalle@" in text(wrong)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("resend_endorsement", world.tenant, pk=application.pk),
            {
                "manager-manager_name": "Kalle Chef",
                "manager-manager_email": "kalle.chef@alingsas.example",
            },
            follow=True,
        )
    assert "Your manager has been sent a new request." in text(response)
    [message] = mails_to("kalle.chef@alingsas.example")
    old.refresh_from_db()
    assert old.superseded_at is not None
    assert client_for().get(link_in(message).removeprefix("http://testserver")).status_code == 200
    application = refresh(application)
    assert (application.manager_name, application.stage) == (
        "Kalle Chef",
        Stage.AWAITING_ENDORSEMENT,
    )


# --- robustness: empty fields and empty posts ----------------------------------------------------


CAPACITY_ERROR = "Give the number of adepts you can take, from 1 to 10."


def test_a_mentor_who_empties_the_number_of_adepts_gets_a_field_error(world):
    client = client_for(world.applicant)
    application = _start(world, client, role="mentor")
    Application.objects.filter(pk=application.pk).update(capacity=3, job_title="Chef")
    response = client.post(
        url("edit", world.tenant, pk=application.pk),
        form_data(world.org_a, capacity="", job_title="Ny titel"),
    )
    assert response.status_code == 400
    assert CAPACITY_ERROR in text(response)
    application = refresh(application)
    assert (application.capacity, application.job_title) == (3, "Chef")


def test_autosave_with_an_empty_number_of_adepts_keeps_it_and_saves_the_rest(world):
    client = client_for(world.applicant)
    application = _start(world, client, role="mentor")
    Application.objects.filter(pk=application.pk).update(capacity=3)
    response = client.post(
        url("autosave", world.tenant, pk=application.pk),
        form_data(world.org_a, capacity="", job_title="Ny titel"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Saved, except fields that need correcting." in text(response)
    application = refresh(application)
    assert (application.capacity, application.job_title) == (3, "Ny titel")


@pytest.mark.parametrize("role", ["mentor", "adept"])
def test_an_empty_post_saves_nothing(world, role):
    client = client_for(world.applicant)
    application = _start(world, client, role=role)
    client.post(url("edit", world.tenant, pk=application.pk), form_data(world.org_a, capacity="2"))
    before = refresh(application)
    assert before.job_title == "Enhetschef för hemtjänsten" and before.consent_given_at

    response = client.post(
        url("autosave", world.tenant, pk=application.pk), {}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Nothing to save." in text(response)
    response = client.post(url("edit", world.tenant, pk=application.pk), {}, follow=True)
    assert "Nothing was saved: the form arrived empty." in text(response)

    after = refresh(application)
    for name in ("job_title", "motivation", "organisation_id", "capacity", "consent_given_at"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.version == before.version


def _ids_taken_twice(page):
    ids = re.findall(r'\sid="([^"]+)"', page)
    return sorted({i for i in ids if ids.count(i) > 1})


def _labels_for_nothing(page):
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    return sorted(set(re.findall(r'<label for="([^"]+)"', page)) - ids)


def test_the_review_page_forms_have_ids_of_their_own(world, review):
    """The decision's note and the move back's reason are both "reason": each form has its
    own ids, so each label names its own field."""
    page = client_for(world.coordinator).get(url("review_detail", world.tenant, pk=review.anna.pk))
    content = page.content.decode()
    assert 'id="id_reason"' in content and 'id="id_back-reason"' in content
    assert _ids_taken_twice(content) == []
    assert _labels_for_nothing(content) == []


def test_the_page_awaiting_endorsement_has_ids_of_its_own(world):
    """The application form and "correct your manager's address" both ask for the manager."""
    application = make_application(world.round, user=world.applicant, organisation=world.org_a)
    client = client_for(world.applicant)
    client.post(url("edit", world.tenant, pk=application.pk), form_data(world.org_a, submit="1"))
    assert refresh(application).stage == Stage.AWAITING_ENDORSEMENT
    content = client.get(url("edit", world.tenant, pk=application.pk)).content.decode()
    assert 'id="id_manager-manager_email"' in content
    assert _ids_taken_twice(content) == []
    assert _labels_for_nothing(content) == []
