"""The adepts' requests to a mentor (MentorRequest) move to the ``choosing`` app: dropped from
this app's migration state only. The table stays, with its rows; ``choosing`` 0001 takes it up
under the same name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0006_move_pair_year_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="MentorRequest"),
            ],
        ),
    ]
