"""A programme's statistics across its rounds ("22 managers in two rounds", seed 002): per round
and in total, by member organisation and role, for the statistics page and its CSV and Excel
exports. Counts only; the only names are the organisations'.

Five queries whatever the number of rounds, organisations, applications or pairs.
"""

import csv
import io
from dataclasses import dataclass

from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from applications.exports import csv_value, xlsx_value
from mentorship.exporting import safe_cell, xlsx_sheet
from pairs.models import Pair
from programmes.models import Participant, ParticipantRole, Round

from .reports import (
    REPORTED_PAIRS,
    application_counts,
    pair_counts,
    round_is_over,
    submitted_applications,
)

MENTOR, ADEPT = ParticipantRole.MENTOR.value, ParticipantRole.ADEPT.value
FIGURES = ("applications", "accepted", "mentors", "adepts", "participants")


def _empty():
    return dict.fromkeys(FIGURES, 0)


def _add(target, source):
    for key in FIGURES:
        target[key] += source[key]


@dataclass
class Statistics:
    rounds: list  # [{"round": Round, "period": str, figures..., pairs...}]
    total: dict
    organisations: list  # [{"name": str, figures..., "by_round": [participants per round]}]
    organisation_total: dict
    people: int  # different people who took part, across the rounds
    people_by_role: dict


def _period(round_):
    if round_.starts_on and round_.ends_on:
        return f"{round_.starts_on:%Y-%m-%d} – {round_.ends_on:%Y-%m-%d}"
    if round_.starts_on:
        return f"{round_.starts_on:%Y-%m-%d} –"
    return ""


def programme_statistics(*, tenant, programme, today=None):
    today = today or timezone.localdate()
    rounds = list(
        Round.objects.filter(tenant=tenant, programme=programme).order_by(
            F("starts_on").asc(nulls_last=True), F("number").asc(nulls_last=True), "pk"
        )
    )
    round_rows = {
        r.pk: {"round": r, "period": _period(r), **_empty(), "pairs": 0, "completed": 0}
        | {"still_active": 0, "ended_early": 0}
        for r in rounds
    }
    organisations = {}

    def org_row(org_id, name):
        if org_id not in organisations:
            organisations[org_id] = {
                "name": name or _("No organisation"),
                "named": bool(name),
                **_empty(),
                "by_round": dict.fromkeys(round_rows, 0),
            }
        return organisations[org_id]

    for row in (
        submitted_applications(tenant=tenant)
        .filter(round__programme=programme)
        .values("round_id", "organisation_id", "organisation__name")
        .annotate(**application_counts())
        .order_by()
    ):
        figures = {**_empty(), "applications": row["applications"], "accepted": row["accepted"]}
        _add(round_rows[row["round_id"]], figures)
        _add(org_row(row["organisation_id"], row["organisation__name"]), figures)

    for row in (
        Participant.objects.filter(tenant=tenant, round__programme=programme)
        .values("round_id", "organisation_id", "organisation__name", "role")
        .annotate(n=Count("id"))
        .order_by()
    ):
        role_key = "mentors" if row["role"] == MENTOR else "adepts"
        figures = {**_empty(), role_key: row["n"], "participants": row["n"]}
        _add(round_rows[row["round_id"]], figures)
        org = org_row(row["organisation_id"], row["organisation__name"])
        _add(org, figures)
        org["by_round"][row["round_id"]] += row["n"]

    for row in (
        Pair.objects.filter(tenant=tenant, round__programme=programme, status__in=REPORTED_PAIRS)
        .values("round_id")
        .annotate(**pair_counts())
        .order_by()
    ):
        target = round_rows[row["round_id"]]
        over = round_is_over(target["round"], today)
        target["pairs"] = row["pairs"]
        target["completed"] = row["ended_on_time"] + (row["active"] if over else 0)
        target["still_active"] = 0 if over else row["active"]
        target["ended_early"] = row["ended_early"]

    people_by_role = dict.fromkeys((MENTOR, ADEPT), 0)
    people = set()
    for user_id, role in (
        Participant.objects.filter(tenant=tenant, round__programme=programme)
        .values_list("user_id", "role")
        .distinct()
    ):
        people.add(user_id)
        people_by_role[role] += 1

    total = {**_empty(), "pairs": 0, "completed": 0, "still_active": 0, "ended_early": 0}
    for row in round_rows.values():
        for key in total:
            total[key] += row[key]
    org_list = sorted(
        organisations.values(), key=lambda o: (not o["named"], str(o["name"]).casefold())
    )
    for org in org_list:
        org["by_round"] = [org["by_round"][r.pk] for r in rounds]
    org_total = _empty()
    for org in org_list:
        _add(org_total, org)
    org_total["by_round"] = [round_rows[r.pk]["participants"] for r in rounds]
    return Statistics(
        rounds=[round_rows[r.pk] for r in rounds],
        total=total,
        organisations=org_list,
        organisation_total=org_total,
        people=len(people),
        people_by_role=people_by_role,
    )


