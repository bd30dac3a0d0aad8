"""The round report: the figures of one round in the structure of the seed-002 evaluation report
(participation, implementation, the survey results, the coordinator's conclusions), shown on the
coordinator's report page and printed as a PDF by a background job (tasks.make_round_report).

Everything is counts: no names, no private notes, no free text except the survey quotes the
coordinator has not hidden and the conclusions they wrote themselves. Each section is built in a
fixed number of queries, whatever the number of pairs, days or answers.
"""

import logging
import math
import re
import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint.text.fonts import FontConfiguration

from applications.models import Application, Nomination, StageChange
from evaluation.models import MIN_GROUP, Survey
from evaluation.results import round_results
from mentorship.charts import bar_chart_svg, grouped_bar_chart_svg
from mentorship.exporting import pdf_document, write_pdf
from organisations import activity
from organisations.jobs import run_pdf_job
from organisations.models import ExportJob
from organisations.services import log_activity
from pairs.models import Pair
from programmes.models import (
    Audience,
    MeetingResponse,
    Participant,
    ParticipantRole,
    Round,
    SharedMeeting,
)

logger = logging.getLogger(__name__)
Stage = Application.Stage

CONCLUSIONS_SAVED = "round.report_conclusions_saved"
REPORT_EXPORTED = "evaluation.report_exported"
REPORT_DOWNLOADED = "evaluation.report_downloaded"
STATISTICS_EXPORTED = "evaluation.statistics_exported"
REPORT_KEEP = timedelta(hours=24)
PDF_CHART_SCALE = 0.8

activity.register(
    {
        CONCLUSIONS_SAVED: gettext_lazy("Conclusions of the round report saved"),
        REPORT_EXPORTED: gettext_lazy("Round report made (PDF)"),
        REPORT_DOWNLOADED: gettext_lazy("Round report downloaded"),
        STATISTICS_EXPORTED: gettext_lazy("Programme statistics exported"),
    }
)

ACCEPTED_STAGES = (Stage.ACCEPTED, Stage.MATCHED)
REPORTED_PAIRS = (Pair.Status.ACTIVE, Pair.Status.ENDED)


def _role_counts():
    return {ParticipantRole.MENTOR.value: 0, ParticipantRole.ADEPT.value: 0}


def round_is_over(round_, today=None):
    """The round's official part is over: its end date has passed, or it is closed."""
    today = today or timezone.localdate()
    if round_.status in (Round.Status.CLOSED, Round.Status.ARCHIVED):
        return True
    return bool(round_.ends_on and round_.ends_on < today)


# --- participation ----------------------------------------------------------------------------


def application_flags():
    """Annotations telling whether an application was ever nominated or accepted (a later
    withdrawal does not undo that it happened)."""
    history = StageChange.objects.filter(application=OuterRef("pk"))
    return {
        "ever_nominated": Exists(history.filter(to_stage=Stage.NOMINATED))
        | Exists(Nomination.objects.filter(application=OuterRef("pk"), nominated=True)),
        "ever_accepted": Exists(history.filter(to_stage__in=ACCEPTED_STAGES)),
    }


def application_counts():
    """Aggregates over submitted applications: how many, nominated, accepted, withdrawn."""
    return {
        "applications": Count("id"),
        "nominated": Count("id", filter=Q(ever_nominated=True) | Q(stage=Stage.NOMINATED)),
        "accepted": Count("id", filter=Q(ever_accepted=True) | Q(stage__in=ACCEPTED_STAGES)),
        "withdrawn": Count("id", filter=Q(stage=Stage.WITHDRAWN)),
    }


def submitted_applications(*, tenant):
    return (
        Application.objects.filter(tenant=tenant)
        .exclude(stage=Stage.DRAFT)
        .annotate(**application_flags())
    )


def pair_counts(round_field="round__ends_on"):
    """Aggregates over a round's pairs: completed (active, or ended on or after the round's
    end) and ended early (before the end, or with no end date set)."""
    ended = Q(status=Pair.Status.ENDED)
    early = ended & (Q(**{f"{round_field}__isnull": True}) | Q(ended_at__date__lt=F(round_field)))
    return {
        "pairs": Count("id"),
        "active": Count("id", filter=Q(status=Pair.Status.ACTIVE)),
        "ended_on_time": Count("id", filter=ended & ~early),
        "ended_early": Count("id", filter=early),
    }


