"""Checklists as programme content: the coordinator's checklists per programme (``round`` empty),
each round's own copy of them, when each is shown to whom, and the participants' answers.

- A programme's checklists are edited by its coordinators; a new round (created, or copied
  from an earlier one) copies the programme's current checklists (``copy_to_round``, the
  ``mentorship.hooks.ROUND_CREATED`` hook), and the round's pairs use the round's copy, which
  the coordinators can edit for that round alone.
- When a checklist is shown (``is_due``): before the first meeting (until one is logged);
  after meeting N (from the N-th logged meeting on); near the end (at the pair's last
  meeting, one short of the round's minimum, or N weeks before the round's end); on request
  (always there, the participant opens it when they want). Only to the role it is for.
- An item or checklist somebody has answered is never deleted: it is retired (hidden from
  the pairs, its answers kept); deleting is allowed only while nobody has answered.
- Answers are the person's own (``save_answers``): ticked, or a free text; the activity log
  says which checklist was answered, never what was written.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organisations.services import log_activity

from . import checklist_templates
from .models import Audience, Checklist, ChecklistItem, ChecklistItemAnswer

ANSWER_MAX = 4000
TITLE_MAX = 200
TEXT_MAX = 1000
INTRO_MAX = 2000
NUMBER_MAX = {Checklist.Timing.AFTER_MEETING: 50, Checklist.Timing.NEAR_END: 52}

Timing = Checklist.Timing


def _check_tenant(tenant, *objects):
    for obj in objects:
        if obj is not None and obj.tenant_id != tenant.pk:
            raise Http404


def checklists_of(*, tenant, programme, round_=None, retired=True):
    """The programme's own checklists (``round_`` None) or the round's copy, in order, with
    their items prefetched."""
    rows = Checklist.objects.filter(tenant=tenant, programme=programme, round=round_)
    if not retired:
        rows = rows.filter(is_retired=False)
    return list(rows.prefetch_related("items"))


def answered_item_ids(items):
    """The ids of ``items`` that somebody has answered."""
    return set(
        ChecklistItemAnswer.objects.filter(item__in=items)
        .values_list("item_id", flat=True)
        .distinct()
    )


# --- the coordinator's content ---------------------------------------------------------------


def _clean_checklist(data):
    errors = {}
    title = (data.get("title") or "").strip()
    intro = (data.get("intro") or "").strip()
    timing = data.get("timing") or Timing.BEFORE_FIRST
    audience = data.get("audience") or Audience.BOTH
    number = data.get("number")
    if not title:
        errors["title"] = _("Give the checklist a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("At most %(max)s characters.") % {"max": TITLE_MAX}
    if len(intro) > INTRO_MAX:
        errors["intro"] = _("At most %(max)s characters.") % {"max": INTRO_MAX}
    if timing not in Timing.values:
        errors["timing"] = _("Choose when the checklist appears.")
    if audience not in Audience.values:
        errors["audience"] = _("Choose whom the checklist is for.")
    if timing in NUMBER_MAX:
        if number in (None, ""):
            errors["number"] = (
                _("Say after which meeting it appears.")
                if timing == Timing.AFTER_MEETING
                else _("Say how many weeks before the round's end it appears.")
            )
        elif not 1 <= int(number) <= NUMBER_MAX[timing]:
            errors["number"] = _("A number from 1 to %(max)s.") % {"max": NUMBER_MAX[timing]}
    else:
        number = None
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "intro": intro,
        "timing": timing,
        "audience": audience,
        "number": int(number) if number not in (None, "") else None,
    }


def _next_order(rows):
    return (rows.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def create_checklist(*, tenant, actor, programme, round_=None, data):
    """A new checklist at the end of the programme's (or the round's) list."""
    _check_tenant(tenant, programme, round_)
    if round_ is not None and round_.programme_id != programme.pk:
        raise Http404
    clean = _clean_checklist(data)
    siblings = Checklist.objects.filter(tenant=tenant, programme=programme, round=round_)
    checklist = Checklist.objects.create(
        tenant=tenant, programme=programme, round=round_, order=_next_order(siblings), **clean
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="checklist.created",
        obj=checklist,
        data={"round": round_.pk if round_ else None},
    )
    return checklist


@transaction.atomic
def update_checklist(*, tenant, actor, checklist, data):
    _check_tenant(tenant, checklist)
    clean = _clean_checklist(data)
    before = {field: getattr(checklist, field) for field in clean}
    for field, value in clean.items():
        setattr(checklist, field, value)
    checklist.save()
    log_activity(
        tenant=tenant,
        actor=actor,
        action="checklist.updated",
        obj=checklist,
        before=before,
        after=clean,
    )
    return checklist


def _swap(rows, obj, direction):
    """Move ``obj`` one place up or down among ``rows`` (renumbering them 1..n)."""
    if direction not in ("up", "down"):
        raise Http404
    ordered = list(rows.select_for_update().order_by("order", "id"))
    index = next(i for i, row in enumerate(ordered) if row.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for number, row in enumerate(ordered, start=1):
        if row.order != number:
            type(row).objects.filter(pk=row.pk).update(order=number)
    return other != index and 0 <= other < len(ordered)


@transaction.atomic
def move_checklist(*, tenant, actor, checklist, direction):
    _check_tenant(tenant, checklist)
    siblings = Checklist.objects.filter(
        tenant=tenant, programme_id=checklist.programme_id, round_id=checklist.round_id
    )
    if _swap(siblings, checklist, direction):
        log_activity(
            tenant=tenant,
            actor=actor,
            action="checklist.moved",
            obj=checklist,
            data={"direction": direction},
        )


@transaction.atomic
def set_checklist_retired(*, tenant, actor, checklist, retired):
    """Retire (hide from the pairs, answers kept) or bring back a checklist."""
    _check_tenant(tenant, checklist)
    checklist.is_retired = bool(retired)
    checklist.save(update_fields=["is_retired", "updated_at"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="checklist.retired" if retired else "checklist.restored",
        obj=checklist,
    )
    return checklist


@transaction.atomic
def delete_checklist(*, tenant, actor, checklist):
    """Delete a checklist nobody has answered; one with answers can only be retired."""
    _check_tenant(tenant, checklist)
    if ChecklistItemAnswer.objects.filter(item__checklist=checklist).exists():
        raise ValidationError(
            _("Somebody has answered this checklist: retire it instead, so the answers are kept.")
        )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="checklist.deleted",
        obj=checklist,
        data={"title": checklist.title},
    )
    checklist.delete()


def _clean_item(data):
    text = (data.get("text") or "").strip()
    kind = data.get("kind") or ChecklistItem.Kind.QUESTION
    errors = {}
    if not text:
        errors["text"] = _("Write the item's text.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("At most %(max)s characters.") % {"max": TEXT_MAX}
    if kind not in ChecklistItem.Kind.values:
        errors["kind"] = _("Choose the kind of item.")
    if errors:
        raise ValidationError(errors)
    return {"text": text, "kind": kind}


@transaction.atomic
def add_item(*, tenant, actor, checklist, data):
    _check_tenant(tenant, checklist)
    clean = _clean_item(data)
    item = ChecklistItem.objects.create(
        tenant=tenant,
        checklist=checklist,
        order=_next_order(ChecklistItem.objects.filter(checklist=checklist)),
        **clean,
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="checklist.item_added",
        obj=checklist,
        data={"item": item.pk},
    )
    return item


@transaction.atomic
def update_item(*, tenant, actor, item, data):
    _check_tenant(tenant, item)
    clean = _clean_item(data)
    before = {"text": item.text, "kind": item.kind}
    if clean["kind"] != item.kind and ChecklistItemAnswer.objects.filter(item=item).exists():
        raise ValidationError(
            {
                "kind": _(
                    "Somebody has answered this item, so its kind stays. Retire it and add a "
                    "new one instead."
                )
            }
        )
    item.text, item.kind = clean["text"], clean["kind"]
    item.save(update_fields=["text", "kind", "updated_at"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="checklist.item_updated",
        obj=item.checklist,
        before=before,
        after=clean,
        data={"item": item.pk},
    )
    return item


@transaction.atomic
def move_item(*, tenant, actor, item, direction):
    _check_tenant(tenant, item)
    if _swap(ChecklistItem.objects.filter(checklist_id=item.checklist_id), item, direction):
        log_activity(
            tenant=tenant,
            actor=actor,
            action="checklist.item_moved",
            obj=item.checklist,
            data={"item": item.pk, "direction": direction},
        )


@transaction.atomic
def set_item_retired(*, tenant, actor, item, retired):
    _check_tenant(tenant, item)
    item.is_retired = bool(retired)
    item.save(update_fields=["is_retired", "updated_at"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="checklist.item_retired" if retired else "checklist.item_restored",
        obj=item.checklist,
        data={"item": item.pk},
    )
    return item


@transaction.atomic
def delete_item(*, tenant, actor, item):
    """Delete an item nobody has answered; an answered one can only be retired."""
    _check_tenant(tenant, item)
    if ChecklistItemAnswer.objects.filter(item=item).exists():
        raise ValidationError(
            _("Somebody has answered this item: retire it instead, so the answers are kept.")
        )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="checklist.item_deleted",
        obj=item.checklist,
        data={"item": item.pk},
    )
    item.delete()


@transaction.atomic
def start_from_template(*, tenant, actor, programme, round_=None, template, language=None):
    """Add a built-in template's checklists (``checklist_templates.TEMPLATES``) to the
    programme (or the round), in ``language`` (the coordinator's), as editable text."""
    _check_tenant(tenant, programme, round_)
    if round_ is not None and round_.programme_id != programme.pk:
        raise Http404
    if template not in checklist_templates.TEMPLATES:
        raise ValidationError({"template": _("Choose one of the templates.")})
    spec = checklist_templates.TEMPLATES[template]
    siblings = Checklist.objects.filter(tenant=tenant, programme=programme, round=round_)
    order = _next_order(siblings)
    made = []
    with translation.override(language or translation.get_language()):
        for offset, entry in enumerate(spec["checklists"]):
            checklist = Checklist.objects.create(
                tenant=tenant,
                programme=programme,
                round=round_,
                title=str(entry["title"]),
                intro=str(entry["intro"]),
                timing=entry["timing"],
                number=entry["number"],
                audience=spec["audience"],
                order=order + offset,
                template_key=entry["key"],
            )
            ChecklistItem.objects.bulk_create(
                [
                    ChecklistItem(
                        tenant=tenant,
                        checklist=checklist,
                        text=str(text),
                        kind=kind,
                        order=number,
                        template_key=key,
                    )
                    for number, (key, kind, text) in enumerate(entry["items"], start=1)
                ]
            )
            made.append(checklist)
    log_activity(
        tenant=tenant,
        actor=actor,
        action="checklist.from_template",
        obj=programme,
        data={"template": template, "round": round_.pk if round_ else None},
    )
    return made


def _copy(checklist, *, round_):
    copy = Checklist.objects.create(
        tenant=round_.tenant,
        programme=checklist.programme,
        round=round_,
        copied_from=checklist,
        title=checklist.title,
        intro=checklist.intro,
        timing=checklist.timing,
        number=checklist.number,
        audience=checklist.audience,
        order=checklist.order,
        template_key=checklist.template_key,
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                tenant=round_.tenant,
                checklist=copy,
                text=item.text,
                kind=item.kind,
                order=item.order,
                template_key=item.template_key,
            )
            for item in checklist.items.all()
            if not item.is_retired
        ]
    )
    return copy


