"""Every write in the evaluation app: building surveys, answering them, hiding free texts.

Keyword-only; each coordinator action is logged with ``log_activity``. Answering is *not*
logged: the ``Respondent`` row is the only record of who answered, and nothing ties it to the
response. Writes that touch a survey's questions or answers lock the survey row first, so an
answer and a change to the questions cannot cross.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations import activity
from organisations.services import log_activity
from programmes.models import Audience, Participant, ParticipantRole

from . import goals as goal_texts
from .models import (
    RELEASE_BATCH,
    SCALE,
    GoalRating,
    QuestionAudience,
    Respondent,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from .templates_builtin import INTROS, TEMPLATES, TITLES

TEXT_MAX = 4000
CHOICE_MAX = 200
CHOICES_MAX = 20

activity.register(
    {
        "survey.created": gettext_lazy("Survey created"),
        "survey.updated": gettext_lazy("Survey changed"),
        "survey.published": gettext_lazy("Survey published"),
        "survey.unpublished": gettext_lazy("Survey back to draft"),
        "survey.closed": gettext_lazy("Survey closed"),
        "survey.deleted": gettext_lazy("Survey deleted"),
        "survey.question_added": gettext_lazy("Survey question added"),
        "survey.question_changed": gettext_lazy("Survey question changed"),
        "survey.question_hidden": gettext_lazy("Survey question hidden"),
        "survey.question_shown": gettext_lazy("Survey question shown again"),
        "survey.question_deleted": gettext_lazy("Survey question deleted"),
        "survey.question_moved": gettext_lazy("Survey questions reordered"),
        "survey.text_hidden": gettext_lazy("Free-text answer hidden"),
        "survey.text_shown": gettext_lazy("Free-text answer shown again"),
    }
)


def _locked(survey):
    """The survey row, locked for the rest of the transaction."""
    return Survey.objects.select_for_update().get(pk=survey.pk, tenant_id=survey.tenant_id)


def has_responses(survey):
    return SurveyResponse.objects.filter(tenant_id=survey.tenant_id, survey=survey).exists()


def release_batches(*, survey, now=None):
    """Release the survey's held-back responses to the results when the rule allows: in the
    batch mode once at least ``RELEASE_BATCH`` are waiting, in either mode all of them once the
    survey has closed. Call with the survey row locked (every caller holds ``_locked``), so two
    answers cannot both see two waiting and leave the third alone. Returns how many were
    released. (Reads also treat a closed survey's responses as released, ``results.released_q``,
    so closing by the date needs no job.)"""
    waiting = SurveyResponse.objects.filter(
        tenant_id=survey.tenant_id, survey=survey, released=False
    )
    if survey.phase(now) != Survey.Phase.CLOSED and (
        survey.release != Survey.Release.BATCHES or waiting.count() < RELEASE_BATCH
    ):
        return 0
    return waiting.update(released=True)


# --- surveys -------------------------------------------------------------------------------


@transaction.atomic
def create_survey(*, tenant, actor, round_, kind, from_template=True, title="", audience=None):
    """A draft survey, empty or with the built-in questions (in the creator's language)."""
    if round_.tenant_id != tenant.pk:
        raise ValidationError(_("Choose a round of your own."))
    if kind not in Survey.Kind.values:
        raise ValidationError({"kind": _("Choose a mid-term check-in or a final evaluation.")})
    survey = Survey.objects.create(
        tenant=tenant,
        round=round_,
        kind=kind,
        title=(title or "").strip() or str(TITLES[kind]),
        intro=str(INTROS[kind]) if from_template else "",
        audience=audience or Audience.EVERYONE,
        ask_goals=kind == Survey.Kind.FINAL,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if from_template:
        for position, row in enumerate(TEMPLATES[kind], start=1):
            key, criterion, q_kind, q_audience, required, text, help_text, choices = row
            SurveyQuestion.objects.create(
                tenant=tenant,
                survey=survey,
                key=key,
                criterion=criterion,
                kind=q_kind,
                audience=q_audience,
                required=required,
                text=str(text),
                help_text=str(help_text),
                choices=[str(c) for c in choices],
                position=position,
            )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="survey.created",
        obj=survey,
        data={"round": str(round_), "kind": kind, "template": bool(from_template)},
    )
    return survey


SURVEY_FIELDS = (
    "title",
    "intro",
    "audience",
    "opens_at",
    "closes_at",
    "ask_goals",
    "results_min_group",
    "release",
)


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def update_survey(*, tenant, actor, survey, data):
    survey = _locked(survey)
    errors = {}
    answered = has_responses(survey)
    new = {name: data[name] for name in SURVEY_FIELDS if name in data}
    if answered and "audience" in new and new["audience"] != survey.audience:
        errors["audience"] = _(
            "People have already answered, so who the survey is sent to can no longer change."
        )
    opens_at = new.get("opens_at", survey.opens_at)
    closes_at = new.get("closes_at", survey.closes_at)
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("The survey must close after it opens.")
    if survey.status == Survey.Status.PUBLISHED and not (opens_at and closes_at):
        errors["closes_at"] = _("A published survey needs both an opening and a closing date.")
    if "results_min_group" in new and (new["results_min_group"] or 0) < 3:
        errors["results_min_group"] = _("At least 3: smaller groups could identify a person.")
    if errors:
        raise ValidationError(errors)
    before = {name: _iso(getattr(survey, name)) for name in new}
    # What the results have shown while the survey was closed stays shown if it is reopened.
    release_batches(survey=survey)
    for name, value in new.items():
        setattr(survey, name, value)
    survey.save()
    release_batches(survey=survey)
    after = {name: _iso(getattr(survey, name)) for name in new}
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        log_activity(
            tenant=tenant,
            actor=actor,
            action="survey.updated",
            obj=survey,
            before={k: before[k] for k in changed},
            after=changed,
        )
    return survey


def visible_questions(survey):
    return [q for q in survey.questions.all() if not q.is_hidden]


@transaction.atomic
def publish_survey(*, tenant, actor, survey, now=None):
    now = now or timezone.now()
    survey = _locked(survey)
    problems = []
    if not (survey.opens_at and survey.closes_at):
        problems.append(_("Set the dates the survey opens and closes."))
    elif survey.closes_at <= now:
        problems.append(_("The closing date has already passed. Choose a later one."))
    if not SurveyQuestion.objects.filter(survey=survey, hidden_at__isnull=True).exists():
        problems.append(_("Add at least one question."))
    if problems:
        raise ValidationError(problems)
    survey.status = Survey.Status.PUBLISHED
    survey.save(update_fields=["status", "updated_at"])
    log_activity(tenant=tenant, actor=actor, action="survey.published", obj=survey)
    return survey


@transaction.atomic
def unpublish_survey(*, tenant, actor, survey):
    survey = _locked(survey)
    if has_responses(survey):
        raise ValidationError(
            _("People have already answered. Close the survey instead of making it a draft.")
        )
    survey.status = Survey.Status.DRAFT
    survey.save(update_fields=["status", "updated_at"])
    log_activity(tenant=tenant, actor=actor, action="survey.unpublished", obj=survey)
    return survey


@transaction.atomic
def close_survey(*, tenant, actor, survey, now=None):
    """Close now (the closing date becomes now); it can be reopened with a later date."""
    now = now or timezone.now()
    survey = _locked(survey)
    if survey.phase(now) != Survey.Phase.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.closes_at = now
    survey.save(update_fields=["closes_at", "updated_at"])
    release_batches(survey=survey, now=now)
    log_activity(tenant=tenant, actor=actor, action="survey.closed", obj=survey)
    return survey


@transaction.atomic
def delete_survey(*, tenant, actor, survey):
    survey = _locked(survey)
    if has_responses(survey):
        raise ValidationError(_("People have already answered. A survey with answers is kept."))
    log_activity(
        tenant=tenant,
        actor=actor,
        action="survey.deleted",
        obj=survey,
        data={"round": str(survey.round)},
    )
    survey.delete()


# --- questions -----------------------------------------------------------------------------


def clean_choices(kind, choices):
    """A list of distinct, non-empty choices for choice questions; [] otherwise."""
    if kind not in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
        return []
    out = []
    for raw in choices or []:
        text = " ".join(str(raw).split())
        if text and text not in out:
            out.append(text)
    if len(out) < 2:
        raise ValidationError({"choices": _("Give at least two choices, one per line.")})
    if len(out) > CHOICES_MAX:
        raise ValidationError(
            {"choices": _("At most %(n)s choices.") % {"n": CHOICES_MAX}},
        )
    if any(len(c) > CHOICE_MAX for c in out):
        raise ValidationError(
            {"choices": _("Each choice can be at most %(n)s characters.") % {"n": CHOICE_MAX}}
        )
    return out


QUESTION_FIELDS = ("text", "help_text", "criterion", "kind", "audience", "required", "choices")


def _question_has_answers(question):
    return SurveyAnswer.objects.filter(tenant_id=question.tenant_id, question=question).exists()


@transaction.atomic
def add_question(*, tenant, actor, survey, data):
    survey = _locked(survey)
    kind = data.get("kind")
    choices = clean_choices(kind, data.get("choices"))
    last = SurveyQuestion.objects.filter(survey=survey).aggregate(m=Max("position"))["m"] or 0
    question = SurveyQuestion.objects.create(
        tenant=tenant,
        survey=survey,
        text=data["text"].strip(),
        help_text=(data.get("help_text") or "").strip(),
        criterion=data["criterion"],
        kind=kind,
        audience=data.get("audience") or QuestionAudience.BOTH,
        required=bool(data.get("required")),
        choices=choices,
        position=last + 1,
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="survey.question_added",
        obj=survey,
        data={"question": question.text[:200]},
    )
    return question


@transaction.atomic
def update_question(*, tenant, actor, question, data):
    """Change a question. Once it has answers its kind, choices and audience are fixed (the
    answers would no longer fit); its wording and help text may still be corrected."""
    _locked(question.survey)
    question = SurveyQuestion.objects.get(pk=question.pk, tenant=tenant)
    kind = data.get("kind", question.kind)
    choices = clean_choices(kind, data.get("choices", question.choices))
    if _question_has_answers(question):
        errors = {}
        if kind != question.kind:
            errors["kind"] = _(
                "This question already has answers, so its kind cannot change. Hide it and add "
                "a new question instead."
            )
        if choices != list(question.choices or []):
            errors["choices"] = _(
                "This question already has answers, so its choices cannot change. Hide it and "
                "add a new question instead."
            )
        if data.get("audience", question.audience) != question.audience:
            errors["audience"] = _(
                "This question already has answers, so who it is asked of cannot change."
            )
        if errors:
            raise ValidationError(errors)
    before = {name: getattr(question, name) for name in QUESTION_FIELDS}
    question.text = data.get("text", question.text).strip()
    question.help_text = (data.get("help_text", question.help_text) or "").strip()
    question.criterion = data.get("criterion", question.criterion)
    question.kind = kind
    question.audience = data.get("audience", question.audience)
    question.required = bool(data.get("required", question.required))
    question.choices = choices
    question.save()
    after = {name: getattr(question, name) for name in QUESTION_FIELDS}
    changed = {k: v for k, v in after.items() if before[k] != v}
    if changed:
        log_activity(
            tenant=tenant,
            actor=actor,
            action="survey.question_changed",
            obj=question.survey,
            before={k: before[k] for k in changed},
            after=changed,
        )
    return question


@transaction.atomic
def set_question_hidden(*, tenant, actor, question, hidden, now=None):
    _locked(question.survey)
    question = SurveyQuestion.objects.get(pk=question.pk, tenant=tenant)
    if hidden and question.hidden_at is None:
        question.hidden_at = now or timezone.now()
    elif not hidden:
        question.hidden_at = None
    question.save(update_fields=["hidden_at"])
    log_activity(
        tenant=tenant,
        actor=actor,
        action="survey.question_hidden" if hidden else "survey.question_shown",
        obj=question.survey,
        data={"question": question.text[:200]},
    )
    return question


@transaction.atomic
def delete_question(*, tenant, actor, question):
    _locked(question.survey)
    question = SurveyQuestion.objects.get(pk=question.pk, tenant=tenant)
    if _question_has_answers(question):
        raise ValidationError(
            _("This question already has answers and cannot be deleted. You can hide it instead.")
        )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="survey.question_deleted",
        obj=question.survey,
        data={"question": question.text[:200]},
    )
    question.delete()