def participation(*, tenant, round_):
    """Applications, nominated, accepted, participants by role; pairs, completed, ended early
    and why (3 queries)."""
    rows = (
        submitted_applications(tenant=tenant)
        .filter(round=round_)
        .values("role")
        .annotate(**application_counts())
        .order_by("role")
    )
    by_role = {
        key: _role_counts() for key in ("applications", "nominated", "accepted", "withdrawn")
    }
    for row in rows:
        for key in by_role:
            by_role[key][row["role"]] = row[key]

    participants = _role_counts()
    for role, n in (
        Participant.objects.filter(tenant=tenant, round=round_)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    ):
        participants[role] = n

    pairs = {"pairs": 0, "active": 0, "ended_on_time": 0, "ended_early": 0}
    reasons = {}
    for row in (
        Pair.objects.filter(tenant=tenant, round=round_, status__in=REPORTED_PAIRS)
        .values("end_reason")
        .annotate(**pair_counts())
        .order_by("end_reason")
    ):
        for key in pairs:
            pairs[key] += row[key]
        if row["ended_early"]:
            reasons[row["end_reason"]] = reasons.get(row["end_reason"], 0) + row["ended_early"]

    over = round_is_over(round_)
    labels = dict(Pair.EndReason.choices)
    figures = [
        ("applications", _("Applications"), by_role["applications"]),
    ]
    if round_.requires_nomination or sum(by_role["nominated"].values()):
        figures.append(("nominated", _("Nominated by their organisation"), by_role["nominated"]))
    figures += [
        ("accepted", _("Accepted"), by_role["accepted"]),
        ("participants", _("Participants"), participants),
    ]
    if sum(by_role["withdrawn"].values()):
        figures.append(("withdrawn", _("Withdrew"), by_role["withdrawn"]))
    return {
        "rows": [
            {
                "key": key,
                "label": label,
                "mentors": counts[ParticipantRole.MENTOR],
                "adepts": counts[ParticipantRole.ADEPT],
                "total": sum(counts.values()),
            }
            for key, label, counts in figures
        ],
        "applications": sum(by_role["applications"].values()),
        "nominated": sum(by_role["nominated"].values()),
        "accepted": sum(by_role["accepted"].values()),
        "participants": sum(participants.values()),
        "pairs": pairs["pairs"],
        # At the round's end an active pair has completed the programme; before it, it is
        # still running.
        "completed": pairs["ended_on_time"] + (pairs["active"] if over else 0),
        "still_active": 0 if over else pairs["active"],
        "ended_early": pairs["ended_early"],
        "end_reasons": sorted(
            (
                {"reason": str(labels.get(reason, reason) or _("No reason given")), "count": n}
                for reason, n in reasons.items()
            ),
            key=lambda r: (-r["count"], str(r["reason"])),
        ),
        "round_over": over,
        "max_pairs": round_.max_pairs,
    }


# --- pair meetings against the cadence --------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    low: int
    high: int | None  # None: "or more"

    def label(self):
        if self.high is None:
            return _("%(n)s or more") % {"n": self.low}
        if self.low == self.high:
            return str(self.low)
        return f"{self.low}–{self.high}"

    def holds(self, n):
        return n >= self.low and (self.high is None or n <= self.high)


def meeting_buckets(minimum):
    """0, then ranges up to the round's minimum (at most four), then "minimum or more".
    With no minimum set: 0, 1–2, 3–5, 6–9, 10 or more."""
    if not minimum:
        return [Bucket(0, 0), Bucket(1, 2), Bucket(3, 5), Bucket(6, 9), Bucket(10, None)]
    buckets = [Bucket(0, 0)]
    below = minimum - 1  # 1 .. minimum-1 are "some, not enough"
    if below >= 1:
        width = max(2, math.ceil(below / 4)) if below > 2 else 1
        low = 1
        while low <= below:
            high = min(below, low + width - 1)
            buckets.append(Bucket(low, high))
            low = high + 1
    buckets.append(Bucket(minimum, None))
    return buckets


