"""The application services: the stage machine of PRODUCT.md, mails, history and the form.

Every transition is called as a view or task would call it. Mails are queued with
``transaction.on_commit``; a test sees them only by running the captured callbacks, which is
also how it proves that nothing is sent before the commit.

The small builders at the top (``open_round``, ``make_application`` on the shared
``ApplicationFactory``, the membership helpers) are shared by the other test modules of mine in
this package: test_views, test_isolation and test_queries.
"""

import gettext
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from applications import services
from applications.models import (
    Application,
    Endorsement,
    InterviewNote,
    Nomination,
    PutForward,
    Question,
    StageChange,
    Theme,
)
from organisations.models import ActivityLog
from programmes import services as programme_services
from programmes.models import ManagerLevel, Participant, ParticipantRole, Round
from tests.factories.applications import ApplicationFactory, StageChangeFactory
from tests.factories.organisations import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.programmes import EligibilityFactory, ProgrammeFactory, RoundFactory

Stage = Application.Stage
BASE_URL = "http://testserver"


# --- builders (shared with test_views, test_isolation and test_queries) -------------------------


def open_round(*, tenant=None, programme=None, **kwargs):
    """A round open for applications: opened five days ago, closes in twenty."""
    if programme is None:
        programme = ProgrammeFactory(**({"tenant": tenant} if tenant else {}))
    tz = ZoneInfo(programme.tenant.timezone)
    today = timezone.localdate()
    defaults = {
        "status": Round.Status.OPEN,
        "application_opens_at": datetime.combine(today - timedelta(days=5), time(9), tzinfo=tz),
        "application_closes_at": datetime.combine(
            today + timedelta(days=20), time(23, 59), tzinfo=tz
        ),
        "starts_on": today + timedelta(days=40),
        "ends_on": today + timedelta(days=400),
    }
    defaults.update(kwargs)
    return RoundFactory(programme=programme, **defaults)


def complete_fields(organisation, **overrides):
    """Everything the standard form asks, filled in."""
    fields = {
        "organisation": organisation,
        "job_title": "Enhetschef",
        "current_assignment": "Leder en enhet med 25 medarbetare.",
        "manager_level": ManagerLevel.FIRST_LINE,
        "years_as_manager": 2,
        "education": "Socionom",
        "work_experience": "Tio år inom socialtjänsten.",
        "motivation": "Jag vill utvecklas i mitt ledarskap.",
        "manager_name": "Karin Chef",
        "manager_email": "karin.chef@kommun.example",
        "discussed_with_manager": True,
        "consent_given_at": timezone.now(),
    }
    fields.update(overrides)
    return fields


def make_application(
    round_,
    *,
    user=None,
    role=ParticipantRole.ADEPT,
    organisation=None,
    stage=Stage.DRAFT,
    complete=True,
    themes=(),
    **fields,
):
    """An application put straight into ``stage`` (with a history row for it), built with
    the shared ``ApplicationFactory``. ``complete=False`` leaves the form empty."""
    values = {
        "round": round_,
        "role": role,
        "stage": stage,
        "themes": list(themes),
        "user": user or UserFactory(language="en"),
    }
    if complete:
        values.update(complete_fields(organisation))
        if organisation is None:
            del values["organisation"]  # the factory makes one of the round's tenant
    else:
        values.update(
            organisation=organisation,
            job_title="",
            manager_level="",
            years_as_manager=None,
            motivation="",
            region="",
        )
    if stage == Stage.DRAFT:
        values["submitted_at"] = None
    values.update(fields)
    application = ApplicationFactory(**values)
    StageChangeFactory(application=application)
    return application


def hr_membership(tenant, *organisations, **user_fields):
    user_fields.setdefault("language", "en")
    return MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=list(organisations),
        **{f"user__{k}": v for k, v in user_fields.items()},
    )


def coordinator_membership(tenant, **user_fields):
    user_fields.setdefault("language", "en")
    return MembershipFactory(
        tenant=tenant, is_coordinator=True, **{f"user__{k}": v for k, v in user_fields.items()}
    )


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def refresh(application):
    return Application.objects.get(pk=application.pk)


def stage_log(application):
    """The stages recorded for an application, in order, by history and by activity log."""
    changes = list(StageChange.objects.filter(application=application).order_by("created_at", "id"))
    logged = list(
        ActivityLog.objects.filter(
            action="application.stage_changed", object_id=str(application.pk)
        ).order_by("created_at", "id")
    )
    return changes, logged


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the services speak the active language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def round_(tenant):
    return open_round(
        programme=ProgrammeFactory(tenant=tenant, name="Chefsmentorprogrammet"), name="Omgång 15"
    )


@pytest.fixture
def full_round(round_):
    """Asks for the manager's support and the organisation's nomination."""
    round_.requires_endorsement = True
    round_.requires_nomination = True
    round_.save()
    return round_


@pytest.fixture
def org_a(tenant):
    return OrganisationFactory(tenant=tenant, name="Alingsås kommun")


@pytest.fixture
def org_b(tenant):
    return OrganisationFactory(tenant=tenant, name="Borås stad")


@pytest.fixture
def hr_a(tenant, org_a):
    return hr_membership(tenant, org_a, email="hr.a@alingsas.example")


@pytest.fixture
def hr_b(tenant, org_b):
    return hr_membership(tenant, org_b, email="hr.b@boras.example")


