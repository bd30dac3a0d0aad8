"""Checklists as programme content: a programme's checklists, each round's copy, their items and
the answers, one row per person and item. The old answers are mapped in 0003."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0007_tenant_introduction'),
        ('pairs', '0001_initial'),
        ('programmes', '0005_move_round_messages_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Checklist',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('intro', models.TextField(blank=True, max_length=2000, verbose_name='introduction')),
                ('timing', models.CharField(choices=[('before_first', 'Before the first meeting'), ('after_meeting', 'After meeting number N'), ('near_end', 'At the last meeting, or N weeks before the round ends'), ('on_request', 'On request: the participant opens it when they want')], default='before_first', max_length=20, verbose_name='when it appears')),
                ('number', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(52)], verbose_name='N')),
                ('audience', models.CharField(choices=[('both', 'Mentor and adept'), ('mentor', 'Mentor'), ('adept', 'Adept')], default='both', max_length=10, verbose_name='for whom')),
                ('order', models.PositiveIntegerField(default=0)),
                ('is_retired', models.BooleanField(default=False, verbose_name='retired')),
                ('template_key', models.CharField(blank=True, editable=False, max_length=40)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('copied_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pairs.checklist')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checklists', to='programmes.programme')),
                ('round', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='checklists', to='programmes.round')),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
            ],
            options={
                'verbose_name': 'checklist',
                'verbose_name_plural': 'checklists',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ChecklistItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=1000, verbose_name='text')),
                ('kind', models.CharField(choices=[('tick', 'Something to tick off'), ('question', 'A question with a private free-text answer')], default='question', max_length=10, verbose_name='kind')),
                ('order', models.PositiveIntegerField(default=0)),
                ('is_retired', models.BooleanField(default=False, verbose_name='retired')),
                ('template_key', models.CharField(blank=True, editable=False, max_length=40)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('checklist', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='pairs.checklist')),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
            ],
            options={
                'verbose_name': 'checklist item',
                'verbose_name_plural': 'checklist items',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ChecklistItemAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('done', models.BooleanField(default=False)),
                ('text', models.TextField(blank=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='pairs.checklistitem')),
                ('pair', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='pairs.pair')),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.tenant')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'checklist answer',
                'verbose_name_plural': 'checklist answers',
            },
        ),
        migrations.AddConstraint(
            model_name='checklistitemanswer',
            constraint=models.UniqueConstraint(fields=('pair', 'user', 'item'), name='checklist_item_answer_one_per_person'),
        ),
    ]
