"""Nobody endorses their own application.

The manager's address may never be one of the applicant's own (case and spaces ignored) on
any path that sets it: the form, its autosave, correcting the address after submitting, an
import, HR's registration for the mentor bank. And the endorsement page refuses the applicant
signed in, and a link that went to the applicant's own address, whoever opens it.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from applications import services
from applications.models import Application, Endorsement
from organisations.models import ActivityLog
from tests.applications import test_views
from tests.applications.test_services import (
    BASE_URL,
    link_in_endorsement,
    make_application,
    refresh,
)
from tests.applications.test_views import client_for, form_data, text, url

world = test_views.world  # the fixture
Stage = Application.Stage
OWN = "Give your manager's address, not your own."
REFUSED = "You cannot answer the request about your own application"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _draft(world):
    return make_application(
        world.round,
        user=world.applicant,
        organisation=world.org_a,
        stage=Stage.DRAFT,
        manager_email="karin.chef@alingsas.example",
    )


def _awaiting(world, client):
    application = _draft(world)
    client.post(url("edit", world.tenant, pk=application.pk), form_data(world.org_a, submit="1"))
    application = refresh(application)
    assert application.stage == Stage.AWAITING_ENDORSEMENT
    return application


# --- the form and its autosave ----------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "ADA@alingsas.example",  # the application's address, in capitals
        "  ada.privat@example.se ",  # the account's address, with spaces
    ],
)
def test_the_form_refuses_the_applicants_own_address(world, address):
    world.applicant.email = "ada.privat@example.se"
    world.applicant.save()
    application = _draft(world)
    client = client_for(world.applicant)
    response = client.post(
        url("edit", world.tenant, pk=application.pk),
        form_data(world.org_a, manager_email=address),
    )
    assert response.status_code == 400
    assert OWN in text(response)
    assert refresh(application).manager_email == "karin.chef@alingsas.example"


def test_the_form_refuses_the_address_typed_as_ones_own_in_the_same_post(world):
    application = _draft(world)
    response = client_for(world.applicant).post(
        url("edit", world.tenant, pk=application.pk),
        form_data(
            world.org_a, email="ny.ada@alingsas.example", manager_email="Ny.Ada@alingsas.example"
        ),
    )
    assert response.status_code == 400
    assert OWN in text(response)
    assert refresh(application).manager_email == "karin.chef@alingsas.example"


def test_autosave_keeps_the_managers_address_and_saves_the_rest(world):
    world.applicant.email = "ada.privat@example.se"
    world.applicant.save()
    application = _draft(world)
    response = client_for(world.applicant).post(
        url("autosave", world.tenant, pk=application.pk),
        form_data(world.org_a, manager_email=" Ada.Privat@Example.se", job_title="Ny titel"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Saved, except fields that need correcting." in text(response)
    application = refresh(application)
    assert application.manager_email == "karin.chef@alingsas.example"
    assert application.job_title == "Ny titel"


def test_submit_refuses_the_account_address_as_the_managers(world):
    """The application's own address may differ from the account's: both are the applicant's."""
    world.applicant.email = "ada.privat@example.se"
    world.applicant.save()
    application = _draft(world)
    Application.objects.filter(pk=application.pk).update(manager_email="ADA.privat@example.se ")
    with pytest.raises(ValidationError) as caught:
        services.submit(application=refresh(application), actor=world.applicant)
    assert caught.value.message_dict["manager_email"] == [OWN]
    assert refresh(application).stage == Stage.DRAFT


# --- correcting the address after submitting ------------------------------------------------


def test_resend_refuses_the_own_address_in_the_service(world, django_capture_on_commit_callbacks):
    client = client_for(world.applicant)
    application = _awaiting(world, client)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as caught, django_capture_on_commit_callbacks(execute=True):
        services.resend_endorsement(
            application=application,
            actor=world.applicant,
            manager_name="Ada",
            manager_email=" Ada@Alingsas.Example ",
            base_url=BASE_URL,
        )
    assert caught.value.message_dict["manager_email"] == [OWN]
    assert Endorsement.objects.filter(application=application).count() == 1
    assert refresh(application).manager_email == "karin.chef@alingsas.example"
    assert mail.outbox == []


def test_resend_refuses_the_own_address_through_the_page(world, django_capture_on_commit_callbacks):
    client = client_for(world.applicant)
    application = _awaiting(world, client)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("resend_endorsement", world.tenant, pk=application.pk),
            {"manager-manager_name": "Ada", "manager-manager_email": "ADA@alingsas.example"},
        )
    assert response.status_code == 400
    assert OWN in text(response)
    assert Endorsement.objects.filter(application=application).count() == 1
    assert mail.outbox == []


# --- the endorsement page ------------------------------------------------------------------


def test_the_applicant_signed_in_cannot_endorse_themselves(
    world, django_capture_on_commit_callbacks
):
    client = client_for(world.applicant)
    application = _awaiting(world, client)
    endorsement = Endorsement.objects.get(application=application)
    link = url("endorse", world.tenant, key=link_in_endorsement(endorsement))
    mail.outbox.clear()

    page = client.get(link)
    assert page.status_code == 403
    assert REFUSED in text(page)
    assert 'name="supports"' not in text(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"supports": "yes"})
    assert response.status_code == 403
    assert REFUSED in text(response)
    endorsement.refresh_from_db()
    assert endorsement.decided_at is None and endorsement.supports is None
    assert refresh(application).stage == Stage.AWAITING_ENDORSEMENT
    assert not ActivityLog.objects.filter(action="endorsement.given").exists()
    assert mail.outbox == []

    # The manager, signed out, still can.
    assert client_for().get(link).status_code == 200


def test_a_link_sent_to_the_applicants_own_address_cannot_be_used(world):
    """An endorsement written before the rule held everywhere: nobody can use it."""
    client = client_for(world.applicant)
    application = _awaiting(world, client)
    endorsement = Endorsement.objects.get(application=application)
    Endorsement.objects.filter(pk=endorsement.pk).update(manager_email="Ada@Alingsas.example")
    link = url("endorse", world.tenant, key=link_in_endorsement(endorsement))

    anonymous = client_for()
    assert anonymous.get(link).status_code == 403
    response = anonymous.post(link, {"supports": "yes"})
    assert response.status_code == 403
    assert REFUSED in text(response)
    with pytest.raises(PermissionDenied):
        services.decide_endorsement(endorsement=endorsement, supports=True)
    endorsement.refresh_from_db()
    assert endorsement.decided_at is None
    assert refresh(application).stage == Stage.AWAITING_ENDORSEMENT
