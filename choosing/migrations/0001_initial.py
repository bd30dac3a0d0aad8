"""The adepts' requests to a mentor move here from ``matching``, in the migration state only.

The table stays where it is (the model keeps it by ``Meta.db_table``), so no row is copied
and no id changes. ``matching`` 0007 drops the model from its state, this one takes it up,
and the content type (which the activity log and the permissions point at) is relabelled
from matching to choosing, so those rows keep pointing at the same model.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ["mentorrequest"]


def _relabel(apps, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def content_types_to_choosing(apps, schema_editor):
    _relabel(apps, old="matching", new="choosing")


def content_types_to_matching(apps, schema_editor):
    _relabel(apps, old="choosing", new="matching")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applications", "0006_export_job_attempts_and_heartbeat"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("matching", "0007_move_mentor_request_out"),
        ("organisations", "0005_outgoingmail_purged_at"),
        ("programmes", "0004_round_messages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="MentorRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "message",
                            models.TextField(
                                blank=True, max_length=2000, verbose_name="message to the mentor"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("asked", "Asked"),
                                    ("accepted", "Accepted"),
                                    ("declined", "Declined"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                db_index=True,
                                default="asked",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "decline_note",
                            models.TextField(
                                blank=True, max_length=2000, verbose_name="note to the adept"
                            ),
                        ),
                        (
                            "adept",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mentor_requests_sent",
                                to="applications.application",
                            ),
                        ),
                        (
                            "mentor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mentor_requests_received",
                                to="applications.application",
                            ),
                        ),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mentor_requests",
                                to="programmes.round",
                            ),
                        ),
                        (
                            "tenant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="organisations.tenant",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "mentor request",
                        "verbose_name_plural": "mentor requests",
                        "db_table": "matching_mentorrequest",
                        "ordering": ["-created_at", "-id"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("status", "asked")),
                                fields=("adept",),
                                name="mentorrequest_one_open",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_to_choosing, content_types_to_matching),
    ]
