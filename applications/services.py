"""Every change to an application: one function per transition, keyword-only.

Each checks that the transition is allowed, saves, records a StageChange and an
activity-log row, and queues the right mail (rendered in the recipient's language)
for when the transaction commits.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship import hooks
from mentorship.mail import recipient_language
from mentorship.web import absolute
from organisations.models import ActivityLog, Membership
from organisations.outbox import queue_mail, queue_mails
from organisations.services import InvitationError, log_activity
from programmes import services as programme_services
from programmes.models import Participant, ParticipantRole

from . import standard_fields
from .models import (
    Application,
    Endorsement,
    FieldSettings,
    InterviewNote,
    Nomination,
    PutForward,
    StageChange,
)

Stage = Application.Stage
ENDORSEMENT_MAX_AGE_DAYS = 21

# Which stage may follow which. "Withdrawn" is reachable from every stage but the final ones.
# A submitted application (an imported one stays there) can be decided at once, as a
# nominated one can: the "not reviewed yet" item leads to it.
TRANSITIONS = {
    Stage.DRAFT: {Stage.SUBMITTED},
    Stage.SUBMITTED: {
        Stage.AWAITING_ENDORSEMENT,
        Stage.AWAITING_NOMINATION,
        Stage.UNDER_REVIEW,
        Stage.ACCEPTED,
        Stage.WAITLISTED,
        Stage.DECLINED,
    },
    Stage.AWAITING_ENDORSEMENT: {Stage.AWAITING_NOMINATION, Stage.UNDER_REVIEW},
    Stage.AWAITING_NOMINATION: {Stage.NOMINATED, Stage.DECLINED_BY_ORGANISATION},
    Stage.NOMINATED: {Stage.UNDER_REVIEW, Stage.ACCEPTED, Stage.WAITLISTED, Stage.DECLINED},
    Stage.DECLINED_BY_ORGANISATION: set(),
    Stage.UNDER_REVIEW: {Stage.ACCEPTED, Stage.WAITLISTED, Stage.DECLINED},
    Stage.ACCEPTED: {Stage.MATCHED, Stage.WAITLISTED, Stage.DECLINED},
    Stage.WAITLISTED: {Stage.ACCEPTED, Stage.DECLINED},
    Stage.DECLINED: set(),
    Stage.MATCHED: set(),
    Stage.WITHDRAWN: set(),
}
FINAL = {Stage.WITHDRAWN, Stage.MATCHED}
ORDER = [
    Stage.DRAFT,
    Stage.SUBMITTED,
    Stage.AWAITING_ENDORSEMENT,
    Stage.AWAITING_NOMINATION,
    Stage.NOMINATED,
    Stage.UNDER_REVIEW,
    Stage.ACCEPTED,
    Stage.WAITLISTED,
]
DECISIONS = {Stage.ACCEPTED, Stage.WAITLISTED, Stage.DECLINED}
# What the applicant fills in themselves (the form's standard fields): ``save_draft`` writes
# these and nothing else.
APPLICANT_FIELDS = (
    "full_name",
    "email",
    "phone",
    "career_status",
    "organisation",
    "job_title",
    "work_field",
    "current_assignment",
    "manager_level",
    "years_as_manager",
    "years_in_level",
    "managers_reporting",
    "region",
    "place",
    "education",
    "work_experience",
    "motivation",
    "themes",
    "matching_wishes",
    "prefers_other_sector",
    "languages",
    "available_for_shared_days",
    "capacity",
    "manager_name",
    "manager_email",
    "discussed_with_manager",
)


class Conflict(Exception):
    """Somebody else changed the application since the page was loaded."""


def person_label(actor):
    """How a person is named in an application's history ("" for the system)."""
    if actor is None or not getattr(actor, "pk", None):
        return ""
    return getattr(actor, "full_name", "") or getattr(actor, "email", "")


# The stages an application may be created in (its first history row comes from CREATED): a
# draft (start_application), accepted (HR registers a new manager for the mentor bank), and the
# stages an import may start applications in.
CREATED = ""
CREATED_IN = {
    Stage.DRAFT,
    Stage.SUBMITTED,
    Stage.AWAITING_NOMINATION,
    Stage.NOMINATED,
    Stage.UNDER_REVIEW,
    Stage.ACCEPTED,
    Stage.WAITLISTED,
    Stage.DECLINED,
}
# Transitions only matching makes, never a coordinator's decision: a pair ended, so the matched
# adept waits to be matched again. (Kept out of TRANSITIONS, which offers the decisions.)
MATCHING_TRANSITIONS = {Stage.MATCHED: {Stage.ACCEPTED}}


def _check_transition(from_stage, to_stage, rules=TRANSITIONS):
    if from_stage == CREATED:
        allowed = to_stage in CREATED_IN
    else:
        allowed = to_stage == Stage.WITHDRAWN or to_stage in rules.get(from_stage, set())
    if not allowed:
        raise ValidationError(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": Stage(from_stage).label if from_stage else _("new"),
                "target": Stage(to_stage).label,
            }
        )


def _stage_change(application, from_stage, to_stage, *, actor, reason, actor_label, when=None):
    return StageChange(
        tenant=application.tenant,
        application=application,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label if actor_label is not None else person_label(actor),
        reason=reason,
    )


def _move(
    application, to_stage, *, actor, reason="", actor_label=None, rules=TRANSITIONS, when=None
):
    """Record one transition. The caller holds the row lock."""
    from_stage = application.stage
    _check_transition(from_stage, to_stage, rules)
    application.stage = to_stage
    application.version += 1
    application.save(update_fields=["stage", "version", "updated_at"])
    change = _stage_change(
        application, from_stage, to_stage, actor=actor, reason=reason, actor_label=actor_label
    )
    change.save()
    entry = log_activity(
        tenant=application.tenant,
        actor=actor,
        action="application.stage_changed",
        obj=application,
        before={"stage": from_stage},
        after={"stage": to_stage},
        data={"reason": reason} if reason else None,
    )
    if when is not None:
        # A history written after the fact (the demo): the step keeps its own time.
        StageChange.objects.filter(pk=change.pk).update(created_at=when)
        type(entry).objects.filter(pk=entry.pk).update(created_at=when)
        change.created_at = when


ALL_TRANSITIONS = {
    stage: TRANSITIONS.get(stage, set()) | MATCHING_TRANSITIONS.get(stage, set()) for stage in Stage
}


