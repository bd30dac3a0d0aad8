"""The round messages moved from ``programmes`` to ``messaging`` without moving a row: a
message and its recipients written at the state before the move are read afterwards through
``messaging.models`` with the same ids, and the content types now say ``messaging``."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scopes_disabled

from messaging.models import RoundMessage, RoundMessageRecipient
from organisations.models import ActivityLog
from tests.factories.organisations import UserFactory
from tests.factories.programmes import RoundFactory

BEFORE = [("programmes", "0004_round_messages")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_messages_written_before_the_move_are_read_through_messaging_after_it():
    with scopes_disabled():
        round_ = RoundFactory()
        coordinator, adept = UserFactory(), UserFactory(email="adept@kommun.example")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert not old.all_models["messaging"]  # nothing of the messaging app at that state
    OldMessage = old.get_model("programmes", "RoundMessage")
    OldRecipient = old.get_model("programmes", "RoundMessageRecipient")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldActivityLog = old.get_model("organisations", "ActivityLog")
    old_type = OldContentType.objects.get(app_label="programmes", model="roundmessage")
    assert not OldContentType.objects.filter(app_label="messaging").exists()

    key = uuid.uuid4()
    message = OldMessage.objects.create(
        tenant_id=round_.tenant_id,
        round_id=round_.pk,
        audience="adepts",
        subject="Välkomna till omgången",
        body="Vi ses på startdagen.",
        sent_by_id=coordinator.pk,
        recipient_count=1,
        idempotency_key=key,
    )
    recipient = OldRecipient.objects.create(
        tenant_id=round_.tenant_id, message=message, user_id=adept.pk, email=adept.email
    )
    log = OldActivityLog.objects.create(
        tenant_id=round_.tenant_id,
        action="round_message.sent",
        content_type=old_type,
        object_id=str(message.pk),
        object_repr="x",
    )

    _migrate(latest)
    ContentType.objects.clear_cache()

    with scopes_disabled():
        moved = RoundMessage.objects.get(pk=message.pk)
        assert (moved.subject, moved.audience, moved.idempotency_key) == (
            "Välkomna till omgången",
            "adepts",
            key,
        )
        assert list(round_.messages.all()) == [moved]
        assert RoundMessageRecipient.objects.get(pk=recipient.pk).message == moved
        assert list(moved.recipients.values_list("email", flat=True)) == [adept.email]

        assert ContentType.objects.get_for_model(RoundMessage).pk == old_type.pk
        row = ActivityLog.objects.get(pk=log.pk)
        assert row.content_type.model_class() is RoundMessage
        assert row.content_type.get_object_for_this_type(pk=row.object_id) == moved
        assert not ContentType.objects.filter(
            app_label="programmes", model__in=["roundmessage", "roundmessagerecipient"]
        ).exists()


def test_the_models_keep_their_tables():
    assert [RoundMessage._meta.db_table, RoundMessageRecipient._meta.db_table] == [
        "programmes_roundmessage",
        "programmes_roundmessagerecipient",
    ]
    assert {RoundMessage._meta.app_label, RoundMessageRecipient._meta.app_label} == {"messaging"}
