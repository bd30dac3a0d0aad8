"""The hard-coded checklists (seed 004: before the first meeting, after the third, the last) become
content: every round that has pairs gets them as its own copy (and its programme too, when it
has none), and every old answer (``ChecklistAnswer``: key first/third/last, answers keyed by
question) becomes one ``ChecklistItemAnswer`` per question, so no answer is lost. An answer to
a question no longer in the checklist gets a retired item of its own.

The texts are frozen here in Swedish (the tenants' language), as the routine had them; after
this the coordinators edit them. ``map_answers(apps)`` is the mapping, tested on its own in
``tests/pairs/test_checklist_migration.py``.
"""

from django.db import migrations

Q, T = "question", "tick"

ROUTINE = [
    (
        "first",
        "Inför första mötet",
        "Gör gärna det första mötet i form av ett mer formellt samtal med stöd av frågorna "
        "nedan. På det sättet kan ni gå på djupet i tidigare erfarenheter och lära känna "
        "varandra.",
        "before_first",
        None,
        [
            ("background", Q, "Hur ser mitt liv ut? Bakgrund?"),
            ("work_today", Q, "Hur ser mitt yrkesliv ut idag?"),
            ("strengths", Q, "Vilka är mina styrkor och vad vill jag utveckla?"),
            ("values", Q, "Vilka personliga värderingar är viktiga för mig?"),
            ("where_i_stand", Q, "Här upplever jag att jag står idag och hit vill jag komma."),
            (
                "from_each_other",
                Q,
                "Vad vill jag få ut av dig som mentor, eller ge till min adept? Vad kan var "
                "och en bidra med?",
            ),
            (
                "meeting_structure",
                T,
                "Mötesstruktur – samarbetskontrakt: vi har diskuterat och fastställt våra "
                "spelregler, till exempel tystnadsplikt (skriv in dem under ”Vår "
                "överenskommelse”).",
            ),
        ],
    ),
    (
        "third",
        "Efter tredje träffen",
        "Efter tredje träffen: reflektera över vad som har varit bra och vad som behöver "
        "utvecklas.",
        "after_meeting",
        3,
        [
            ("good", Q, "Vad har varit bra hittills?"),
            ("develop", Q, "Vad behöver vi utveckla?"),
        ],
    ),
    (
        "last",
        "Det sista mötet",
        "Det sista mötet: utvärdera relationen, sammanfatta lärdomarna för er båda och "
        "diskutera eventuell fortsatt kontakt.",
        "near_end",
        6,
        [
            ("relationship", Q, "Hur utvärderar jag relationen mellan mentor och adept?"),
            ("lessons", Q, "Mina lärdomar från mentorskapet."),
            ("further_contact", Q, "Vill vi ha fortsatt kontakt, och hur?"),
        ],
    ),
]


def _create_routine(apps, *, tenant_id, programme_id, round_id=None, copied_from=None):
    Checklist = apps.get_model("pairs", "Checklist")
    ChecklistItem = apps.get_model("pairs", "ChecklistItem")
    made = {}
    for order, (key, title, intro, timing, number, items) in enumerate(ROUTINE, start=1):
        checklist = Checklist.objects.create(
            tenant_id=tenant_id,
            programme_id=programme_id,
            round_id=round_id,
            copied_from=(copied_from or {}).get(key),
            title=title,
            intro=intro,
            timing=timing,
            number=number,
            audience="both",
            order=order,
            template_key=key,
        )
        for item_order, (item_key, kind, text) in enumerate(items, start=1):
            ChecklistItem.objects.create(
                tenant_id=tenant_id,
                checklist=checklist,
                text=text,
                kind=kind,
                order=item_order,
                template_key=item_key,
            )
        made[key] = checklist
    return made


def map_answers(apps):
    """Make the checklists and move every old answer onto them. Returns the number of
    ``ChecklistItemAnswer`` rows written."""
    Pair = apps.get_model("pairs", "Pair")
    Round = apps.get_model("programmes", "Round")
    Checklist = apps.get_model("pairs", "Checklist")
    ChecklistItem = apps.get_model("pairs", "ChecklistItem")
    ChecklistAnswer = apps.get_model("pairs", "ChecklistAnswer")
    ChecklistItemAnswer = apps.get_model("pairs", "ChecklistItemAnswer")
    written = 0
    round_ids = set(Pair._base_manager.values_list("round_id", flat=True))
    for round_ in Round._base_manager.filter(pk__in=round_ids).order_by("pk"):
        programme_lists = {
            c.template_key: c
            for c in Checklist._base_manager.filter(
                programme_id=round_.programme_id, round__isnull=True
            )
        }
        if not programme_lists:
            programme_lists = _create_routine(
                apps, tenant_id=round_.tenant_id, programme_id=round_.programme_id
            )
        lists = {
            c.template_key: c for c in Checklist._base_manager.filter(round_id=round_.pk)
        }
        if not lists:
            lists = _create_routine(
                apps,
                tenant_id=round_.tenant_id,
                programme_id=round_.programme_id,
                round_id=round_.pk,
                copied_from=programme_lists,
            )
        items = {
            (item.checklist_id, item.template_key): item
            for item in ChecklistItem._base_manager.filter(checklist__in=lists.values())
        }
        for answer in ChecklistAnswer._base_manager.filter(pair__round_id=round_.pk).order_by(
            "pk"
        ):
            checklist = lists.get(answer.key)
            if checklist is None:  # a key the routine never had: a retired list of its own
                checklist = Checklist._base_manager.create(
                    tenant_id=round_.tenant_id,
                    programme_id=round_.programme_id,
                    round_id=round_.pk,
                    title=answer.key,
                    timing="on_request",
                    audience="both",
                    order=99,
                    is_retired=True,
                    template_key=answer.key,
                )
                lists[answer.key] = checklist
            for question, text in (answer.answers or {}).items():
                text = str(text or "").strip()
                if not text:
                    continue
                item = items.get((checklist.pk, question))
                if item is None:  # a question since dropped: kept, retired
                    item = ChecklistItem._base_manager.create(
                        tenant_id=round_.tenant_id,
                        checklist=checklist,
                        text=question,
                        kind="question",
                        order=99,
                        is_retired=True,
                        template_key=question,
                    )
                    items[(checklist.pk, question)] = item
                row, _created = ChecklistItemAnswer._base_manager.update_or_create(
                    pair_id=answer.pair_id,
                    user_id=answer.user_id,
                    item=item,
                    defaults={"tenant_id": answer.tenant_id, "text": text},
                )
                ChecklistItemAnswer._base_manager.filter(pk=row.pk).update(
                    updated_at=answer.updated_at
                )
                written += 1
    return written


def forwards(apps, schema_editor):
    map_answers(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("pairs", "0002_checklists"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