def change_stage(
    *,
    application,
    to_stage,
    actor,
    reason="",
    actor_label=None,
    check=True,
    created=False,
    when=None,
):
    """The one way other apps change an application's stage. The caller holds the row lock.

    Checks the transition is allowed (the decisions' TRANSITIONS plus MATCHING_TRANSITIONS),
    saves, writes the StageChange and the activity-log row, and takes the person into or out of
    the round's participants. ``created``: the application was just created in ``to_stage``;
    only its first history row is written (the creating service logs its own event).
    ``check=False`` is for this module only (moving back has rules of its own).
    ``when``: the time of a step recorded after the fact (the demo)."""
    if created:
        if check:
            _check_transition(CREATED, to_stage)
        if application.stage != to_stage:
            raise ValueError("A new application is recorded in the stage it was created in.")
        change = _stage_change(
            application, CREATED, to_stage, actor=actor, reason=reason, actor_label=actor_label
        )
        change.save()
        if when is not None:
            StageChange.objects.filter(pk=change.pk).update(created_at=when)
        _sync_participant(application, CREATED)
        return application
    from_stage = application.stage
    _move(
        application,
        to_stage,
        actor=actor,
        reason=reason,
        actor_label=actor_label,
        rules=ALL_TRANSITIONS if check else {from_stage: {to_stage}},
        when=when,
    )
    _sync_participant(application, from_stage)
    return application


def _stamp(model, rows, when, application_of):
    """Date ``rows`` (just written) at ``when``: one time for all, or {application pk: time}."""
    if when is None or not rows:
        return
    if not isinstance(when, dict):
        model.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=when)
        return
    model.objects.filter(pk__in=[row.pk for row in rows]).update(
        created_at=Case(
            *[When(pk=row.pk, then=Value(when[application_of(row)])) for row in rows],
            output_field=model._meta.get_field("created_at"),
        )
    )


def change_stages_bulk(
    *, applications, to_stage, actor, reason="", when=None, actor_label=None, created=False
):
    """``change_stage`` for many applications at once, one query per table (the importer, and
    the demo's histories). ``when``: the time of a step recorded after the fact, the same for
    all or {application pk: time}.

    Every transition is checked first: one that is not allowed refuses them all."""
    applications = list(applications)
    if not applications:
        return applications
    from_stages = {}
    for application in applications:
        from_stages[application.pk] = CREATED if created else application.stage
        _check_transition(from_stages[application.pk], to_stage, ALL_TRANSITIONS)
        if created and application.stage != to_stage:
            raise ValueError("A new application is recorded in the stage it was created in.")
    if not created:
        Application.objects.filter(pk__in=list(from_stages)).update(
            stage=to_stage, version=F("version") + 1, updated_at=timezone.now()
        )
        for application in applications:
            application.stage = to_stage
            application.version += 1
    changes = StageChange.objects.bulk_create(
        [
            _stage_change(
                application,
                from_stages[application.pk],
                to_stage,
                actor=actor,
                reason=reason,
                actor_label=actor_label,
            )
            for application in applications
        ]
    )
    _stamp(StageChange, changes, when, lambda change: change.application_id)
    if not created:
        # One row per application, as log_activity() writes it, in one query.
        content_type = ContentType.objects.get_for_model(Application)
        entries = ActivityLog.objects.bulk_create(
            [
                ActivityLog(
                    tenant=application.tenant,
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                    action="application.stage_changed",
                    content_type=content_type,
                    object_id=str(application.pk),
                    object_repr=str(application)[:300],
                    data={
                        **({"reason": reason} if reason else {}),
                        "before": {"stage": from_stages[application.pk]},
                        "after": {"stage": to_stage},
                    },
                )
                for application in applications
            ]
        )
        _stamp(ActivityLog, entries, when, lambda entry: int(entry.object_id))
    joining = [
        a
        for a in applications
        if to_stage in IN_THE_ROUND and from_stages[a.pk] not in IN_THE_ROUND
    ]
    if joining:
        programme_services.ensure_participants_bulk(round_=joining[0].round, applications=joining)
    return applications


IN_THE_ROUND = {Stage.ACCEPTED, Stage.MATCHED}


def _sync_participant(application, from_stage):
    """An accepted (or matched) application is a participant of the round; leaving those
    stages (withdrawn, declined, waiting list, moved back) takes the person out again."""
    if application.stage in IN_THE_ROUND and from_stage not in IN_THE_ROUND:
        programme_services.ensure_participant(
            round_=application.round,
            user=application.user,
            role=application.role,
            application=application,
        )
    elif from_stage in IN_THE_ROUND and application.stage not in IN_THE_ROUND:
        Participant.objects.filter(
            tenant=application.tenant,
            round=application.round,
            user=application.user,
            role=application.role,
        ).delete()


def _lock(application, expected_version=None):
    # Lock only the application's row: PostgreSQL refuses FOR UPDATE on the nullable side of
    # the outer join to the (optional) organisation.
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "round__programme", "tenant", "user", "organisation")
        .get(pk=application.pk, tenant=application.tenant)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Somebody else changed this application while you were looking at it. "
                "Look at it again and repeat your decision if it still applies."
            )
        )
    return locked


def _applicant_mail(application, purpose, **context):
    """The applicant's mail (``queue_mail``'s arguments): to the application's address, in the
    applicant's language."""
    return {
        "purpose": purpose,
        "to": application.email or application.user.email,
        "language": recipient_language(user=application.user, tenant=application.tenant),
        "context": {
            "application": application,
            "round": application.round,
            "programme": application.round.programme,
            "tenant": application.tenant,
            **applicant_links(application),
            **context,
        },
    }


def applicant_links(application, base_url=""):
    """The links an applicant's mail gives (absolute): ``url``, their application's page,
    where they follow it and act on it; ``mentors_url``, the list of mentors to choose from,
    for an adept, and ``requests_url``, the requests that adepts send, for a mentor (used where
    the adept chooses: mail templates read ``programme.matching_mode`` for what to say);
    ``home_url``, the participant's programme page."""
    slug = application.tenant.slug
    links = {
        "url": absolute(
            reverse("applications:edit", kwargs={"tenant": slug, "pk": application.pk}), base_url
        ),
        "home_url": absolute(
            reverse("programmes:participant_home", kwargs={"tenant": slug}), base_url
        ),
    }
    if application.role == ParticipantRole.ADEPT:
        links["mentors_url"] = absolute(
            reverse("matching_requests:mentors", kwargs={"tenant": slug}), base_url
        )
    else:
        links["requests_url"] = absolute(
            reverse("matching_requests:incoming", kwargs={"tenant": slug}), base_url
        )
    return links


def _mail_applicant(application, purpose, **context):
    queue_mail(**_applicant_mail(application, purpose, **context))


# --- the applicant ----------------------------------------------------------------------------


def _address(value):
    return (value or "").strip().lower()


def is_own_address(manager_email, *own_addresses):
    """Whether the manager's address is one of the applicant's own, case and spaces ignored.

    The one rule every path that sets the manager's address asks (the form and its autosave,
    submitting, correcting the address, an import, HR's registration): the manager's link
    would otherwise let the applicant endorse themselves.
    """
    wanted = _address(manager_email)
    return bool(wanted) and wanted in {_address(a) for a in own_addresses}


def applicant_addresses(application):
    """The addresses that are the applicant's own: the application's and the account's."""
    return (application.email, application.user.email)


def own_address_message():
    return _("Give your manager's address, not your own.")


# What a new draft takes over from the person's earlier application (no retyping).
REUSED_FIELDS = (
    "full_name",
    "phone",
    "career_status",
    "place",
    "organisation",
    "job_title",
    "work_field",
    "current_assignment",
    "manager_level",
    "years_as_manager",
    "years_in_level",
    "managers_reporting",
    "region",
    "education",
    "work_experience",
    "motivation",
    "matching_wishes",
    "prefers_other_sector",
    "languages",
    "capacity",
    "manager_name",
    "manager_email",
)


