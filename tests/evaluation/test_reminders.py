"""Survey mails: once when a survey opens, once three days before it closes, only to those who
have not answered, in their own language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.models import Survey
from mentorship.hooks import REMINDERS
from organisations.models import OutgoingMail
from organisations.reminders import run_reminders
from tests.evaluation.factories import SurveyFactory, SurveyQuestionFactory, answer, participants

pytestmark = pytest.mark.django_db


def test_reminders_are_registered():
    assert {"survey-open", "survey-closing"} <= set(REMINDERS)


def test_opening_mail_once_to_those_who_have_not_answered():
    now = timezone.now()
    survey = SurveyFactory(opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=10))
    q = SurveyQuestionFactory(survey=survey)
    mentors, adepts = participants(survey.round, mentors=2, adepts=1)
    adepts[0].language = "sv"
    adepts[0].save()
    answer(survey, mentors[0], values={q: "4"})
    SurveyFactory(round=survey.round, status=Survey.Status.DRAFT)  # drafts mail nobody
    assert run_reminders(now=now, names=["survey-open"]) == {"survey-open": 2}
    mails = {m.to: m for m in OutgoingMail.objects.filter(purpose="survey_open")}
    assert set(mails) == {mentors[1].email, adepts[0].email}
    english = mails[mentors[1].email]
    assert english.language == "en" and "is open until" in english.body
    assert f"/{survey.tenant.slug}/my/surveys/{survey.pk}/" in english.body
    assert mails[adepts[0].email].language == "sv"
    assert run_reminders(now=now, names=["survey-open"]) == {"survey-open": 0}
    assert OutgoingMail.objects.filter(purpose="survey_open").count() == 2


def test_closing_reminder_three_days_before_once():
    now = timezone.now()
    survey = SurveyFactory(opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=5))
    q = SurveyQuestionFactory(survey=survey)
    mentors, _ = participants(survey.round, mentors=2)
    answer(survey, mentors[0], values={q: "4"})
    assert run_reminders(now=now, names=["survey-closing"]) == {"survey-closing": 0}
    later = now + timedelta(days=2, hours=12)
    assert run_reminders(now=later, names=["survey-closing"]) == {"survey-closing": 1}
    mail = OutgoingMail.objects.get(purpose="survey_closing")
    assert mail.to == mentors[1].email and "closes soon" in mail.subject
    assert run_reminders(now=later + timedelta(hours=6), names=["survey-closing"]) == {
        "survey-closing": 0
    }
    # Closed: nobody is reminded any more.
    assert run_reminders(now=now + timedelta(days=6), names=["survey-open", "survey-closing"]) == {
        "survey-open": 0,
        "survey-closing": 0,
    }
