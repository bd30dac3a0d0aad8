"""The round's steps per role (the manager's support, the nomination, the interview) and the
eligibility rule "at least N years at the manager level" (issue 14, item 7).

One rule per step in ``applications.services`` (``needs_endorsement``, ``needs_nomination``,
``needs_interview``/``interview_missing``); these tests hold every place to it: submit, the
HR contact's list and quota, decisions one at a time and in bulk, the attention items, the
applicant's form and page, the public round page and the coordinator's round form.
"""

import html
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from applications import selectors, services
from applications.attention import attention_items
from applications.models import Application, Endorsement
from organisations.models import ActivityLog
from programmes import services as programme_services
from programmes.models import Eligibility, ManagerLevel, ParticipantRole, StepRoles
from tests.applications.test_services import (
    coordinator_membership,
    hr_membership,
    mails_to,
    make_application,
    open_round,
    refresh,
)
from tests.factories.organisations import OrganisationFactory
from tests.factories.programmes import EligibilityFactory, ProgrammeFactory

Stage = Application.Stage
MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT
BASE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def org(tenant):
    return OrganisationFactory(tenant=tenant, name="Alingsås kommun")


@pytest.fixture
def hr(tenant, org):
    return hr_membership(tenant, org, email="hr@alingsas.example")


@pytest.fixture
def coord(tenant):
    return coordinator_membership(tenant, email="samordnare@natverk.example").user


def steps_round(tenant, **kwargs):
    return open_round(programme=ProgrammeFactory(tenant=tenant), name="Omgång 15", **kwargs)


def submit(application):
    return services.submit(application=application, actor=application.user, base_url=BASE_URL)


def client_for(user):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    client.force_login(user)
    return client


def text(response):
    return html.unescape(response.content.decode())


# --- the default keeps every existing round as it was ---------------------------------------


def test_a_round_without_a_choice_asks_its_steps_of_both_roles(tenant):
    round_ = steps_round(
        tenant, requires_endorsement=True, requires_nomination=True, requires_interview=True
    )
    round_.refresh_from_db()
    assert (round_.endorsement_for, round_.nomination_for, round_.interview_for) == (
        StepRoles.BOTH,
        StepRoles.BOTH,
        StepRoles.BOTH,
    )
    for step in ("endorsement", "nomination", "interview"):
        assert round_.step_roles(step) == (MENTOR, ADEPT)
    plain = steps_round(tenant)
    assert all(plain.step_roles(step) == () for step in ("endorsement", "nomination", "interview"))


def test_the_migration_fills_existing_rounds_with_both_roles():
    migration = importlib.import_module("programmes.migrations.0007_round_steps_per_role")
    added = {
        op.name: op.field.default
        for op in migration.Migration.operations
        if getattr(op, "model_name", "") == "round"
    }
    assert added == {
        "endorsement_for": StepRoles.BOTH,
        "nomination_for": StepRoles.BOTH,
        "interview_for": StepRoles.BOTH,
    }


# --- the manager's support per role ----------------------------------------------------------


def test_only_the_adept_is_asked_for_the_managers_support(
    tenant, org, django_capture_on_commit_callbacks
):
    round_ = steps_round(tenant, requires_endorsement=True, endorsement_for=StepRoles.ADEPT)
    adept = make_application(round_, organisation=org, role=ADEPT)
    mentor = make_application(
        round_, organisation=org, role=MENTOR, capacity=1, manager_email="chef@alingsas.example"
    )
    assert services.needs_endorsement(adept) and not services.needs_endorsement(mentor)
    assert services.field_states(adept)["manager_email"] == "required"
    assert services.field_states(mentor)["manager_email"] == "optional"
    with django_capture_on_commit_callbacks(execute=True):
        submit(adept)
        submit(mentor)
    assert refresh(adept).stage == Stage.AWAITING_ENDORSEMENT
    assert refresh(mentor).stage == Stage.UNDER_REVIEW
    assert Endorsement.objects.filter(application=adept).count() == 1
    assert not Endorsement.objects.filter(application=mentor).exists()
    assert len(mails_to(adept.manager_email)) == 1
    assert mails_to("chef@alingsas.example") == []
    # The receipt says what comes next for each: the manager for the adept only.
    (adept_mail,) = mails_to(adept.email)
    (mentor_mail,) = mails_to(mentor.email)
    assert "Your manager is now asked" in adept_mail.body
    assert "Your manager" not in mentor_mail.body


