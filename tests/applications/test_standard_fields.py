"""The standard fields per programme and role (issue 14, part 2): what the form asks and
requires, a retired mentor with no manager question and no endorsement step, the coordinator's
settings page and its templates, who bears a pair's costs, and what a mentor's card shows."""

import html
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications import services, standard_fields
from applications.exports import BASE_COLUMNS
from applications.forms import ApplicationForm
from applications.models import Application, FieldSettings
from organisations.models import ActivityLog
from pairs import services as pair_services
from pairs.models import Pair
from programmes.models import ManagerLevel, Programme
from tests.applications.test_services import coordinator_membership, make_application, open_round
from tests.factories.organisations import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.programmes import EligibilityFactory, ProgrammeFactory
from tests.matching.factories import AcceptedAdeptFactory, AcceptedMentorFactory, PairFactory

Stage = Application.Stage
OFF, OPTIONAL, REQUIRED = standard_fields.OFF, standard_fields.OPTIONAL, standard_fields.REQUIRED


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def client_for(user):
    client = Client()
    client.cookies["mentorship_language"] = "en"
    client.force_login(user)
    return client


def text(response):
    return html.unescape(response.content.decode())


def settings_for(programme, fields=None, **kwargs):
    return FieldSettings.objects.create(
        tenant=programme.tenant, programme=programme, fields=fields or {}, **kwargs
    )


def association(programme):
    preset = standard_fields.PRESETS["association"]
    return settings_for(programme, fields=preset["fields"], card_fields=preset["card"])


def form_for(application):
    return ApplicationForm(application=application, questions=[])


@pytest.fixture
def round_(tenant):
    return open_round(programme=ProgrammeFactory(tenant=tenant), requires_endorsement=True)


# --- defaults: what every programme asked before ---------------------------------------------


def test_without_settings_the_form_and_its_checks_are_as_before(tenant, round_):
    application = make_application(round_, complete=False, manager_name="", manager_email="")
    missing = services.missing_for_submit(application)
    assert set(missing) == {
        "organisation",
        "job_title",
        "manager_level",
        "years_as_manager",
        "motivation",
        "manager_name",
        "manager_email",
        "discussed_with_manager",
        "consent",
    }
    form = form_for(application)
    assert "phone" in form.fields and "region" in form.fields
    assert "place" not in form.fields and "career_status" not in form.fields
    assert form.fields["job_title"].widget.attrs.get("aria-required") == "true"
    assert "aria-required" not in form.fields["phone"].widget.attrs
    # Nothing is required to save a draft.
    assert not any(field.required for field in form.fields.values())


def test_a_field_not_asked_is_not_shown_nor_required_nor_saved(tenant, round_):
    settings_for(
        round_.programme,
        fields={"adept": {"job_title": OFF, "phone": OFF, "education": OFF}},
    )
    application = make_application(round_, complete=False, job_title="", phone="0701")
    form = form_for(application)
    assert not {"job_title", "phone", "education"} & set(form.fields)
    assert "job_title" not in services.missing_for_submit(application)
    # The mentors' form is its own: it still asks the job title.
    mentor = make_application(round_, role="mentor", complete=False)
    assert "job_title" in form_for(mentor).fields
    # A posted value for a field not asked is not saved.
    posted = ApplicationForm(
        {"phone": "0000", "full_name": "Ada"}, application=application, questions=[]
    )
    assert posted.is_valid()
    assert "phone" not in posted.draft_values()


def test_required_fields_are_checked_on_submit_with_clear_errors(tenant, round_):
    settings_for(
        round_.programme,
        fields={"adept": {"phone": REQUIRED, "place": REQUIRED, "career_status": REQUIRED}},
    )
    application = make_application(round_, stage=Stage.DRAFT, phone="", place="")
    form = form_for(application)
    for name in ("phone", "place", "career_status"):
        assert form.fields[name].widget.attrs.get("aria-required") == "true"
    with pytest.raises(ValidationError) as error:
        services.submit(application=application, actor=application.user)
    messages = error.value.message_dict
    assert messages["phone"] == ["Fill this in before you submit."]
    assert messages["place"] == ["Fill this in before you submit."]
    assert messages["career_status"] == [
        "Say whether you are active, have recently left or have retired."
    ]
    application.refresh_from_db()
    assert application.stage == Stage.DRAFT