def previous_applications(*, tenant, user, exclude_round=None):
    """The person's earlier submitted applications in this tenant, newest first."""
    qs = (
        Application.objects.filter(tenant=tenant, user=user)
        .exclude(stage__in=[Stage.DRAFT])
        .select_related("round", "round__programme")
        .order_by("-submitted_at", "-id")
    )
    if exclude_round is not None:
        qs = qs.exclude(round=exclude_round)
    return qs


def start_application(*, round_, user, role, organisation=None, copy_from=None):
    """The person's draft for this round and role (one per person, round and role).

    ``copy_from``: an earlier application of the same person whose answers fill the draft
    (a mentor re-applying to a later round does not retype anything).
    """
    if copy_from is not None and (
        copy_from.user_id != user.pk or copy_from.tenant_id != round_.tenant_id
    ):
        raise PermissionDenied
    if role not in ParticipantRole.values:
        raise ValidationError(_("Choose mentor or adept."))
    existing = Application.objects.filter(round=round_, user=user, role=role).first()
    if existing:
        return existing
    if not round_.accepting_applications(role=role):
        raise ValidationError(_("This round does not take applications right now."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                tenant=round_.tenant,
                round=round_,
                user=user,
                role=role,
                full_name=user.full_name,
                email=user.email,
                phone=user.phone,
                organisation=organisation,
                region=organisation.region if organisation else "",
            )
            if copy_from is not None:
                for name in REUSED_FIELDS:
                    setattr(application, name, getattr(copy_from, name))
                application.save()
                if copy_from.round.programme_id == round_.programme_id:
                    application.themes.set(copy_from.themes.filter(is_active=True))
            StageChange.objects.create(
                tenant=round_.tenant,
                application=application,
                from_stage="",
                to_stage=Stage.DRAFT,
                actor=user,
                actor_label=person_label(user),
                reason=_("Started from the application to %(round)s") % {"round": copy_from.round}
                if copy_from is not None
                else "",
            )
            log_activity(
                tenant=round_.tenant,
                actor=user,
                action="application.started",
                obj=application,
                data={"copied_from": copy_from.pk} if copy_from is not None else None,
            )
    except IntegrityError:
        # Two clicks at once: the other one created it.
        return Application.objects.get(round=round_, user=user, role=role)
    return application


def eligibility_problems(application):
    """Plain-language reasons the applicant does not meet the round's criteria for their role."""
    return [
        message for messages in eligibility_errors(application).values() for message in messages
    ]


def eligibility_errors(application):
    """``eligibility_problems`` by the field each is about ({field: [message]}), for submit
    to show next to the answer."""
    rule = application.round.eligibility_for(application.role)
    if rule is None:
        return {}
    errors = {}
    if rule.manager_levels and application.manager_level not in rule.manager_levels:
        errors["manager_level"] = [
            _(
                "To apply as %(role)s in this round you need to be: %(levels)s. "
                "You stated “%(yours)s”."
            )
            % {
                "role": application.get_role_display().lower(),
                "levels": ", ".join(str(label).lower() for label in rule.manager_level_labels()),
                "yours": application.get_manager_level_display() or _("no level"),
            }
        ]
    if (
        rule.min_years_as_manager
        and (application.years_as_manager or 0) < rule.min_years_as_manager
    ):
        errors["years_as_manager"] = [
            _("This round asks for at least %(min)s years as a manager; you stated %(yours)s.")
            % {"min": rule.min_years_as_manager, "yours": application.years_as_manager or 0}
        ]
    if rule.min_years_in_level and (application.years_in_level or 0) < rule.min_years_in_level:
        errors["years_in_level"] = [years_in_level_message(rule, application.years_in_level)]
    return errors


def years_in_level_message(rule, yours):
    """The refusal when the applicant has too few years at the rule's manager level."""
    levels = rule.level_words()
    values = {"min": rule.min_years_in_level, "levels": levels, "yours": yours or 0}
    if levels:
        return (
            ngettext(
                "This round asks for at least %(min)s year as %(levels)s; you stated %(yours)s.",
                "This round asks for at least %(min)s years as %(levels)s; you stated %(yours)s.",
                rule.min_years_in_level,
            )
            % values
        )
    return (
        ngettext(
            "This round asks for at least %(min)s year in your current role; you stated %(yours)s.",
            "This round asks for at least %(min)s years in your current role; you stated %(yours)s.",
            rule.min_years_in_level,
        )
        % values
    )


# --- the standard fields per programme and role (standard_fields) ------------------------------


def field_settings(programme):
    """The programme's ``FieldSettings``, or an unsaved one with the defaults."""
    try:
        return programme.field_settings
    except FieldSettings.DoesNotExist:
        if getattr(programme, "_default_field_settings", None) is None:
            programme._default_field_settings = FieldSettings(
                tenant_id=programme.tenant_id, programme=programme
            )
        return programme._default_field_settings


def has_no_manager(application):
    """Whether the applicant has no manager to ask: retired or recently left the role (a
    former chief executive), as they said on a form that asks the status."""
    if application.career_status not in standard_fields.NO_MANAGER_STATUSES:
        return False
    settings = field_settings(application.round.programme)
    asked = standard_fields.merged(settings.fields, application.role).get("career_status")
    return asked not in (None, standard_fields.OFF)


def needs_endorsement(application):
    """The one rule for the manager's-support step: the round asks it of the applicant's role,
    and the applicant has a manager to ask."""
    return application.round.has_step("endorsement", application.role) and not has_no_manager(
        application
    )


def needs_nomination(application):
    """The one rule for the nomination step: the round has its organisations nominate the
    applicant's role."""
    return application.round.has_step("nomination", application.role)


def needs_interview(application):
    """Whether the round interviews applicants in this application's role."""
    return application.round.has_step("interview", application.role)


def field_states(application, *, ignore_status=False):
    """{field: off | optional | required} of the standard fields this application's form asks:
    the programme's choice for the role, with the rules over it (module ``standard_fields``):
    the round's eligibility needs its fields, the manager's support needs the manager's name
    and e-mail, and a person with no manager is asked no manager question (``ignore_status``:
    what is asked of somebody who has one)."""
    sf = standard_fields
    round_ = application.round
    settings = field_settings(round_.programme)
    states = sf.merged(settings.fields, application.role)
    rule = round_.eligibility_for(application.role)
    if rule is not None and rule.manager_levels:
        states["manager_level"] = sf.REQUIRED
    if rule is not None and rule.min_years_as_manager:
        states["years_as_manager"] = sf.REQUIRED
    # Asked only where the rule wants years at a level: not one of the coordinator's choices.
    states["years_in_level"] = (
        sf.REQUIRED if rule is not None and rule.min_years_in_level else sf.OFF
    )
    if not ignore_status and has_no_manager(application):
        for name in sf.MANAGER_FIELDS:
            states[name] = sf.OFF
    elif round_.has_step("endorsement", application.role):
        for name in sf.ENDORSEMENT_FIELDS:
            states[name] = sf.REQUIRED
    for name in sf.ALWAYS_REQUIRED:
        states[name] = sf.REQUIRED
    return states


def required_fields(application):
    return [name for name, state in field_states(application).items() if state == "required"]


def _missing_message(name):
    """What to tell the applicant about a required field left empty (in their language)."""
    messages = {
        "discussed_with_manager": _("Discuss the application with your manager first."),
        "career_status": _("Say whether you are active, have recently left or have retired."),
        "themes": _("Choose at least one theme."),
        "capacity": _("Give the number of adepts you can take, from 1 to 10."),
    }
    return messages.get(name, _("Fill this in before you submit."))


def missing_for_submit(application):
    """Fields the applicant still has to fill in, as {field: message}: the standard fields the
    programme requires of the role (``field_states``), consent and the required questions."""
    missing = {}
    for name in required_fields(application):
        if name == "themes":
            if application.round.programme.themes.filter(is_active=True).exists() and not (
                application.themes.exists()
            ):
                missing[name] = _missing_message(name)
            continue
        if name == "available_for_shared_days" and not application.round.meetings.exists():
            continue
        field = Application._meta.get_field(name)
        value = getattr(application, field.attname)
        if value in (None, "") or (field.get_internal_type() == "BooleanField" and not value):
            missing[name] = _missing_message(name)
    if is_own_address(application.manager_email, *applicant_addresses(application)):
        missing["manager_email"] = own_address_message()
    if application.consent_given_at is None:
        missing["consent"] = _("Your consent is needed to process the application.")
    for question in application.round.questions.all():
        if (
            question.is_active
            and question.required
            and question.asked_of(application.role)
            and application.answers.get(str(question.pk)) in (None, "", [])
        ):
            missing[question.field_name] = _("Answer this question before you submit.")
    return missing


@transaction.atomic
def save_field_settings(
    *, tenant, actor, programme, fields, card_fields, records_pair_cost, preset=""
):
    """Save the programme's standard fields per role, the mentor card's fields and whether
    pairs record who bears the costs. ``fields``: {role: {name: state}}; only known names and
    states are kept. Logged with what changed."""
    if programme.tenant_id != tenant.pk:
        raise PermissionDenied
    sf = standard_fields
    clean = {role: sf.merged(fields, role) for role in sf.ROLES}
    card = [key for key in sf.CARD_KEYS if key in (card_fields or [])]
    settings = field_settings(programme)
    before = {
        "fields": {role: sf.merged(settings.fields, role) for role in sf.ROLES},
        "card": sf.card_fields(settings.card_fields),
        "records_pair_cost": settings.records_pair_cost,
    }
    settings.fields = clean
    settings.card_fields = card
    settings.records_pair_cost = bool(records_pair_cost)
    settings.save()
    programme.field_settings = settings
    changed = [
        f"{role}.{name}"
        for role in sf.ROLES
        for name, state in clean[role].items()
        if before["fields"][role].get(name) != state
    ]
    log_activity(
        tenant=tenant,
        actor=actor,
        action="programme.fields_saved",
        obj=programme,
        data={
            "changed": changed,
            "card": card,
            "records_pair_cost": settings.records_pair_cost,
            **({"preset": preset} if preset else {}),
        },
    )
    return settings


def apply_field_preset(*, tenant, actor, programme, preset):
    """Start from a template (``standard_fields.PRESETS``): saved as the programme's settings,
    which the coordinator can then change."""
    template = standard_fields.PRESETS.get(preset)
    if template is None:
        raise ValidationError(_("Choose one of the templates."))
    return save_field_settings(
        tenant=tenant,
        actor=actor,
        programme=programme,
        fields=template["fields"],
        card_fields=template["card"],
        records_pair_cost=template["records_pair_cost"],
        preset=preset,
    )


@transaction.atomic
def save_draft(*, application, actor, cleaned_data, answers=None, consent=None):
    """Save what the applicant filled in (the draft, autosaved or before submitting).

    ``cleaned_data``: validated values of the applicant's own fields (``APPLICANT_FIELDS``,
    ``themes`` included); ``answers``: {question pk: answer}, put over the saved answers;
    ``consent``: ticked or not (None leaves it). Only these fields are written, with
    ``update_fields``, so a decision landing at the same moment is kept; the version goes up.
    Nothing given saves nothing. Not logged: the person's own draft, saved as they type."""
    if actor is None or application.user_id != actor.pk:
        raise PermissionDenied
    if not application.is_open_for_editing:
        raise ValidationError(_("The application can no longer be changed."))
    unknown = set(cleaned_data) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValueError(f"Not the applicant's to save: {sorted(unknown)}")
    if not cleaned_data and not answers and consent is None:
        return application
    names = {name for name in cleaned_data if name != "themes"}
    for name in names:
        setattr(application, name, cleaned_data[name])
    application.answers = {**(application.answers or {}), **(answers or {})}
    if consent is not None:
        names.add("consent_given_at")
        if consent and application.consent_given_at is None:
            application.consent_given_at = timezone.now()
        elif not consent:
            application.consent_given_at = None
    application.save(update_fields=sorted(names | {"answers", "updated_at"}))
    Application.objects.filter(pk=application.pk).update(version=F("version") + 1)
    application.refresh_from_db(fields=["version", "stage"])
    if "themes" in cleaned_data:
        application.themes.set(cleaned_data["themes"])
    return application


@transaction.atomic
def submit(*, application, actor, base_url=""):
    """Send in the application. Clicking twice submits once."""
    application = _lock(application)
    if application.user_id != actor.pk:
        raise PermissionDenied
    if application.stage != Stage.DRAFT:
        return application
    if not application.round.accepting_applications():
        raise ValidationError(_("The application deadline has passed."))
    missing = missing_for_submit(application)
    if missing:
        raise ValidationError(missing)
    problems = eligibility_errors(application)
    if problems:
        raise ValidationError(problems)
    application.submitted_at = timezone.now()
    application.save(update_fields=["submitted_at"])
    _move(application, Stage.SUBMITTED, actor=actor)
    _mail_applicant(
        application,
        "application_submitted",
        asks_endorsement=needs_endorsement(application),
        asks_nomination=needs_nomination(application),
    )
    _advance(application, base_url=base_url)
    return application


def _advance(application, *, base_url=""):
    """After submitting or after the manager's support: the next step the round asks for."""
    if application.stage == Stage.SUBMITTED and needs_endorsement(application):
        _move(application, Stage.AWAITING_ENDORSEMENT, actor=None, actor_label="")
        _request_endorsement(application, base_url=base_url)
        return
    if application.stage in (Stage.SUBMITTED, Stage.AWAITING_ENDORSEMENT):
        if needs_nomination(application):
            _move(application, Stage.AWAITING_NOMINATION, actor=None, actor_label="")
            _notify_hr_contacts(application, base_url=base_url)
        else:
            _move(application, Stage.UNDER_REVIEW, actor=None, actor_label="")


@transaction.atomic
def withdraw(*, application, actor, reason=""):
    application = _lock(application)
    if application.user_id != actor.pk:
        raise PermissionDenied
    if application.stage in FINAL | {Stage.DECLINED, Stage.DECLINED_BY_ORGANISATION}:
        raise ValidationError(_("This application can no longer be withdrawn."))
    from_stage = application.stage
    _move(application, Stage.WITHDRAWN, actor=actor, reason=reason)
    _sync_participant(application, from_stage)
    Endorsement.objects.filter(
        application=application, decided_at__isnull=True, superseded_at__isnull=True
    ).update(superseded_at=timezone.now())
    return application


# --- the manager's endorsement --------------------------------------------------------------


def endorsement_url(endorsement, base_url=""):
    from django.core import signing

    key = signing.Signer(salt="applications.endorsement").sign(endorsement.token)
    path = reverse("applications:endorse", kwargs={"tenant": endorsement.tenant.slug, "key": key})
    return f"{base_url}{path}"


def resolve_endorsement(*, tenant, key):
    from django.core import signing

    try:
        token = signing.Signer(salt="applications.endorsement").unsign(key)
    except signing.BadSignature as exc:
        raise ValidationError(
            _("This link is not valid. Check that you copied the whole link.")
        ) from exc
    endorsement = (
        Endorsement.objects.filter(tenant=tenant, token=token)
        .select_related("application", "application__round", "application__round__programme")
        .first()
    )
    if endorsement is None:
        raise ValidationError(_("This link is not valid."))
    if endorsement.superseded_at:
        raise ValidationError(
            _("This link has been replaced by a newer one, or the application was withdrawn.")
        )
    if endorsement.decided_at:
        raise ValidationError(_("You have already answered. Thank you."))
    if endorsement.expires_at <= timezone.now():
        raise ValidationError(_("This link has expired. Ask the applicant to send it again."))
    return endorsement


def check_endorser(*, endorsement, user):
    """Nobody endorses their own application: not the applicant signed in, and not through a
    link that went to one of the applicant's own addresses (whoever opens it)."""
    application = endorsement.application
    own = applicant_addresses(application)
    if is_own_address(endorsement.manager_email, *own) or (
        user is not None
        and user.is_authenticated
        and (user.pk == application.user_id or is_own_address(user.email, *own))
    ):
        raise PermissionDenied(
            _(
                "You cannot answer the request about your own application: the link is for "
                "your manager. If it reached you, correct your manager's address on your "
                "application page."
            )
        )


def _request_endorsement(application, *, base_url=""):
    now = timezone.now()
    Endorsement.objects.filter(
        application=application, decided_at__isnull=True, superseded_at__isnull=True
    ).update(superseded_at=now)
    endorsement = Endorsement.objects.create(
        tenant=application.tenant,
        application=application,
        manager_name=application.manager_name,
        manager_email=application.manager_email,
        expires_at=now + timedelta(days=ENDORSEMENT_MAX_AGE_DAYS),
    )
    queue_mail(
        purpose="endorsement_request",
        to=endorsement.manager_email,
        language=recipient_language(tenant=application.tenant),
        context={
            "application": application,
            "round": application.round,
            "tenant": application.tenant,
            "endorsement": endorsement,
            "url": absolute(endorsement_url(endorsement), base_url),
        },
    )
    log_activity(
        tenant=application.tenant, actor=None, action="endorsement.requested", obj=application
    )
    return endorsement


@transaction.atomic
def resend_endorsement(*, application, actor, manager_name, manager_email, base_url=""):
    """The applicant corrects the manager's address or sends the request again."""
    application = _lock(application)
    if application.user_id != actor.pk:
        raise PermissionDenied
    if application.stage != Stage.AWAITING_ENDORSEMENT:
        raise ValidationError(_("Your manager's support is not awaited for this application."))
    if is_own_address(manager_email, *applicant_addresses(application), actor.email):
        raise ValidationError({"manager_email": own_address_message()})
    application.manager_name = manager_name
    application.manager_email = manager_email
    application.version += 1
    application.save(update_fields=["manager_name", "manager_email", "version", "updated_at"])
    return _request_endorsement(application, base_url=base_url)


@transaction.atomic
def decide_endorsement(*, endorsement, supports, comment="", base_url="", actor=None):
    """The manager's answer. ``actor``: who is signed in on the link's page (None: nobody)."""
    endorsement = (
        Endorsement.objects.select_for_update(of=("self",))
        .select_related("application", "application__user")
        .get(pk=endorsement.pk, tenant=endorsement.tenant)
    )
    if endorsement.decided_at or endorsement.superseded_at:
        raise ValidationError(_("You have already answered. Thank you."))
    check_endorser(endorsement=endorsement, user=actor)
    application = _lock(endorsement.application)
    endorsement.decided_at = timezone.now()
    endorsement.supports = supports
    endorsement.comment = comment
    endorsement.save(update_fields=["decided_at", "supports", "comment"])
    log_activity(
        tenant=application.tenant,
        actor=None,
        action="endorsement.given" if supports else "endorsement.refused",
        obj=application,
        data={"manager": endorsement.manager_email},
    )
    if application.stage != Stage.AWAITING_ENDORSEMENT:
        return endorsement
    if supports:
        _advance(application, base_url=base_url)
        _mail_applicant(application, "endorsement_given", endorsement=endorsement)
    else:
        _mail_applicant(application, "endorsement_refused", endorsement=endorsement)
    return endorsement


# --- the HR contact's nomination -----------------------------------------------------------


def hr_contacts_for(organisation):
    return Membership.objects.filter(
        tenant=organisation.tenant, is_hr_contact=True, organisations=organisation
    ).select_related("user")


def _notify_hr_contacts(application, *, base_url=""):
    if application.organisation is None:
        return
    for membership in hr_contacts_for(application.organisation):
        queue_mail(
            purpose="nomination_needed",
            to=membership.user.email,
            language=recipient_language(user=membership.user, tenant=application.tenant),
            context={
                "application": application,
                "round": application.round,
                "tenant": application.tenant,
                "url": absolute(
                    reverse(
                        "applications:hr_list",
                        kwargs={
                            "tenant": application.tenant.slug,
                            "round_pk": application.round_id,
                        },
                    ),
                    base_url,
                ),
            },
        )


def nominated_count(*, round_, organisation):
    """The organisation's nominations used in the round (only the roles it nominates)."""
    return Application.objects.filter(
        round=round_,
        organisation=organisation,
        role__in=round_.step_roles("nomination") or ParticipantRole.values,
        stage__in=[
            Stage.NOMINATED,
            Stage.UNDER_REVIEW,
            Stage.ACCEPTED,
            Stage.WAITLISTED,
            Stage.MATCHED,
        ],
    ).count()


@transaction.atomic
def nominate(*, application, actor, membership, nominated, motivation="", expected_version=None):
    """The HR contact nominates or declines an applicant of their own organisation."""
    application = _lock(application, expected_version)
    if (
        not membership
        or not membership.is_hr_contact
        or application.organisation_id not in {o.pk for o in membership.organisations.all()}
    ):
        raise PermissionDenied
    if application.stage != Stage.AWAITING_NOMINATION:
        raise ValidationError(_("This application is not waiting for a nomination."))
    motivation = (motivation or "").strip()
    if nominated and application.role == ParticipantRole.MENTOR and not motivation:
        raise ValidationError({"motivation": _("Say why this person would be a good mentor.")})
    if not nominated and not motivation:
        raise ValidationError({"motivation": _("Give a reason for not nominating.")})
    quota = application.round.nomination_quota
    if nominated and quota is not None:
        # Lock the organisation's applications of the round, so two nominations at once respect it.
        list(
            Application.objects.select_for_update().filter(
                round=application.round, organisation=application.organisation
            )
        )
        if (
            nominated_count(round_=application.round, organisation=application.organisation)
            >= quota
        ):
            raise ValidationError(
                _("Your organisation has used all %(n)s nominations for this round.") % {"n": quota}
            )
    Nomination.objects.create(
        tenant=application.tenant,
        application=application,
        nominated=nominated,
        motivation=motivation,
        decided_by=actor,
    )
    _move(
        application,
        Stage.NOMINATED if nominated else Stage.DECLINED_BY_ORGANISATION,
        actor=actor,
        reason=motivation,
    )
    _mail_applicant(application, "nominated" if nominated else "not_nominated")
    return application


@transaction.atomic
def nominate_bulk(*, tenant, round_, applications, actor, membership, nominated, motivation=""):
    """``nominate`` for several applicants of the HR contact's organisations, with one
    motivation. Each goes through ``nominate`` (its checks, locks, quota, history and mail) in
    a savepoint of its own, so one that cannot be nominated is refused alone and the rest go
    through. The organisations' applications of the round are locked first, in id order, so
    two bulk nominations at once wait for each other and both respect the quota. Returns
    ``(done, refused)``: applications, and (application, reason) pairs."""
    if not membership or not membership.is_hr_contact:
        raise PermissionDenied
    mine = {o.pk for o in membership.organisations.all()}
    applications = sorted(applications, key=lambda a: (a.organisation_id or 0, a.pk))
    if any(a.tenant_id != tenant.pk or a.round_id != round_.pk for a in applications):
        raise PermissionDenied
    if any(a.organisation_id not in mine for a in applications):
        raise PermissionDenied
    if nominated and round_.nomination_quota is not None:
        list(
            Application.objects.select_for_update(of=("self",))
            .filter(
                tenant=tenant,
                round=round_,
                organisation_id__in={a.organisation_id for a in applications},
            )
            .order_by("pk")
        )
    done, refused = [], []
    for application in applications:
        try:
            with transaction.atomic():
                done.append(
                    nominate(
                        application=application,
                        actor=actor,
                        membership=membership,
                        nominated=nominated,
                        motivation=motivation,
                    )
                )
        except ValidationError as exc:
            refused.append((application, " ".join(exc.messages)))
    log_activity(
        tenant=tenant,
        actor=actor,
        action="applications.nominated_bulk" if nominated else "applications.declined_bulk",
        obj=round_,
        data={"done": [a.pk for a in done], "refused": [a.pk for a, _reason in refused]},
    )
    return done, refused


@transaction.atomic
def put_forward(
    *, tenant, actor, membership, round_, organisation, role, full_name, email, base_url=""
):
    """An HR contact invites a person to complete an application for their organisation."""
    if (
        not membership
        or not membership.is_hr_contact
        or organisation.pk not in {o.pk for o in membership.organisations.all()}
    ):
        raise PermissionDenied
    if not round_.accepting_applications():
        raise ValidationError(_("This round does not take applications right now."))
    if round_.requires_nomination and not round_.has_step("nomination", role):
        # The organisations nominate the other role only: this one applies on their own.
        raise ValidationError(
            {"role": _("In this round the organisations put forward only the role they nominate.")}
        )
    invitation = PutForward.objects.create(
        tenant=tenant,
        round=round_,
        organisation=organisation,
        role=role,
        full_name=full_name,
        email=email.strip().lower(),
        invited_by=actor,
    )
    path = reverse(
        "applications:put_forward_accept", kwargs={"tenant": tenant.slug, "token": invitation.token}
    )
    queue_mail(
        purpose="put_forward",
        to=invitation.email,
        language=recipient_language(tenant=tenant),
        context={
            "invitation": invitation,
            "round": round_,
            "tenant": tenant,
            "organisation": organisation,
            "url": absolute(path, base_url),
            "inviter": actor,
            "expires_at": invitation.expires_at,
        },
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="application.put_forward",
        obj=round_,
        data={"organisation": organisation.name, "role": role},
    )
    return invitation


def check_put_forward(put_forward):
    """Raise InvitationError if the link is used or expired (like an invitation's)."""
    if put_forward.used_at:
        raise InvitationError("used", _("This link has already been used."), put_forward)
    if put_forward.expires_at <= timezone.now():
        raise InvitationError("expired", _("This link has expired."), put_forward)


@transaction.atomic
def accept_put_forward(*, tenant, put_forward, user):
    """The person put forward starts their application. Single use, only for that address."""
    put_forward = (
        PutForward.objects.select_for_update()
        .select_related("round", "organisation")
        .get(pk=put_forward.pk, tenant=tenant)
    )
    check_put_forward(put_forward)
    if user.email.lower() != put_forward.email.lower():
        raise InvitationError(
            "wrong_user",
            _(
                "You are signed in as %(current)s, but the invitation was sent to %(invited)s. "
                "Sign out and open the link again."
            )
            % {"current": user.email, "invited": put_forward.email},
            put_forward,
        )
    application = start_application(
        round_=put_forward.round,
        user=user,
        role=put_forward.role,
        organisation=put_forward.organisation,
    )
    put_forward.used_at = timezone.now()
    put_forward.save(update_fields=["used_at"])
    log_activity(
        tenant=tenant,
        actor=user,
        action="application.put_forward_used",
        obj=application,
        data={"organisation": put_forward.organisation.name, "role": put_forward.role},
    )
    return application


# --- the coordinators ------------------------------------------------------------------------


@transaction.atomic
def save_interview(*, application, actor, booking, notes):
    application = _lock(application)
    note, _created = InterviewNote.objects.get_or_create(
        tenant=application.tenant, application=application, defaults={"updated_by": actor}
    )
    note.booking = booking
    note.notes = notes
    note.updated_by = actor
    note.save()
    if application.stage in (Stage.SUBMITTED, Stage.NOMINATED):
        _move(application, Stage.UNDER_REVIEW, actor=actor)
    log_activity(
        tenant=application.tenant,
        actor=actor,
        action="application.interview_saved",
        obj=application,
    )
    return note


def interview_missing(application):
    """Whether the round interviews applicants in this one's role and this one has no
    interview noted."""
    if not needs_interview(application):
        return False
    return not (
        InterviewNote.objects.filter(tenant=application.tenant, application=application)
        .exclude(notes="")
        .exists()
    )


def interview_missing_message():
    return _(
        "This round interviews every applicant in this role, and no interview is noted. Note "
        "the interview first, or accept without one and give the reason."
    )


@transaction.atomic
def decide(
    *, application, actor, decision, reason="", expected_version=None, override_interview=False
):
    """Accept, put on the waiting list, or decline.

    Where the round interviews every applicant, accepting someone with no interview noted
    needs ``override_interview`` and a reason; the override is logged on its own."""
    if decision not in DECISIONS:
        raise ValidationError(_("Choose accept, waiting list or decline."))
    application = _lock(application, expected_version)
    if application.stage == decision:
        return application
    overridden = False
    if decision == Stage.ACCEPTED and interview_missing(application):
        if not override_interview:
            raise ValidationError({"override_interview": interview_missing_message()})
        if not (reason or "").strip():
            raise ValidationError(
                {"reason": _("Give the reason for accepting without an interview.")}
            )
        overridden = True
    from_stage = application.stage
    _move(application, decision, actor=actor, reason=reason)
    if overridden:
        log_activity(
            tenant=application.tenant,
            actor=actor,
            action="application.accepted_without_interview",
            obj=application,
            data={"reason": reason},
        )
    _sync_participant(application, from_stage)
    _mail_applicant(application, f"decision_{decision}")
    return application


def decide_many(*, applications, actor, decision, reason=""):
    """Bulk decisions: each application on its own, so one refusal does not undo the rest."""
    done, refused = [], []
    for application in applications:
        try:
            decide(application=application, actor=actor, decision=decision, reason=reason)
            done.append(application)
        except (ValidationError, Conflict) as exc:
            refused.append((application, " ".join(getattr(exc, "messages", [str(exc)]))))
    return done, refused


@transaction.atomic
def decide_bulk(*, tenant, applications, actor, decision, reason=""):
    """``decide`` for many applications at once (the review list's "all that match"): the same
    rules (``TRANSITIONS``), the same row locks (all rows locked in one query, in id order, so
    two bulk decisions cannot deadlock), a stage change and a log row for each, participants
    joined or taken out, and the applicant's mail. The writes go one query per table through
    ``change_stages_bulk``. Returns ``(done, refused)`` as ``decide_many`` does: an application
    that cannot take the decision is refused on its own and the rest go through."""
    if decision not in DECISIONS:
        raise ValidationError(_("Choose accept, waiting list or decline."))
    locked = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "round__programme", "tenant", "user", "organisation")
        .filter(tenant=tenant, pk__in=[a.pk for a in applications])
        .order_by("pk")
    )
    done, refused, moving = [], [], []
    for application in locked:
        if application.stage == decision:
            done.append(application)
            continue
        try:
            _check_transition(application.stage, decision, TRANSITIONS)
        except ValidationError as exc:
            refused.append((application, " ".join(exc.messages)))
            continue
        moving.append(application)
    if decision == Stage.ACCEPTED:
        # The interview rule as in ``decide``; a bulk step has no override (one at a time).
        interviewing = [a.pk for a in moving if needs_interview(a)]
        noted = set(
            InterviewNote.objects.filter(tenant=tenant, application_id__in=interviewing)
            .exclude(notes="")
            .values_list("application_id", flat=True)
        )
        missing = {pk for pk in interviewing if pk not in noted}
        refused += [
            (a, _("No interview is noted (the round interviews every applicant in this role)."))
            for a in moving
            if a.pk in missing
        ]
        moving = [a for a in moving if a.pk not in missing]
    leaving = [
        a
        for a in moving
        if a.stage in IN_THE_ROUND and decision not in IN_THE_ROUND and a.user_id is not None
    ]
    change_stages_bulk(applications=moving, to_stage=decision, actor=actor, reason=reason)
    if leaving:
        condition = Q()
        for application in leaving:
            condition |= Q(user_id=application.user_id, role=application.role)
        Participant.objects.filter(condition, tenant=tenant, round=leaving[0].round).delete()
    queue_mails(
        tenant=tenant,
        mails=[_applicant_mail(application, f"decision_{decision}") for application in moving],
    )
    return done + moving, refused


