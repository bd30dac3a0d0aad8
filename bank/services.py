"""The mentor bank of a continuous programme (seed 004): HR matches one new manager at a time.

``register_new_manager`` records a new manager as an accepted adept of the standing round;
``assign`` makes the pair through the same path as a published proposal (a one-pair
``Proposal`` handed to ``matching.services.publish``) and tells the mentor to get in touch.
The ranking of the bank for one adept is a read: ``bank.selectors.rank_mentors``.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import services as application_services
from applications.models import Application, Theme
from applications.services import is_own_address, own_address_message
from matching import criteria, selectors, services
from matching.models import Proposal, ProposedPair
from organisations import rules
from organisations.services import log_activity
from programmes.models import ParticipantRole

Stage = Application.Stage

# Labels for the activity log, loaded by BankConfig.ready(). The actions keep their
# ``matching.`` names: the log rows written before the bank became an app use them.
ACTIVITY_LABELS = {
    "matching.bank_registered": gettext_lazy("New manager registered for the mentor bank"),
    "matching.bank_assigned": gettext_lazy("Mentor chosen from the bank"),
}


def _check_tenant(tenant, *objects):
    for obj in objects:
        if obj is not None and obj.tenant_id != tenant.pk:
            raise PermissionDenied


def _may_act_for(membership, organisation):
    return rules.is_coordinator(membership) or (
        organisation is not None and organisation.pk in rules.hr_organisation_ids(membership)
    )


# --- registering a new manager ---------------------------------------------------------------


@transaction.atomic
def register_new_manager(
    *,
    tenant,
    actor,
    membership,
    round_,
    full_name,
    email,
    organisation,
    job_title="",
    manager_level="",
    years_as_manager=None,
    manager_email="",
    manager_name="",
    region="",
    matching_wishes="",
    themes=(),
):
    """A newly recruited manager as an accepted adept of the standing round (HR offers them a
    mentor from the bank). Creates the person's account when there is none. HR contacts only
    for their own organisations; coordinators for any."""
    _check_tenant(tenant, round_, organisation)
    if not _may_act_for(membership, organisation):
        raise PermissionDenied
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Give the new manager's e-mail address.")})
    if is_own_address(manager_email, email):
        raise ValidationError({"manager_email": own_address_message()})
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name.strip())
    if Application.objects.filter(round=round_, user=user, role=ParticipantRole.ADEPT).exists():
        raise ValidationError(
            {"email": _("%(email)s is already an adept in this round.") % {"email": email}}
        )
    application = Application.objects.create(
        tenant=tenant,
        round=round_,
        user=user,
        role=ParticipantRole.ADEPT,
        stage=Stage.ACCEPTED,
        full_name=full_name.strip(),
        email=email,
        organisation=organisation,
        job_title=job_title,
        manager_level=manager_level or "",
        years_as_manager=years_as_manager,
        manager_email=(manager_email or "").strip().lower(),
        manager_name=manager_name,
        region=region or organisation.region,
        matching_wishes=matching_wishes,
    )
    if themes:
        ids = [getattr(t, "pk", t) for t in themes]
        application.themes.set(
            Theme.objects.filter(tenant=tenant, programme_id=round_.programme_id, pk__in=ids)
        )
    reason = _("Registered as a new manager by HR, to be matched from the mentor bank.")
    # The first history row; as an accepted person the new manager takes part in the round.
    application_services.change_stage(
        application=application, to_stage=Stage.ACCEPTED, actor=actor, reason=reason, created=True
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.bank_registered",
        obj=application,
        after={"stage": Stage.ACCEPTED},
        data={"organisation": organisation.name},
    )
    return application


# --- assigning ---------------------------------------------------------------------------------


@transaction.atomic
def assign(*, tenant, actor, round_, adept_app, mentor_app):
    """Make the pair: a one-pair proposal published by ``matching.services.publish`` (active pair, both
    matched, participants, the normal mail to both), then a mail asking the mentor to get in
    touch with the adept. A pair that breaks a hard rule is refused."""
    _check_tenant(tenant, round_, adept_app, mentor_app)
    if adept_app.round_id != round_.pk or mentor_app.round_id != round_.pk:
        raise ValidationError(_("Pair a mentor's application with an adept's of this round."))
    problems = services.check_pair(round_=round_, mentor_app=mentor_app, adept_app=adept_app)
    if problems:
        raise ValidationError([p["reason"] for p in problems])
    pool_settings = selectors.settings_for(round_=round_)
    pool = selectors.load_pool(
        tenant=tenant,
        round_=round_,
        settings=pool_settings,
        adept_ids=[adept_app.pk],
        mentor_ids=[mentor_app.pk],
    )
    score, explanation = criteria.explain_pair(pool, pool_settings, pool.adepts[0], pool.mentors[0])
    proposal = Proposal.objects.create(
        tenant=tenant,
        round=round_,
        name=(_("Mentor bank: %(a)s") % {"a": adept_app.full_name or adept_app.email})[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
        summary={"adepts": 1, "mentors": 1, "matched": 1, "unmatched": 0, "bank": True},
    )
    ProposedPair.objects.create(
        tenant=tenant,
        proposal=proposal,
        mentor=mentor_app,
        adept=adept_app,
        score=round(score, 4),
        explanation=explanation,
    )
    # The mentor's mail asks them to get in touch with the adept (seed 004); the adept gets
    # the usual one.
    (pair,) = services.publish(
        tenant=tenant, actor=actor, proposal=proposal, mentor_mail="bank_assigned"
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="matching.bank_assigned",
        obj=pair,
        data={"mentor": mentor_app.pk, "adept": adept_app.pk, "score": round(score, 2)},
    )
    return pair
