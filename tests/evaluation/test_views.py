"""The evaluation pages: roles and tenant isolation, the builder, answering, results."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from evaluation.models import Respondent, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from organisations.models import ActivityLog
from programmes.models import Round
from tests.evaluation.factories import (
    SurveyFactory,
    SurveyQuestionFactory,
    answer,
    participants,
)
from tests.factories.organisations import MembershipFactory
from tests.factories.programmes import ParticipantFactory, RoundFactory
from tests.matching.factories import PairFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_coordinator(tenant):
    return MembershipFactory(tenant=tenant, is_coordinator=True, user__language="en").user


@pytest.fixture
def survey(tenant):
    round_ = RoundFactory(programme__tenant=tenant, status=Round.Status.RUNNING)
    survey = SurveyFactory(round=round_, title="Slututvärdering")
    SurveyQuestionFactory(
        survey=survey, text="Svarade programmet mot ett behov?", required=True, position=1
    )
    SurveyQuestionFactory(
        survey=survey, kind=SurveyQuestion.Kind.TEXT, text="Något mer?", position=99
    )
    return survey


def url(name, *args):
    return reverse(f"evaluation:{name}", args=args)


def coordinator_urls(survey):
    t = survey.tenant.slug
    q = survey.questions.first()
    return [
        url("survey_list", t, survey.round_id),
        url("survey", t, survey.pk),
        url("preview", t, survey.pk),
        url("results", t, survey.pk),
        url("question_edit", t, q.pk),
    ]


# --- access ----------------------------------------------------------------------------------


def test_coordinator_pages_anonymous_member_stranger_and_other_tenant(
    client, survey, en_coordinator, hr_contact, other_member
):
    for path in coordinator_urls(survey):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
    client.force_login(other_member)
    for path in coordinator_urls(survey):
        assert client.get(path).status_code == 404, path
    client.force_login(hr_contact)
    for path in coordinator_urls(survey):
        assert client.get(path).status_code == 403, path
    client.force_login(en_coordinator)
    for path in coordinator_urls(survey):
        assert client.get(path).status_code == 200, path


def test_another_tenants_survey_is_404_for_a_coordinator(
    client, survey, other_tenant, other_member
):
    with scopes_disabled():
        other_survey = SurveyFactory(round__programme__tenant=other_tenant)
        SurveyQuestionFactory(survey=other_survey)
    client.force_login(other_member)
    # Their own survey through their own tenant's address works...
    assert client.get(url("survey", other_tenant.slug, other_survey.pk)).status_code == 200
    # ...ours through their address, or theirs through ours, does not.
    assert client.get(url("survey", other_tenant.slug, survey.pk)).status_code == 404
    assert client.get(url("results", other_tenant.slug, survey.pk)).status_code == 404
    assert client.post(url("survey_close", other_tenant.slug, survey.pk)).status_code == 404
    question = survey.questions.first()
    assert client.post(url("question_delete", other_tenant.slug, question.pk)).status_code == 404
    assert SurveyQuestion.objects.filter(pk=question.pk).exists()


def test_survey_page_only_for_participants_of_the_round_in_a_role_asked(
    client, survey, en_coordinator, stranger, other_tenant, other_member
):
    (mentor,), (adept,) = participants(survey.round, mentors=1, adepts=1)
    other_round = RoundFactory(programme=survey.round.programme)
    (outsider,), _ = participants(other_round, mentors=1)
    path = url("answer", survey.tenant.slug, survey.pk)
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user in (stranger, en_coordinator, outsider, other_member):
        client.force_login(user)
        assert client.get(path).status_code == 404
        assert client.post(path, {}).status_code == 404
    # The mentors-only survey is not for the adept.
    survey.audience = "mentors"
    survey.save()
    client.force_login(adept)
    assert client.get(path).status_code == 404
    client.force_login(mentor)
    assert client.get(path).status_code == 200
    # Another tenant's address for the same survey: 404.
    assert client.get(url("answer", other_tenant.slug, survey.pk)).status_code == 404


def test_draft_survey_is_not_shown_to_participants(client, survey):
    survey.status = Survey.Status.DRAFT
    survey.save()
    (mentor,), _ = participants(survey.round, mentors=1)
    client.force_login(mentor)
    assert client.get(url("answer", survey.tenant.slug, survey.pk)).status_code == 404


# --- answering -------------------------------------------------------------------------------


def test_answer_then_thank_you_and_a_second_post_changes_nothing(client, survey):
    (mentor,), _ = participants(survey.round, mentors=1)
    scale, text = survey.questions.all()
    client.force_login(mentor)
    path = url("answer", survey.tenant.slug, survey.pk)
    page = client.get(path).content.decode()
    assert "Svarade programmet mot ett behov?" in page and "Anonymous" in page
    response = client.post(path, {scale.field_name: "4", text.field_name: "Tack!"})
    assert response.status_code == 302
    page = client.get(path).content.decode()
    assert "Thank you for your answers!" in page and 'name="q_' not in page
    again = client.post(path, {scale.field_name: "1"}, follow=True)
    assert "You have already answered this survey." in again.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert SurveyAnswer.objects.get(question=scale).number == 4


def test_missing_required_answer_shows_the_error_and_keeps_the_text(client, survey):
    (mentor,), _ = participants(survey.round, mentors=1)
    scale, text = survey.questions.all()
    client.force_login(mentor)
    response = client.post(
        url("answer", survey.tenant.slug, survey.pk), {text.field_name: "Mitt långa svar"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the following" in page and "This field is required." in page
    assert "Mitt långa svar" in page
    assert not SurveyResponse.objects.exists()


def test_answering_after_closing_keeps_the_typed_answers_on_the_page(client, survey):
    (mentor,), _ = participants(survey.round, mentors=1)
    scale, text = survey.questions.all()
    client.force_login(mentor)
    path = url("answer", survey.tenant.slug, survey.pk)
    client.get(path)
    # The coordinator closes the survey while the mentor is writing.
    survey.closes_at = timezone.now() - timedelta(seconds=1)
    survey.save()
    response = client.post(path, {scale.field_name: "5", text.field_name: "Sent men ärligt"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "your answers could not be saved" in page and "Sent men ärligt" in page
    assert not SurveyResponse.objects.exists() and not Respondent.objects.exists()
    # A plain visit after closing says so.
    assert "The survey closed on" in client.get(path).content.decode()


def test_final_survey_shows_my_goals_and_stores_the_rating(client, survey):
    pair = PairFactory(round=survey.round, adept__motivation="Våga delegera mer.")
    ParticipantFactory(round=survey.round, user=pair.adept_user, role="adept")
    pair.adept_user.language = "en"
    pair.adept_user.save()
    client.force_login(pair.adept_user)
    path = url("answer", survey.tenant.slug, survey.pk)
    page = client.get(path).content.decode()
    assert "Våga delegera mer." in page and "Your own goals" in page
    scale = survey.questions.first()
    client.post(path, {scale.field_name: "5", "goal_application": "partly"})
    response = SurveyResponse.objects.get(survey=survey)
    assert response.role == "adept"
    assert list(response.goal_ratings.values_list("source", "rating")) == [
        ("application", "partly")
    ]


def test_participant_home_lists_open_surveys(client, survey):
    (mentor,), (adept,) = participants(survey.round, mentors=1, adepts=1)
    SurveyFactory(round=survey.round, status=Survey.Status.DRAFT, title="Utkastet")
    SurveyFactory(round=survey.round, title="Stängd", closes_at=timezone.now() - timedelta(days=1))
    client.force_login(mentor)
    home = reverse("programmes:participant_home", args=[survey.tenant.slug])
    page = client.get(home).content.decode()
    assert "Slututvärdering" in page and "Utkastet" not in page and "Stängd" not in page
    assert url("answer", survey.tenant.slug, survey.pk) in page
    answer(survey, mentor, values={survey.questions.first(): "3"})
    page = client.get(home).content.decode()
    assert "answered, thank you" in page


def test_round_dashboard_has_the_surveys_section(client, survey, en_coordinator):
    client.force_login(en_coordinator)
    page = client.get(
        reverse("programmes:round_dashboard", args=[survey.tenant.slug, survey.round_id])
    ).content.decode()
    assert "Slututvärdering" in page
    assert url("survey_list", survey.tenant.slug, survey.round_id) in page


# --- the builder -----------------------------------------------------------------------------


def test_create_from_template_set_dates_and_publish(client, tenant, en_coordinator):
    round_ = RoundFactory(programme__tenant=tenant, status=Round.Status.RUNNING)
    client.force_login(en_coordinator)
    response = client.post(
        url("survey_list", tenant.slug, round_.pk), {"kind": "final", "start": "template"}
    )
    survey = Survey.objects.get(round=round_)
    assert response["Location"] == url("survey", tenant.slug, survey.pk)
    assert survey.title == "Final evaluation" and survey.questions.count() > 10
    page = client.get(url("survey", tenant.slug, survey.pk)).content.decode()
    assert "The programme answered a real need I had as a manager." in page
    # Publishing without dates is refused with a clear message.
    page = client.post(url("survey_publish", tenant.slug, survey.pk), follow=True).content.decode()
    assert "Set the dates the survey opens and closes." in page
    now = timezone.localtime()
    response = client.post(
        url("survey", tenant.slug, survey.pk),
        {
            "title": "Slututvärdering 2026",
            "intro": "Tack!",
            "audience": "everyone",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
            "ask_goals": "on",
            "results_min_group": "3",
            "release": "batches",
        },
    )
    assert response.status_code == 302
    client.post(url("survey_publish", tenant.slug, survey.pk))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED and survey.title == "Slututvärdering 2026"
    assert ActivityLog.objects.filter(action="survey.published").exists()


def test_settings_refuse_a_group_smaller_than_three(client, survey, en_coordinator):
    client.force_login(en_coordinator)
    response = client.post(
        url("survey", survey.tenant.slug, survey.pk),
        {
            "title": survey.title,
            "audience": "everyone",
            "opens_at": "2030-01-01T08:00",
            "closes_at": "2030-01-10T08:00",
            "results_min_group": "2",
        },
    )
    assert response.status_code == 400
    survey.refresh_from_db()
    assert survey.results_min_group == 3


def test_add_edit_hide_and_delete_questions(client, survey, en_coordinator):
    t = survey.tenant.slug
    client.force_login(en_coordinator)
    response = client.post(
        url("question_add", t, survey.pk),
        {
            "new-text": "Hur ofta träffades ni?",
            "new-criterion": "implementation",
            "new-kind": "single",
            "new-audience": "both",
            "new-choices_text": "Ofta\nSällan",
        },
    )
    assert response.status_code == 302
    added = survey.questions.get(text="Hur ofta träffades ni?")
    assert added.choices == ["Ofta", "Sällan"]
    # A choice question without choices is refused next to the field.
    response = client.post(
        url("question_add", t, survey.pk),
        {"new-text": "Utan val", "new-criterion": "other", "new-kind": "multiple"},
    )
    assert response.status_code == 400
    assert "Give at least two choices, one per line." in response.content.decode()
    # Once answered: delete refused (hide instead), kind change refused.
    (mentor,), _ = participants(survey.round, mentors=1)
    answer(survey, mentor, values={survey.questions.first(): "4", added: "Ofta"})
    page = client.post(url("question_delete", t, added.pk), follow=True).content.decode()
    assert "cannot be deleted. You can hide it instead." in page
    response = client.post(
        url("question_edit", t, added.pk),
        {"text": added.text, "criterion": "implementation", "kind": "scale", "audience": "both"},
    )
    assert response.status_code == 400
    assert "its kind cannot change" in response.content.decode()
    client.post(url("question_hide", t, added.pk))
    added.refresh_from_db()
    assert added.is_hidden and SurveyAnswer.objects.filter(question=added).exists()
    unused = SurveyQuestionFactory(survey=survey)
    client.post(url("question_delete", t, unused.pk))
    assert not SurveyQuestion.objects.filter(pk=unused.pk).exists()


def test_preview_shows_the_questions_for_the_role(client, survey, en_coordinator):
    SurveyQuestionFactory(survey=survey, audience="adept", text="Bara för adepter?")
    client.force_login(en_coordinator)
    mentor_page = client.get(url("preview", survey.tenant.slug, survey.pk) + "?role=mentor")
    adept_page = client.get(url("preview", survey.tenant.slug, survey.pk) + "?role=adept")
    assert "Bara för adepter?" not in mentor_page.content.decode()
    assert "Bara för adepter?" in adept_page.content.decode()
    assert "inert" in adept_page.content.decode()


# --- results ---------------------------------------------------------------------------------


def test_results_page_with_charts_tables_and_hiding_a_text(client, survey, en_coordinator):
    scale, text = survey.questions.all()
    mentors, adepts = participants(survey.round, mentors=3, adepts=3)
    for index, user in enumerate(mentors + adepts):
        answer(survey, user, values={scale: str(3 + index % 3), text: f"Citat nummer {index}"})
    client.force_login(en_coordinator)
    path = url("results", survey.tenant.slug, survey.pk)
    page = client.get(path).content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 2
    assert "<table" in page and "Citat nummer 4" in page
    assert "Mentors and adepts" in page and "Withheld" not in page
    hidden = SurveyAnswer.objects.get(text="Citat nummer 4")
    client.post(url("text_visibility", survey.tenant.slug, survey.pk, hidden.pk), {"hidden": "1"})
    hidden.refresh_from_db()
    assert hidden.text_hidden
    page = client.get(path).content.decode()
    assert "<s>Citat nummer 4</s>" in page  # the coordinator still sees it, marked hidden
    # No names anywhere on the page.
    for user in mentors + adepts:
        assert user.full_name not in page and user.email not in page


def test_results_for_a_group_of_two_are_withheld_on_the_page(client, survey, en_coordinator):
    scale, text = survey.questions.all()
    mentors, _ = participants(survey.round, mentors=2, adepts=4)
    for user in mentors:
        answer(survey, user, values={scale: "1", text: "Hemligt citat"})
    client.force_login(en_coordinator)
    page = client.get(url("results", survey.tenant.slug, survey.pk)).content.decode()
    assert "Withheld: fewer than 3 have answered" in page
    assert "Hemligt citat" not in page and 'class="chart"' not in page
