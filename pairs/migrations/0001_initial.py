"""The pairs and their year move here from ``matching``, in the migration state only.

The tables stay where they are (each model keeps its table by ``Meta.db_table``), so no row
is copied and no id changes. ``matching`` 0006 drops the models from its state, this one
takes them up, and the content types (which the activity log and the permissions point at)
are relabelled from matching to pairs, so those rows keep pointing at the same models.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["pair", "pairagreement", "pairmeeting", "plannedmeeting", "privatenote", "checklistanswer"]


def _relabel(apps, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def content_types_to_pairs(apps, schema_editor):
    _relabel(apps, old="matching", new="pairs")


def content_types_to_matching(apps, schema_editor):
    _relabel(apps, old="pairs", new="matching")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('applications', '0006_export_job_attempts_and_heartbeat'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('matching', '0006_move_pair_year_out'),
        ('organisations', '0005_outgoingmail_purged_at'),
        ('programmes', '0004_round_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Pair',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed'), ('active', 'Active'), ('ended', 'Ended')], db_index=True, default='active', max_length=10, verbose_name='status')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                        ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended')),
                        ('end_reason', models.CharField(blank=True, choices=[('by_agreement', 'By agreement'), ('changed_job', 'Changed job'), ('left_organisation', 'Left the organisation'), ('other', 'Other')], max_length=20, verbose_name='why the pair ended')),
                        ('end_note', models.TextField(blank=True, max_length=2000, verbose_name='note')),
                        ('end_requested_at', models.DateTimeField(blank=True, null=True, verbose_name='asked to end')),
                        ('end_request_reason', models.TextField(blank=True, max_length=2000, verbose_name='why')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('adept', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pairs_as_adept', to='applications.application')),
                        ('adept_user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='adept_pairs', to=settings.AUTH_USER_MODEL)),
                        ('created_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='created_pairs', to='matching.proposal')),
                        ('end_requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pairs_as_mentor', to='applications.application')),
                        ('mentor_user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mentor_pairs', to=settings.AUTH_USER_MODEL)),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pairs', to='programmes.round')),
                        ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                    ],
                    options={
                        'verbose_name': 'pair',
                        'verbose_name_plural': 'pairs',
                        'db_table': 'matching_pair',
                        'ordering': ['-started_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ChecklistAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(choices=[('first', 'Before the first meeting'), ('third', 'After the third meeting'), ('last', 'The last meeting')], max_length=10, verbose_name='checklist')),
                        ('answers', models.JSONField(blank=True, default=dict)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('pair', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='pairs.pair')),
                    ],
                    options={
                        'verbose_name': 'checklist answer',
                        'verbose_name_plural': 'checklist answers',
                        'db_table': 'matching_checklistanswer',
                    },
                ),
                migrations.CreateModel(
                    name='PairAgreement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('how_often', models.TextField(blank=True, max_length=2000, verbose_name='how often we meet')),
                        ('where', models.TextField(blank=True, max_length=2000, verbose_name='where we meet')),
                        ('cancelling', models.TextField(blank=True, max_length=2000, verbose_name='how we cancel or move a meeting')),
                        ('confidentiality', models.TextField(blank=True, max_length=2000, verbose_name='confidentiality')),
                        ('personal_not_private', models.TextField(blank=True, max_length=2000, verbose_name='personal but not private')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('mentor_confirmed_at', models.DateTimeField(blank=True, null=True)),
                        ('adept_confirmed_at', models.DateTimeField(blank=True, null=True)),
                        ('drafted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('pair', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='agreement', to='pairs.pair')),
                        ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                    ],
                    options={
                        'verbose_name': 'pair agreement',
                        'verbose_name_plural': 'pair agreements',
                        'db_table': 'matching_pairagreement',
                    },
                ),
                migrations.CreateModel(
                    name='PairMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('minutes', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(10), django.core.validators.MaxValueValidator(600)], verbose_name='length (minutes)')),
                        ('mode', models.CharField(choices=[('in_person', 'In person'), ('online', 'Online'), ('phone', 'Phone')], default='in_person', max_length=10, verbose_name='how')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('idempotency_key', models.UUIDField(blank=True, editable=False, null=True)),
                        ('logged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('pair', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='pairs.pair')),
                        ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                    ],
                    options={
                        'verbose_name': 'pair meeting',
                        'verbose_name_plural': 'pair meetings',
                        'db_table': 'matching_pairmeeting',
                        'ordering': ['-date', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='PlannedMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField(verbose_name='starts')),
                        ('minutes', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(10), django.core.validators.MaxValueValidator(600)], verbose_name='length (minutes)')),
                        ('mode', models.CharField(choices=[('in_person', 'In person'), ('online', 'Online'), ('phone', 'Phone')], default='in_person', max_length=10, verbose_name='how')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('sequence', models.PositiveIntegerField(default=0, editable=False)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('logged_as', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='planned', to='pairs.pairmeeting')),
                        ('pair', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='planned_meetings', to='pairs.pair')),
                        ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                    ],
                    options={
                        'verbose_name': 'planned meeting',
                        'verbose_name_plural': 'planned meetings',
                        'db_table': 'matching_plannedmeeting',
                        'ordering': ['starts_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='PrivateNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=4000, verbose_name='private note')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='pairs.pairmeeting')),
                        ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                    ],
                    options={
                        'verbose_name': 'private note',
                        'verbose_name_plural': 'private notes',
                        'db_table': 'matching_privatenote',
                    },
                ),
                migrations.AddConstraint(
                    model_name='pair',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('adept',), name='pair_one_active_per_adept'),
                ),
                migrations.AddConstraint(
                    model_name='checklistanswer',
                    constraint=models.UniqueConstraint(fields=('pair', 'user', 'key'), name='checklistanswer_one_per_person'),
                ),
                migrations.AddConstraint(
                    model_name='pairmeeting',
                    constraint=models.UniqueConstraint(fields=('tenant', 'idempotency_key'), name='pair_meeting_unique_key'),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_pairs, content_types_to_matching),
    ]
