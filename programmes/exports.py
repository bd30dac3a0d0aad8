"""Coordinators' exports of a shared day's answers: CSV for Excel, PDF for the caterer or the door.

A day's answer list is small (one row per participant), so it is made in the request. Every
export is logged: the lists hold personal data (dietary needs).
"""

import csv
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mentorship.exporting import private_download, render_pdf, safe_cell
from organisations import rules
from organisations.services import log_activity

from . import selectors
from .models import Audience, SharedMeeting


def coordinator_required(view):
    """The rules of ``CoordinatorRequiredMixin`` for function views.

    Anonymous → sign in; not a member of this tenant → 404; member without the role → 403.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.membership is None:
            raise Http404
        if not rules.is_coordinator(request.membership):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- the rows ------------------------------------------------------------------------------


def _answer_label(response):
    if response is None or response.attending is None:
        return _("No answer")
    return _("Attending") if response.attending else _("Not attending")


def _attended_label(response):
    if response is None or response.attended is None:
        return ""
    return _("Yes") if response.attended else _("No")


def answer_rows(*, tenant, meeting):
    rows = []
    for participant, response in selectors.responses_for_meeting(tenant=tenant, meeting=meeting):
        user = participant.user
        rows.append(
            {
                "name": user.full_name,
                "email": user.email,
                "organisation": participant.organisation.name if participant.organisation else "",
                "role": str(participant.get_role_display()),
                "answer": str(_answer_label(response)),
                "attending": None if response is None else response.attending,
                "dietary_needs": response.dietary_needs if response and response.attending else "",
                "attended": str(_attended_label(response)),
            }
        )
    return rows


def answer_counts(rows):
    return {
        "attending": sum(1 for r in rows if r["attending"] is True),
        "declined": sum(1 for r in rows if r["attending"] is False),
        "no_answer": sum(1 for r in rows if r["attending"] is None),
    }


COLUMNS = ("name", "email", "organisation", "role", "answer", "dietary_needs", "attended")


def column_labels():
    return [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Role"),
        _("Answer"),
        _("Dietary needs"),
        _("Attended"),
    ]


def _get_meeting(request, pk):
    return get_object_or_404(
        SharedMeeting.objects.select_related("round", "round__programme", "host_organisation"),
        tenant=request.tenant,
        pk=pk,
    )


def _filename(meeting, extension):
    return f"{slugify(meeting.title) or 'meeting'}-{meeting.date:%Y-%m-%d}.{extension}"


def _private(response, meeting, extension):
    return private_download(response, _filename(meeting, extension))


# --- CSV -----------------------------------------------------------------------------------


@coordinator_required
def meeting_answers_csv(request, tenant, pk):
    meeting = _get_meeting(request, pk)
    rows = answer_rows(tenant=request.tenant, meeting=meeting)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The byte-order mark makes Excel read UTF-8 (å, ä, ö); semicolons are what Excel expects
    # where the decimal separator is a comma, as in Sweden.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(label) for label in column_labels()])
    for row in rows:
        writer.writerow([safe_cell(row[column]) for column in COLUMNS])
    log_activity(
        tenant=request.tenant,
        actor=request.user,
        action="meeting.answers_exported",
        obj=meeting,
        data={"format": "csv"},
    )
    return _private(response, meeting, "csv")


# --- PDF -----------------------------------------------------------------------------------


@coordinator_required
def meeting_answers_pdf(request, tenant, pk):
    meeting = _get_meeting(request, pk)
    rows = answer_rows(tenant=request.tenant, meeting=meeting)
    html = render_to_string(
        "programmes/exports/answers_pdf.html",
        {
            "tenant": request.tenant,
            "meeting": meeting,
            "audience": Audience(meeting.audience).label,
            "rows": rows,
            "counts": answer_counts(rows),
            "labels": column_labels(),
            "generated_at": timezone.localtime(),
            "language_code": translation.get_language(),
        },
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    log_activity(
        tenant=request.tenant,
        actor=request.user,
        action="meeting.answers_exported",
        obj=meeting,
        data={"format": "pdf"},
    )
    return _private(response, meeting, "pdf")
