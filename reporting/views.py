"""The coordinator's round report page (conclusions, figures, the PDF job and its download) and
the programme's statistics across rounds (with CSV and Excel exports). Coordinators only; every
export is logged without personal data."""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from mentorship.exporting import private_download
from mentorship.web import errors_into_form
from organisations.access import CoordinatorRequiredMixin
from organisations.jobs import request_job
from organisations.models import ExportJob
from organisations.services import log_activity
from organisations.views import JobDownloadView, JobMixin, JobStartAgainView, JobStatusView
from programmes.models import Programme, Round

from . import reports, statistics

REPORT = ExportJob.Kind.ROUND_REPORT


def _round(tenant, pk):
    try:
        return Round.objects.select_related("programme").get(tenant=tenant, pk=pk)
    except Round.DoesNotExist as exc:
        raise Http404 from exc


def latest_reports(*, tenant, round_):
    return list(
        ExportJob.objects.filter(tenant=tenant, round=round_, kind=REPORT).select_related(
            "requested_by"
        )[:5]
    )


class ConclusionsForm(forms.Form):
    report_conclusions = forms.CharField(
        label=gettext_lazy("Your conclusions"),
        required=False,
        max_length=Round._meta.get_field("report_conclusions").max_length,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "Printed in the report after the results, as you write it: for example relevance, "
            "implementation, goal fulfilment and what you will keep or change. An empty line "
            "starts a new paragraph."
        ),
    )


class RoundReportView(CoordinatorRequiredMixin, FormView):
    """GET: the report's figures as a page, the conclusions form and the latest PDFs.
    POST: save the conclusions."""

    template_name = "evaluation/report.html"
    form_class = ConclusionsForm

    @cached_property
    def round(self):
        return _round(self.tenant, self.kwargs["round_pk"])

    def get_initial(self):
        return {"report_conclusions": self.round.report_conclusions}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            round=self.round,
            programme=self.round.programme,
            jobs=latest_reports(tenant=self.tenant, round_=self.round),
            now=timezone.now(),
            **reports.report_figures(tenant=self.tenant, round_=self.round),
        )
        return ctx

    def form_valid(self, form):
        try:
            reports.save_conclusions(
                tenant=self.tenant,
                actor=self.request.user,
                round_=self.round,
                text=form.cleaned_data["report_conclusions"],
            )
        except ValidationError as exc:
            errors_into_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Your conclusions have been saved."))
        return redirect(self.request.path + "#conclusions-title")


class ReportStartView(CoordinatorRequiredMixin, View):
    """POST: make the round report as a PDF in the background (or follow the one being made)."""

    def post(self, request, *args, **kwargs):
        round_ = _round(self.tenant, kwargs["round_pk"])
        # A second click, or a colleague's job being made, is followed instead of making two;
        # a stuck one is replaced.
        job, _created = request_job(
            tenant=self.tenant, round_=round_, kind=REPORT, user=request.user
        )
        return redirect("reports:job_status", tenant=self.tenant.slug, pk=job.pk)


class ReportJobMixin(JobMixin):
    job_kind = REPORT
    status_url_name = "reports:job_status"
    start_again_url_name = "reports:job_start_again"
    download_action = reports.REPORT_DOWNLOADED

    def download_filename(self, job):
        return reports.report_filename(job)


class ReportJobStatusView(ReportJobMixin, JobStatusView):
    template_name = "evaluation/report_job_status.html"
    fragment_template = "evaluation/report_job_progress.html"


class ReportJobStartAgainView(ReportJobMixin, JobStartAgainView):
    """The "Start again" button of a failed or stuck round report (the shared job view)."""


class ReportJobDownloadView(ReportJobMixin, JobDownloadView):
    """The finished report for 24 hours (410 with an explanation after)."""

    expired_template = "evaluation/report_job_status.html"


# --- statistics -------------------------------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class StatisticsView(CoordinatorRequiredMixin, TemplateView):
    """The programme's figures per round and in total, by organisation and role.
    ?format=csv&table=rounds|organisations or ?format=xlsx downloads them."""

    template_name = "evaluation/statistics.html"

    @cached_property
    def programme(self):
        return get_object_or_404(Programme, tenant=self.tenant, pk=self.kwargs["programme_pk"])

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt is None:
            return super().get(request, *args, **kwargs)
        table = request.GET.get("table", "rounds")
        if fmt not in CONTENT_TYPES or (fmt == "csv" and table not in statistics.TABLES):
            messages.error(request, _("That download does not exist. Choose one of the links."))
            return redirect(request.path)
        stats = statistics.programme_statistics(tenant=self.tenant, programme=self.programme)
        body = statistics.export(stats, fmt=fmt, table=table)
        log_activity(
            tenant=self.tenant,
            actor=request.user,
            action=reports.STATISTICS_EXPORTED,
            obj=self.programme,
            data={
                "format": fmt,
                "kind": "statistics",
                "table": table if fmt == "csv" else "all",
                "rounds": len(stats.rounds),
            },
        )
        name = slugify(_("statistics"))
        if fmt == "csv":
            name += "-" + slugify(_("per round") if table == "rounds" else _("by organisation"))
        filename = (
            f"{name}-{slugify(self.programme.name) or self.programme.pk}-"
            f"{timezone.localdate():%Y-%m-%d}.{fmt}"
        )
        return private_download(HttpResponse(body, content_type=CONTENT_TYPES[fmt]), filename)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["programme"] = self.programme
        ctx["stats"] = statistics.programme_statistics(tenant=self.tenant, programme=self.programme)
        return ctx
