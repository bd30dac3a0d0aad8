"""The person's own data (extract, erasure request), the coordinators' privacy pages
(retention schedule, erasure requests, the register extract for someone who asks by mail)
and the public accessibility statement. Views orchestrate; privacy.services changes state."""

import json
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from mentorship.exporting import private_download, render_pdf
from organisations.access import CoordinatorRequiredMixin, TenantMixin
from organisations.models import User
from organisations.viewlog import PersonalDataViewMixin

from . import selectors, services
from .models import ErasureRequest


class ErasureRequestForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Anything you want to add (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the request is declined"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example a legal duty to keep the data for now."),
    )


class FindPersonForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("The person's e-mail address"))


def _text(value):
    """A value of the extract as the PDF shows it (the JSON keeps the structure)."""
    if value is None or value == "":
        return "–"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_text(item)}" for key, item in value.items()) or "–"
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            return "\n\n".join(_text(item) for item in value)
        return ", ".join(_text(item) for item in value) or "–"
    return str(value)


def readable(data):
    """[(section title, [[(label, text), ...] per record])] for the PDF."""
    return [
        (title, [[(label, _text(value)) for label, value in row.items()] for row in rows])
        for title, rows in data.items()
    ]


def extract_files(request, *, tenant, user, file_format, actor):
    """The register extract of ``user`` in ``tenant`` as a PDF or a JSON download; logged."""
    data = selectors.personal_data(tenant=tenant, user=user)
    services.log_extract(tenant=tenant, actor=actor, user=user, file_format=file_format)
    stem = (
        slugify(_("register-extract")) + "-" + tenant.slug + "-" + timezone.localdate().isoformat()
    )
    if file_format == "json":
        body = json.dumps(
            {
                "tenant": tenant.name,
                "made": timezone.localtime().isoformat(timespec="seconds"),
                "data": data,
            },
            ensure_ascii=False,
            indent=2,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        return private_download(response, f"{stem}.json")
    html = render_to_string(
        "privacy/extract_pdf.html",
        {
            "tenant": tenant,
            "person": user,
            "sections": readable(data),
            "made": timezone.localtime(),
        },
        request=request,
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    return private_download(response, f"{stem}.pdf")


# --- the person's own pages ------------------------------------------------------------------


class OwnDataMixin(LoginRequiredMixin, TenantMixin):
    """The person's own pages in a tenant that holds something about them (an application,
    a place in a round, a role); anybody else gets a 404, as for any page of a tenant that is
    not theirs."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (
            selectors.find_person(tenant=request.tenant, email=request.user.email) is None
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class MyDataView(OwnDataMixin, TemplateView):
    """What the tenant holds about me, the downloads, and asking for erasure."""

    template_name = "privacy/my_data.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        data = selectors.personal_data(tenant=self.tenant, user=self.request.user)
        ctx["sections"] = [(title, len(rows)) for title, rows in data.items()]
        ctx["requests"] = list(
            ErasureRequest.objects.filter(tenant=self.tenant, user=self.request.user)
        )
        ctx["open_request"] = next(
            (r for r in ctx["requests"] if r.status == ErasureRequest.Status.REQUESTED), None
        )
        ctx.setdefault("form", ErasureRequestForm())
        return ctx


class MyDataDownloadView(OwnDataMixin, View):
    file_format = "pdf"

    def get(self, request, *args, **kwargs):
        return extract_files(
            request,
            tenant=self.tenant,
            user=request.user,
            file_format=self.file_format,
            actor=request.user,
        )


class ErasureRequestView(OwnDataMixin, View):
    def post(self, request, *args, **kwargs):
        form = ErasureRequestForm(request.POST)
        if form.is_valid():
            try:
                services.request_erasure(
                    tenant=self.tenant, user=request.user, message=form.cleaned_data["message"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Your request is sent. The coordinators handle it and you are told."),
                )
            return redirect("privacy:my_data", tenant=self.tenant.slug)
        view = MyDataView()
        view.setup(request, *args, **kwargs)
        view.tenant, view.membership = self.tenant, self.membership
        ctx = view.get_context_data(form=form)
        return view.render_to_response(ctx, status=400)


# --- the coordinators' pages ------------------------------------------------------------------


class RetentionView(CoordinatorRequiredMixin, TemplateView):
    """What will be anonymised next, and when."""

    template_name = "privacy/retention.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        items, waiting = selectors.retention_schedule(tenant=self.tenant)
        ctx["items"] = items[:100]
        ctx["more"] = max(0, len(items) - 100)
        ctx["waiting"] = waiting
        ctx["open_requests"] = ErasureRequest.objects.filter(
            tenant=self.tenant, status=ErasureRequest.Status.REQUESTED
        ).count()
        return ctx


class ErasureListView(PersonalDataViewMixin, CoordinatorRequiredMixin, TemplateView):
    template_name = "privacy/erasure_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["requests"] = list(
            ErasureRequest.objects.filter(tenant=self.tenant).select_related("user", "handled_by")
        )
        self.viewed_count = len(ctx["requests"])
        return ctx


class ErasureRequestMixin(PersonalDataViewMixin, CoordinatorRequiredMixin):
    def get_request(self):
        erasure = get_object_or_404(
            ErasureRequest.objects.select_related("user"), tenant=self.tenant, pk=self.kwargs["pk"]
        )
        self.viewed_object = erasure
        return erasure


class ErasureDetailView(ErasureRequestMixin, TemplateView):
    """The preview: what carrying out the request removes and what stays."""

    template_name = "privacy/erasure_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        erasure = self.get_request()
        ctx["erasure"] = erasure
        ctx["goes"], ctx["stays"] = selectors.erasure_preview(tenant=self.tenant, user=erasure.user)
        ctx.setdefault("decline_form", DeclineForm())
        return ctx


class ErasureCarryOutView(ErasureRequestMixin, View):
    def post(self, request, *args, **kwargs):
        erasure = self.get_request()
        try:
            count = services.carry_out_erasure(
                tenant=self.tenant, actor=request.user, erasure_request=erasure
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("privacy:erasure_detail", tenant=self.tenant.slug, pk=erasure.pk)
        messages.success(
            request,
            _("The erasure is carried out: %(count)s applications anonymised.") % {"count": count},
        )
        return redirect("privacy:erasure_list", tenant=self.tenant.slug)


class ErasureDeclineView(ErasureRequestMixin, View):
    def post(self, request, *args, **kwargs):
        erasure = self.get_request()
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                services.decline_erasure(
                    tenant=self.tenant,
                    actor=request.user,
                    erasure_request=erasure,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("privacy:erasure_detail", tenant=self.tenant.slug, pk=erasure.pk)
            messages.success(request, _("The request is declined."))
            return redirect("privacy:erasure_list", tenant=self.tenant.slug)
        view = ErasureDetailView()
        view.setup(request, *args, **kwargs)
        view.tenant, view.membership = self.tenant, self.membership
        view.viewed_count = view.viewed_object = None
        ctx = view.get_context_data(decline_form=form)
        return view.render_to_response(ctx, status=400)


class RegisterExtractView(PersonalDataViewMixin, CoordinatorRequiredMixin, TemplateView):
    """A coordinator finds a person by e-mail (POST: the address stays out of the URL) and
    downloads the same extract the person would."""

    template_name = "privacy/extract_search.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", FindPersonForm())
        return ctx

    def post(self, request, *args, **kwargs):
        form = FindPersonForm(request.POST)
        ctx = {"form": form, "searched": False}
        if form.is_valid():
            ctx["searched"] = True
            ctx["person"] = selectors.find_person(
                tenant=self.tenant, email=form.cleaned_data["email"]
            )
            self.viewed_count = 1 if ctx["person"] else 0
        return self.render_to_response(self.get_context_data(**ctx))


class RegisterExtractDownloadView(PersonalDataViewMixin, CoordinatorRequiredMixin, View):
    file_format = "pdf"

    def get(self, request, *args, **kwargs):
        user = get_object_or_404(User, pk=self.kwargs["user_pk"])
        if selectors.find_person(tenant=self.tenant, email=user.email) is None:
            raise Http404
        return extract_files(
            request, tenant=self.tenant, user=user, file_format=self.file_format, actor=request.user
        )


# --- public --------------------------------------------------------------------------------


# When the statement (the service's shortcomings in privacy/accessibility.html) was last
# reviewed: change it with the text.
STATEMENT_DATE = date(2026, 12, 4)


class AccessibilityStatementView(TenantMixin, TemplateView):
    """Tillgänglighetsredogörelse, in the form DIGG asks for (lag 2018:1937)."""

    template_name = "privacy/accessibility.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["statement_date"] = STATEMENT_DATE
        ctx["own_shortcomings"] = [
            line.strip()
            for line in self.tenant.accessibility_shortcomings.splitlines()
            if line.strip()
        ]
        return ctx
