"""Survey results as plain dataclasses, for the results page, the round report and statistics.

Anonymity rules, applied here so that no page or PDF can get them wrong:

- A *group* is the set of responses that were asked a question: everyone, or the mentors, or
  the adepts. A group smaller than the survey's ``results_min_group`` (3 at least) is
  *withheld*: its counts, mean and texts are not even put into the result.
- The split by role is withheld for every role as soon as one asked role is withheld;
  otherwise the small group could be worked out by subtracting the large one from the total.
- Free-text answers come without names (responses have none) and without those the
  coordinator hid, unless ``include_hidden`` (the coordinator's own page, to undo a hide).
- Only *released* responses count, everywhere (``released_q``): a response is released in a
  batch of at least three new ones (``services.release_batches``) or when the survey closes, so
  one person's answer never changes the results on its own. The "answered" count is the number
  of released responses too (not the ``Respondent`` rows), since a count that moves alone with
  each answer would date the next batch's answers.

Every function reads in a fixed number of queries, whatever the number of answers.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Participant, ParticipantRole, Round

from .models import (
    SCALE,
    Criterion,
    GoalRating,
    QuestionAudience,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)

ROLES = (ParticipantRole.MENTOR.value, ParticipantRole.ADEPT.value)
CRITERIA_ORDER = [c.value for c in Criterion]
RATINGS = [r.value for r in GoalRating.Rating]


def scale_labels():
    return {
        1: _("1 – not at all"),
        2: "2",
        3: "3",
        4: "4",
        5: _("5 – to a very high degree"),
    }


@dataclass
class Option:
    value: str
    label: str
    count: int


@dataclass
class Distribution:
    n: int = 0
    withheld: bool = False
    options: list = field(default_factory=list)
    mean: float | None = None


@dataclass
class FreeText:
    id: str
    text: str
    hidden: bool


@dataclass
class RoundPoint:
    round_id: int
    round_name: str
    survey_id: int
    n: int
    withheld: bool
    mean: float | None
    current: bool = False


@dataclass
class QuestionResult:
    id: int
    key: str
    text: str
    criterion: str
    criterion_label: str
    kind: str
    audience: str
    hidden: bool
    group_size: int
    total: Distribution
    by_role: dict
    split_withheld: bool
    texts: list = field(default_factory=list)
    hidden_texts: int = 0
    comparison: list = field(default_factory=list)

    @property
    def is_scale(self):
        return self.kind == SurveyQuestion.Kind.SCALE

    @property
    def is_text(self):
        return self.kind == SurveyQuestion.Kind.TEXT


@dataclass
class CriterionGroup:
    criterion: str
    label: str
    questions: list


@dataclass
class GoalSummary:
    n: int = 0
    withheld: bool = True
    counts: dict = field(default_factory=dict)
    by_role: dict = field(default_factory=dict)
    by_source: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    min_group: int = 3
    split_withheld: bool = True

    @property
    def rows(self):
        """[(value, label, count)] in the order reached, partly, not."""
        return [(r, self.labels.get(r, r), self.counts.get(r, 0)) for r in RATINGS]


@dataclass
class SurveyResults:
    survey: Survey
    min_group: int
    phase: str
    invited: dict
    answered: dict
    responses: dict
    response_rate: int | None
    withheld: bool
    groups: list
    questions: list
    goals: GoalSummary


@dataclass
class RoundResults:
    round: Round
    surveys: list
    final: SurveyResults | None
    midterm: SurveyResults | None
    goals: GoalSummary


@dataclass
class Trend:
    key: str
    text: str
    criterion: str
    criterion_label: str
    points: list


# --- helpers -------------------------------------------------------------------------------


def released_q(prefix="", now=None):
    """The responses that results may use: released in a batch, or of a survey that has closed
    (then all are). ``prefix`` leads from the queried model to the response ("response__")."""
    now = now or timezone.now()
    return Q(**{f"{prefix}released": True}) | Q(
        **{
            f"{prefix}survey__status": Survey.Status.PUBLISHED,
            f"{prefix}survey__closes_at__lte": now,
        }
    )


def _roles_asked(question_audience, survey_roles):
    roles = set(ROLES) if question_audience == QuestionAudience.BOTH else {question_audience}
    return [r for r in ROLES if r in roles and r in survey_roles]


def _by_role_counts(rows, key="role"):
    counts = dict.fromkeys(ROLES, 0)
    for row in rows:
        counts[row[key]] = row["n"]
    counts["total"] = sum(counts[r] for r in ROLES)
    return counts


def _distribution(*, kind, choices, counter, n, withheld):
    if withheld:
        return Distribution(n=n, withheld=True, options=[], mean=None)
    options = []
    mean = None
    if kind == SurveyQuestion.Kind.SCALE:
        labels = scale_labels()
        options = [Option(value=str(v), label=labels[v], count=counter.get(v, 0)) for v in SCALE]
        answered = sum(counter.get(v, 0) for v in SCALE)
        if answered:
            mean = sum(v * counter.get(v, 0) for v in SCALE) / answered
    elif kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
        known = list(choices or [])
        options = [Option(value=c, label=c, count=counter.get(c, 0)) for c in known]
        # Answers to a choice that no longer exists keep being counted, not lost.
        for value, count in sorted(counter.items(), key=lambda item: str(item[0])):
            if value not in known:
                options.append(Option(value=str(value), label=str(value), count=count))
    return Distribution(n=n, withheld=False, options=options, mean=mean)


def _responses_by_survey_role(*, tenant, survey_ids):
    rows = (
        SurveyResponse.objects.filter(tenant=tenant, survey_id__in=survey_ids)
        .filter(released_q())
        .values("survey_id", "role")
        .annotate(n=Count("id"))
    )
    out = defaultdict(lambda: dict.fromkeys(ROLES, 0))
    for row in rows:
        out[row["survey_id"]][row["role"]] = row["n"]
    return out


def _group(responses_by_role, roles):
    return sum(responses_by_role.get(r, 0) for r in roles)


def _earlier_rounds_q(round_):
    if round_.starts_on:
        return Q(round__starts_on__lt=round_.starts_on) | Q(
            round__starts_on=round_.starts_on, round__id__lt=round_.pk
        )
    return Q(round__id__lt=round_.pk)


def _keyed_points(*, tenant, surveys, keys, min_groups):
    """{key: [RoundPoint]} for scale questions with these keys in these surveys."""
    if not keys or not surveys:
        return {}
    survey_by_id = {s.pk: s for s in surveys}
    questions = list(
        SurveyQuestion.objects.filter(
            tenant=tenant,
            survey_id__in=survey_by_id,
            key__in=keys,
            kind=SurveyQuestion.Kind.SCALE,
        ).values("id", "key", "survey_id", "audience")
    )
    if not questions:
        return {}
    sums = {
        row["question_id"]: row
        for row in SurveyAnswer.objects.filter(
            tenant=tenant, question_id__in=[q["id"] for q in questions], number__isnull=False
        )
        .filter(released_q("response__"))
        .values("question_id")
        .annotate(n=Count("id"), total=Sum("number"))
    }
    responses = _responses_by_survey_role(tenant=tenant, survey_ids=list(survey_by_id))
    points = defaultdict(list)
    seen = set()
    for q in questions:
        if (q["key"], q["survey_id"]) in seen:
            continue
        seen.add((q["key"], q["survey_id"]))
        survey = survey_by_id[q["survey_id"]]
        group = _group(responses[survey.pk], _roles_asked(q["audience"], survey.roles))
        withheld = group < min_groups.get(survey.pk, 3)
        agg = sums.get(q["id"], {"n": 0, "total": 0})
        mean = None
        if not withheld and agg["n"]:
            mean = agg["total"] / agg["n"]
        points[q["key"]].append(
            RoundPoint(
                round_id=survey.round_id,
                round_name=survey.round.name,
                survey_id=survey.pk,
                n=agg["n"] if not withheld else 0,
                withheld=withheld,
                mean=mean,
            )
        )
    order = {s.pk: index for index, s in enumerate(surveys)}
    for key in points:
        points[key].sort(key=lambda p: order[p.survey_id])
    return points


def _round_order(survey):
    r = survey.round
    return (
        r.starts_on is None,
        r.starts_on,
        r.pk,
        survey.opens_at is None,
        survey.opens_at,
        survey.pk,
    )


# --- goals ---------------------------------------------------------------------------------


def _goal_summary(*, tenant, surveys, min_group):
    labels = {r.value: str(r.label) for r in GoalRating.Rating}
    survey_ids = [s.pk for s in surveys]
    summary = GoalSummary(labels=labels, min_group=min_group)
    if not survey_ids:
        return summary
    people = _by_role_counts(
        SurveyResponse.objects.filter(
            tenant=tenant, survey_id__in=survey_ids, goal_ratings__isnull=False
        )
        .filter(released_q())
        .values("role")
        .annotate(n=Count("id", distinct=True))
    )
    rows = list(
        GoalRating.objects.filter(tenant=tenant, response__survey_id__in=survey_ids)
        .filter(released_q("response__"))
        .values("response__role", "source", "rating")
        .annotate(n=Count("id"))
    )
    summary.n = people["total"]
    summary.withheld = summary.n < min_group
    present_roles = [r for r in ROLES if people[r]]
    summary.split_withheld = summary.withheld or any(people[r] < min_group for r in present_roles)
    if summary.withheld:
        return summary
    counts = Counter()
    by_role = {r: Counter() for r in ROLES}
    by_source = defaultdict(Counter)
    for row in rows:
        counts[row["rating"]] += row["n"]
        by_role[row["response__role"]][row["rating"]] += row["n"]
        by_source[row["source"]][row["rating"]] += row["n"]
    summary.counts = {r: counts.get(r, 0) for r in RATINGS}
    summary.by_source = {
        source: {r: c.get(r, 0) for r in RATINGS} for source, c in by_source.items()
    }
    for role in present_roles:
        withheld = summary.split_withheld
        summary.by_role[role] = {
            "n": people[role],
            "withheld": withheld,
            "counts": {} if withheld else {r: by_role[role].get(r, 0) for r in RATINGS},
        }
    return summary


# --- the public API ------------------------------------------------------------------------


def survey_results(*, tenant, survey, include_hidden=False, with_comparison=True):
    """The results of one survey (see the module's rules on withholding)."""
    min_group = max(survey.results_min_group or 3, 3)
    survey_roles = survey.roles
    questions = list(SurveyQuestion.objects.filter(tenant=tenant, survey=survey))
    invited = _by_role_counts(
        Participant.objects.filter(tenant=tenant, round_id=survey.round_id, role__in=survey_roles)
        .values("role")
        .annotate(n=Count("id"))
    )
    responses = _by_role_counts(
        SurveyResponse.objects.filter(tenant=tenant, survey=survey)
        .filter(released_q())
        .values("role")
        .annotate(n=Count("id"))
    )
    answered = responses
    withheld_all = responses["total"] < min_group

    # Scale answers aggregated in the database; choices and texts read as rows (both grow only
    # with the answers of their own kind, in one query each).
    numbers = defaultdict(Counter)
    choices = defaultdict(Counter)
    answer_counts = defaultdict(Counter)
    texts = defaultdict(list)
    hidden_texts = Counter()
    if not withheld_all:
        for row in (
            SurveyAnswer.objects.filter(
                tenant=tenant, question__survey=survey, question__kind=SurveyQuestion.Kind.SCALE
            )
            .filter(released_q("response__"))
            .exclude(number__isnull=True)
            .values("question_id", "response__role", "number")
            .annotate(n=Count("id"))
        ):
            numbers[(row["question_id"], row["response__role"])][row["number"]] += row["n"]
            answer_counts[row["question_id"]][row["response__role"]] += row["n"]
        for qid, role, chosen in (
            SurveyAnswer.objects.filter(
                tenant=tenant,
                question__survey=survey,
                question__kind__in=[SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE],
            )
            .filter(released_q("response__"))
            .values_list("question_id", "response__role", "choices")
        ):
            if chosen:
                answer_counts[qid][role] += 1
                for value in chosen:
                    choices[(qid, role)][value] += 1
        for answer_id, qid, role, text, hidden in (
            SurveyAnswer.objects.filter(
                tenant=tenant, question__survey=survey, question__kind=SurveyQuestion.Kind.TEXT
            )
            .filter(released_q("response__"))
            .exclude(text="")
            # Random keys: this order says nothing about who answered when.
            .order_by("id")
            .values_list("id", "question_id", "response__role", "text", "text_hidden")
        ):
            answer_counts[qid][role] += 1
            if hidden:
                hidden_texts[qid] += 1
                if not include_hidden:
                    continue
            texts[qid].append(FreeText(id=str(answer_id), text=text, hidden=hidden))

    comparison = {}
    if with_comparison and not withheld_all:
        keys = {q.key for q in questions if q.key and q.kind == SurveyQuestion.Kind.SCALE}
        earlier = list(
            Survey.objects.filter(
                tenant=tenant,
                round__programme_id=survey.round.programme_id,
                kind=survey.kind,
                status=Survey.Status.PUBLISHED,
            )
            .filter(_earlier_rounds_q(survey.round))
            .exclude(round_id=survey.round_id)
            .select_related("round")
        )
        earlier.sort(key=_round_order)
        comparison = _keyed_points(
            tenant=tenant,
            surveys=earlier,
            keys=keys,
            min_groups={s.pk: max(s.results_min_group, 3) for s in earlier},
        )

    criterion_labels = dict(Criterion.choices)
    results = []
    for q in questions:
        count = sum(answer_counts[q.pk].values())
        if q.is_hidden and not count:
            continue
        roles = _roles_asked(q.audience, survey_roles)
        group = _group(responses, roles)
        q_withheld = withheld_all or group < min_group
        split_withheld = q_withheld or any(responses[r] < min_group for r in roles)
        merged = Counter()
        source = numbers if q.kind == SurveyQuestion.Kind.SCALE else choices
        for r in roles:
            merged.update(source.get((q.pk, r), Counter()))
        total = _distribution(
            kind=q.kind,
            choices=q.choices,
            counter=merged,
            n=0 if q_withheld else count,
            withheld=q_withheld,
        )
        by_role = {}
        if len(roles) > 1:
            for r in roles:
                by_role[r] = _distribution(
                    kind=q.kind,
                    choices=q.choices,
                    counter=source.get((q.pk, r), Counter()),
                    n=0 if split_withheld else answer_counts[q.pk][r],
                    withheld=split_withheld,
                )
        points = []
        if q.key and q.kind == SurveyQuestion.Kind.SCALE and not q_withheld:
            points = list(comparison.get(q.key, []))
            points.append(
                RoundPoint(
                    round_id=survey.round_id,
                    round_name=survey.round.name,
                    survey_id=survey.pk,
                    n=total.n,
                    withheld=False,
                    mean=total.mean,
                    current=True,
                )
            )
            if len(points) < 2:
                points = []
        results.append(
            QuestionResult(
                id=q.pk,
                key=q.key,
                text=q.text,
                criterion=q.criterion,
                criterion_label=str(criterion_labels.get(q.criterion, q.criterion)),
                kind=q.kind,
                audience=q.audience,
                hidden=q.is_hidden,
                group_size=group,
                total=total,
                by_role=by_role,
                split_withheld=split_withheld,
                texts=[] if q_withheld else texts.get(q.pk, []),
                hidden_texts=0 if q_withheld else hidden_texts[q.pk],
                comparison=points,
            )
        )
    groups = []
    for criterion in CRITERIA_ORDER:
        items = [r for r in results if r.criterion == criterion]
        if items:
            groups.append(
                CriterionGroup(
                    criterion=criterion, label=str(criterion_labels[criterion]), questions=items
                )
            )
    rate = None
    if invited["total"]:
        rate = round(100 * min(answered["total"], invited["total"]) / invited["total"])
    return SurveyResults(
        survey=survey,
        min_group=min_group,
        phase=survey.phase(),
        invited=invited,
        answered=answered,
        responses=responses,
        response_rate=rate,
        withheld=withheld_all,
        groups=groups,
        questions=results,
        goals=_goal_summary(tenant=tenant, surveys=[survey], min_group=min_group),
    )


def _published_surveys(*, tenant, round_):
    return list(
        Survey.objects.filter(tenant=tenant, round=round_, status=Survey.Status.PUBLISHED)
        .select_related("round", "round__programme")
        .order_by("opens_at", "id")
    )


def goal_summary(*, tenant, round_):
    """Goal fulfilment per person, in aggregate, over the round's published surveys."""
    surveys = _published_surveys(tenant=tenant, round_=round_)
    min_group = max([s.results_min_group for s in surveys] + [3])
    return _goal_summary(tenant=tenant, surveys=surveys, min_group=min_group)


def round_results(*, tenant, round_):
    """Every published survey of the round, the latest final and mid-term one, and goals."""
    surveys = [
        survey_results(tenant=tenant, survey=s)
        for s in _published_surveys(tenant=tenant, round_=round_)
    ]
    finals = [s for s in surveys if s.survey.kind == Survey.Kind.FINAL]
    midterms = [s for s in surveys if s.survey.kind == Survey.Kind.MIDTERM]
    return RoundResults(
        round=round_,
        surveys=surveys,
        final=finals[-1] if finals else None,
        midterm=midterms[-1] if midterms else None,
        goals=goal_summary(tenant=tenant, round_=round_),
    )


def programme_trends(*, tenant, programme, kind=Survey.Kind.FINAL):
    """The built-in (keyed) scale questions across the programme's rounds, oldest first."""
    surveys = list(
        Survey.objects.filter(
            tenant=tenant, round__programme=programme, kind=kind, status=Survey.Status.PUBLISHED
        ).select_related("round")
    )
    surveys.sort(key=_round_order)
    questions = list(
        SurveyQuestion.objects.filter(
            tenant=tenant,
            survey__in=[s.pk for s in surveys],
            kind=SurveyQuestion.Kind.SCALE,
        )
        .exclude(key="")
        .values("key", "text", "criterion", "survey_id")
    )
    # The newest wording of each key names the trend.
    order = {s.pk: index for index, s in enumerate(surveys)}
    naming = {}
    for q in sorted(questions, key=lambda q: order[q["survey_id"]]):
        naming[q["key"]] = q
    points = _keyed_points(
        tenant=tenant,
        surveys=surveys,
        keys=set(naming),
        min_groups={s.pk: max(s.results_min_group, 3) for s in surveys},
    )
    labels = dict(Criterion.choices)
    trends = []
    for key, q in naming.items():
        trends.append(
            Trend(
                key=key,
                text=q["text"],
                criterion=q["criterion"],
                criterion_label=str(labels.get(q["criterion"], q["criterion"])),
                points=points.get(key, []),
            )
        )
    trends.sort(key=lambda t: (CRITERIA_ORDER.index(t.criterion), t.key))
    return trends
