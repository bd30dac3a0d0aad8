"""The old hard-coded checklists' answers (``matching_checklistanswer``) are gone: 0003 mapped
every row to the round's checklists."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pairs", "0003_checklist_answers_to_items"),
    ]

    operations = [
        migrations.DeleteModel(name="ChecklistAnswer"),
    ]
