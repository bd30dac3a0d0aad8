"""The export job (``ExportJob``) moves to ``organisations``, the core app that owns the shared
export-job life cycle (organisations.jobs): dropped from this app's migration state only. The
table ``applications_exportjob`` stays, with its rows; ``organisations`` 0006 takes it up
under the same name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_export_job_attempts_and_heartbeat"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ExportJob")],
        ),
    ]
