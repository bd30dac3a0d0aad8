"""The person's own goals, shown back to them in the final survey (and only to them).

- ``application``: what they wrote in their application under "what you want from the
  programme" (the seed 002 form asks what each wants to get out of the year);
- ``focus``: what they wrote before the first pair meeting under "This is where I stand today
  and where I want to go" (the item of that key in the round's checklists, from seed 004's
  template ``pairs.checklist_templates``; private to its author);
- ``general``: when neither exists, they rate their own goals for the year without a text.

Only the rating is stored with the anonymous response (``GoalRating``), never these texts.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from applications.models import Application
from pairs.checklist_templates import FOCUS_ITEM
from pairs.models import ChecklistItemAnswer, Pair

from .models import GoalRating

FOCUS_KEY = FOCUS_ITEM


@dataclass
class Goal:
    source: str
    label: str
    text: str


def goals_for(*, tenant, survey, user, role):
    """[Goal] to rate, in a fixed order; two queries."""
    goals = []
    application = (
        Application.objects.filter(tenant=tenant, round_id=survey.round_id, user=user, role=role)
        .only("motivation")
        .first()
    )
    if application is not None and application.motivation.strip():
        goals.append(
            Goal(
                source=GoalRating.Source.APPLICATION,
                label=_("What you wrote in your application that you wanted from the programme"),
                text=application.motivation.strip(),
            )
        )
    side = Q(pair__mentor_user=user) if role == "mentor" else Q(pair__adept_user=user)
    answer = (
        ChecklistItemAnswer.objects.filter(
            side,
            tenant=tenant,
            user=user,
            item__template_key=FOCUS_KEY,
            pair__round_id=survey.round_id,
        )
        .exclude(pair__status=Pair.Status.PROPOSED)
        .exclude(text="")
        .order_by("-updated_at")
        .first()
    )
    focus = answer.text.strip() if answer else ""
    if focus:
        goals.append(
            Goal(
                source=GoalRating.Source.FOCUS,
                label=_("The focus you wrote down before your first pair meeting"),
                text=focus,
            )
        )
    if not goals:
        goals.append(
            Goal(
                source=GoalRating.Source.GENERAL,
                label=_("Your own goals for the year"),
                text="",
            )
        )
    return goals


def sources_for(*, tenant, survey, user, role):
    return [g.source for g in goals_for(tenant=tenant, survey=survey, user=user, role=role)]
