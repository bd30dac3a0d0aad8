"""The HR contact nominates (or not) several applicants at once: one motivation, the quota
per organisation under the same locks as one nomination, other organisations refused."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import Application, Nomination
from programmes.models import ParticipantRole
from tests.applications.test_services import hr_membership, make_application, open_round
from tests.factories.organisations import OrganisationFactory
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db
Stage = Application.Stage


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def nominating_round(tenant):
    round_ = open_round(programme=ProgrammeFactory(tenant=tenant), name="Omgång 3")
    round_.requires_nomination = True
    round_.nomination_quota = 2
    round_.save()
    return round_


@pytest.fixture
def org_a(tenant):
    return OrganisationFactory(tenant=tenant, name="Alingsås kommun")


@pytest.fixture
def org_b(tenant):
    return OrganisationFactory(tenant=tenant, name="Borås stad")


@pytest.fixture
def hr_a(tenant, org_a):
    return hr_membership(tenant, org_a, email="hr.a@alingsas.example")


def waiting(round_, organisation, name, role=ParticipantRole.ADEPT):
    return make_application(
        round_,
        organisation=organisation,
        role=role,
        stage=Stage.AWAITING_NOMINATION,
        full_name=name,
    )


def stage(application):
    return Application.objects.get(pk=application.pk).stage


def test_bulk_nominate_respects_the_quota_and_names_the_refused(
    nominating_round, org_a, hr_a, django_capture_on_commit_callbacks
):
    people = [waiting(nominating_round, org_a, f"Adept {n}") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        done, refused = services.nominate_bulk(
            tenant=nominating_round.tenant,
            round_=nominating_round,
            applications=people,
            actor=hr_a.user,
            membership=hr_a,
            nominated=True,
            motivation="Stark kandidat.",
        )
    assert [a.pk for a in done] == [people[0].pk, people[1].pk]
    [(application, reason)] = refused
    assert application.pk == people[2].pk and "nominations" in reason
    assert [stage(p) for p in people] == [
        Stage.NOMINATED,
        Stage.NOMINATED,
        Stage.AWAITING_NOMINATION,
    ]
    assert Nomination.objects.filter(motivation="Stark kandidat.").count() == 2
    assert len(mail.outbox) == 2


def test_a_mentor_without_motivation_is_refused_alone(nominating_round, org_a, hr_a):
    adept = waiting(nominating_round, org_a, "Adept")
    mentor = waiting(nominating_round, org_a, "Mentor", role=ParticipantRole.MENTOR)
    done, refused = services.nominate_bulk(
        tenant=nominating_round.tenant,
        round_=nominating_round,
        applications=[mentor, adept],
        actor=hr_a.user,
        membership=hr_a,
        nominated=True,
    )
    assert [a.pk for a in done] == [adept.pk]
    assert [a.pk for a, _reason in refused] == [mentor.pk]
    assert stage(mentor) == Stage.AWAITING_NOMINATION


def test_another_organisations_application_refuses_the_whole_call(
    nominating_round, org_a, org_b, hr_a
):
    mine = waiting(nominating_round, org_a, "Min")
    theirs = waiting(nominating_round, org_b, "Deras")
    with pytest.raises(PermissionDenied):
        services.nominate_bulk(
            tenant=nominating_round.tenant,
            round_=nominating_round,
            applications=[mine, theirs],
            actor=hr_a.user,
            membership=hr_a,
            nominated=True,
        )
    assert stage(mine) == stage(theirs) == Stage.AWAITING_NOMINATION


def hr_client(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def list_url(round_):
    return reverse("applications:hr_list", args=[round_.tenant.slug, round_.pk])


def bulk_url(round_):
    return reverse("applications:hr_bulk_nominate", args=[round_.tenant.slug, round_.pk])


def test_hr_list_has_checkboxes_and_the_bulk_form(nominating_round, org_a, hr_a):
    person = waiting(nominating_round, org_a, "Adept Ett")
    body = hr_client(hr_a).get(list_url(nominating_round)).content.decode()
    assert bulk_url(nominating_round) in body
    assert f'value="{person.pk}"' in body and f'id="sel-{person.pk}"' in body
    assert "data-select-page" in body


def test_view_nominates_two_and_summarises(nominating_round, org_a, hr_a):
    people = [waiting(nominating_round, org_a, f"Adept {n}") for n in range(2)]
    response = hr_client(hr_a).post(
        bulk_url(nominating_round),
        {"selected": [p.pk for p in people], "decision": "nominate", "motivation": "Bra."},
        follow=True,
    )
    assert "2 applicants nominated." in response.content.decode()
    assert all(stage(p) == Stage.NOMINATED for p in people)


def test_view_refuses_another_organisations_id_and_changes_nothing(
    nominating_round, org_a, org_b, hr_a
):
    mine = waiting(nominating_round, org_a, "Min")
    theirs = waiting(nominating_round, org_b, "Deras")
    response = hr_client(hr_a).post(
        bulk_url(nominating_round),
        {"selected": [mine.pk, theirs.pk], "decision": "nominate", "motivation": "x"},
        follow=True,
    )
    assert "not from your organisations" in response.content.decode()
    assert stage(mine) == stage(theirs) == Stage.AWAITING_NOMINATION


def test_view_decline_needs_a_motivation(nominating_round, org_a, hr_a):
    person = waiting(nominating_round, org_a, "Adept")
    response = hr_client(hr_a).post(
        bulk_url(nominating_round),
        {"selected": [person.pk], "decision": "decline", "motivation": ""},
        follow=True,
    )
    assert "Give a reason for not nominating." in response.content.decode()
    assert stage(person) == Stage.AWAITING_NOMINATION
