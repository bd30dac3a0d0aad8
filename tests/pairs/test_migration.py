"""The pairs and their year moved from ``matching`` to ``pairs`` without moving a row: rows
written at the state before the move are read afterwards through ``pairs.models`` with the
same ids, and the content types the activity log points at now say ``pairs``. The old
checklist answers become answers to the round's checklists (pairs 0003), none lost."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scopes_disabled

from applications.models import Application
from organisations.models import ActivityLog
from pairs.models import (
    Checklist,
    ChecklistItemAnswer,
    Pair,
    PairAgreement,
    PairMeeting,
    PlannedMeeting,
    PrivateNote,
)
from programmes.models import ParticipantRole
from tests.factories.applications import ApplicationFactory
from tests.factories.programmes import RoundFactory

BEFORE = [("matching", "0005_pair_meeting_idempotency_key")]
MOVED = ("Pair", "PairAgreement", "PairMeeting", "PlannedMeeting", "PrivateNote", "ChecklistAnswer")
# ChecklistAnswer moved too, and its rows became ChecklistItemAnswer (pairs 0003).


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_rows_written_before_the_move_are_read_through_pairs_after_it():
    with scopes_disabled():
        round_ = RoundFactory()
        mentor = ApplicationFactory(
            round=round_, role=ParticipantRole.MENTOR, stage=Application.Stage.MATCHED
        )
        adept = ApplicationFactory(round=round_, stage=Application.Stage.MATCHED)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert not old.all_models["pairs"]  # nothing of the pairs app at that state
    old_model = {name: old.get_model("matching", name) for name in MOVED}
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldActivityLog = old.get_model("organisations", "ActivityLog")
    # Going back relabelled the content types too: the old state names them under matching.
    old_type = OldContentType.objects.get(app_label="matching", model="pair")
    assert not OldContentType.objects.filter(
        app_label="pairs", model__in=[name.lower() for name in MOVED]
    ).exists()

    tenant_id, now = round_.tenant_id, timezone.now()
    pair = old_model["Pair"].objects.create(
        tenant_id=tenant_id,
        round_id=round_.pk,
        mentor_id=mentor.pk,
        adept_id=adept.pk,
        mentor_user_id=mentor.user_id,
        adept_user_id=adept.user_id,
        status="active",
        started_at=now,
    )
    agreement = old_model["PairAgreement"].objects.create(
        tenant_id=tenant_id, pair=pair, how_often="En gång i månaden", version=2
    )
    meeting = old_model["PairMeeting"].objects.create(
        tenant_id=tenant_id, pair=pair, date=datetime.date(2026, 3, 4), minutes=90, place="Café"
    )
    note = old_model["PrivateNote"].objects.create(
        tenant_id=tenant_id, meeting=meeting, author_id=mentor.user_id, text="Bara för mig."
    )
    planned = old_model["PlannedMeeting"].objects.create(
        tenant_id=tenant_id, pair=pair, starts_at=now, minutes=60, logged_as=meeting
    )
    answer = old_model["ChecklistAnswer"].objects.create(
        tenant_id=tenant_id,
        pair=pair,
        user_id=adept.user_id,
        key="first",
        answers={"background": "Socionom", "dropped_question": "Kvar ändå"},
    )
    mentor_answer = old_model["ChecklistAnswer"].objects.create(
        tenant_id=tenant_id,
        pair=pair,
        user_id=mentor.user_id,
        key="third",
        answers={"good": "Bra tempo", "develop": ""},
    )
    log = OldActivityLog.objects.create(
        tenant_id=tenant_id,
        action="matching.pair_started",
        content_type=old_type,
        object_id=str(pair.pk),
        object_repr="x",
    )

    _migrate(latest)
    ContentType.objects.clear_cache()

    with scopes_disabled():
        moved = Pair.objects.get(pk=pair.pk)
        assert (moved.mentor_id, moved.adept_id, moved.status) == (mentor.pk, adept.pk, "active")
        assert PairAgreement.objects.get(pk=agreement.pk).pair == moved
        assert moved.agreement.how_often == "En gång i månaden"
        assert list(moved.meetings.values_list("pk", "place")) == [(meeting.pk, "Café")]
        assert PrivateNote.objects.get(pk=note.pk).meeting_id == meeting.pk
        assert PlannedMeeting.objects.get(pk=planned.pk).logged_as == PairMeeting.objects.get(
            pk=meeting.pk
        )
        # Migration 0003: the round and its programme got seed 004's checklists, and every
        # old answer is an answer to the round's item of the same key (none lost).
        lists = Checklist.objects.filter(round_id=round_.pk, is_retired=False)
        assert sorted(lists.values_list("template_key", flat=True)) == ["first", "last", "third"]
        assert Checklist.objects.filter(programme_id=round_.programme_id, round=None).count() == 3
        mapped = {
            (a.user_id, a.item.checklist.template_key, a.item.template_key): (
                a.text,
                a.item.is_retired,
                a.item.checklist.round_id,
            )
            for a in ChecklistItemAnswer.objects.select_related("item__checklist")
        }
        assert mapped == {
            (adept.user_id, "first", "background"): ("Socionom", False, round_.pk),
            (adept.user_id, "first", "dropped_question"): ("Kvar ändå", True, round_.pk),
            (mentor.user_id, "third", "good"): ("Bra tempo", False, round_.pk),
        }
        assert answer.pk and mentor_answer.pk

        # The same content type row, now labelled pairs: the log row finds the pair.
        assert ContentType.objects.get_for_model(Pair).pk == old_type.pk
        assert ContentType.objects.get(pk=old_type.pk).app_label == "pairs"
        row = ActivityLog.objects.get(pk=log.pk)
        assert row.content_type.model_class() is Pair
        assert row.content_type.get_object_for_this_type(pk=row.object_id) == moved
        assert not ContentType.objects.filter(
            app_label="matching", model__in=[name.lower() for name in MOVED]
        ).exists()


def test_the_models_keep_their_tables():
    assert [model._meta.db_table for model in (Pair, PairMeeting)] == [
        "matching_pair",
        "matching_pairmeeting",
    ]
    assert {model._meta.app_label for model in (Pair, PairAgreement, PrivateNote)} == {"pairs"}