def pair_meetings(*, tenant, round_):
    """How many times each pair met (counts only, 1 query): the distribution, median, mean and
    the share of pairs that reached the round's minimum."""
    rows = list(
        Pair.objects.filter(tenant=tenant, round=round_, status__in=REPORTED_PAIRS)
        .annotate(
            n=Count("meetings", filter=Q(meetings__tenant=tenant)),
            minutes=Sum("meetings__minutes", filter=Q(meetings__tenant=tenant)),
        )
        .values_list("n", "minutes")
        .order_by()
    )
    counts = sorted(n for n, _minutes in rows)
    minimum = round_.min_pair_meetings
    buckets = meeting_buckets(minimum)
    total_pairs = len(counts)
    distribution = []
    for bucket in buckets:
        n = sum(1 for c in counts if bucket.holds(c))
        distribution.append(
            {
                "label": bucket.label(),
                "pairs": n,
                "percent": round(100 * n / total_pairs) if total_pairs else 0,
                "reaches_minimum": bool(minimum) and bucket.low >= minimum,
            }
        )
    reached = sum(1 for c in counts if minimum and c >= minimum)
    total_minutes = sum(m or 0 for _n, m in rows)
    total_meetings = sum(counts)
    return {
        "pairs": total_pairs,
        "meetings": total_meetings,
        "median": statistics.median(counts) if counts else None,
        "mean": round(total_meetings / total_pairs, 1) if total_pairs else None,
        "hours": round(total_minutes / 60, 1),
        "mean_minutes": round(total_minutes / total_meetings) if total_meetings else None,
        "minimum": minimum,
        "reached": reached,
        "reached_percent": round(100 * reached / total_pairs) if total_pairs and minimum else None,
        "cadence_text": round_.cadence_text,
        "planned_minutes": round_.pair_meeting_minutes,
        "distribution": distribution,
        "chart": bar_chart_svg(
            labels=[row["label"] for row in distribution],
            values=[row["pairs"] for row in distribution],
            title=_("Pairs by the number of meetings they logged"),
        )
        if total_pairs
        else "",
    }


# --- shared days ------------------------------------------------------------------------------


def shared_days(*, tenant, round_, today=None):
    """Each shared day: invited (its audience among the round's participants), answered yes,
    answered no, attended (when attendance was marked). 3 queries."""
    today = today or timezone.localdate()
    by_role = _role_counts()
    for role, n in (
        Participant.objects.filter(tenant=tenant, round=round_)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    ):
        by_role[role] = n
    answers = {
        row["meeting_id"]: row
        for row in MeetingResponse.objects.filter(tenant=tenant, meeting__round=round_)
        .values("meeting_id")
        .annotate(
            n_yes=Count("id", filter=Q(attending=True)),
            n_no=Count("id", filter=Q(attending=False)),
            n_attended=Count("id", filter=Q(attended=True)),
            n_marked=Count("id", filter=Q(attended__isnull=False)),
        )
        .order_by()
    }
    days = []
    for meeting in SharedMeeting.objects.filter(tenant=tenant, round=round_).order_by(
        "date", "starts_at", "pk"
    ):
        invited = sum(by_role[r] for r in Audience.roles(meeting.audience))
        row = answers.get(meeting.pk, {})
        marked = row.get("n_marked", 0)
        attended = row.get("n_attended", 0) if marked else None
        days.append(
            {
                "title": meeting.title,
                "date": meeting.date,
                "audience": meeting.get_audience_display(),
                "invited": invited,
                "yes": row.get("n_yes", 0),
                "no": row.get("n_no", 0),
                "attended": attended,
                "attended_percent": round(100 * attended / invited)
                if attended is not None and invited
                else None,
                "past": meeting.date < today,
            }
        )
    marked_days = [d for d in days if d["attended"] is not None]
    chart = ""
    if days:
        series = [
            (_("Invited"), [d["invited"] for d in days]),
            (_("Answered yes"), [d["yes"] for d in days]),
        ]
        if marked_days:
            series.append((_("Attended"), [d["attended"] or 0 for d in days]))
        chart = grouped_bar_chart_svg(
            labels=[f"{d['date']:%Y-%m-%d}" for d in days],
            series=series,
            title=_("Attendance at each shared meeting day"),
        )
    return {
        "chart": chart,
        "days": days,
        "count": len(days),
        "marked": len(marked_days),
        "mean_attended_percent": round(
            sum(d["attended_percent"] or 0 for d in marked_days) / len(marked_days)
        )
        if marked_days
        else None,
    }


# --- the surveys -----------------------------------------------------------------------------


def _role_cell(distribution, index):
    if distribution is None or distribution.withheld or index >= len(distribution.options):
        return None
    return distribution.options[index].count


def quotes_of(texts):
    """The free texts the coordinator has not hidden, each wording once (in the order given)
    with how many gave it: [{"text": str, "count": int}]."""
    seen = {}
    for text in texts:
        if text.hidden:
            continue
        key = " ".join(text.text.split())
        if key in seen:
            seen[key]["count"] += 1
        else:
            seen[key] = {"text": text.text.strip(), "count": 1}
    return list(seen.values())


