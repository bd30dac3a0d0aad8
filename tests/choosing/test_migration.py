"""The adepts' requests to a mentor moved from ``matching`` to ``choosing`` without moving a
row: on a database with the seeded demo in it, requests written at the state before the move
are read afterwards through ``choosing.models`` with the same ids, the demo's own rows are
untouched, and the content type the activity log points at now says ``choosing``."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scopes_disabled

from applications.models import Application, StageChange
from choosing.models import MentorRequest
from organisations.models import ActivityLog
from pairs.models import Pair
from programmes.models import ParticipantRole, Programme
from tests.demo_seed import run_seed

BEFORE = [("matching", "0006_move_pair_year_out")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _demo_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Application, StageChange, Pair, ActivityLog)
    }


@pytest.mark.django_db(transaction=True)
def test_the_requests_written_before_the_move_are_read_through_choosing_after_it():
    with scopes_disabled():
        run_seed()
        # The association's programme, where the adepts choose a mentor (seed 003).
        adepts = Application.objects.filter(
            round__programme__matching_mode=Programme.MatchingMode.ADEPT_CHOOSES,
            role=ParticipantRole.ADEPT,
        ).order_by("pk")
        mentors = Application.objects.filter(
            round__programme__matching_mode=Programme.MatchingMode.ADEPT_CHOOSES,
            role=ParticipantRole.MENTOR,
        ).order_by("pk")
        adept, other_adept = adepts[:2]
        mentor = mentors.filter(round=adept.round).first()
        assert mentor is not None and other_adept.round_id == adept.round_id
        demo = _demo_counts()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert not old.all_models["choosing"]  # nothing of the choosing app at that state
    OldRequest = old.get_model("matching", "MentorRequest")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldActivityLog = old.get_model("organisations", "ActivityLog")
    # Going back relabelled the content type too: the old state names it under matching.
    old_type = OldContentType.objects.get(app_label="matching", model="mentorrequest")
    assert not OldContentType.objects.filter(app_label="choosing").exists()

    now = timezone.now()
    earlier = OldRequest.objects.create(
        tenant_id=adept.tenant_id,
        round_id=adept.round_id,
        adept_id=adept.pk,
        mentor_id=mentor.pk,
        message="Jag vill gärna prata om att leda på distans.",
        status="declined",
        decided_at=now,
        decline_note="Jag har tyvärr inte tid i vår.",
    )
    asked = OldRequest.objects.create(
        tenant_id=other_adept.tenant_id,
        round_id=other_adept.round_id,
        adept_id=other_adept.pk,
        mentor_id=mentor.pk,
        message="Hej! Får jag be dig vara min mentor?",
    )
    log = OldActivityLog.objects.create(
        tenant_id=adept.tenant_id,
        action="matching.mentor_requested",
        content_type=old_type,
        object_id=str(asked.pk),
        object_repr="x",
    )

    _migrate(latest)
    ContentType.objects.clear_cache()

    with scopes_disabled():
        assert list(
            MentorRequest.objects.order_by("pk").values_list(
                "pk", "adept_id", "mentor_id", "status"
            )
        ) == [
            (earlier.pk, adept.pk, mentor.pk, "declined"),
            (asked.pk, other_adept.pk, mentor.pk, "asked"),
        ]
        declined = MentorRequest.objects.get(pk=earlier.pk)
        assert declined.decline_note == "Jag har tyvärr inte tid i vår."
        assert declined.decided_at == now
        # The related names still reach the requests from the applications and the round.
        assert list(mentor.mentor_requests_received.order_by("pk")) == [
            declined,
            MentorRequest.objects.get(pk=asked.pk),
        ]
        assert list(other_adept.mentor_requests_sent.values_list("message", flat=True)) == [
            "Hej! Får jag be dig vara min mentor?"
        ]
        assert adept.round.mentor_requests.count() == 2
        # The partial unique key is still on the table: one open request per adept.
        with pytest.raises(IntegrityError), transaction.atomic():
            MentorRequest.objects.create(
                tenant_id=other_adept.tenant_id,
                round_id=other_adept.round_id,
                adept=other_adept,
                mentor=mentor,
            )

        # The same content type row, now labelled choosing: the log row finds the request.
        assert ContentType.objects.get_for_model(MentorRequest).pk == old_type.pk
        assert ContentType.objects.get(pk=old_type.pk).app_label == "choosing"
        row = ActivityLog.objects.get(pk=log.pk)
        assert row.content_type.model_class() is MentorRequest
        assert row.content_type.get_object_for_this_type(pk=row.object_id).pk == asked.pk
        assert not ContentType.objects.filter(app_label="matching", model="mentorrequest").exists()

        # The demo's rows are all still there (the log has the one row written above).
        assert _demo_counts() == {**demo, "ActivityLog": demo["ActivityLog"] + 1}


def test_the_model_keeps_its_table():
    assert MentorRequest._meta.db_table == "matching_mentorrequest"
    assert MentorRequest._meta.app_label == "choosing"