@pytest.fixture
def coord(tenant):
    return coordinator_membership(tenant, email="samordnare@natverk.example").user


@pytest.fixture
def applicant():
    return UserFactory(full_name="Ada Adept", email="ada@alingsas.example", language="en")


@pytest.fixture
def draft(full_round, applicant, org_a):
    return make_application(full_round, user=applicant, organisation=org_a)


def submit(application, actor=None, callbacks=None):
    return services.submit(
        application=application, actor=actor or application.user, base_url=BASE_URL
    )


# --- the applicant's draft ---------------------------------------------------------------------


def test_save_draft_writes_only_the_applicants_fields(round_, applicant, org_a):
    """A coordinator's move landing while the applicant types is kept: only the applicant's
    fields, the answers, the consent and the version are written."""
    theme = Theme.objects.create(tenant=round_.tenant, programme=round_.programme, name="Ledarskap")
    application = make_application(
        round_, user=applicant, organisation=org_a, stage=Stage.SUBMITTED, answers={"1": "ja"}
    )
    version, sent = application.version, timezone.now() - timedelta(days=2)
    Application.objects.filter(pk=application.pk).update(
        stage=Stage.UNDER_REVIEW, submitted_at=sent
    )
    services.save_draft(
        application=application,
        actor=applicant,
        cleaned_data={"job_title": "Avdelningschef", "themes": [theme]},
        answers={"2": "nej"},
        consent=False,
    )
    application.refresh_from_db()
    assert (application.stage, application.submitted_at) == (Stage.UNDER_REVIEW, sent)
    assert application.job_title == "Avdelningschef"
    assert list(application.themes.all()) == [theme]
    assert application.answers == {"1": "ja", "2": "nej"}
    assert application.consent_given_at is None
    assert application.version == version + 1


def test_save_draft_refuses_someone_else_a_closed_application_and_other_fields(
    round_, applicant, org_a
):
    application = make_application(round_, user=applicant, organisation=org_a)
    version = application.version
    with pytest.raises(PermissionDenied):
        services.save_draft(
            application=application, actor=UserFactory(), cleaned_data={"job_title": "X"}
        )
    with pytest.raises(ValueError):
        services.save_draft(
            application=application, actor=applicant, cleaned_data={"stage": Stage.ACCEPTED}
        )
    services.save_draft(application=application, actor=applicant, cleaned_data={})
    application.refresh_from_db()
    assert (application.job_title, application.version) == ("Enhetschef", version)
    application.stage = Stage.ACCEPTED
    with pytest.raises(ValidationError):
        services.save_draft(
            application=application, actor=applicant, cleaned_data={"job_title": "X"}
        )
    assert Application.objects.get(pk=application.pk).job_title == "Enhetschef"


# --- submit, endorsement, nomination --------------------------------------------------------------


def test_submit_with_endorsement_and_nomination_asks_the_manager(
    draft, applicant, hr_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)

    draft = refresh(draft)
    assert draft.stage == Stage.AWAITING_ENDORSEMENT
    assert draft.submitted_at is not None
    assert [m.subject for m in mails_to(applicant.email)] == [
        "Your application to Chefsmentorprogrammet has been received"
    ]
    # The HR contact is not asked before the manager has answered.
    assert mails_to(hr_a.user.email) == []
    [request] = mails_to("karin.chef@kommun.example")
    assert "Ada Adept" in request.subject
    endorsement = Endorsement.objects.get(application=draft)
    assert endorsement.manager_email == "karin.chef@kommun.example"
    assert endorsement.expires_at > timezone.now() + timedelta(days=20)

    # The link works for somebody with no account.
    url = link_in(request)
    assert url.startswith(f"{BASE_URL}/{draft.tenant.slug}/endorse/")
    response = Client().get(url.removeprefix(BASE_URL))
    assert response.status_code == 200
    assert "Ada Adept" in response.content.decode()


def test_endorsement_given_moves_on_and_tells_the_right_hr_contacts(
    draft, applicant, org_a, org_b, hr_a, hr_b, coord, django_capture_on_commit_callbacks
):
    both = hr_membership(draft.tenant, org_a, org_b, email="hr.both@natverk.example")
    submit(draft)
    endorsement = Endorsement.objects.get(application=draft)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_endorsement(
            endorsement=endorsement, supports=True, comment="Självklart", base_url=BASE_URL
        )

    draft = refresh(draft)
    assert draft.stage == Stage.AWAITING_NOMINATION
    endorsement.refresh_from_db()
    assert endorsement.supports is True and endorsement.decided_at is not None
    for contact in (hr_a.user, both.user):
        [message] = mails_to(contact.email)
        assert (
            message.subject == "An application to Chefsmentorprogrammet waits for your nomination"
        )
        assert f"/{draft.tenant.slug}/hr/rounds/{draft.round_id}/" in link_in(message)
    assert mails_to(hr_b.user.email) == []
    assert mails_to(coord.email) == []
    assert [m.subject for m in mails_to(applicant.email)] == [
        "Your manager supports your application"
    ]
    assert ActivityLog.objects.filter(action="endorsement.given", object_id=str(draft.pk)).exists()


