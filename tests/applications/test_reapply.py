"""A mentor re-applies to a later round from their previous application without retyping it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from applications.models import Application, StageChange
from programmes.models import Round
from tests.factories.applications import ApplicationFactory, ThemeFactory
from tests.factories.organisations import UserFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory


def _open_round(programme):
    now = timezone.now()
    return RoundFactory(
        programme=programme,
        status=Round.Status.OPEN,
        application_opens_at=now - timedelta(days=1),
        application_closes_at=now + timedelta(days=20),
        starts_on=timezone.localdate() + timedelta(days=40),
    )


def test_a_mentor_starts_from_the_previous_application(client, tenant):
    programme = ProgrammeFactory(tenant=tenant)
    theme = ThemeFactory(programme=programme, tenant=tenant, name="Leda chefer")
    earlier = RoundFactory(programme=programme, status=Round.Status.CLOSED)
    person = UserFactory(language="en")
    previous = ApplicationFactory(
        round=earlier,
        user=person,
        role="mentor",
        stage=Application.Stage.MATCHED,
        job_title="Förvaltningschef",
        education="Socionom",
        capacity=2,
        motivation="Jag vill dela med mig.",
        manager_email="chef@example.se",
        themes=[theme],
    )
    later = _open_round(programme)
    client.force_login(person)
    url = reverse("applications:apply", kwargs={"tenant": tenant.slug, "round_pk": later.pk})

    page = client.get(url).content.decode()
    assert "Start from an earlier application" in page
    assert earlier.name in page

    response = client.post(url, {"role": "mentor", "copy_from": previous.pk})
    draft = Application.objects.get(round=later, user=person, role="mentor")
    assert response.status_code == 302
    assert draft.stage == Application.Stage.DRAFT
    assert (draft.job_title, draft.education, draft.capacity, draft.motivation) == (
        "Förvaltningschef",
        "Socionom",
        2,
        "Jag vill dela med mig.",
    )
    assert draft.organisation_id == previous.organisation_id
    assert list(draft.themes.all()) == [theme]
    assert earlier.name in StageChange.objects.get(application=draft).reason
    previous.refresh_from_db()
    assert previous.round_id == earlier.pk and previous.stage == Application.Stage.MATCHED


def test_someone_elses_application_cannot_be_copied(client, tenant):
    programme = ProgrammeFactory(tenant=tenant)
    earlier = RoundFactory(programme=programme, status=Round.Status.CLOSED)
    other = ApplicationFactory(round=earlier, role="mentor", job_title="Hemlig titel")
    later = _open_round(programme)
    person = UserFactory(language="en")
    client.force_login(person)
    url = reverse("applications:apply", kwargs={"tenant": tenant.slug, "round_pk": later.pk})
    response = client.post(url, {"role": "mentor", "copy_from": other.pk})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert "Hemlig titel" not in response.content.decode()
    assert not Application.objects.filter(round=later, user=person).exists()


def test_another_tenants_application_cannot_be_copied(client, tenant):
    """The same person's own application, but in another tenant: not a choice here."""
    person = UserFactory(language="en")
    elsewhere = RoundFactory(status=Round.Status.CLOSED)  # a fresh tenant of its own
    assert elsewhere.tenant_id != tenant.pk
    foreign = ApplicationFactory(
        round=elsewhere, user=person, role="mentor", job_title="Annan organisations titel"
    )
    later = _open_round(ProgrammeFactory(tenant=tenant))
    client.force_login(person)
    url = reverse("applications:apply", kwargs={"tenant": tenant.slug, "round_pk": later.pk})
    assert "Annan organisations titel" not in client.get(url).content.decode()
    response = client.post(url, {"role": "mentor", "copy_from": foreign.pk})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Application.objects.filter(round=later, user=person).exists()
    with scopes_disabled():  # the person's application in the other tenant is still the only one
        assert Application.objects.filter(user=person).count() == 1