def test_eligibility_keeps_the_fields_it_needs(tenant, round_):
    settings_for(round_.programme, fields={"adept": {"manager_level": OFF}})
    EligibilityFactory(
        round=round_, role="adept", manager_levels=[ManagerLevel.FIRST_LINE], min_years_as_manager=0
    )
    application = make_application(round_, complete=False)
    assert services.field_states(application)["manager_level"] == REQUIRED
    assert "manager_level" in form_for(application).fields


# --- a retired mentor: no manager question, no endorsement step ------------------------------


def retired_mentor(round_, status="retired"):
    return make_application(
        round_,
        role="mentor",
        stage=Stage.DRAFT,
        career_status=status,
        phone="070-123 45 67",
        place="Tallåsa",
        manager_name="",
        manager_email="",
        discussed_with_manager=False,
    )


@pytest.mark.parametrize("status", ["retired", "recently_left"])
def test_a_retired_mentor_submits_with_no_manager_and_skips_endorsement(
    tenant, round_, status, django_capture_on_commit_callbacks
):
    association(round_.programme)
    application = retired_mentor(round_, status)
    assert services.has_no_manager(application)
    assert not services.needs_endorsement(application)
    assert services.missing_for_submit(application) == {}
    form = form_for(application)
    manager = next(s for s in form.sections() if s.key == "manager")
    assert manager.hidden
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(application=application, actor=application.user)
    application.refresh_from_db()
    assert application.stage == Stage.UNDER_REVIEW
    assert not application.endorsements.exists()


def test_an_active_mentor_in_the_same_round_is_asked_for_the_manager(
    tenant, round_, django_capture_on_commit_callbacks
):
    association(round_.programme)
    application = retired_mentor(round_, "active")
    missing = services.missing_for_submit(application)
    assert set(missing) == {"manager_name", "manager_email", "discussed_with_manager"}
    application.manager_name, application.manager_email = "Kim Chef", "kim@kommun.example"
    application.discussed_with_manager = True
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(application=application, actor=application.user)
    application.refresh_from_db()
    assert application.stage == Stage.AWAITING_ENDORSEMENT


def test_the_status_counts_only_where_the_form_asks_it(tenant, round_):
    application = retired_mentor(round_)  # no settings: the status is not asked
    assert not services.has_no_manager(application)
    assert services.needs_endorsement(application)
    assert "discussed_with_manager" in services.missing_for_submit(application)


def test_the_retired_mentor_page_hides_the_manager_part(tenant, round_):
    association(round_.programme)
    application = retired_mentor(round_)
    page = client_for(application.user).get(
        reverse("applications:edit", args=[tenant.slug, application.pk])
    )
    body = text(page)
    assert re.search(r'<fieldset[^>]*id="section-manager"[^>]*hidden', body)
    assert "Are you active in the role?" in body and "Place or municipality" in body
    assert "(required)" in body  # required fields are marked