def test_endorsement_refused_keeps_the_stage_and_tells_the_applicant(
    draft, applicant, hr_a, django_capture_on_commit_callbacks
):
    submit(draft)
    endorsement = Endorsement.objects.get(application=draft)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_endorsement(
            endorsement=endorsement, supports=False, comment="Inte i år, vi har en omorganisation."
        )

    assert refresh(draft).stage == Stage.AWAITING_ENDORSEMENT
    [message] = mails_to(applicant.email)
    assert message.subject == "Your manager did not confirm support"
    assert "Inte i år, vi har en omorganisation." in message.body
    assert mails_to(hr_a.user.email) == []
    # The link cannot be used twice.
    with pytest.raises(ValidationError):
        services.resolve_endorsement(tenant=draft.tenant, key=link_in_endorsement(endorsement))


def link_in_endorsement(endorsement):
    return services.endorsement_url(endorsement).rstrip("/").rsplit("/", 1)[-1]


def test_resend_endorsement_replaces_the_old_link(
    draft, applicant, django_capture_on_commit_callbacks
):
    submit(draft)
    old = Endorsement.objects.get(application=draft)
    old_key = link_in_endorsement(old)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = services.resend_endorsement(
            application=draft,
            actor=applicant,
            manager_name="Kalle Chef",
            manager_email="kalle@kommun.example",
            base_url=BASE_URL,
        )
    assert [m.to for m in mail.outbox] == [["kalle@kommun.example"]]
    with pytest.raises(ValidationError, match="replaced"):
        services.resolve_endorsement(tenant=draft.tenant, key=old_key)
    assert (
        services.resolve_endorsement(tenant=draft.tenant, key=link_in_endorsement(new)).pk == new.pk
    )


def test_round_with_neither_step_goes_straight_to_review(
    round_, applicant, org_a, hr_a, django_capture_on_commit_callbacks
):
    application = make_application(round_, user=applicant, organisation=org_a)
    with django_capture_on_commit_callbacks(execute=True):
        submit(application)
    application = refresh(application)
    assert application.stage == Stage.UNDER_REVIEW
    changes, _logged = stage_log(application)
    assert [c.to_stage for c in changes] == [Stage.DRAFT, Stage.SUBMITTED, Stage.UNDER_REVIEW]
    assert Endorsement.objects.filter(application=application).count() == 0
    assert [m.to for m in mail.outbox] == [[applicant.email]]


def test_round_with_nomination_only_asks_the_hr_contact_at_once(
    round_, applicant, org_a, hr_a, django_capture_on_commit_callbacks
):
    round_.requires_nomination = True
    round_.save()
    application = make_application(round_, user=applicant, organisation=org_a)
    with django_capture_on_commit_callbacks(execute=True):
        submit(application)
    assert refresh(application).stage == Stage.AWAITING_NOMINATION
    assert len(mails_to(hr_a.user.email)) == 1


def _awaiting_nomination(round_, organisation, role=ParticipantRole.ADEPT, **kwargs):
    return make_application(
        round_, organisation=organisation, role=role, stage=Stage.AWAITING_NOMINATION, **kwargs
    )


