# Put-forward links expire like invitations. Links sent before this migration expire
# INVITATION_MAX_AGE_DAYS after they were sent, not that long after the migration.

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models

import applications.models


def expire_from_creation(apps, schema_editor):
    PutForward = apps.get_model("applications", "PutForward")
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    for put_forward in PutForward._base_manager.only("pk", "created_at").iterator():
        PutForward._base_manager.filter(pk=put_forward.pk).update(
            expires_at=put_forward.created_at + max_age
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_export_job_round_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="putforward",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(expire_from_creation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="putforward",
            name="expires_at",
            field=models.DateTimeField(
                default=applications.models.put_forward_expiry, verbose_name="expires"
            ),
        ),
    ]
