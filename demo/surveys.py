"""Surveys and their anonymous answers, shared by the tenants' stories.

Answers are written through the models as ``evaluation.services.submit_response`` would leave
them (a ``Respondent`` for who answered; responses with no person, no time and random keys),
since the service refuses closed surveys. A survey is get-or-create by (round, kind); its
answers are written only when it is created, so running ``seed_demo`` again changes nothing.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation

from applications.models import Application
from evaluation import services
from evaluation.models import (
    RELEASE_BATCH,
    GoalRating,
    Respondent,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from programmes.models import Participant, ParticipantRole, Programme, Round

MENTOR, ADEPT = ParticipantRole.MENTOR, ParticipantRole.ADEPT


def _at(tenant, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tenant.timezone))


def _round(tenant, programme_slug, name):
    programme = Programme.objects.filter(tenant=tenant, slug=programme_slug).first()
    if programme is None:
        return None
    return Round.objects.filter(tenant=tenant, programme=programme, name=name).first()


def _survey(tenant, round_, kind, *, title, opens_at, closes_at):
    """(survey, created): from the built-in questions, in Swedish, published."""
    existing = Survey.objects.filter(tenant=tenant, round=round_, kind=kind).first()
    if existing is not None:
        return existing, False
    with translation.override("sv"):
        survey = services.create_survey(
            tenant=tenant, actor=None, round_=round_, kind=kind, from_template=True, title=title
        )
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.status = Survey.Status.PUBLISHED
    survey.save()
    return survey, True


# Weighted scale answers: (values, weights) per level of satisfaction.
LEVELS = {
    "high": ([3, 4, 5], [1, 4, 6]),
    "good": ([2, 3, 4, 5], [1, 2, 5, 3]),
    "mixed": ([2, 3, 4, 5], [2, 3, 3, 1]),
}


QUOTES = {
    "goal-own-words": [
        "Man får ringat in sina utmaningar. Som chef och ledare känner jag mig mer lugn och trygg.",
        "Jag har vågat börja sätta tydliga gränser och kunna säga till mig själv – det där gjorde "
        "du bra.",
        "Mina medarbetare signalerar att de vet var de har mig. Jag har fått kollat kompassen.",
        "Har tidigare känt mig ganska ensam. Nu vågar jag mer och känner mig mer avslappnad. De "
        "förväntningarna har verkligen infriats.",
        "Att fortsätta skapa tid för reflektion blir lättare när jag ser att det betyder mycket "
        "för medarbetarna.",
        "Som mentor fick jag ny energi. Att coacha någon annan fick mig att se på mitt eget "
        "ledarskap med nya ögon.",
        "Jag delegerar mer och lägger in reflektionstid i kalendern – och håller i den.",
        "Ett år som gav perspektiv. Jag är tryggare i svåra samtal och planerar mina möten bättre.",
    ],
    "implementation-improve": [
        "Gärna lite längre tid i paren på de gemensamma träffarna.",
        "Skuggningen var lärorik – planera in den tidigare under året.",
        "Tydligare information om datum för alla träffar redan vid starten.",
        "Kärnkvadranten och domänteorin var bra, men det blev mycket teori på en eftermiddag.",
        "Bra att paren kom från olika kommuner, men resorna tog tid. Fler träffar digitalt?",
    ],
    "other-comments": [
        "Tack för ett välorganiserat år!",
        "Programmet borde erbjudas alla nya chefer i kommunerna.",
        "Organisatoriskt stöd och uppföljning efteråt behövs för att resultaten ska bestå.",
    ],
    "mid-good": [
        "Vi har hittat en bra rytm och samtalen känns förtroendefulla.",
        "Skönt att ha någon utanför den egna förvaltningen att bolla med.",
        "Spelreglerna vi satte vid första träffen har hjälpt oss.",
    ],
    "mid-develop": [
        "Vi behöver boka in träffarna längre fram, det är lätt att de skjuts upp.",
        "Jag vill bli bättre på att förbereda mig inför varje träff.",
    ],
}


def _value_for(question, rng, level):
    kind = question.kind
    if kind == SurveyQuestion.Kind.SCALE:
        values, weights = LEVELS[level]
        return {"number": rng.choices(values, weights)[0]}
    if kind == SurveyQuestion.Kind.SINGLE:
        weights = [4, 5, 2, 1, 1][: len(question.choices)]
        return {"choices": [rng.choices(question.choices, weights)[0]]}
    if kind == SurveyQuestion.Kind.MULTIPLE:
        count = rng.randint(1, min(3, len(question.choices)))
        picked = set(rng.sample(question.choices, count))
        return {"choices": [c for c in question.choices if c in picked]}
    quotes = QUOTES.get(question.key)
    if not quotes or rng.random() < 0.35:
        return None
    return {"text": rng.choice(quotes)}


def _answer_all(survey, people, *, rng, level, goal_weights=None, window):
    """people: [(user, role)]. Writes Respondent, SurveyResponse, answers and goal ratings."""
    tenant = survey.tenant
    questions = list(SurveyQuestion.objects.filter(survey=survey, hidden_at__isnull=True))
    motivations = set(
        Application.objects.filter(tenant=tenant, round_id=survey.round_id)
        .exclude(motivation="")
        .values_list("user_id", "role")
    )
    start, end = window
    span = max(int((end - start).total_seconds()), 3600)
    respondents, responses, answers, ratings = [], [], [], []
    for user, role in people:
        answered_at = start + timedelta(seconds=rng.randrange(0, span))
        respondents.append(
            Respondent(tenant=tenant, survey=survey, user=user, role=role, answered_at=answered_at)
        )
        response = SurveyResponse(tenant=tenant, survey=survey, role=role)
        responses.append(response)
        for question in questions:
            if not question.asked_of(role):
                continue
            value = _value_for(question, rng, level)
            if value is not None:
                answers.append(
                    SurveyAnswer(tenant=tenant, response=response, question=question, **value)
                )
        if survey.ask_goals and goal_weights:
            source = (
                GoalRating.Source.APPLICATION
                if (user.pk, role) in motivations
                else GoalRating.Source.GENERAL
            )
            rating = rng.choices(["reached", "partly", "not"], goal_weights)[0]
            ratings.append(
                GoalRating(tenant=tenant, response=response, source=source, rating=rating)
            )
    Respondent.objects.bulk_create(respondents)
    # Shuffled, so that nothing in the rows' order follows the respondents' order.
    rng.shuffle(responses)
    # Released as the service would have: whole batches of RELEASE_BATCH.
    for response in responses[: len(responses) - len(responses) % RELEASE_BATCH]:
        response.released = True
    SurveyResponse.objects.bulk_create(responses)
    SurveyAnswer.objects.bulk_create(answers)
    GoalRating.objects.bulk_create(ratings)
    return len(responses)


def _people(round_, *, skip_per_role=0, rng):
    """[(user, role)] of the round's participants, leaving out ``skip_per_role`` of each role."""
    by_role = {MENTOR: [], ADEPT: []}
    for p in (
        Participant.objects.filter(round=round_).select_related("user").order_by("user__email")
    ):
        by_role[p.role].append((p.user, p.role))
    out = []
    for role in (MENTOR, ADEPT):
        people = list(by_role[role])
        rng.shuffle(people)
        keep = max(len(people) - skip_per_role, min(3, len(people)))
        out += people[:keep]
    return out