@transaction.atomic
def move_question(*, tenant, actor, question, direction):
    """Swap a question with its neighbour ("up" or "down"); positions are renumbered 1..n."""
    survey = _locked(question.survey)
    questions = list(SurveyQuestion.objects.filter(tenant=tenant, survey=survey))
    index = next((i for i, q in enumerate(questions) if q.pk == question.pk), None)
    if index is None:
        raise ValidationError(_("The question is not in this survey."))
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(questions):
        return question
    questions[index], questions[target] = questions[target], questions[index]
    for position, q in enumerate(questions, start=1):
        if q.position != position:
            q.position = position
            q.save(update_fields=["position"])
    log_activity(tenant=tenant, actor=actor, action="survey.question_moved", obj=survey)
    return question


# --- answering -----------------------------------------------------------------------------


def roles_of(*, tenant, survey, user):
    """The roles in which ``user`` is asked this survey (participant of its round)."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = set(
        Participant.objects.filter(
            tenant=tenant, round_id=survey.round_id, user=user, role__in=survey.roles
        ).values_list("role", flat=True)
    )
    return [r for r in (ParticipantRole.MENTOR, ParticipantRole.ADEPT) if r in roles]


def questions_for(survey, role):
    return [q for q in visible_questions(survey) if q.asked_of(role)]


def _clean_answer(question, raw):
    """(value, error): value is a dict of SurveyAnswer fields, or None for no answer."""
    kind = question.kind
    if kind == SurveyQuestion.Kind.SCALE:
        if raw in (None, ""):
            return None, None
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = None
        if number not in SCALE:
            return None, _("Choose a number from 1 to 5.")
        return {"number": number}, None
    if kind == SurveyQuestion.Kind.SINGLE:
        if raw in (None, "", []):
            return None, None
        value = raw[0] if isinstance(raw, list | tuple) else raw
        if isinstance(raw, list | tuple) and len(raw) > 1:
            return None, _("Choose one of the options.")
        if value not in question.choices:
            return None, _("Choose one of the options.")
        return {"choices": [value]}, None
    if kind == SurveyQuestion.Kind.MULTIPLE:
        values = list(raw) if isinstance(raw, list | tuple) else ([raw] if raw else [])
        if not values:
            return None, None
        if any(v not in question.choices for v in values):
            return None, _("Choose among the options given.")
        # In the question's order, each once.
        return {"choices": [c for c in question.choices if c in values]}, None
    text = (raw or "").strip() if isinstance(raw, str) else ""
    if not text:
        return None, None
    if len(text) > TEXT_MAX:
        return None, _("At most %(n)s characters.") % {"n": TEXT_MAX}
    return {"text": text}, None


def submit_response(*, tenant, user, survey, role, answers, goals=None, now=None):
    """Record one person's answers anonymously, once.

    ``answers`` maps question pk to the raw value (str, or a list for several choices);
    ``goals`` maps a GoalRating source to a rating. Raises ValidationError (a dict by field
    name ``q_<pk>`` / ``goal_<source>``, or a message) and saves nothing when anything is
    wrong: closed survey, not asked, already answered, a required answer missing.
    """
    now = now or timezone.now()
    goals = goals or {}
    try:
        with transaction.atomic():
            survey = _locked(survey)
            if survey.tenant_id != tenant.pk:
                raise ValidationError(_("This survey is not one of yours."))
            phase = survey.phase(now)
            if phase == Survey.Phase.CLOSED:
                raise ValidationError(
                    _(
                        "The survey closed on %(date)s, so your answers could not be saved. "
                        "They are still on this page if you want to keep a copy."
                    )
                    % {"date": date_format(timezone.localtime(survey.closes_at), "j F Y H:i")},
                    code="closed",
                )
            if phase != Survey.Phase.OPEN:
                raise ValidationError(_("The survey is not open yet."), code="not_open")
            if role not in roles_of(tenant=tenant, survey=survey, user=user):
                raise ValidationError(_("This survey is not for you."), code="not_asked")
            if Respondent.objects.filter(survey=survey, user=user, role=role).exists():
                raise ValidationError(
                    _("You have already answered this survey. Thank you!"), code="answered"
                )
            errors = {}
            rows = []
            questions = list(SurveyQuestion.objects.filter(survey=survey, hidden_at__isnull=True))
            for question in questions:
                if not question.asked_of(role):
                    continue
                value, error = _clean_answer(question, answers.get(question.pk))
                if error:
                    errors[question.field_name] = error
                elif value is None and question.required:
                    errors[question.field_name] = _("Answer this question, please.")
                elif value is not None:
                    rows.append((question, value))
            ratings = []
            if survey.ask_goals:
                for source in goal_texts.sources_for(
                    tenant=tenant, survey=survey, user=user, role=role
                ):
                    rating = goals.get(source)
                    if rating in (None, ""):
                        continue
                    if rating not in GoalRating.Rating.values:
                        errors[f"goal_{source}"] = _(
                            "Choose reached, partly reached or not reached."
                        )
                    else:
                        ratings.append((source, rating))
            if errors:
                raise ValidationError(errors)
            # Who answered: its unique constraint stops a second response even if two
            # submissions race past the check above.
            Respondent.objects.create(
                tenant=tenant, survey=survey, user=user, role=role, answered_at=now
            )
            response = SurveyResponse.objects.create(tenant=tenant, survey=survey, role=role)
            SurveyAnswer.objects.bulk_create(
                [
                    SurveyAnswer(tenant=tenant, response=response, question=question, **value)
                    for question, value in rows
                ]
            )
            GoalRating.objects.bulk_create(
                [
                    GoalRating(tenant=tenant, response=response, source=source, rating=rating)
                    for source, rating in ratings
                ]
            )
            release_batches(survey=survey, now=now)
    except IntegrityError as error:
        raise ValidationError(
            _("You have already answered this survey. Thank you!"), code="answered"
        ) from error
    return response


# --- results -------------------------------------------------------------------------------


@transaction.atomic
def set_text_hidden(*, tenant, actor, survey, answer_id, hidden):
    """Hide (or show again) one free-text answer in the results."""
    answer = (
        SurveyAnswer.objects.select_for_update()
        .filter(
            tenant=tenant,
            pk=answer_id,
            question__survey=survey,
            question__kind=SurveyQuestion.Kind.TEXT,
        )
        .first()
    )
    if answer is None:
        raise ValidationError(_("That answer is not in this survey."))
    if answer.text_hidden != hidden:
        answer.text_hidden = hidden
        answer.save(update_fields=["text_hidden"])
        log_activity(
            tenant=tenant,
            actor=actor,
            action="survey.text_hidden" if hidden else "survey.text_shown",
            obj=survey,
        )
    return answer