def copy_to_round(*, round_):
    """The ``mentorship.hooks.ROUND_CREATED`` hook: a new round gets its own copy of the
    programme's checklists (retired ones and retired items left out). A round that already
    has checklists keeps them. Runs in the caller's transaction."""
    if Checklist.objects.filter(tenant_id=round_.tenant_id, round=round_).exists():
        return []
    source = Checklist.objects.filter(
        tenant_id=round_.tenant_id,
        programme_id=round_.programme_id,
        round__isnull=True,
        is_retired=False,
    ).prefetch_related("items")
    return [_copy(checklist, round_=round_) for checklist in source]


@transaction.atomic
def copy_from_programme_again(*, tenant, actor, round_):
    """A round that has not started: its copy replaced by the programme's checklists as they
    are now. Refused once anybody has answered one of the round's checklists."""
    _check_tenant(tenant, round_)
    current = Checklist.objects.filter(tenant=tenant, round=round_)
    if ChecklistItemAnswer.objects.filter(item__checklist__in=current).exists():
        raise ValidationError(
            _("Participants have answered this round's checklists: edit them here instead.")
        )
    current.delete()
    made = copy_to_round(round_=round_)
    log_activity(tenant=tenant, actor=actor, action="checklist.copied_again", obj=round_, data={})
    return made