@transaction.atomic
def move_back(*, application, actor, to_stage, reason, expected_version=None):
    """A coordinator moves an application back to an earlier stage, with a reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for moving the application back.")})
    application = _lock(application, expected_version)
    if to_stage not in ORDER or application.stage not in ORDER + [
        Stage.DECLINED,
        Stage.DECLINED_BY_ORGANISATION,
    ]:
        raise ValidationError(_("The application cannot be moved to that stage."))
    current_rank = ORDER.index(application.stage) if application.stage in ORDER else len(ORDER)
    if ORDER.index(to_stage) >= current_rank:
        raise ValidationError(_("Choose an earlier stage."))
    from_stage = application.stage
    application.stage = to_stage
    application.version += 1
    application.save(update_fields=["stage", "version", "updated_at"])
    _sync_participant(application, from_stage)
    StageChange.objects.create(
        tenant=application.tenant,
        application=application,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor,
        actor_label=person_label(actor),
        reason=reason,
    )
    log_activity(
        tenant=application.tenant,
        actor=actor,
        action="application.moved_back",
        obj=application,
        before={"stage": from_stage},
        after={"stage": to_stage},
        data={"reason": reason},
    )
    return application


def consent_text():
    return _(
        "I agree that the information in this application is processed to run the mentor "
        "programme: assessment, nomination, matching and follow-up. Only the coordinators, and my "
        "own organisation's %(role)s, can read it. It is anonymised %(months)s months after the "
        "round has closed. I can withdraw my application at any time."
    )


# --- the form: questions and themes ------------------------------------------------------------


@transaction.atomic
def save_question(*, tenant, actor, question, round_=None):
    creating = question.pk is None
    if round_ is not None:
        question.round = round_
    if question.round.tenant_id != tenant.pk:
        raise PermissionDenied
    question.tenant = tenant
    if creating and not question.position:
        last = question.round.questions.order_by("-position").first()
        question.position = (last.position + 1) if last else 1
    question.save()
    log_activity(
        tenant=tenant,
        actor=actor,
        action="question.created" if creating else "question.updated",
        obj=question,
        after={
            "label": question.label,
            "kind": question.kind,
            "required": question.required,
            "active": question.is_active,
        },
    )
    return question


@transaction.atomic
def delete_question(*, tenant, actor, question):
    """A question nobody has answered can be deleted; an answered one is hidden instead."""
    answered = Application.objects.filter(
        round=question.round, answers__has_key=str(question.pk)
    ).exists()
    if answered:
        question.is_active = False
        question.save(update_fields=["is_active"])
        log_activity(tenant=tenant, actor=actor, action="question.hidden", obj=question)
        return False
    log_activity(tenant=tenant, actor=actor, action="question.deleted", obj=question)
    question.delete()
    return True


@transaction.atomic
def save_theme(*, tenant, actor, theme, programme=None):
    if programme is not None:
        theme.programme = programme
    if theme.programme.tenant_id != tenant.pk:
        raise PermissionDenied
    theme.tenant = tenant
    clash = theme.programme.themes.filter(name__iexact=theme.name.strip()).exclude(pk=theme.pk)
    if clash.exists():
        raise ValidationError({"name": _("This theme is already on the list.")})
    creating = theme.pk is None
    theme.name = theme.name.strip()
    theme.save()
    log_activity(
        tenant=tenant,
        actor=actor,
        action="theme.created" if creating else "theme.updated",
        obj=theme,
    )
    return theme


@transaction.atomic
def set_theme_active(*, tenant, actor, theme, active):
    theme.is_active = active
    theme.save(update_fields=["is_active"])
    log_activity(
        tenant=tenant, actor=actor, action="theme.shown" if active else "theme.hidden", obj=theme
    )


def copy_form(*, source, target):
    """Round copy hook: the custom questions come along to the new round."""
    for question in source.questions.all():
        question.pk = None
        question.round = target
        question.save()


# --- retention ----------------------------------------------------------------------------------

# The applicant's own free texts (PERSONAL_TEXT_FIELDS less the short facts such as the region).
FREE_TEXT_FIELDS = (
    "current_assignment",
    "education",
    "work_experience",
    "motivation",
    "matching_wishes",
)
FREE_TEXT_MIN = 20
PERSONAL_TEXT_FIELDS = (
    "phone",
    "place",
    "job_title",
    "current_assignment",
    "region",
    "education",
    "work_experience",
    "motivation",
    "matching_wishes",
    "languages",
    "manager_name",
    "manager_email",
)


def retention_due_date(*, tenant, ended):
    """When something that ended at ``ended`` (a date or a datetime) is anonymised."""
    return ended + timedelta(days=round(tenant.retention_months * 30.44))


@transaction.atomic
def anonymise_round(*, tenant, round_, actor=None):
    """Strip the personal data from a round's applications after the retention period
    (cohorts: the whole round at once, from its end). See ``anonymise_applications``."""
    ids = list(
        Application.objects.filter(
            tenant=tenant, round=round_, anonymised_at__isnull=True
        ).values_list("pk", flat=True)
    )
    return anonymise_applications(tenant=tenant, application_ids=ids, actor=actor, obj=round_)


def forget_actor(*, tenant, user):
    """An erased person's name leaves the stage histories they wrote (as coordinator or HR
    contact): the rows stay, for the history of each application, with no actor. The only
    writer of stage changes besides the stage services (tests/test_owners.py)."""
    return StageChange.objects.filter(tenant=tenant, actor=user).update(actor=None, actor_label="")


@transaction.atomic
def anonymise_applications(*, tenant, application_ids, actor=None, obj=None, action=None):
    """Strip the personal data from some of the tenant's applications (a cohort's round after
    its end, one pair of a continuous programme after the pair's end, a person's applications
    on an erasure request).

    The rows stay (statistics keep working: stages, roles, organisations, pairs and their
    meeting counts); names, contact details, free texts, answers, interview notes, the
    manager's comments and the reasons in the history are removed, and so is every copy of
    them: the hooks of later apps (``mentorship.hooks.ON_ANONYMISE``: requests, pairs'
    notes and checklist answers, the messages to these people) clear their own texts and hand
    them back, and ``organisations.services.scrub_people`` takes the names, addresses and
    texts out of the outbox and the activity log. The pairs' links to the two accounts stay,
    so the rule "not a pair before" still holds. ``obj`` is what the log row names (the
    round, the person's erasure request); returns how many applications were anonymised.
    """
    applications = list(
        Application.objects.select_for_update()
        .filter(tenant=tenant, pk__in=list(application_ids), anonymised_at__isnull=True)
        .select_related("user")
    )
    if not applications:
        return 0
    now = timezone.now()
    ids = [a.pk for a in applications]
    texts, addresses = _personal_texts(tenant=tenant, applications=applications)
    # The hooks first: they may read the applications (the people's names and addresses).
    for hook in hooks.ON_ANONYMISE:
        texts.extend(t for t in hook(application_ids=ids) or [] if len(t.strip()) >= FREE_TEXT_MIN)
    for application in applications:
        application.full_name = _("Anonymised")
        application.email = ""
        for name in PERSONAL_TEXT_FIELDS:
            setattr(application, name, "")
        application.answers = {}
        application.anonymised_at = now
    Application.objects.bulk_update(
        applications, ["full_name", "email", "answers", "anonymised_at", *PERSONAL_TEXT_FIELDS]
    )
    InterviewNote.objects.filter(application_id__in=ids).delete()
    Endorsement.objects.filter(application_id__in=ids).update(
        manager_name="", manager_email="anonymised@invalid", comment=""
    )
    Nomination.objects.filter(application_id__in=ids).update(motivation="")
    StageChange.objects.filter(application_id__in=ids).update(reason="")
    from organisations.services import scrub_people

    ActivityLog.objects.filter(
        tenant=tenant,
        content_type=ContentType.objects.get_for_model(Application),
        object_id__in=[str(i) for i in ids],
    ).update(object_repr=_("Anonymised application"), data={})
    scrub_people(tenant=tenant, texts=texts, addresses=addresses)
    rounds = sorted({a.round_id for a in applications})
    log_activity(
        tenant=tenant,
        actor=actor,
        action=action or "applications.anonymised",
        obj=obj,
        data={"applications": len(ids), "rounds": rounds},
    )
    return len(ids)


def _personal_texts(*, tenant, applications):
    """(texts, addresses) that identify the applications' people, read before they are cleared:
    names and addresses of applicants, participants and managers, and the free texts written
    about them (reasons, motivations, comments, interview notes)."""
    from programmes.models import Participant

    ids = [a.pk for a in applications]
    texts, addresses, free = [], [], []
    for application in applications:
        texts.extend([application.full_name, application.phone, application.manager_name])
        free.extend(getattr(application, name) for name in FREE_TEXT_FIELDS)
        free.extend(str(v) for v in (application.answers or {}).values())
        addresses.extend([application.email, application.manager_email])
        if application.user_id:
            texts.append(application.user.full_name)
            addresses.append(application.user.email)
    for name, email in Participant.objects.filter(
        tenant=tenant,
        round_id__in={a.round_id for a in applications},
        user_id__in={a.user_id for a in applications},
    ).values_list("user__full_name", "user__email"):
        texts.append(name)
        addresses.append(email)
    for name, email, comment in Endorsement.objects.filter(application_id__in=ids).values_list(
        "manager_name", "manager_email", "comment"
    ):
        texts.append(name)
        free.append(comment)
        addresses.append(email)
    free.extend(
        Nomination.objects.filter(application_id__in=ids).values_list("motivation", flat=True)
    )
    free.extend(StageChange.objects.filter(application_id__in=ids).values_list("reason", flat=True))
    free.extend(
        InterviewNote.objects.filter(application_id__in=ids).values_list("notes", flat=True)
    )
    # A short answer ("Ja", a region, a choice) says nothing about one person, and scrubbing it
    # would blank unrelated mails that happen to hold the same word.
    texts.extend(t for t in free if t and len(t.strip()) >= FREE_TEXT_MIN)
    return texts, addresses