def test_nominate_moves_on_records_and_tells_the_applicant(
    full_round, org_a, hr_a, django_capture_on_commit_callbacks
):
    application = _awaiting_nomination(full_round, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.nominate(
            application=application,
            actor=hr_a.user,
            membership=hr_a,
            nominated=True,
            motivation="",
            expected_version=application.version,
        )
    application = refresh(application)
    assert application.stage == Stage.NOMINATED
    nomination = Nomination.objects.get(application=application)
    assert nomination.nominated and nomination.decided_by == hr_a.user
    assert [m.to for m in mail.outbox] == [[application.email]]
    change = StageChange.objects.filter(application=application).last()
    assert (change.from_stage, change.to_stage, change.actor) == (
        Stage.AWAITING_NOMINATION,
        Stage.NOMINATED,
        hr_a.user,
    )


def test_a_mentor_needs_a_motivation(full_round, org_a, hr_a):
    application = _awaiting_nomination(full_round, org_a, role=ParticipantRole.MENTOR)
    with pytest.raises(ValidationError) as info:
        services.nominate(
            application=application,
            actor=hr_a.user,
            membership=hr_a,
            nominated=True,
            motivation="   ",
        )
    assert "motivation" in info.value.message_dict
    assert refresh(application).stage == Stage.AWAITING_NOMINATION
    services.nominate(
        application=application,
        actor=hr_a.user,
        membership=hr_a,
        nominated=True,
        motivation="Erfaren och omtyckt chef.",
    )
    assert refresh(application).stage == Stage.NOMINATED


def test_declining_needs_a_reason(full_round, org_a, hr_a, django_capture_on_commit_callbacks):
    application = _awaiting_nomination(full_round, org_a)
    with pytest.raises(ValidationError) as info:
        services.nominate(
            application=application,
            actor=hr_a.user,
            membership=hr_a,
            nominated=False,
            motivation="",
        )
    assert "motivation" in info.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.nominate(
            application=application,
            actor=hr_a.user,
            membership=hr_a,
            nominated=False,
            motivation="Ny på tjänsten, söker nästa år.",
        )
    application = refresh(application)
    assert application.stage == Stage.DECLINED_BY_ORGANISATION
    assert StageChange.objects.filter(application=application).last().reason == (
        "Ny på tjänsten, söker nästa år."
    )
    [message] = mail.outbox
    assert message.to == [application.email]


def test_the_quota_is_enforced_per_organisation(full_round, org_a, org_b, hr_a, hr_b):
    full_round.nomination_quota = 1
    full_round.save()
    first = _awaiting_nomination(full_round, org_a)
    second = _awaiting_nomination(full_round, org_a)
    from_b = _awaiting_nomination(full_round, org_b)

    services.nominate(application=first, actor=hr_a.user, membership=hr_a, nominated=True)
    with pytest.raises(ValidationError, match="all 1 nominations"):
        services.nominate(application=second, actor=hr_a.user, membership=hr_a, nominated=True)
    assert refresh(second).stage == Stage.AWAITING_NOMINATION
    assert not Nomination.objects.filter(application=second).exists()
    # Declining is always possible, and the other organisation has a quota of its own.
    services.nominate(
        application=second,
        actor=hr_a.user,
        membership=hr_a,
        nominated=False,
        motivation="Kvoten är fylld.",
    )
    services.nominate(application=from_b, actor=hr_b.user, membership=hr_b, nominated=True)
    assert refresh(from_b).stage == Stage.NOMINATED


def test_a_withdrawn_nomination_frees_the_quota(full_round, org_a, hr_a):
    full_round.nomination_quota = 1
    full_round.save()
    first = _awaiting_nomination(full_round, org_a)
    second = _awaiting_nomination(full_round, org_a)
    services.nominate(application=first, actor=hr_a.user, membership=hr_a, nominated=True)
    services.withdraw(application=first, actor=first.user)
    services.nominate(application=second, actor=hr_a.user, membership=hr_a, nominated=True)
    assert refresh(second).stage == Stage.NOMINATED


def test_hr_contact_of_another_organisation_may_not_nominate(full_round, org_a, hr_b, tenant):
    application = _awaiting_nomination(full_round, org_a)
    with pytest.raises(PermissionDenied):
        services.nominate(application=application, actor=hr_b.user, membership=hr_b, nominated=True)
    coordinator_only = coordinator_membership(tenant)
    with pytest.raises(PermissionDenied):
        services.nominate(
            application=application,
            actor=coordinator_only.user,
            membership=coordinator_only,
            nominated=True,
        )
    assert refresh(application).stage == Stage.AWAITING_NOMINATION
    assert not Nomination.objects.exists()


def test_nominate_with_a_stale_version_is_a_conflict(full_round, org_a, hr_a):
    application = _awaiting_nomination(full_round, org_a)
    with pytest.raises(services.Conflict):
        services.nominate(
            application=application,
            actor=hr_a.user,
            membership=hr_a,
            nominated=True,
            expected_version=application.version - 1,
        )
    assert refresh(application).stage == Stage.AWAITING_NOMINATION


def test_nominate_refused_outside_its_stage(full_round, org_a, hr_a):
    application = make_application(full_round, organisation=org_a, stage=Stage.AWAITING_ENDORSEMENT)
    with pytest.raises(ValidationError):
        services.nominate(application=application, actor=hr_a.user, membership=hr_a, nominated=True)


# --- what submit checks ---------------------------------------------------------------------------


def test_eligibility_is_checked_with_plain_reasons(round_, applicant, org_a):
    EligibilityFactory(
        round=round_,
        role=ParticipantRole.MENTOR,
        manager_levels=[ManagerLevel.MANAGER_OF_MANAGERS, ManagerLevel.SENIOR_EXECUTIVE],
        min_years_as_manager=5,
    )
    application = make_application(
        round_,
        user=applicant,
        organisation=org_a,
        role=ParticipantRole.MENTOR,
        manager_level=ManagerLevel.FIRST_LINE,
        years_as_manager=2,
    )
    with pytest.raises(ValidationError) as info:
        submit(application)
    level, years = info.value.messages
    assert "manager of managers, senior executive" in level
    assert "First-line manager" in level
    assert "at least 5 years as a manager" in years and "you stated 2" in years
    application = refresh(application)
    assert application.stage == Stage.DRAFT and application.submitted_at is None
    assert not StageChange.objects.filter(
        application=application, to_stage=Stage.SUBMITTED
    ).exists()

    application.manager_level = ManagerLevel.SENIOR_EXECUTIVE
    application.years_as_manager = 5
    application.save()
    submit(application)
    assert refresh(application).stage == Stage.UNDER_REVIEW


def test_the_adept_rule_does_not_apply_to_mentors(round_, org_a):
    EligibilityFactory(
        round=round_,
        role=ParticipantRole.ADEPT,
        manager_levels=[ManagerLevel.FIRST_LINE],
        min_years_as_manager=0,
    )
    mentor = make_application(
        round_,
        organisation=org_a,
        role=ParticipantRole.MENTOR,
        manager_level=ManagerLevel.SENIOR_EXECUTIVE,
        years_as_manager=20,
    )
    submit(mentor)
    assert refresh(mentor).stage == Stage.UNDER_REVIEW


def test_missing_fields_are_listed(full_round, applicant, org_a, tenant):
    required = Question.objects.create(
        tenant=tenant, round=full_round, label="Din region?", required=True
    )
    Question.objects.create(
        tenant=tenant, round=full_round, label="Bara för mentorer", required=True, audience="mentor"
    )
    Question.objects.create(
        tenant=tenant, round=full_round, label="Dold", required=True, is_active=False
    )
    application = make_application(full_round, user=applicant, organisation=None, complete=False)
    with pytest.raises(ValidationError) as info:
        submit(application)
    assert set(info.value.message_dict) == {
        "organisation",
        "job_title",
        "manager_level",
        "years_as_manager",
        "motivation",
        "manager_name",
        "manager_email",
        "discussed_with_manager",
        "consent",
        required.field_name,
    }
    assert refresh(application).stage == Stage.DRAFT


def test_submit_after_the_deadline_is_refused(round_, applicant, org_a):
    application = make_application(round_, user=applicant, organisation=org_a)
    round_.application_closes_at = timezone.now() - timedelta(minutes=1)
    round_.save()
    with pytest.raises(ValidationError, match="deadline has passed"):
        submit(application)
    assert refresh(application).stage == Stage.DRAFT


def test_only_the_applicant_submits(round_, applicant, org_a, coord):
    application = make_application(round_, user=applicant, organisation=org_a)
    with pytest.raises(PermissionDenied):
        services.submit(application=application, actor=coord)
    assert refresh(application).stage == Stage.DRAFT


def test_double_submit_submits_once(
    full_round, draft, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
        submit(Application.objects.get(pk=draft.pk))
    assert Application.objects.filter(user=applicant).count() == 1
    assert StageChange.objects.filter(application=draft, to_stage=Stage.SUBMITTED).count() == 1
    assert Endorsement.objects.filter(application=draft).count() == 1
    assert len(mails_to(applicant.email)) == 1
    assert len(mails_to("karin.chef@kommun.example")) == 1


def test_start_application_twice_returns_the_same_draft(round_, applicant, org_a):
    first = services.start_application(
        round_=round_, user=applicant, role="adept", organisation=org_a
    )
    second = services.start_application(round_=round_, user=applicant, role="adept")
    assert first.pk == second.pk
    assert first.stage == Stage.DRAFT
    assert (first.full_name, first.email, first.organisation) == (
        "Ada Adept",
        "ada@alingsas.example",
        org_a,
    )
    assert Application.objects.filter(user=applicant).count() == 1
    assert StageChange.objects.filter(application=first).count() == 1
    # A second role is a second application.
    mentor = services.start_application(round_=round_, user=applicant, role="mentor")
    assert mentor.pk != first.pk
    with pytest.raises(ValidationError):
        services.start_application(round_=round_, user=applicant, role="boss")


def test_start_application_refused_when_the_round_is_closed(round_, applicant):
    round_.status = Round.Status.REVIEW
    round_.save()
    with pytest.raises(ValidationError):
        services.start_application(round_=round_, user=applicant, role="adept")
    assert not Application.objects.exists()


# --- withdraw -----------------------------------------------------------------------------------

BEFORE_FINAL = [
    Stage.DRAFT,
    Stage.AWAITING_ENDORSEMENT,
    Stage.AWAITING_NOMINATION,
    Stage.NOMINATED,
    Stage.UNDER_REVIEW,
    Stage.ACCEPTED,
    Stage.WAITLISTED,
]


@pytest.mark.parametrize("stage", BEFORE_FINAL)
def test_withdraw_from_any_stage_before_the_final_one(full_round, org_a, stage):
    application = make_application(full_round, organisation=org_a, stage=stage)
    if stage == Stage.ACCEPTED:
        Participant.objects.create(
            tenant=application.tenant,
            round=full_round,
            user=application.user,
            role=application.role,
            organisation=org_a,
        )
    services.withdraw(application=application, actor=application.user, reason="Byter jobb")
    application = refresh(application)
    assert application.stage == Stage.WITHDRAWN
    change = StageChange.objects.filter(application=application).last()
    assert (change.from_stage, change.to_stage, change.actor, change.reason) == (
        stage,
        Stage.WITHDRAWN,
        application.user,
        "Byter jobb",
    )
    # Somebody who withdrew does not stay in the round.
    assert not Participant.objects.filter(round=full_round, user=application.user).exists()


@pytest.mark.parametrize("stage", [Stage.MATCHED, Stage.WITHDRAWN, Stage.DECLINED])
def test_withdraw_refused_after_the_end(full_round, org_a, stage):
    application = make_application(full_round, organisation=org_a, stage=stage)
    with pytest.raises(ValidationError):
        services.withdraw(application=application, actor=application.user)
    assert refresh(application).stage == stage


def test_only_the_applicant_withdraws(full_round, org_a, coord):
    application = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        services.withdraw(application=application, actor=coord)


def test_withdrawing_voids_the_managers_link(draft):
    submit(draft)
    endorsement = Endorsement.objects.get(application=draft)
    services.withdraw(application=draft, actor=draft.user)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.resolve_endorsement(tenant=draft.tenant, key=link_in_endorsement(endorsement))


# --- the coordinators' decisions -------------------------------------------------------------------


def test_accepting_creates_a_participant(
    full_round, org_a, coord, django_capture_on_commit_callbacks
):
    application = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            application=application,
            actor=coord,
            decision=Stage.ACCEPTED,
            expected_version=application.version,
        )
    application = refresh(application)
    assert application.stage == Stage.ACCEPTED
    participant = Participant.objects.get(round=full_round, user=application.user)
    assert (participant.role, participant.organisation, participant.tenant) == (
        ParticipantRole.ADEPT,
        org_a,
        application.tenant,
    )
    [message] = mail.outbox
    assert message.to == [application.email]
    assert message.subject == "Welcome to Chefsmentorprogrammet"


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    full_round, org_a, coord, django_capture_on_commit_callbacks
):
    application = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    seen = application.version
    services.save_interview(application=application, actor=coord, booking="", notes="Bra samtal")
    history_before = StageChange.objects.count()
    log_before = ActivityLog.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.Conflict),
    ):
        services.decide(
            application=application, actor=coord, decision=Stage.ACCEPTED, expected_version=seen - 1
        )
    assert callbacks == []
    assert mail.outbox == []
    application = refresh(application)
    assert application.stage == Stage.UNDER_REVIEW
    assert application.version == seen
    assert not Participant.objects.exists()
    assert StageChange.objects.count() == history_before
    assert ActivityLog.objects.count() == log_before