# --- what a pair sees --------------------------------------------------------------------------


def is_due(checklist, *, role, meeting_count, round_, today):
    """Whether ``checklist`` is shown now to a person of ``role`` in a pair of ``round_`` that
    has logged ``meeting_count`` meetings."""
    if checklist.is_retired or not checklist.shown_to(role):
        return False
    timing = checklist.timing
    if timing == Timing.BEFORE_FIRST:
        return meeting_count < 1
    if timing == Timing.AFTER_MEETING:
        return meeting_count >= (checklist.number or 1)
    if timing == Timing.NEAR_END:
        weeks = checklist.number
        near_end = (
            weeks is not None
            and round_.ends_on is not None
            and round_.ends_on - today <= timedelta(weeks=weeks)
        )
        minimum = round_.min_pair_meetings
        last_meeting = bool(minimum) and meeting_count >= 1 and meeting_count >= minimum - 1
        return near_end or last_meeting
    return timing == Timing.ON_REQUEST


def due_checklists(*, pair, role, meeting_count, today=None):
    """The round's checklists shown now to ``role`` in ``pair``, in order, each with its
    live (not retired) items as ``live_items``. Two queries."""
    today = today or timezone.localdate()
    rows = Checklist.objects.filter(
        tenant_id=pair.tenant_id, round_id=pair.round_id, is_retired=False
    ).prefetch_related("items")
    due = []
    for checklist in rows:
        if is_due(
            checklist, role=role, meeting_count=meeting_count, round_=pair.round, today=today
        ):
            checklist.live_items = [i for i in checklist.items.all() if not i.is_retired]
            if checklist.live_items:
                due.append(checklist)
    return due