# --- exports ----------------------------------------------------------------------------------

ROUND_COLUMNS = [
    ("round", gettext_lazy("Round")),
    ("period", gettext_lazy("Period")),
    ("applications", gettext_lazy("Applications")),
    ("accepted", gettext_lazy("Accepted")),
    ("mentors", gettext_lazy("Mentors")),
    ("adepts", gettext_lazy("Adepts")),
    ("participants", gettext_lazy("Participants")),
    ("pairs", gettext_lazy("Pairs")),
    ("completed", gettext_lazy("Pairs completed")),
    ("still_active", gettext_lazy("Pairs still active")),
    ("ended_early", gettext_lazy("Pairs ended early")),
]

ORGANISATION_COLUMNS = [
    ("name", gettext_lazy("Organisation")),
    ("applications", gettext_lazy("Applications")),
    ("accepted", gettext_lazy("Accepted")),
    ("mentors", gettext_lazy("Mentors")),
    ("adepts", gettext_lazy("Adepts")),
    ("participants", gettext_lazy("Participants")),
]

TABLES = ("rounds", "organisations")


def round_table(stats):
    """Header and rows (the total last) of the per-round table."""
    header = [str(label) for _key, label in ROUND_COLUMNS]
    rows = []
    for row in stats.rounds:
        rows.append(
            [row["round"].name, row["period"]] + [row[k] for k, _label in ROUND_COLUMNS[2:]]
        )
    rows.append([_("Total"), ""] + [stats.total[k] for k, _label in ROUND_COLUMNS[2:]])
    different = {
        "mentors": stats.people_by_role[MENTOR],
        "adepts": stats.people_by_role[ADEPT],
        "participants": stats.people,
    }
    rows.append([_("Different people"), ""] + [different.get(k) for k, _label in ROUND_COLUMNS[2:]])
    return header, rows


def organisation_table(stats):
    """Header and rows (the total last) of the table by organisation, with each round's
    participants at the end."""
    header = [str(label) for _key, label in ORGANISATION_COLUMNS] + [
        _("Participants: %(round)s") % {"round": row["round"].name} for row in stats.rounds
    ]
    rows = [
        [str(org["name"])] + [org[k] for k, _label in ORGANISATION_COLUMNS[1:]] + org["by_round"]
        for org in stats.organisations
    ]
    total = stats.organisation_total
    rows.append(
        [_("Total")] + [total[k] for k, _label in ORGANISATION_COLUMNS[1:]] + total["by_round"]
    )
    return header, rows


def write_csv(header, rows):
    out = io.StringIO()
    # As every CSV of the product: a byte-order mark for Excel, semicolons (Swedish Excel).
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else csv_value(v) for v in row])
    return out.getvalue().encode("utf-8")


def _sheet_title(text):
    cleaned = "".join(ch for ch in str(text) if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"


def write_xlsx(sheets):
    """``sheets``: [(title, header, rows)]."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        xlsx_sheet(
            workbook,
            _sheet_title(title),
            [xlsx_value(text) for text in header],
            ([None if v is None else xlsx_value(v) for v in row] for row in rows),
            freeze="B2",
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export(stats, *, fmt, table="rounds"):
    """The statistics as bytes: ``fmt`` "csv" (one table) or "xlsx" (both, one sheet each)."""
    tables = {"rounds": round_table, "organisations": organisation_table}
    if fmt == "csv":
        return write_csv(*tables[table](stats))
    return write_xlsx(
        [
            (_("Per round"), *round_table(stats)),
            (_("By organisation"), *organisation_table(stats)),
        ]
    )