def test_two_coordinators_with_the_same_version(full_round, org_a, coord, tenant):
    other = coordinator_membership(tenant).user
    application = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    seen = application.version
    services.decide(
        application=application, actor=coord, decision=Stage.ACCEPTED, expected_version=seen
    )
    with pytest.raises(services.Conflict):
        services.decide(
            application=application, actor=other, decision=Stage.DECLINED, expected_version=seen
        )
    assert refresh(application).stage == Stage.ACCEPTED
    assert Participant.objects.filter(user=application.user).exists()


def test_decide_refuses_a_draft(full_round, org_a, coord):
    application = make_application(full_round, organisation=org_a)
    with pytest.raises(ValidationError):
        services.decide(application=application, actor=coord, decision=Stage.ACCEPTED)
    with pytest.raises(ValidationError):
        services.decide(application=application, actor=coord, decision="matched")
    assert refresh(application).stage == Stage.DRAFT


def test_declining_an_accepted_application_removes_the_participant(full_round, org_a, coord):
    application = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    services.decide(application=application, actor=coord, decision=Stage.ACCEPTED)
    services.decide(application=application, actor=coord, decision=Stage.WAITLISTED)
    assert not Participant.objects.filter(user=application.user).exists()
    services.decide(application=application, actor=coord, decision=Stage.ACCEPTED)
    assert Participant.objects.filter(user=application.user).count() == 1