def answers_of(*, pair, user):
    """{item id: ChecklistItemAnswer} of the user's own answers in this pair. One query."""
    return {a.item_id: a for a in ChecklistItemAnswer.objects.filter(pair=pair, user=user)}


@transaction.atomic
def save_answers(*, tenant, actor, pair, checklist_id, answers):
    """Save the person's answers to one checklist of their pair: ``answers`` is
    {item id: {"done": bool, "text": str}} for the checklist's live items (an item left out
    is saved as not ticked / empty). The checklist must be one of the pair's round, not
    retired and meant for the person's role; an item of another checklist is refused. The
    log row names the checklist, never the answers."""
    if pair.tenant_id != tenant.pk or actor.pk not in (pair.mentor_user_id, pair.adept_user_id):
        raise Http404
    role = "mentor" if pair.mentor_user_id == actor.pk else "adept"
    checklist = (
        Checklist.objects.filter(
            tenant=tenant, round_id=pair.round_id, pk=checklist_id, is_retired=False
        )
        .prefetch_related("items")
        .first()
    )
    if checklist is None or not checklist.shown_to(role):
        raise Http404
    items = {i.pk: i for i in checklist.items.all() if not i.is_retired}
    if set(answers) - set(items):
        raise Http404  # an item of another checklist, round or tenant
    errors = {}
    clean = {}
    for pk, item in items.items():
        given = answers.get(pk) or {}
        text = (given.get("text") or "").strip() if item.kind == item.Kind.QUESTION else ""
        if len(text) > ANSWER_MAX:
            errors[f"item_{pk}"] = _("At most %(max)s characters.") % {"max": ANSWER_MAX}
        clean[pk] = {"done": bool(given.get("done")) and item.kind == item.Kind.TICK, "text": text}
    if errors:
        raise ValidationError(errors)
    existing = answers_of(pair=pair, user=actor)
    saved = []
    for pk, values in clean.items():
        row = existing.get(pk)
        if row is None:
            if not values["done"] and not values["text"]:
                continue
            row = ChecklistItemAnswer.objects.create(
                tenant=tenant, pair=pair, user=actor, item_id=pk, **values
            )
        elif (row.done, row.text) != (values["done"], values["text"]):
            row.done, row.text = values["done"], values["text"]
            row.save(update_fields=["done", "text", "updated_at"])
        saved.append(row)
    # Which checklist, never the answers.
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.checklist_saved",
        obj=pair,
        data={"checklist": checklist.pk},
    )
    return saved
