"""Building and answering surveys: the services' rules (bad input, anonymity, nothing lost)."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation
from django_scopes import scope

from evaluation import services
from evaluation.models import (
    GoalRating,
    Respondent,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from evaluation.templates_builtin import FINAL, MIDTERM
from organisations.models import ActivityLog
from pairs import checklists
from programmes.models import Audience, ParticipantRole
from tests.evaluation.factories import (
    SurveyFactory,
    SurveyQuestionFactory,
    answer,
    participants,
)
from tests.factories.programmes import RoundFactory
from tests.matching.factories import PairFactory

pytestmark = pytest.mark.django_db
MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT


def test_survey_from_template_has_the_three_criteria_in_the_creators_language(tenant, coordinator):
    round_ = RoundFactory(programme__tenant=tenant)
    with translation.override("en"):
        survey = services.create_survey(
            tenant=round_.tenant, actor=coordinator, round_=round_, kind=Survey.Kind.FINAL
        )
    questions = list(survey.questions.all())
    assert [q.key for q in questions] == [row[0] for row in FINAL]
    assert {q.criterion for q in questions} == {
        "relevance",
        "implementation",
        "goal_fulfilment",
        "other",
    }
    assert questions[0].text == "The programme answered a real need I had as a manager."
    assert survey.status == Survey.Status.DRAFT
    assert survey.ask_goals is True
    with translation.override("sv"):
        midterm = services.create_survey(
            tenant=round_.tenant, actor=coordinator, round_=round_, kind=Survey.Kind.MIDTERM
        )
    assert [q.key for q in midterm.questions.all()] == [row[0] for row in MIDTERM]
    assert midterm.ask_goals is False
    assert ActivityLog.objects.filter(action="survey.created").count() == 2


def test_blank_survey_has_no_questions_and_cannot_be_published(tenant, coordinator):
    round_ = RoundFactory(programme__tenant=tenant)
    survey = services.create_survey(
        tenant=round_.tenant,
        actor=coordinator,
        round_=round_,
        kind=Survey.Kind.MIDTERM,
        from_template=False,
        title="Avstämning",
    )
    assert survey.title == "Avstämning"
    assert not survey.questions.exists()
    services.update_survey(
        tenant=round_.tenant,
        actor=coordinator,
        survey=survey,
        data={
            "opens_at": timezone.now(),
            "closes_at": timezone.now() + timedelta(days=7),
        },
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.publish_survey(tenant=round_.tenant, actor=coordinator, survey=survey)
    assert "Add at least one question." in error.value.messages


def test_publish_needs_dates_in_the_future(tenant, coordinator):
    survey = SurveyFactory(
        round__programme__tenant=tenant, status=Survey.Status.DRAFT, opens_at=None, closes_at=None
    )
    SurveyQuestionFactory(survey=survey)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.publish_survey(tenant=survey.tenant, actor=coordinator, survey=survey)
    assert "Set the dates the survey opens and closes." in error.value.messages
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.update_survey(
            tenant=survey.tenant,
            actor=coordinator,
            survey=survey,
            data={"opens_at": timezone.now(), "closes_at": timezone.now() - timedelta(days=1)},
        )
    assert error.value.message_dict["closes_at"] == ["The survey must close after it opens."]


def test_a_mentor_and_an_adept_answer_once_each(tenant, coordinator):
    survey = SurveyFactory(round__programme__tenant=tenant)
    scale = SurveyQuestionFactory(survey=survey, required=True)
    text = SurveyQuestionFactory(survey=survey, kind=SurveyQuestion.Kind.TEXT)
    adept_only = SurveyQuestionFactory(
        survey=survey,
        kind=SurveyQuestion.Kind.MULTIPLE,
        audience="adept",
        choices=["Stöd", "Nätverk", "Verktyg"],
    )
    (mentor,), (adept,) = participants(survey.round, mentors=1, adepts=1)
    answer(survey, mentor, values={scale: "4", text: "Bra år."})
    answer(survey, adept, values={scale: "5", adept_only: ["Verktyg", "Stöd"]})
    assert SurveyResponse.objects.filter(survey=survey).count() == 2
    multiple = SurveyAnswer.objects.get(question=adept_only)
    assert multiple.choices == ["Stöd", "Verktyg"]  # in the question's order
    assert set(Respondent.objects.filter(survey=survey).values_list("user_id", flat=True)) == {
        mentor.pk,
        adept.pk,
    }
    with translation.override("en"), pytest.raises(ValidationError) as error:
        answer(survey, mentor, values={scale: "2"})
    assert error.value.messages == ["You have already answered this survey. Thank you!"]
    assert SurveyResponse.objects.filter(survey=survey).count() == 2


def test_the_response_holds_nothing_that_points_at_the_person():
    """No user, no respondent, no time; the keys are random UUIDs. ``released`` is shared by a
    whole batch of at least three responses."""
    field_names = {f.name for f in SurveyResponse._meta.get_fields()}
    assert field_names == {"id", "tenant", "survey", "role", "released", "answers", "goal_ratings"}
    for model in (SurveyResponse, SurveyAnswer, GoalRating):
        assert model._meta.pk.get_internal_type() == "UUIDField"
        assert not any(
            f.get_internal_type() in ("DateTimeField", "DateField")
            for f in model._meta.concrete_fields
        )
        assert not any(
            getattr(f.related_model, "__name__", "") in ("User", "Respondent")
            for f in model._meta.concrete_fields
        )
    respondent_fields = {f.name for f in Respondent._meta.concrete_fields}
    assert "response" not in respondent_fields


def test_answering_writes_no_activity_log_with_the_person():
    survey = SurveyFactory()
    q = SurveyQuestionFactory(survey=survey)
    (mentor,), _ = participants(survey.round, mentors=1)
    before = ActivityLog.objects.count()
    answer(survey, mentor, values={q: "3"})
    assert ActivityLog.objects.count() == before


def test_required_and_invalid_answers_save_nothing():
    survey = SurveyFactory()
    required = SurveyQuestionFactory(survey=survey, required=True)
    single = SurveyQuestionFactory(
        survey=survey, kind=SurveyQuestion.Kind.SINGLE, choices=["Ja", "Nej"]
    )
    (mentor,), _ = participants(survey.round, mentors=1)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        answer(survey, mentor, values={single: "Kanske"})
    assert error.value.message_dict == {
        required.field_name: ["Answer this question, please."],
        single.field_name: ["Choose one of the options."],
    }
    with translation.override("en"), pytest.raises(ValidationError) as error:
        answer(survey, mentor, values={required: "7"})
    assert error.value.message_dict[required.field_name] == ["Choose a number from 1 to 5."]
    assert not SurveyResponse.objects.exists()
    assert not Respondent.objects.exists()


def test_answering_after_closing_or_before_opening_is_refused():
    survey = SurveyFactory(closes_at=timezone.now() - timedelta(minutes=1))
    q = SurveyQuestionFactory(survey=survey)
    (mentor,), _ = participants(survey.round, mentors=1)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        answer(survey, mentor, values={q: "3"})
    assert error.value.code == "closed"
    assert "your answers could not be saved" in error.value.messages[0]
    survey.opens_at = timezone.now() + timedelta(days=1)
    survey.closes_at = timezone.now() + timedelta(days=8)
    survey.save()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        answer(survey, mentor, values={q: "3"})
    assert error.value.messages == ["The survey is not open yet."]
    assert not SurveyResponse.objects.exists()


def test_someone_outside_the_round_or_in_the_wrong_role_cannot_answer(stranger):
    survey = SurveyFactory(audience=Audience.MENTORS)
    q = SurveyQuestionFactory(survey=survey)
    (mentor,), (adept,) = participants(survey.round, mentors=1, adepts=1)
    for user, role in ((stranger, MENTOR), (adept, ADEPT), (adept, MENTOR)):
        with translation.override("en"), pytest.raises(ValidationError) as error:
            answer(survey, user, role=role, values={q: "3"})
        assert error.value.messages == ["This survey is not for you."]
    # A participant of another round of the same programme is not asked either.
    other_round = RoundFactory(programme=survey.round.programme)
    (other,), _ = participants(other_round, mentors=1)
    with pytest.raises(ValidationError):
        answer(survey, other, role=MENTOR, values={q: "3"})
    answer(survey, mentor, values={q: "3"})
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_make_one_response():
    survey = SurveyFactory()
    q = SurveyQuestionFactory(survey=survey)
    (mentor,), _ = participants(survey.round, mentors=1)
    outcomes = []
    barrier = threading.Barrier(2)

    def submit():
        try:
            with scope(tenant=survey.tenant):
                barrier.wait()
                answer(survey, mentor, role=MENTOR, values={q: "4"})
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["answered", "saved"]
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert Respondent.objects.filter(survey=survey).count() == 1


def test_question_with_answers_cannot_be_deleted_or_change_kind_only_hidden(tenant, coordinator):
    survey = SurveyFactory(round__programme__tenant=tenant)
    q = SurveyQuestionFactory(survey=survey)
    unused = SurveyQuestionFactory(survey=survey)
    (mentor,), _ = participants(survey.round, mentors=1)
    answer(survey, mentor, values={q: "4"})
    tenant = survey.tenant
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.delete_question(tenant=tenant, actor=coordinator, question=q)
    assert "cannot be deleted. You can hide it instead." in error.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.update_question(
            tenant=tenant,
            actor=coordinator,
            question=q,
            data={"kind": "single", "choices": ["Ja", "Nej"]},
        )
    assert "its kind cannot change" in error.value.message_dict["kind"][0]
    # The wording may still be corrected.
    services.update_question(
        tenant=tenant, actor=coordinator, question=q, data={"text": "Rättad formulering"}
    )
    services.set_question_hidden(tenant=tenant, actor=coordinator, question=q, hidden=True)
    q.refresh_from_db()
    assert q.hidden_at is not None and q.text == "Rättad formulering"
    assert SurveyAnswer.objects.filter(question=q).count() == 1  # nothing lost
    services.delete_question(tenant=tenant, actor=coordinator, question=unused)
    assert not SurveyQuestion.objects.filter(pk=unused.pk).exists()


def test_hidden_question_is_no_longer_asked():
    survey = SurveyFactory()
    shown = SurveyQuestionFactory(survey=survey)
    hidden = SurveyQuestionFactory(survey=survey, required=True, hidden_at=timezone.now())
    (mentor,), _ = participants(survey.round, mentors=1)
    assert services.questions_for(survey, MENTOR) == [shown]
    answer(survey, mentor, values={shown: "2", hidden: "5"})
    assert not SurveyAnswer.objects.filter(question=hidden).exists()


def test_survey_with_answers_keeps_its_audience_and_is_not_deleted(tenant, coordinator):
    survey = SurveyFactory(round__programme__tenant=tenant)
    q = SurveyQuestionFactory(survey=survey)
    (mentor,), _ = participants(survey.round, mentors=1)
    answer(survey, mentor, values={q: "4"})
    with pytest.raises(ValidationError):
        services.update_survey(
            tenant=survey.tenant,
            actor=coordinator,
            survey=survey,
            data={"audience": Audience.ADEPTS},
        )
    with pytest.raises(ValidationError):
        services.delete_survey(tenant=survey.tenant, actor=coordinator, survey=survey)
    with pytest.raises(ValidationError):
        services.unpublish_survey(tenant=survey.tenant, actor=coordinator, survey=survey)
    services.close_survey(tenant=survey.tenant, actor=coordinator, survey=survey)
    survey.refresh_from_db()
    assert survey.phase() == Survey.Phase.CLOSED


def test_move_question_reorders(tenant, coordinator):
    survey = SurveyFactory(round__programme__tenant=tenant)
    a, b, c = (SurveyQuestionFactory(survey=survey) for _ in range(3))
    services.move_question(tenant=survey.tenant, actor=coordinator, question=c, direction="up")
    assert list(survey.questions.all()) == [a, c, b]
    services.move_question(tenant=survey.tenant, actor=coordinator, question=a, direction="up")
    assert list(survey.questions.all()) == [a, c, b]


def test_goals_are_shown_back_and_only_the_rating_is_stored():
    survey = SurveyFactory()
    pair = PairFactory(round=survey.round, adept__motivation="Bli tryggare i svåra samtal.")
    from tests.factories.programmes import ParticipantFactory

    ParticipantFactory(round=survey.round, user=pair.adept_user, role=ADEPT)
    first, *_rest = checklists.start_from_template(
        tenant=survey.tenant,
        actor=None,
        programme=survey.round.programme,
        round_=survey.round,
        template="routine",
    )
    focus = first.items.get(template_key="where_i_stand")
    checklists.save_answers(
        tenant=survey.tenant,
        actor=pair.adept_user,
        pair=pair,
        checklist_id=first.pk,
        answers={focus.pk: {"text": "Delegera mer."}},
    )
    from evaluation.goals import goals_for

    goals = goals_for(tenant=survey.tenant, survey=survey, user=pair.adept_user, role=ADEPT)
    assert [(g.source, g.text) for g in goals] == [
        ("application", "Bli tryggare i svåra samtal."),
        ("focus", "Delegera mer."),
    ]
    answer(
        survey,
        pair.adept_user,
        role=ADEPT,
        goals={"application": "reached", "focus": "partly", "general": "not"},
    )
    ratings = sorted(GoalRating.objects.values_list("source", "rating"))
    assert ratings == [("application", "reached"), ("focus", "partly")]
    # Nothing of the goal's text is in any evaluation table.
    for model in (SurveyAnswer, GoalRating, SurveyResponse):
        for row in model.objects.values():
            assert "tryggare" not in str(row) and "Delegera" not in str(row)
    # Someone without an application or checklist rates their "own goals".
    (mentor,), _ = participants(survey.round, mentors=1)
    goals = goals_for(tenant=survey.tenant, survey=survey, user=mentor, role=MENTOR)
    assert [g.source for g in goals] == ["general"]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        answer(survey, mentor, goals={"general": "maybe"})
    assert "goal_general" in error.value.message_dict


def test_hide_a_free_text_answer(tenant, coordinator):
    survey = SurveyFactory(round__programme__tenant=tenant)
    q = SurveyQuestionFactory(survey=survey, kind=SurveyQuestion.Kind.TEXT)
    (mentor,), _ = participants(survey.round, mentors=1)
    answer(survey, mentor, values={q: "Min chef Anna på Kvarnby skola..."})
    text = SurveyAnswer.objects.get(question=q)
    services.set_text_hidden(
        tenant=survey.tenant, actor=coordinator, survey=survey, answer_id=text.pk, hidden=True
    )
    text.refresh_from_db()
    assert text.text_hidden is True
    other = SurveyFactory()
    with scope(tenant=other.tenant), pytest.raises(ValidationError):
        services.set_text_hidden(
            tenant=other.tenant, actor=coordinator, survey=other, answer_id=text.pk, hidden=False
        )