def test_a_retired_mentor_submits_through_the_page(tenant, round_):
    association(round_.programme)
    application = retired_mentor(round_)
    data = {
        "full_name": application.full_name,
        "email": application.email,
        "phone": "070-123 45 67",
        "career_status": "retired",
        "organisation": str(application.organisation_id),
        "place": "Tallåsa",
        "motivation": "Jag vill dela med mig.",
        "capacity": "2",
        "consent": "on",
        "submit": "1",
    }
    response = client_for(application.user).post(
        reverse("applications:edit", args=[tenant.slug, application.pk]), data
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.UNDER_REVIEW
    assert application.place == "Tallåsa" and application.career_status == "retired"


# --- the coordinator's settings page -------------------------------------------------------------


def test_coordinator_edits_the_settings_and_applies_a_template(tenant, round_):
    coordinator = coordinator_membership(tenant).user
    client = client_for(coordinator)
    url = reverse("applications:field_settings", args=[tenant.slug, round_.programme.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = text(page)
    assert "Standard fields and mentor cards" in body and "Start from a template" in body
    # Linked from the programme's page and the round's setup navigation.
    programme_page = client.get(
        reverse("programmes:programme_detail", args=[tenant.slug, round_.programme.pk])
    )
    assert url in text(programme_page)
    dashboard = client.get(reverse("programmes:round_dashboard", args=[tenant.slug, round_.pk]))
    assert url in text(dashboard)

    response = client.post(url, {"action": "preset", "preset": "association"})
    assert response.status_code == 302
    settings = FieldSettings.objects.get(programme=round_.programme)
    assert settings.fields["mentor"]["phone"] == REQUIRED
    assert settings.fields["mentor"]["place"] == REQUIRED
    assert settings.fields["mentor"]["career_status"] == REQUIRED
    assert "phone" in settings.card_fields
    log = ActivityLog.objects.filter(action="programme.fields_saved").latest("id")
    assert log.data["preset"] == "association"

    data = {
        f"{role}__{name}": state
        for role in standard_fields.ROLES
        for name, state in standard_fields.merged(settings.fields, role).items()
    }
    data.update({"adept__phone": OFF, "card_fields": ["phone", "career_status"]})
    data["records_pair_cost"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    settings.refresh_from_db()
    assert settings.fields["adept"]["phone"] == OFF
    assert settings.card_fields == ["career_status", "phone"]
    assert settings.records_pair_cost
    log = ActivityLog.objects.filter(action="programme.fields_saved").latest("id")
    assert "adept.phone" in log.data["changed"]


def test_bad_settings_are_a_form_error_and_nothing_is_saved(tenant, round_):
    client = client_for(coordinator_membership(tenant).user)
    url = reverse("applications:field_settings", args=[tenant.slug, round_.programme.pk])
    response = client.post(url, {"mentor__phone": "sometimes"})
    assert response.status_code == 400
    # A tick that is not a promise cannot be required.
    response = client.post(url, {"mentor__prefers_other_sector": REQUIRED})
    assert response.status_code == 400
    response = client.post(url, {"action": "preset", "preset": "nonsense"})
    assert response.status_code == 400
    assert not FieldSettings.objects.filter(programme=round_.programme).exists()


def test_another_tenants_coordinator_and_hr_are_refused(tenant, other_tenant, round_):
    url = reverse("applications:field_settings", args=[tenant.slug, round_.programme.pk])
    stranger = MembershipFactory(tenant=other_tenant, is_coordinator=True).user
    assert client_for(stranger).get(url).status_code == 404
    assert (
        client_for(stranger).post(url, {"action": "preset", "preset": "association"}).status_code
        == 404
    )
    hr = MembershipFactory(tenant=tenant, is_coordinator=False, is_hr_contact=True).user
    assert (
        client_for(hr).post(url, {"action": "preset", "preset": "association"}).status_code == 403
    )
    assert not FieldSettings.objects.filter(programme=round_.programme).exists()
    with pytest.raises(PermissionDenied):
        services.apply_field_preset(
            tenant=other_tenant, actor=stranger, programme=round_.programme, preset="association"
        )


# --- exports and the review page -----------------------------------------------------------------


def test_exports_and_review_show_status_and_place(tenant, round_):
    association(round_.programme)
    application = retired_mentor(round_)
    columns = {c.key: c for c in BASE_COLUMNS}
    assert columns["career_status"].value(application) == "Retired"
    assert columns["place"].value(application) == "Tallåsa"
    coordinator = coordinator_membership(tenant).user
    page = client_for(coordinator).get(
        reverse("applications:review_detail", args=[tenant.slug, application.pk])
    )
    body = text(page)
    assert "Retired" in body and "Tallåsa" in body
    assert "No manager question: retired or recently left the role." in body


def test_the_export_chooses_the_fields_the_programme_requires_by_default(tenant, round_):
    coordinator = coordinator_membership(tenant).user
    url = reverse("applications:export", args=[tenant.slug, round_.pk])

    def checked():
        body = client_for(coordinator).get(url).content.decode()
        return set(re.findall(r'name="columns" value="([a-z_]+)"[^>]*checked', body))

    before = checked()
    assert {"full_name", "email", "organisation"} <= before
    assert not {"phone", "career_status", "place"} & before
    association(round_.programme)  # phone, status and municipality required
    after = checked()
    assert {"phone", "career_status", "place"} <= after
    assert after - before == {"phone", "career_status", "place"}


# --- who bears a pair's costs ----------------------------------------------------------------------


def test_pair_cost_is_recorded_only_where_the_programme_turns_it_on(tenant, round_):
    pair = PairFactory(round=round_)
    coordinator = coordinator_membership(tenant).user
    with pytest.raises(ValidationError):
        pair_services.set_pair_cost(
            tenant=tenant, actor=coordinator, pair=pair, bearer=Pair.CostBearer.ADEPT_UNIT
        )
    url = reverse("matching:pair_cost", args=[tenant.slug, round_.pk, pair.pk])
    assert client_for(coordinator).get(url).status_code == 404
    settings_for(round_.programme, records_pair_cost=True)
    round_.programme.refresh_from_db()
    client = client_for(coordinator)
    assert client.get(url).status_code == 200
    pairs_page = text(client.get(reverse("matching:pairs", args=[tenant.slug, round_.pk])))
    assert url in pairs_page and "Record who bears the costs" in pairs_page
    # "Other" needs a note: a form error, nothing saved.
    response = client.post(url, {"cost_bearer": "other", "cost_note": ""})
    assert response.status_code == 400 and "Say who bears the costs." in text(response)
    pair.refresh_from_db()
    assert pair.cost_bearer == ""
    response = client.post(url, {"cost_bearer": "adept_unit", "cost_note": "Mentorn är pensionär"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.cost_bearer == Pair.CostBearer.ADEPT_UNIT
    log = ActivityLog.objects.get(action="pair.cost_recorded")
    assert log.data["after"]["cost_bearer"] == "adept_unit"
    assert "Costs: The adept's unit" in text(
        client.get(reverse("matching:pairs", args=[tenant.slug, round_.pk]))
    )


# --- what the adept sees on a mentor's card --------------------------------------------------------


def test_the_mentor_card_shows_what_the_programme_chose_and_nothing_else(tenant):
    programme = ProgrammeFactory(
        tenant=tenant,
        kind=Programme.Kind.CONTINUOUS,
        matching_mode=Programme.MatchingMode.ADEPT_CHOOSES,
    )
    round_ = open_round(programme=programme)
    org = OrganisationFactory(tenant=tenant, name="Tallåsa kommun")
    mentor = AcceptedMentorFactory(
        round=round_,
        organisation=org,
        job_title="Fd kommundirektör",
        phone="070-765 43 21",
        career_status="retired",
        place="Tallåsa",
        work_experience="Tjugo år som kommundirektör.",
    )
    adept = AcceptedAdeptFactory(round=round_, user=UserFactory(language="en"))
    url = reverse("matching_requests:mentors", args=[tenant.slug])
    before = text(client_for(adept.user).get(url))
    assert "Fd kommundirektör" in before and "070-765 43 21" not in before
    assert "Retired" not in before

    settings_for(programme, card_fields=["phone", "career_status", "place"])
    body = text(client_for(adept.user).get(url))
    assert mentor.full_name in body
    assert "070-765 43 21" in body and "Retired" in body and "Tallåsa" in body
    assert "Fd kommundirektör" not in body and "Tallåsa kommun" not in body
    assert "Tjugo år som kommundirektör." not in body
    assert "Places left" in body


def test_defaults_record_nothing_new(tenant, round_):
    assert services.field_settings(round_.programme).pk is None
    assert standard_fields.card_fields(None) == list(standard_fields.DEFAULT_CARD)
    assert services.field_states(make_application(round_))["place"] == OFF


def test_autosave_saves_no_field_the_form_does_not_ask(tenant, round_):
    settings_for(round_.programme, fields={"adept": {"phone": OFF, "place": OPTIONAL}})
    application = make_application(round_, stage=Stage.DRAFT, phone="")
    response = client_for(application.user).post(
        reverse("applications:autosave", args=[tenant.slug, application.pk]),
        {"phone": "0701-00 00 00", "place": "Ljungmora"},
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.phone == "" and application.place == "Ljungmora"