# --- the nomination per role -----------------------------------------------------------------


def test_only_adepts_are_nominated_and_the_mentor_is_not_held_up(
    tenant, org, hr, django_capture_on_commit_callbacks
):
    round_ = steps_round(
        tenant,
        requires_nomination=True,
        nomination_for=StepRoles.ADEPT,
        nomination_quota=1,
    )
    adept = make_application(round_, organisation=org, role=ADEPT, full_name="Ada Adept")
    mentor = make_application(
        round_, organisation=org, role=MENTOR, capacity=1, full_name="Max Mentor"
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(mentor)
        submit(adept)
    assert refresh(mentor).stage == Stage.UNDER_REVIEW
    assert refresh(adept).stage == Stage.AWAITING_NOMINATION
    assert len(mails_to(hr.user.email)) == 1
    # The HR contact sees the role they nominate; the mentor under review uses no nomination.
    mine = selectors.applications_for_hr(tenant=tenant, round_=round_, membership=hr)
    assert [a.pk for a in mine] == [adept.pk]
    assert services.nominated_count(round_=round_, organisation=org) == 0
    services.nominate(
        application=refresh(adept), actor=hr.user, membership=hr, nominated=True, motivation=""
    )
    assert refresh(adept).stage == Stage.NOMINATED
    assert services.nominated_count(round_=round_, organisation=org) == 1


def test_the_hr_list_shows_only_the_nominated_role(tenant, org, hr):
    round_ = steps_round(tenant, requires_nomination=True, nomination_for=StepRoles.MENTOR)
    make_application(
        round_, organisation=org, role=MENTOR, stage=Stage.AWAITING_NOMINATION, full_name="Mona M"
    )
    adept = make_application(
        round_, organisation=org, role=ADEPT, stage=Stage.UNDER_REVIEW, full_name="Adam A"
    )
    client = client_for(hr.user)
    page = client.get(
        reverse("applications:hr_list", kwargs={"tenant": tenant.slug, "round_pk": round_.pk})
    )
    assert page.status_code == 200
    assert "Mona M" in text(page) and "Adam A" not in text(page)
    detail = client.get(
        reverse("applications:hr_detail", kwargs={"tenant": tenant.slug, "pk": adept.pk})
    )
    assert detail.status_code in (403, 404)


# --- the interview per role ------------------------------------------------------------------


def test_accepting_an_adept_needs_the_interview_a_mentor_does_not(tenant, org, coord):
    round_ = steps_round(tenant, requires_interview=True, interview_for=StepRoles.ADEPT)
    adept = make_application(round_, organisation=org, role=ADEPT, stage=Stage.UNDER_REVIEW)
    mentor = make_application(
        round_, organisation=org, role=MENTOR, capacity=1, stage=Stage.UNDER_REVIEW
    )
    assert services.interview_missing(adept) and not services.interview_missing(mentor)
    with pytest.raises(ValidationError) as refused:
        services.decide(application=adept, actor=coord, decision=Stage.ACCEPTED)
    assert "override_interview" in refused.value.error_dict
    assert refresh(adept).stage == Stage.UNDER_REVIEW
    services.decide(application=mentor, actor=coord, decision=Stage.ACCEPTED)
    assert refresh(mentor).stage == Stage.ACCEPTED
    assert not ActivityLog.objects.filter(action="application.accepted_without_interview")


def test_bulk_accept_and_the_attention_item_follow_the_interviewed_role(tenant, org, coord):
    round_ = steps_round(tenant, requires_interview=True, interview_for=StepRoles.ADEPT)
    adept = make_application(round_, organisation=org, role=ADEPT, stage=Stage.UNDER_REVIEW)
    mentor = make_application(
        round_, organisation=org, role=MENTOR, capacity=1, stage=Stage.UNDER_REVIEW
    )
    items = [
        i
        for i in attention_items(tenant=tenant, round_=round_, membership=None, now=timezone.now())
        if i.key == "applications.no_interview"
    ]
    assert [i.text for i in items] == ["1 applicant has no interview noted"]
    missing = selectors.apply_filters(
        Application.objects.filter(round=round_), {"interview": "missing"}
    )
    assert [a.pk for a in missing] == [adept.pk]
    done, refused = services.decide_bulk(
        tenant=tenant, applications=[adept, mentor], actor=coord, decision=Stage.ACCEPTED
    )
    assert [a.pk for a in done] == [mentor.pk]
    assert [a.pk for a, _reason in refused] == [adept.pk]


def test_the_review_page_offers_the_override_only_for_the_interviewed_role(tenant, org, coord):
    round_ = steps_round(tenant, requires_interview=True, interview_for=StepRoles.MENTOR)
    adept = make_application(round_, organisation=org, role=ADEPT, stage=Stage.UNDER_REVIEW)
    mentor = make_application(
        round_, organisation=org, role=MENTOR, capacity=1, stage=Stage.UNDER_REVIEW
    )
    client = client_for(coord)

    def detail(application):
        return reverse(
            "applications:review_detail", kwargs={"tenant": tenant.slug, "pk": application.pk}
        )

    assert "Accept without an interview" in text(client.get(detail(mentor)))
    assert "Accept without an interview" not in text(client.get(detail(adept)))
    response = client.post(
        detail(mentor), {"action": "decide", "decision": "accepted", "version": mentor.version}
    )
    assert response.status_code == 400 and refresh(mentor).stage == Stage.UNDER_REVIEW
    response = client.post(
        detail(adept), {"action": "decide", "decision": "accepted", "version": adept.version}
    )
    assert response.status_code == 302 and refresh(adept).stage == Stage.ACCEPTED


# --- the coordinator's round form ---------------------------------------------------------------


def test_the_round_form_saves_the_steps_per_role_and_the_copy_keeps_them(tenant, coord):
    round_ = steps_round(tenant)
    client = client_for(coord)
    edit = reverse("programmes:round_edit", kwargs={"tenant": tenant.slug, "pk": round_.pk})
    page = text(client.get(edit))
    assert "Whose manager confirms support" in page and "Adepts only" in page
    assert "Years at the manager level, at least, for adepts" in page
    data = {
        "name": round_.name,
        "application_opens_at": round_.application_opens_at.strftime("%Y-%m-%dT%H:%M"),
        "application_closes_at": round_.application_closes_at.strftime("%Y-%m-%dT%H:%M"),
        "starts_on": round_.starts_on.isoformat(),
        "ends_on": round_.ends_on.isoformat(),
        "quiet_pair_weeks": "6",
        "requires_endorsement": "on",
        "endorsement_for": "adept",
        "requires_nomination": "on",
        "nomination_for": "both",
        "requires_interview": "on",
        "interview_for": "mentor",
        "adept_manager_levels": ["manager_of_managers"],
        "adept_min_years_in_level": "1",
    }
    response = client.post(edit, data)
    assert response.status_code == 302, text(response)
    round_.refresh_from_db()
    assert round_.step_roles("endorsement") == (ADEPT,)
    assert round_.step_roles("nomination") == (MENTOR, ADEPT)
    assert round_.step_roles("interview") == (MENTOR,)
    assert round_.eligibility_for(ADEPT).min_years_in_level == 1
    bad = client.post(edit, {**data, "interview_for": "everyone", "adept_min_years_in_level": "61"})
    assert bad.status_code == 200 and "Select a valid choice" in text(bad)
    round_.refresh_from_db()
    assert round_.interview_for == StepRoles.MENTOR

    copy = programme_services.copy_round(
        tenant=tenant, actor=coord, source=round_, name="Omgång 16", offset_days=364
    )
    assert (copy.endorsement_for, copy.nomination_for, copy.interview_for) == (
        StepRoles.ADEPT,
        StepRoles.BOTH,
        StepRoles.MENTOR,
    )
    assert copy.eligibility_for(ADEPT).min_years_in_level == 1


# --- eligibility: at least N years at the manager level ---------------------------------------


@pytest.fixture
def level_round(tenant):
    round_ = steps_round(tenant)
    EligibilityFactory(
        round=round_,
        role=ADEPT,
        manager_levels=[ManagerLevel.MANAGER_OF_MANAGERS],
        min_years_as_manager=0,
        min_years_in_level=1,
    )
    return round_


def test_submit_refuses_too_few_years_at_the_level_in_the_field(level_round, org):
    application = make_application(
        level_round,
        organisation=org,
        role=ADEPT,
        manager_level=ManagerLevel.MANAGER_OF_MANAGERS,
        years_in_level=None,
    )
    assert services.field_states(application)["years_in_level"] == "required"
    with pytest.raises(ValidationError) as refused:
        submit(application)
    assert "years_in_level" in refused.value.error_dict
    application.years_in_level = 0
    application.save()
    with pytest.raises(ValidationError) as refused:
        submit(application)
    (message,) = refused.value.error_dict["years_in_level"][0].messages
    assert message == ("This round asks for at least 1 year as manager of managers; you stated 0.")
    assert refresh(application).stage == Stage.DRAFT
    application.years_in_level = 3
    application.save()
    submit(application)
    assert refresh(application).stage == Stage.UNDER_REVIEW


def test_the_years_at_the_level_are_asked_only_where_the_rule_wants_them(level_round, org):
    adept = make_application(
        level_round, organisation=org, role=ADEPT, manager_level=ManagerLevel.MANAGER_OF_MANAGERS
    )
    mentor = make_application(level_round, organisation=org, role=MENTOR, capacity=1)
    assert services.field_states(mentor)["years_in_level"] == "off"

    def edit(application):
        return client_for(application.user).get(
            reverse(
                "applications:edit",
                kwargs={"tenant": application.tenant.slug, "pk": application.pk},
            )
        )

    page = text(edit(adept))
    assert 'name="years_in_level"' in page
    assert "Years as manager of managers" in page
    assert "The round asks for at least 1 year." in page
    assert "at least 1 year as manager of managers" in page  # "Who may apply"
    assert 'name="years_in_level"' not in text(edit(mentor))

    response = client_for(adept.user).post(
        reverse("applications:edit", kwargs={"tenant": adept.tenant.slug, "pk": adept.pk}),
        {
            "full_name": adept.full_name,
            "email": adept.email,
            "organisation": str(org.pk),
            "job_title": "Verksamhetschef",
            "manager_level": "manager_of_managers",
            "years_as_manager": "4",
            "years_in_level": "0",
            "motivation": "Jag vill utvecklas.",
            "manager_name": "Karin Chef",
            "manager_email": "karin.chef@alingsas.example",
            "discussed_with_manager": "on",
            "consent": "on",
            "submit": "1",
        },
    )
    assert response.status_code == 400
    assert "at least 1 year as manager of managers; you stated 0." in text(response)
    assert refresh(adept).stage == Stage.DRAFT and refresh(adept).years_in_level == 0


def test_the_public_page_describes_the_years_and_the_steps_per_role(tenant, level_round):
    level_round.requires_nomination = True
    level_round.nomination_for = StepRoles.ADEPT
    level_round.requires_endorsement = True
    level_round.endorsement_for = StepRoles.ADEPT
    level_round.requires_interview = True
    level_round.interview_for = StepRoles.MENTOR
    level_round.save()
    client = Client()
    client.cookies["mentorship_language"] = "en"
    page = text(
        client.get(
            reverse("programmes:public_round", kwargs={"tenant": tenant.slug, "pk": level_round.pk})
        )
    )
    assert "at least 1 year as manager of managers" in page
    assert "nominates the adepts." in page
    assert "An adept's own manager is asked to confirm" in page
    assert "The coordinators interview every mentor before deciding." in page


def test_the_applicants_page_says_which_steps_follow_for_the_role(tenant, org):
    round_ = steps_round(
        tenant,
        requires_endorsement=True,
        endorsement_for=StepRoles.ADEPT,
        requires_interview=True,
        interview_for=StepRoles.ADEPT,
    )
    adept = make_application(round_, organisation=org, role=ADEPT)
    mentor = make_application(round_, organisation=org, role=MENTOR, capacity=1)

    def page(application):
        return text(
            client_for(application.user).get(
                reverse(
                    "applications:edit",
                    kwargs={"tenant": tenant.slug, "pk": application.pk},
                )
            )
        )

    adept_page, mentor_page = page(adept), page(mentor)
    assert "Your manager is asked by e-mail to confirm their support." in adept_page
    assert "The coordinators interview you before they decide." in adept_page
    assert "After you submit:" not in mentor_page


def test_an_eligibility_rule_with_only_years_at_the_level_is_kept(tenant, coord):
    round_ = steps_round(tenant)
    programme_services.save_round(
        tenant=tenant,
        actor=coord,
        round_=round_,
        eligibility={MENTOR: {"min_years_in_level": 2}, ADEPT: {}},
    )
    rule = Eligibility.objects.get(round=round_, role=MENTOR)
    assert rule.min_years_in_level == 2 and rule.level_words() == ""
    with translation.override("en"):
        application = make_application(
            round_, organisation=OrganisationFactory(tenant=tenant), role=MENTOR, capacity=1
        )
        assert services.eligibility_problems(application) == [
            "This round asks for at least 2 years in your current role; you stated 0."
        ]


def test_the_hr_contact_puts_forward_only_the_nominated_role(tenant, org, hr):
    round_ = steps_round(tenant, requires_nomination=True, nomination_for=StepRoles.ADEPT)
    with pytest.raises(ValidationError) as refused:
        services.put_forward(
            tenant=tenant,
            actor=hr.user,
            membership=hr,
            round_=round_,
            organisation=org,
            role=MENTOR,
            full_name="Max Mentor",
            email="max@alingsas.example",
        )
    assert "role" in refused.value.error_dict
    page = text(
        client_for(hr.user).get(
            reverse(
                "applications:put_forward", kwargs={"tenant": tenant.slug, "round_pk": round_.pk}
            )
        )
    )
    assert 'value="adept"' in page and 'value="mentor"' not in page
    services.put_forward(
        tenant=tenant,
        actor=hr.user,
        membership=hr,
        round_=round_,
        organisation=org,
        role=ADEPT,
        full_name="Ada Adept",
        email="ada@alingsas.example",
    )


def test_an_import_waiting_for_nomination_refuses_the_role_that_is_not_nominated(
    tenant, org, coord
):
    from applications import importing

    round_ = steps_round(tenant, requires_nomination=True, nomination_for=StepRoles.ADEPT)
    header = "role,first_name,last_name,email,organisation,title,manager_level,years_as_manager"
    data = "\r\n".join(
        [
            header,
            f"mentor,Max,Mentor,max@alingsas.example,{org.name},Förvaltningschef,"
            "manager_of_managers,15",
            f"adept,Ada,Adept,ada@alingsas.example,{org.name},Enhetschef,first_line,2",
            "",
        ]
    ).encode()
    result = importing.import_applications(
        tenant=tenant,
        round_=round_,
        actor=coord,
        data=data,
        stage=Stage.AWAITING_NOMINATION,
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "role")]
    assert "do not nominate the role mentor;" in result.errors[0].message
    assert not Application.objects.filter(round=round_).exists()
    result = importing.import_applications(
        tenant=tenant, round_=round_, actor=coord, data=data, stage=Stage.UNDER_REVIEW
    )
    assert not result.errors and len(result.created) == 2


def test_the_review_list_and_detail_show_the_years_at_the_level(level_round, org, coord):
    adept = make_application(
        level_round,
        organisation=org,
        role=ADEPT,
        stage=Stage.UNDER_REVIEW,
        manager_level=ManagerLevel.MANAGER_OF_MANAGERS,
        years_in_level=7,
    )
    client = client_for(coord)
    listing = text(
        client.get(
            reverse(
                "applications:review_list",
                kwargs={"tenant": level_round.tenant.slug, "round_pk": level_round.pk},
            )
        )
    )
    assert "Years at the level" in listing and '<td class="num">7</td>' in listing
    detail = text(
        client.get(
            reverse(
                "applications:review_detail",
                kwargs={"tenant": level_round.tenant.slug, "pk": adept.pk},
            )
        )
    )
    assert "Years at the manager level" in detail
