"""A closed round with known figures, shared by the report and statistics tests
(test_report.py, test_report_job.py, test_statistics.py). No tests here.

The round (2025, at least 4 pair meetings, nominations asked for):

- applications: mentors 4 (3 matched, 1 declined), adepts 6 (4 matched, 1 accepted and then
  withdrawn, 1 waitlisted), plus a draft that does not count; 5 nominated (2 mentors, 3 adepts)
  and 1 not nominated;
- participants: 3 mentors, 5 adepts, in two organisations;
- pairs: 2 active (5 and 4 meetings), one ended on the last day by agreement (1 meeting), two
  ended early (changed job in June: 2 meetings; "other" in March: none), one only proposed;
- shared days: a day for everyone (8 invited, 6 yes, 1 no, 5 attended), a mentors' day (3
  invited, 2 yes, attendance not marked), and an adepts' day next year (5 invited);
- a final survey answered by 3 mentors and 3 adepts (a scale question, a choice question, a
  text question with one answer hidden, goals), and a mid-term check-in with 2 answers only.
"""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from applications.models import Application
from evaluation.models import (
    Criterion,
    GoalRating,
    Respondent,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from pairs.models import Pair, PairMeeting
from programmes.models import Audience, MeetingResponse, Participant, ParticipantRole, Round
from tests.evaluation.factories import SurveyFactory, SurveyQuestionFactory
from tests.factories.applications import (
    ApplicationFactory,
    NominationFactory,
    StageChangeFactory,
)
from tests.factories.organisations import OrganisationFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory, SharedMeetingFactory
from tests.matching.factories import PairFactory

Stage = Application.Stage
MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT
QUOTE = "Jag har vågat börja sätta tydliga gränser"
HIDDEN_QUOTE = "Min mentor Kalle på Ekeryd var bäst"
PRIVATE_END_NOTE = "Privat: bytte jobb efter konflikt med chefen"


def at(tenant, day, hour=12):
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(tenant.timezone))


def _participant(round_, application):
    return Participant.objects.create(
        tenant=round_.tenant,
        round=round_,
        user=application.user,
        role=application.role,
        organisation=application.organisation,
    )


def _meetings(pair, count):
    for index in range(count):
        PairMeeting.objects.create(
            tenant=pair.tenant,
            pair=pair,
            date=date(2025, 2, 1) + timedelta(days=30 * index),
            minutes=90,
        )


def _response(survey, role, answers, goals=()):
    response = SurveyResponse.objects.create(tenant=survey.tenant, survey=survey, role=role)
    for question, value in answers.items():
        kwargs = {}
        if question.kind == SurveyQuestion.Kind.SCALE:
            kwargs["number"] = value
        elif question.kind == SurveyQuestion.Kind.TEXT:
            kwargs["text"], kwargs["text_hidden"] = value
        else:
            kwargs["choices"] = value
        SurveyAnswer.objects.create(
            tenant=survey.tenant, response=response, question=question, **kwargs
        )
    for rating in goals:
        GoalRating.objects.create(
            tenant=survey.tenant,
            response=response,
            source=GoalRating.Source.GENERAL,
            rating=rating,
        )
    return response


