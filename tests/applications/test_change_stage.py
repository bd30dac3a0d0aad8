"""``applications.services.change_stage`` and ``change_stages_bulk``: the one writer of stages.

Other apps (matching, the bank, the importer, the demos) change stages only through these; a
transition that is not allowed is refused with a clear error and writes nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from applications import services
from applications.models import Application, StageChange
from organisations.models import ActivityLog
from programmes.models import Participant, ParticipantRole
from tests.applications.test_services import make_application, open_round
from tests.factories.organisations import UserFactory

Stage = Application.Stage


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def round_(tenant):
    return open_round(tenant=tenant)


def _history(application):
    return list(
        StageChange.objects.filter(application=application)
        .order_by("created_at", "id")
        .values_list("from_stage", "to_stage", "actor_id", "actor_label", "reason")
    )


def _logged(application):
    return list(
        ActivityLog.objects.filter(
            action="application.stage_changed", object_id=str(application.pk)
        ).values_list("data", flat=True)
    )


def test_change_stage_saves_records_history_and_log(round_, coordinator):
    application = make_application(round_, stage=Stage.ACCEPTED)
    version = application.version

    services.change_stage(
        application=application, to_stage=Stage.MATCHED, actor=coordinator, reason="Paired."
    )

    application.refresh_from_db()
    assert (application.stage, application.version) == (Stage.MATCHED, version + 1)
    assert _history(application)[-1] == (
        Stage.ACCEPTED,
        Stage.MATCHED,
        coordinator.pk,
        coordinator.full_name or coordinator.email,
        "Paired.",
    )
    assert _logged(application) == [
        {
            "reason": "Paired.",
            "before": {"stage": Stage.ACCEPTED},
            "after": {"stage": Stage.MATCHED},
        }
    ]


def test_change_stage_refuses_an_illegal_transition_and_writes_nothing(round_, coordinator):
    application = make_application(round_, stage=Stage.DRAFT)
    before = _history(application)

    with pytest.raises(ValidationError) as excinfo:
        services.change_stage(application=application, to_stage=Stage.MATCHED, actor=coordinator)

    assert excinfo.value.messages == ["An application that is “Draft” cannot become “Matched”."]
    application.refresh_from_db()
    assert application.stage == Stage.DRAFT
    assert _history(application) == before
    assert _logged(application) == []


def test_the_matched_adept_goes_back_to_accepted_only_through_matching(round_, coordinator):
    """MATCHED → ACCEPTED (a pair ended) is allowed for change_stage, but it is no decision: a
    coordinator cannot "accept" a matched application."""
    application = make_application(round_, stage=Stage.MATCHED)
    with pytest.raises(ValidationError):
        services.decide(application=application, actor=coordinator, decision=Stage.ACCEPTED)

    services.change_stage(application=application, to_stage=Stage.ACCEPTED, actor=coordinator)

    application.refresh_from_db()
    assert application.stage == Stage.ACCEPTED


def test_change_stage_into_the_round_makes_the_person_a_participant(round_, coordinator):
    application = make_application(round_, stage=Stage.UNDER_REVIEW)

    services.change_stage(application=application, to_stage=Stage.ACCEPTED, actor=coordinator)

    assert Participant.objects.filter(
        round=round_, user=application.user, role=application.role
    ).exists()


def test_a_new_application_gets_its_first_row_and_no_stage_log(round_, coordinator):
    application = make_application(round_, stage=Stage.ACCEPTED)
    StageChange.objects.filter(application=application).delete()

    services.change_stage(
        application=application,
        to_stage=Stage.ACCEPTED,
        actor=coordinator,
        reason="Registered.",
        created=True,
    )

    assert [h[:2] for h in _history(application)] == [("", Stage.ACCEPTED)]
    assert _logged(application) == []
    with pytest.raises(ValidationError):
        application.stage = Stage.MATCHED
        services.change_stage(
            application=application, to_stage=Stage.MATCHED, actor=coordinator, created=True
        )


def test_change_stages_bulk_one_query_per_table(round_, coordinator, django_assert_num_queries):
    applications = [
        make_application(round_, stage=Stage.UNDER_REVIEW, user=UserFactory()) for _ in range(5)
    ]
    for application in applications:
        application.refresh_from_db()  # without the cached relations the factory left
    applications = list(
        Application.objects.filter(pk__in=[a.pk for a in applications]).select_related(
            "tenant", "round", "user", "organisation"
        )
    )

    # The stages (1), the history (1), the log (1), the participants (1); the content type of
    # the log is cached by then, as it is in a running site.
    ContentType.objects.get_for_model(Application)
    with django_assert_num_queries(4):
        services.change_stages_bulk(
            applications=applications, to_stage=Stage.ACCEPTED, actor=coordinator, reason="Ok."
        )

    for application in applications:
        application.refresh_from_db()
        assert application.stage == Stage.ACCEPTED
        assert _history(application)[-1][:2] == (Stage.UNDER_REVIEW, Stage.ACCEPTED)
        assert len(_logged(application)) == 1
    assert Participant.objects.filter(round=round_, role=ParticipantRole.ADEPT).count() == 5


def test_change_stages_bulk_refuses_all_when_one_is_illegal(round_, coordinator):
    good = make_application(round_, stage=Stage.UNDER_REVIEW)
    bad = make_application(round_, stage=Stage.DRAFT)

    with pytest.raises(ValidationError):
        services.change_stages_bulk(
            applications=[good, bad], to_stage=Stage.ACCEPTED, actor=coordinator
        )

    good.refresh_from_db()
    assert good.stage == Stage.UNDER_REVIEW
    assert _history(good)[-1][1] == Stage.UNDER_REVIEW


def test_ensure_participant_is_idempotent(round_):
    from programmes import services as programme_services

    application = make_application(round_, stage=Stage.ACCEPTED)
    first = programme_services.ensure_participant(
        round_=round_, user=application.user, role=application.role, application=application
    )
    again = programme_services.ensure_participant(
        round_=round_, user=application.user, role=application.role, organisation=None
    )

    assert again.pk == first.pk
    assert first.organisation_id == application.organisation_id
    assert Participant.objects.filter(round=round_, user=application.user).count() == 1