def test_decide_many_goes_on_after_a_refusal(full_round, org_a, coord):
    ready = [
        make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW) for _ in range(2)
    ]
    waiting = make_application(full_round, organisation=org_a, stage=Stage.AWAITING_NOMINATION)
    done, refused = services.decide_many(
        applications=[ready[0], waiting, ready[1]], actor=coord, decision=Stage.ACCEPTED
    )
    assert {a.pk for a in done} == {a.pk for a in ready}
    assert [a.pk for a, _reason in refused] == [waiting.pk]
    assert refresh(waiting).stage == Stage.AWAITING_NOMINATION
    assert Participant.objects.count() == 2


def test_move_back_needs_a_reason_and_an_earlier_stage(full_round, org_a, coord):
    application = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    with pytest.raises(ValidationError) as info:
        services.move_back(
            application=application, actor=coord, to_stage=Stage.AWAITING_NOMINATION, reason="  "
        )
    assert "reason" in info.value.message_dict
    with pytest.raises(ValidationError, match="earlier stage"):
        services.move_back(
            application=application, actor=coord, to_stage=Stage.ACCEPTED, reason="Fel"
        )
    with pytest.raises(ValidationError, match="earlier stage"):
        services.move_back(
            application=application, actor=coord, to_stage=Stage.UNDER_REVIEW, reason="Fel"
        )
    with pytest.raises(ValidationError):
        services.move_back(
            application=application, actor=coord, to_stage=Stage.WITHDRAWN, reason="Fel"
        )
    assert refresh(application).stage == Stage.UNDER_REVIEW

    services.move_back(
        application=application,
        actor=coord,
        to_stage=Stage.AWAITING_NOMINATION,
        reason="HR vill ompröva",
    )
    application = refresh(application)
    assert application.stage == Stage.AWAITING_NOMINATION
    change = StageChange.objects.filter(application=application).last()
    assert (change.from_stage, change.to_stage, change.actor, change.reason) == (
        Stage.UNDER_REVIEW,
        Stage.AWAITING_NOMINATION,
        coord,
        "HR vill ompröva",
    )
    log = ActivityLog.objects.get(action="application.moved_back", object_id=str(application.pk))
    assert log.actor == coord and log.data["reason"] == "HR vill ompröva"


def test_move_back_from_accepted_removes_the_participant(full_round, org_a, coord):
    application = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    services.decide(application=application, actor=coord, decision=Stage.ACCEPTED)
    assert Participant.objects.filter(user=application.user).exists()
    services.move_back(
        application=application,
        actor=coord,
        to_stage=Stage.UNDER_REVIEW,
        reason="Beslutet togs för tidigt",
    )
    assert refresh(application).stage == Stage.UNDER_REVIEW
    assert not Participant.objects.filter(user=application.user).exists()


def test_move_back_to_accepted_makes_a_participant(full_round, org_a, coord):
    """From the waiting list "back" to accepted: the person must then be in the round."""
    application = make_application(full_round, organisation=org_a, stage=Stage.WAITLISTED)
    services.move_back(
        application=application, actor=coord, to_stage=Stage.ACCEPTED, reason="En plats blev ledig"
    )
    assert refresh(application).stage == Stage.ACCEPTED
    assert Participant.objects.filter(user=application.user, round=full_round).count() == 1


def test_move_back_with_a_stale_version_is_a_conflict(full_round, org_a, coord):
    application = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    with pytest.raises(services.Conflict):
        services.move_back(
            application=application,
            actor=coord,
            to_stage=Stage.NOMINATED,
            reason="x",
            expected_version=application.version + 5,
        )