def build_round(tenant, *, programme=None, name="Omgång 1"):
    north = OrganisationFactory(tenant=tenant, name="Norrby kommun")
    south = OrganisationFactory(tenant=tenant, name="Söderås kommun")
    programme = programme or ProgrammeFactory(tenant=tenant, name="Chefsmentorskap")
    round_ = RoundFactory(
        programme=programme,
        name=name,
        status=Round.Status.CLOSED,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        max_pairs=6,
        min_pair_meetings=4,
        cadence_text="cirka 1,5 timme var 4:e vecka",
        requires_nomination=True,
    )

    def application(role, stage, org, **kwargs):
        return ApplicationFactory(
            round=round_, role=role, stage=stage, organisation=org, user__language="en", **kwargs
        )

    mentors = [application(MENTOR, Stage.MATCHED, org) for org in (north, north, south)]
    declined_mentor = application(MENTOR, Stage.DECLINED, south)
    adepts = [application(ADEPT, Stage.MATCHED, org) for org in (south, south, north, north)]
    withdrawn = application(ADEPT, Stage.WITHDRAWN, south)
    StageChangeFactory(
        application=withdrawn, from_stage=Stage.UNDER_REVIEW, to_stage=Stage.ACCEPTED
    )
    StageChangeFactory(application=withdrawn, from_stage=Stage.MATCHED, to_stage=Stage.WITHDRAWN)
    waitlisted = application(ADEPT, Stage.WAITLISTED, north)
    application(ADEPT, Stage.DRAFT, north, submitted_at=None)
    for nominated in (mentors[0], mentors[1], adepts[0], adepts[1], adepts[2]):
        NominationFactory(application=nominated, nominated=True)
    NominationFactory(application=declined_mentor, nominated=False)

    for app in mentors + adepts + [withdrawn]:
        _participant(round_, app)

    def pair(mentor, adept, **kwargs):
        return PairFactory(
            round=round_,
            mentor=mentor,
            adept=adept,
            started_at=at(tenant, date(2025, 1, 20)),
            **kwargs,
        )

    ended = Pair.Status.ENDED
    active_1 = pair(mentors[0], adepts[0])
    active_2 = pair(mentors[1], adepts[1])
    changed_job = pair(
        mentors[2],
        adepts[2],
        status=ended,
        ended_at=at(tenant, date(2025, 6, 1)),
        end_reason=Pair.EndReason.CHANGED_JOB,
        end_note=PRIVATE_END_NOTE,
    )
    on_time = pair(
        mentors[2],
        adepts[3],
        status=ended,
        ended_at=at(tenant, date(2025, 12, 31), 15),
        end_reason=Pair.EndReason.BY_AGREEMENT,
    )
    pair(
        mentors[1],
        withdrawn,
        status=ended,
        ended_at=at(tenant, date(2025, 3, 1)),
        end_reason=Pair.EndReason.OTHER,
    )
    pair(mentors[0], waitlisted, status=Pair.Status.PROPOSED)
    _meetings(active_1, 5)
    _meetings(active_2, 4)
    _meetings(changed_job, 2)
    _meetings(on_time, 1)

    participants = list(Participant.objects.filter(round=round_).order_by("pk"))
    everyone = SharedMeetingFactory(
        round=round_, title="Uppstart", date=date(2025, 1, 15), audience=Audience.EVERYONE
    )
    mentors_day = SharedMeetingFactory(
        round=round_, title="Mentorsträff", date=date(2025, 4, 10), audience=Audience.MENTORS
    )
    SharedMeetingFactory(
        round=round_,
        title="Adepternas dag",
        date=timezone.localdate() + timedelta(days=400),
        audience=Audience.ADEPTS,
    )
    # Everyone's day: 6 yes (5 came), 1 no, 1 no answer.
    for index, participant in enumerate(participants[:7]):
        MeetingResponse.objects.create(
            tenant=tenant,
            meeting=everyone,
            participant=participant,
            attending=index < 6,
            attended=index < 5,
        )
    for participant in [p for p in participants if p.role == MENTOR][:2]:
        MeetingResponse.objects.create(
            tenant=tenant, meeting=mentors_day, participant=participant, attending=True
        )

    final = SurveyFactory(
        round=round_,
        title="Slututvärdering 2025",
        ask_goals=True,
        opens_at=at(tenant, date(2025, 12, 1)),
        closes_at=at(tenant, date(2025, 12, 20)),
    )
    relevance = SurveyQuestionFactory(
        survey=final, text="Svarade programmet mot ett behov du hade?", key="relevance-need"
    )
    useful = SurveyQuestionFactory(
        survey=final,
        criterion=Criterion.IMPLEMENTATION,
        kind=SurveyQuestion.Kind.MULTIPLE,
        text="Vad var mest givande?",
        choices=["Parets träffar", "Gemensamma träffar", "Nätverket"],
    )
    words = SurveyQuestionFactory(
        survey=final,
        criterion=Criterion.GOAL_FULFILMENT,
        kind=SurveyQuestion.Kind.TEXT,
        text="Vad har du tagit med dig?",
    )
    reached, partly, not_reached = (
        GoalRating.Rating.REACHED,
        GoalRating.Rating.PARTLY,
        GoalRating.Rating.NOT,
    )
    answers = [
        (MENTOR, 5, ["Parets träffar"], ("", False), [reached]),
        (MENTOR, 4, ["Parets träffar", "Nätverket"], ("", False), [partly]),
        (MENTOR, 4, ["Gemensamma träffar"], ("Ny energi i mitt eget ledarskap", False), [reached]),
        (ADEPT, 5, ["Parets träffar"], (QUOTE, False), [reached]),
        (ADEPT, 3, ["Nätverket"], (HIDDEN_QUOTE, True), [not_reached]),
        (ADEPT, 5, ["Parets träffar", "Gemensamma träffar"], ("", False), [reached]),
    ]
    for role, scale, chosen, text, goals in answers:
        values = {relevance: scale, useful: chosen}
        if text[0]:
            values[words] = text
        _response(final, role, values, goals)
    respondents = [p for p in participants if p.role == MENTOR][:3] + [
        p for p in participants if p.role == ADEPT
    ][:3]
    for participant in respondents:
        Respondent.objects.create(
            tenant=tenant, survey=final, user=participant.user, role=participant.role
        )

    midterm = SurveyFactory(
        round=round_,
        kind=Survey.Kind.MIDTERM,
        title="Avstämning i halvtid",
        opens_at=at(tenant, date(2025, 6, 1)),
        closes_at=at(tenant, date(2025, 6, 20)),
    )
    mid_question = SurveyQuestionFactory(survey=midterm, text="Hur går det i paret?")
    _response(midterm, MENTOR, {mid_question: 2})
    _response(midterm, ADEPT, {mid_question: 1})
    return SimpleNamespace(
        tenant=tenant,
        programme=programme,
        round=round_,
        north=north,
        south=south,
        final=final,
        midterm=midterm,
    )


@pytest.fixture
def report_world(tenant, coordinator, hr_contact, other_tenant, other_member, stranger):
    for user in (coordinator, hr_contact, other_member, stranger):
        user.language = "en"
        user.save()
    built = build_round(tenant)
    foreign = build_round(other_tenant, name="Främmande omgång")
    participant = Participant.objects.filter(round=built.round).select_related("user").first()
    return SimpleNamespace(
        **vars(built),
        coordinator=coordinator,
        hr_contact=hr_contact,
        participant=participant.user,
        other_tenant=other_tenant,
        other_member=other_member,
        stranger=stranger,
        foreign=foreign,
    )
