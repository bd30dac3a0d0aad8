"""The export job moves here from ``applications``, in the migration state only.

The table stays where it is (``Meta.db_table = "applications_exportjob"``), so no row is copied
and no id changes. ``applications`` 0007 drops the model from its state, this one takes it up,
and its content type (which the permissions and any log row point at) is relabelled from
applications to organisations, so those rows keep pointing at the same model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["exportjob"]


def _relabel(apps, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def content_types_to_organisations(apps, schema_editor):
    _relabel(apps, old="applications", new="organisations")


def content_types_to_applications(apps, schema_editor):
    _relabel(apps, old="organisations", new="applications")


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0007_move_export_job_out'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('organisations', '0005_outgoingmail_purged_at'),
        ('programmes', '0004_round_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ExportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('dossier', 'Matching dossier (PDF)'), ('report', 'Round report (PDF)')], max_length=20)),
                        ('status', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Being made'), ('done', 'Ready'), ('failed', 'Failed')], default='pending', max_length=10)),
                        ('progress', models.PositiveIntegerField(default=0)),
                        ('total', models.PositiveIntegerField(default=0)),
                        ('file', models.FileField(blank=True, upload_to='exports/%Y/%m/')),
                        ('error', models.CharField(blank=True, max_length=500)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('expires_at', models.DateTimeField(blank=True, null=True)),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programmes.round')),
                        ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                    ],
                    options={
                        'db_table': 'applications_exportjob',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_to_organisations, content_types_to_applications),
    ]
