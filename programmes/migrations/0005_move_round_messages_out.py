"""The round messages (``RoundMessage`` and ``RoundMessageRecipient``) move to the
``messaging`` app: dropped from this app's migration state only. The tables stay, with their
rows; ``messaging`` 0001 takes them up under the same names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_round_messages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                # The recipient points at the message: removed first.
                migrations.DeleteModel(name="RoundMessageRecipient"),
                migrations.DeleteModel(name="RoundMessage"),
            ],
        ),
    ]
