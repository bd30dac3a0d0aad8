"""The round messages move here from ``programmes``, in the migration state only.

The tables stay where they are (each model keeps its table by ``Meta.db_table``), so no row
is copied and no id changes. ``programmes`` 0005 drops the models from its state, this one
takes them up, and the content types are relabelled from programmes to messaging, so the rows
that point at them keep pointing at the same models.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["roundmessage", "roundmessagerecipient"]


def _relabel(apps, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def content_types_to_messaging(apps, schema_editor):
    _relabel(apps, old="programmes", new="messaging")


def content_types_to_programmes(apps, schema_editor):
    _relabel(apps, old="messaging", new="programmes")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('organisations', '0005_outgoingmail_purged_at'),
        ('programmes', '0005_move_round_messages_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='RoundMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('audience', models.CharField(choices=[('everyone', 'Everyone: mentors, adepts and HR contacts'), ('mentors', 'Mentors'), ('adepts', 'Adepts'), ('hr_contacts', 'HR contacts')], default='everyone', max_length=20, verbose_name='to whom')),
                        ('subject', models.CharField(max_length=200, verbose_name='subject')),
                        ('body', models.TextField(max_length=10000, verbose_name='message')),
                        ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sent')),
                        ('recipient_count', models.PositiveIntegerField(default=0, verbose_name='recipients')),
                        ('idempotency_key', models.UUIDField(editable=False)),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='organisations.organisation', verbose_name='only this organisation')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='programmes.round')),
                        ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                        ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                    ],
                    options={
                        'verbose_name': 'message',
                        'verbose_name_plural': 'messages',
                        'db_table': 'programmes_roundmessage',
                        'ordering': ['-sent_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='RoundMessageRecipient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                        ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='messaging.roundmessage')),
                        ('outgoing_mail', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='organisations.outgoingmail')),
                        ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'recipient',
                        'verbose_name_plural': 'recipients',
                        'db_table': 'programmes_roundmessagerecipient',
                    },
                ),
                migrations.AddConstraint(
                    model_name='roundmessage',
                    constraint=models.UniqueConstraint(fields=('tenant', 'idempotency_key'), name='round_message_unique_key'),
                ),
                migrations.AddConstraint(
                    model_name='roundmessagerecipient',
                    constraint=models.UniqueConstraint(fields=('message', 'email'), name='round_message_recipient_unique'),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_messaging, content_types_to_programmes),
    ]