def test_save_interview_keeps_one_note_and_starts_the_review(full_round, org_a, coord):
    application = make_application(full_round, organisation=org_a, stage=Stage.NOMINATED)
    services.save_interview(
        application=application, actor=coord, booking="3 dec 10:00", notes="Första anteckningen"
    )
    services.save_interview(
        application=application, actor=coord, booking="3 dec 10:00", notes="Andra anteckningen"
    )
    note = InterviewNote.objects.get(application=application)
    assert note.notes == "Andra anteckningen" and note.updated_by == coord
    assert refresh(application).stage == Stage.UNDER_REVIEW


def test_a_round_that_interviews_needs_an_interview_or_an_explicit_override(
    full_round, org_a, coord
):
    full_round.requires_interview = True
    full_round.save()
    application = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    assert services.interview_missing(application)
    with pytest.raises(ValidationError) as refused:
        services.decide(application=application, actor=coord, decision=Stage.ACCEPTED)
    assert "override_interview" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.decide(
            application=application,
            actor=coord,
            decision=Stage.ACCEPTED,
            override_interview=True,
        )
    assert "reason" in refused.value.error_dict
    assert refresh(application).stage == Stage.UNDER_REVIEW
    # Waiting list and decline need no interview.
    services.decide(application=application, actor=coord, decision=Stage.WAITLISTED)
    services.decide(
        application=application,
        actor=coord,
        decision=Stage.ACCEPTED,
        override_interview=True,
        reason="Intervjuad i förra omgången",
    )
    assert refresh(application).stage == Stage.ACCEPTED
    entry = ActivityLog.objects.get(action="application.accepted_without_interview")
    assert entry.object_id == str(application.pk) and entry.actor == coord
    assert entry.data == {"reason": "Intervjuad i förra omgången"}

    noted = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    services.save_interview(application=noted, actor=coord, booking="", notes="Bra samtal")
    assert not services.interview_missing(noted)
    services.decide(application=noted, actor=coord, decision=Stage.ACCEPTED)
    assert refresh(noted).stage == Stage.ACCEPTED
    assert ActivityLog.objects.filter(action="application.accepted_without_interview").count() == 1


def test_bulk_accept_refuses_those_with_no_interview_noted(full_round, org_a, coord, tenant):
    full_round.requires_interview = True
    full_round.save()
    without = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    noted = make_application(full_round, organisation=org_a, stage=Stage.UNDER_REVIEW)
    services.save_interview(application=noted, actor=coord, booking="", notes="Bra samtal")
    done, refused = services.decide_bulk(
        tenant=tenant, applications=[without, noted], actor=coord, decision=Stage.ACCEPTED
    )
    assert [a.pk for a in done] == [noted.pk]
    assert [(a.pk, reason) for a, reason in refused] == [
        (without.pk, "No interview is noted (the round interviews every applicant in this role).")
    ]
    assert refresh(without).stage == Stage.UNDER_REVIEW
    assert refresh(noted).stage == Stage.ACCEPTED


# --- history and activity log for every transition --------------------------------------------------


def test_every_transition_is_recorded_with_who(full_round, draft, applicant, hr_a, coord):
    submit(draft)
    endorsement = Endorsement.objects.get(application=draft)
    services.decide_endorsement(endorsement=endorsement, supports=True)
    services.nominate(application=draft, actor=hr_a.user, membership=hr_a, nominated=True)
    services.save_interview(application=draft, actor=coord, booking="", notes="Bra")
    services.decide(application=draft, actor=coord, decision=Stage.WAITLISTED)
    services.decide(application=draft, actor=coord, decision=Stage.ACCEPTED)
    services.move_back(application=draft, actor=coord, to_stage=Stage.UNDER_REVIEW, reason="Oj")
    services.withdraw(application=draft, actor=applicant, reason="Slutar")

    changes, logged = stage_log(draft)
    expected = [
        ("", Stage.DRAFT, None),
        (Stage.DRAFT, Stage.SUBMITTED, applicant),
        (Stage.SUBMITTED, Stage.AWAITING_ENDORSEMENT, None),
        (Stage.AWAITING_ENDORSEMENT, Stage.AWAITING_NOMINATION, None),
        (Stage.AWAITING_NOMINATION, Stage.NOMINATED, hr_a.user),
        (Stage.NOMINATED, Stage.UNDER_REVIEW, coord),
        (Stage.UNDER_REVIEW, Stage.WAITLISTED, coord),
        (Stage.WAITLISTED, Stage.ACCEPTED, coord),
        (Stage.ACCEPTED, Stage.UNDER_REVIEW, coord),
        (Stage.UNDER_REVIEW, Stage.WITHDRAWN, applicant),
    ]
    assert [(c.from_stage, c.to_stage, c.actor) for c in changes] == expected
    for change in changes[1:]:
        if change.actor is not None:
            assert change.actor_label == change.actor.full_name
    # The activity log has one row per transition, with before and after (move back logs
    # under its own action).
    moved_back = ActivityLog.objects.get(action="application.moved_back", object_id=str(draft.pk))
    assert (moved_back.data["before"], moved_back.data["after"]) == (
        {"stage": Stage.ACCEPTED},
        {"stage": Stage.UNDER_REVIEW},
    )
    transitions = [(e.data["before"]["stage"], e.data["after"]["stage"], e.actor) for e in logged]
    assert transitions == [t for t in expected[1:] if t[:2] != (Stage.ACCEPTED, Stage.UNDER_REVIEW)]
    assert all(e.tenant_id == draft.tenant_id for e in logged)