def question_block(result):
    """One question's figures for the report: a chart and a table for scale and choice
    questions; the quotes (free texts the coordinator has not hidden) for text questions.
    A withheld group (under the survey's threshold) keeps only the fact that it is withheld."""
    block = {
        "text": result.text,
        "kind": result.kind,
        "is_text": result.is_text,
        "n": result.total.n,
        "withheld": result.total.withheld,
        "split_withheld": result.split_withheld,
        "roles": list(result.by_role),
        "mean": result.total.mean,
        "comparison": [p for p in result.comparison if not p.current and not p.withheld],
        "rows": [],
        "chart": "",
        "quotes": quotes_of(result.texts),
    }
    if result.is_text or result.total.withheld:
        return block
    mentor = result.by_role.get(ParticipantRole.MENTOR.value)
    adept = result.by_role.get(ParticipantRole.ADEPT.value)
    for index, option in enumerate(result.total.options):
        block["rows"].append(
            {
                "label": option.label,
                "count": option.count,
                "mentors": _role_cell(mentor, index),
                "adepts": _role_cell(adept, index),
            }
        )
    if result.total.options:
        block["chart"] = bar_chart_svg(
            labels=[o.label for o in result.total.options],
            values=[o.count for o in result.total.options],
            title=result.text,
        )
    return block


def survey_block(results):
    survey = results.survey
    groups = []
    for group in results.groups:
        questions = [question_block(q) for q in group.questions if not q.hidden]
        if not questions:
            continue
        groups.append(
            {
                "label": group.label,
                "criterion": group.criterion,
                "figures": [q for q in questions if not q["is_text"]],
                "texts": [q for q in questions if q["is_text"]],
            }
        )
    return {
        "title": survey.title,
        "kind": survey.get_kind_display(),
        "phase": results.phase,
        "phase_label": Survey.Phase(results.phase).label,
        "closes_at": survey.closes_at,
        "invited": results.invited,
        "answered": results.answered,
        "response_rate": results.response_rate,
        "withheld": results.withheld,
        "min_group": results.min_group,
        "groups": [] if results.withheld else groups,
        "quotes": sum(len(q["quotes"]) for g in groups for q in g["texts"]),
    }


def goals_block(summary):
    """How far the participants reached their own goals (ratings only, never the goals)."""
    block = {
        "n": summary.n,
        "withheld": summary.withheld,
        "min_group": summary.min_group,
        "roles": [],
        "rows": [],
        "chart": "",
    }
    if summary.withheld:
        return block
    names = {
        ParticipantRole.MENTOR.value: _("Mentors"),
        ParticipantRole.ADEPT.value: _("Adepts"),
    }
    roles = [] if summary.split_withheld else list(summary.by_role)
    block["roles"] = [names.get(role, role) for role in roles]
    for value, label, count in summary.rows:
        block["rows"].append(
            {
                "label": label,
                "count": count,
                "by_role": [summary.by_role[role]["counts"].get(value, 0) for role in roles],
            }
        )
    block["chart"] = bar_chart_svg(
        labels=[row["label"] for row in block["rows"]],
        values=[row["count"] for row in block["rows"]],
        title=_("Own goals reached"),
    )
    return block


def surveys_section(*, tenant, round_):
    """The round's published surveys: response rates, results by the seed-002 criteria
    (relevance, implementation, goal fulfilment) with charts, the quotes, and how far the
    participants reached their own goals. Bounded by the number of surveys, not of answers."""
    results = round_results(tenant=tenant, round_=round_)
    asked_goals = any(r.survey.ask_goals for r in results.surveys)
    surveys = [survey_block(r) for r in results.surveys]
    return {
        "surveys": surveys,
        "goals": goals_block(results.goals) if asked_goals else None,
        "min_group": max([r.min_group for r in results.surveys] + [MIN_GROUP]),
        "quotes": sum(s["quotes"] for s in surveys),
    }


# --- the whole report -------------------------------------------------------------------------


def programme_facts(round_):
    programme = round_.programme
    return {
        "programme": programme,
        "description": programme.description,
        "target_group": programme.target_group,
        "starts_on": round_.starts_on,
        "ends_on": round_.ends_on,
    }


def report_sections(*, tenant, round_):
    """The report's sections in order: (key, function returning its figures)."""
    return [
        ("about", lambda: programme_facts(round_)),
        ("participation", lambda: participation(tenant=tenant, round_=round_)),
        ("meetings", lambda: pair_meetings(tenant=tenant, round_=round_)),
        ("shared_days", lambda: shared_days(tenant=tenant, round_=round_)),
        ("surveys", lambda: surveys_section(tenant=tenant, round_=round_)),
    ]


