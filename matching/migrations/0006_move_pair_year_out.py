"""The pairs and their year (Pair, its agreement, meetings, planned meetings, private notes
and checklist answers) move to the ``pairs`` app: dropped from this app's migration state
only. The tables stay, with their rows; ``pairs`` 0001 takes them up under the same names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0005_pair_meeting_idempotency_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                # Those pointed at first, so no model is left pointing at a removed one.
                migrations.DeleteModel(name="PrivateNote"),
                migrations.DeleteModel(name="PlannedMeeting"),
                migrations.DeleteModel(name="ChecklistAnswer"),
                migrations.DeleteModel(name="PairAgreement"),
                migrations.DeleteModel(name="PairMeeting"),
                migrations.DeleteModel(name="Pair"),
            ],
        ),
    ]