# --- mails: after commit, in the reader's language ---------------------------------------------------


def test_mails_go_out_only_after_the_commit(draft, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        submit(draft)
        assert mail.outbox == []
    assert mail.outbox == []
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [applicant.email, "karin.chef@kommun.example"]
    )


def test_a_rolled_back_change_sends_nothing(draft, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(draft)
        raise RuntimeError("the request fails later")
    assert callbacks == []
    assert mail.outbox == []
    assert refresh(draft).stage == Stage.DRAFT


def _swedish_catalogue_has(msgid):
    mo = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.mo"
    if not mo.exists():
        return False
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    return msgid in catalogue._catalog


def test_mail_is_written_in_the_recipients_language(
    full_round, org_a, django_capture_on_commit_callbacks
):
    english = make_application(
        full_round, organisation=org_a, user=UserFactory(language="en", email="en@alingsas.example")
    )
    swedish = make_application(
        full_round, organisation=org_a, user=UserFactory(language="sv", email="sv@alingsas.example")
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(english)
        submit(swedish)
    [en_mail] = mails_to("en@alingsas.example")
    [sv_mail] = mails_to("sv@alingsas.example")
    assert en_mail.subject == "Your application to Chefsmentorprogrammet has been received"
    if _swedish_catalogue_has("Your application to %(p)s has been received"):
        assert sv_mail.subject != en_mail.subject


# --- the form: questions and themes -----------------------------------------------------------------


def test_delete_question_hides_an_answered_question(full_round, org_a, tenant, coord):
    answered = Question.objects.create(tenant=tenant, round=full_round, label="Favoritbok?")
    unanswered = Question.objects.create(tenant=tenant, round=full_round, label="Favoritfilm?")
    make_application(full_round, organisation=org_a, answers={str(answered.pk): "Moby Dick"})

    assert services.delete_question(tenant=tenant, actor=coord, question=answered) is False
    answered.refresh_from_db()
    assert answered.is_active is False
    assert ActivityLog.objects.filter(action="question.hidden", object_id=str(answered.pk)).exists()

    assert services.delete_question(tenant=tenant, actor=coord, question=unanswered) is True
    assert not Question.objects.filter(pk=unanswered.pk).exists()
    assert ActivityLog.objects.filter(action="question.deleted").exists()


def test_save_question_numbers_new_questions_and_refuses_another_tenant(
    full_round, tenant, other_tenant, coord
):
    first = services.save_question(
        tenant=tenant, actor=coord, question=Question(label="Ett"), round_=full_round
    )
    second = services.save_question(
        tenant=tenant, actor=coord, question=Question(label="Två"), round_=full_round
    )
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(PermissionDenied):
        services.save_question(
            tenant=other_tenant, actor=coord, question=Question(label="Tre"), round_=full_round
        )


def test_copy_round_copies_the_questions(full_round, tenant, coord):
    Question.objects.create(
        tenant=tenant,
        round=full_round,
        label="Din region?",
        required=True,
        kind=Question.Kind.SINGLE_CHOICE,
        choices=["Norr", "Söder"],
        audience="adept",
        position=1,
    )
    Question.objects.create(tenant=tenant, round=full_round, label="Ditt nätverk?", position=2)
    copy = programme_services.copy_round(
        tenant=tenant, actor=coord, source=full_round, name="Omgång 16", offset_days=365
    )
    copied = list(
        copy.questions.order_by("position").values_list(
            "label", "kind", "choices", "required", "audience", "tenant_id"
        )
    )
    assert copied == [
        ("Din region?", "single_choice", ["Norr", "Söder"], True, "adept", tenant.pk),
        ("Ditt nätverk?", "short_text", [], False, "both", tenant.pk),
    ]
    # The original round keeps its own questions.
    assert full_round.questions.count() == 2


def test_themes_are_unique_per_programme(full_round, tenant, coord):
    services.save_theme(
        tenant=tenant,
        actor=coord,
        theme=Theme(name="Förändringsledning"),
        programme=full_round.programme,
    )
    with pytest.raises(ValidationError):
        services.save_theme(
            tenant=tenant,
            actor=coord,
            theme=Theme(name=" förändringsledning "),
            programme=full_round.programme,
        )


# --- put forward ------------------------------------------------------------------------------------


def test_put_forward_only_for_ones_own_organisation(
    full_round, tenant, org_a, org_b, hr_a, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        services.put_forward(
            tenant=tenant,
            actor=hr_a.user,
            membership=hr_a,
            round_=full_round,
            organisation=org_b,
            role="adept",
            full_name="Bo Borås",
            email="bo@boras.example",
        )
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.put_forward(
            tenant=tenant,
            actor=hr_a.user,
            membership=hr_a,
            round_=full_round,
            organisation=org_a,
            role="mentor",
            full_name="Alva Alingsås",
            email=" Alva@Alingsas.example ",
            base_url=BASE_URL,
        )
    assert invitation.email == "alva@alingsas.example"
    [message] = mail.outbox
    assert message.to == ["alva@alingsas.example"]
    assert invitation.token in link_in(message)
    assert PutForward.objects.count() == 1