def report_figures(*, tenant, round_, on_section=None):
    """Every section's figures; ``on_section(number)`` is called after each one."""
    figures = {}
    for number, (key, build) in enumerate(report_sections(tenant=tenant, round_=round_), 1):
        figures[key] = build()
        if on_section:
            on_section(number)
    return figures


def save_conclusions(*, tenant, actor, round_, text):
    """The coordinator's own conclusions, printed in the report after the results."""
    text = (text or "").strip()
    limit = Round._meta.get_field("report_conclusions").max_length
    if len(text) > limit:
        raise ValidationError(
            {"report_conclusions": _("Keep the conclusions under %(n)s characters.") % {"n": limit}}
        )
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(tenant=tenant, pk=round_.pk)
        if locked.report_conclusions == text:
            return locked
        locked.report_conclusions = text
        locked.save(update_fields=["report_conclusions"])
        # The length only: the text itself stays in the round, not in the log.
        log_activity(
            tenant=tenant,
            actor=actor,
            action=CONCLUSIONS_SAVED,
            obj=locked,
            data={"characters": len(text)},
        )
    round_.report_conclusions = text
    return locked


# --- the PDF job ------------------------------------------------------------------------------


SVG_SIZE = re.compile(r'^(<svg[^>]*?) width="([\d.]+)" height="([\d.]+)"')


def scaled_charts(value, factor):
    """The figures with every chart drawn ``factor`` times its size (the viewBox keeps the
    drawing): the PDF's charts are smaller than the page's, so a chart and its table share a
    page."""
    if isinstance(value, dict):
        return {key: scaled_charts(item, factor) for key, item in value.items()}
    if isinstance(value, list):
        return [scaled_charts(item, factor) for item in value]
    if isinstance(value, SafeString) and value.startswith("<svg"):
        return mark_safe(  # noqa: S308 - only the two numbers of a chart we drew change
            SVG_SIZE.sub(
                lambda m: (
                    f'{m.group(1)} width="{float(m.group(2)) * factor:.0f}" '
                    f'height="{float(m.group(3)) * factor:.0f}"'
                ),
                value,
                count=1,
            )
        )
    return value


def render_report_html(*, tenant, round_, figures, generated_at=None):
    return render_to_string(
        "evaluation/report_pdf.html",
        {
            "tenant": tenant,
            "round": round_,
            "programme": round_.programme,
            "conclusions": round_.report_conclusions,
            "generated_at": generated_at or timezone.localtime(),
            "language_code": translation.get_language(),
            **figures,
        },
    )


def build_round_report(*, job):
    """Render the round report into ``job.file``: each section's figures, then the layout,
    with the job's progress counting the steps. Runs in the job's tenant scope and in the
    requester's language (tasks.make_round_report)."""
    return run_pdf_job(
        job=job,
        kind=ExportJob.Kind.ROUND_REPORT,
        build=_report_pdf,
        keep=REPORT_KEEP,
        action=REPORT_EXPORTED,
        refused=_(
            "The report was not made: the person who asked for it is no longer a coordinator."
        ),
        failed=_(
            "The report could not be made. Try again; if it fails again, tell the "
            "platform's support."
        ),
    )


def _report_pdf(job, progress):
    round_ = job.round
    steps = len(report_sections(tenant=job.tenant, round_=round_)) + 1  # + the layout
    progress.start(steps)
    figures = report_figures(tenant=job.tenant, round_=round_, on_section=progress.update)
    progress.update(steps - 1, force=True)
    html = render_report_html(
        tenant=job.tenant, round_=round_, figures=scaled_charts(figures, PDF_CHART_SCALE)
    )
    return write_pdf(pdf_document(html, FontConfiguration())), {}


def report_filename(job):
    label = _("round report")
    return (
        f"{slugify(label)}-{slugify(job.round.name) or job.round_id}-"
        f"{timezone.localtime(job.finished_at or job.created_at):%Y-%m-%d}.pdf"
    )


# --- the round dashboard ----------------------------------------------------------------------


def dashboard_section(*, tenant, round_):
    """A link to the report (with the latest report's state) on the round dashboard; the
    last of mentorship.hooks.DASHBOARD_SECTIONS. 1 query."""
    latest = (
        ExportJob.objects.filter(tenant=tenant, round=round_, kind=ExportJob.Kind.ROUND_REPORT)
        .only("pk", "status", "created_at", "finished_at", "expires_at")
        .first()
    )
    return {
        "template": "evaluation/report_dashboard_section.html",
        "round": round_,
        "latest_report": latest,
        "has_conclusions": bool(round_.report_conclusions.strip()),
        "now": timezone.now(),
    }
