"""The adept chooses a mentor: the adept's browse-and-ask pages and the mentor's requests.

Participants only: anonymous → sign in; signed in without an adept (or mentor) application in an
adept-chooses programme of this tenant → 404 (also for members of other tenants); another
person's request → 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from applications import services as application_services
from applications import standard_fields
from applications.models import Application
from organisations.access import TenantMixin
from organisations.viewlog import PersonalDataViewMixin

from . import selectors, services
from .forms import AskForm, DeclineForm
from .models import MentorRequest


def _show_errors(request, error):
    for text in error.messages:
        messages.error(request, text)


class AdeptMixin(LoginRequiredMixin, TenantMixin):
    """The signed-in adept's application in an adept-chooses programme (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        apps = selectors.adept_applications(tenant=request.tenant, user=request.user)
        if not apps:
            raise Http404
        waiting = [a for a in apps if a.stage == Application.Stage.ACCEPTED]
        self.adept_app = (waiting or apps)[0]
        return super().dispatch(request, *args, **kwargs)

    def browse_url(self):
        return reverse("matching_requests:mentors", args=[self.request.tenant.slug])


class MentorMixin(LoginRequiredMixin, TenantMixin):
    """The signed-in mentor's applications in adept-chooses programmes (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.mentor_apps = selectors.mentor_applications(tenant=request.tenant, user=request.user)
        if not self.mentor_apps:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_request(self, pk):
        return get_object_or_404(
            MentorRequest.objects.select_related("round", "adept", "mentor"),
            tenant=self.request.tenant,
            pk=pk,
            mentor__in=self.mentor_apps,
        )

    def list_url(self):
        return reverse("matching_requests:incoming", args=[self.request.tenant.slug])


class MentorBrowseView(PersonalDataViewMixin, AdeptMixin, TemplateView):
    template_name = "matching/requests/mentors.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        adept = self.adept_app
        my_requests = selectors.requests_of_adept(tenant=self.tenant, adept_app=adept)
        ctx.update(
            adept=adept,
            round=adept.round,
            programme=adept.round.programme,
            mentors=selectors.mentors_for(tenant=self.tenant, round_=adept.round),
            # What the programme chose to show on a mentor's card, and nothing else.
            card=set(
                standard_fields.card_fields(
                    application_services.field_settings(adept.round.programme).card_fields
                )
            ),
            open_request=next(
                (r for r in my_requests if r.status == MentorRequest.Status.ASKED), None
            ),
            my_requests=my_requests,
            can_ask=adept.stage == Application.Stage.ACCEPTED,
        )
        self.viewed_count, self.viewed_as = len(ctx["mentors"]), "adept"
        return ctx


class AskView(AdeptMixin, FormView):
    template_name = "matching/requests/ask.html"
    form_class = AskForm

    def get_mentor(self):
        if not hasattr(self, "_mentor"):
            self._mentor = get_object_or_404(
                Application.objects.select_related("organisation", "user"),
                tenant=self.request.tenant,
                round=self.adept_app.round,
                role="mentor",
                pk=self.kwargs["pk"],
            )
        return self._mentor

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(mentor=self.get_mentor(), adept=self.adept_app, back_url=self.browse_url())
        return ctx

    def form_valid(self, form):
        try:
            services.ask(
                tenant=self.tenant,
                actor=self.request.user,
                adept_app=self.adept_app,
                mentor_app=self.get_mentor(),
                message=form.cleaned_data["message"],
                base_url=self.request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your request is sent to %(m)s. You get an e-mail when they answer.")
            % {"m": self.get_mentor().full_name or self.get_mentor().email},
        )
        return redirect(self.browse_url())


class WithdrawView(AdeptMixin, View):
    def post(self, request, tenant, pk):
        mentor_request = get_object_or_404(
            MentorRequest, tenant=self.tenant, pk=pk, adept=self.adept_app
        )
        try:
            services.withdraw(tenant=self.tenant, actor=request.user, request=mentor_request)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("Your request is withdrawn. You can ask another mentor."))
        return redirect(self.browse_url())


class IncomingView(MentorMixin, TemplateView):
    template_name = "matching/requests/incoming.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = []
        for app in self.mentor_apps:
            incoming = selectors.requests_to_mentor(tenant=self.tenant, mentor_app=app)
            taken = selectors.active_pairs(app.pk)
            rows.append(
                {
                    "application": app,
                    "open": [r for r in incoming if r.status == MentorRequest.Status.ASKED],
                    "decided": [r for r in incoming if r.status != MentorRequest.Status.ASKED],
                    "places_left": max((app.capacity or 1) - taken, 0),
                }
            )
        ctx["rows"] = rows
        return ctx


class AcceptView(MentorMixin, View):
    def post(self, request, tenant, pk):
        mentor_request = self.get_request(pk)
        try:
            services.accept(tenant=self.tenant, actor=request.user, request=mentor_request)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(
                request,
                _("You are now the mentor of %(a)s. You both get an e-mail with contact details.")
                % {"a": mentor_request.adept.full_name or mentor_request.adept.email},
            )
        return redirect(self.list_url())


class DeclineView(MentorMixin, FormView):
    template_name = "matching/requests/decline.html"
    form_class = DeclineForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(mentor_request=self.get_request(self.kwargs["pk"]), back_url=self.list_url())
        return ctx

    def form_valid(self, form):
        mentor_request = self.get_request(self.kwargs["pk"])
        try:
            services.decline(
                tenant=self.tenant,
                actor=self.request.user,
                request=mentor_request,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The request is declined and the adept is told."))
        return redirect(self.list_url())
