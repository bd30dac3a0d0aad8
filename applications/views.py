from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from mentorship.listing import Listing, with_labels
from mentorship.listing import ids_digest as listing_ids_digest
from mentorship.web import base_url, errors_into_form
from organisations.access import CoordinatorRequiredMixin, HRContactRequiredMixin, TenantMixin
from organisations.adapters import allow_signup
from organisations.models import Organisation
from organisations.services import InvitationError
from organisations.viewlog import PersonalDataViewMixin
from programmes.models import ParticipantRole, Programme, Round

from . import rules, selectors, services
from .forms import (
    ApplicationForm,
    BulkDecisionForm,
    DecisionForm,
    EndorseForm,
    FieldPresetForm,
    FieldSettingsForm,
    HRBulkNominationForm,
    InterviewForm,
    ManagerForm,
    MoveBackForm,
    NominationForm,
    PutForwardForm,
    QuestionForm,
    RoleChoiceForm,
    ThemeForm,
)
from .models import Application, PutForward, Question, Theme

Stage = Application.Stage


def _round_or_404(tenant, pk):
    return get_object_or_404(
        Round.objects.select_related("programme").prefetch_related("eligibility"),
        tenant=tenant,
        pk=pk,
    )


# Lazy: the dict is built at import, the text must follow the reader's language.
def next_step(application):
    """What happens next for the applicant, naming the tenant's nominating role."""
    text = NEXT_STEP.get(application.stage, "")
    if application.stage == Stage.AWAITING_NOMINATION:
        return text % {"role": application.tenant.nominator_label}
    return text


NEXT_STEP = {
    Stage.DRAFT: gettext_lazy(
        "Your application is a draft. Fill it in and submit it before the deadline."
    ),
    Stage.SUBMITTED: gettext_lazy("Your application has been received."),
    Stage.AWAITING_ENDORSEMENT: gettext_lazy(
        "Your manager has been asked by e-mail to confirm their support."
    ),
    Stage.AWAITING_NOMINATION: gettext_lazy(
        "Your organisation's %(role)s decides whether to nominate you."
    ),
    Stage.NOMINATED: gettext_lazy(
        "Your organisation has nominated you. The coordinators review the applications."
    ),
    Stage.DECLINED_BY_ORGANISATION: gettext_lazy(
        "Your organisation did not nominate you this time."
    ),
    Stage.UNDER_REVIEW: gettext_lazy("The coordinators are reviewing your application."),
    Stage.ACCEPTED: gettext_lazy(
        "You have a place in the programme. You will be told who your partner is."
    ),
    Stage.WAITLISTED: gettext_lazy(
        "You are on the waiting list. You will be told if a place opens."
    ),
    Stage.DECLINED: gettext_lazy("Your application could not be accepted this time."),
    Stage.MATCHED: gettext_lazy("You have been matched. See your pair on your programme page."),
    Stage.WITHDRAWN: gettext_lazy("You have withdrawn your application."),
}


# --- applicants --------------------------------------------------------------------------------


class ApplyView(TenantMixin, View):
    """From the public round page: sign up or sign in, choose a role, get a draft."""

    template_name = "applications/apply.html"

    def dispatch(self, request, *args, **kwargs):
        self.tenant = request.tenant
        self.round = _round_or_404(self.tenant, kwargs["round_pk"])
        if not self.round.is_public or not self.round.programme.is_active:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, tenant, round_pk):
        if not request.user.is_authenticated:
            if self.round.accepting_applications():
                allow_signup(request, reason="application")
            return render(
                request, self.template_name, {"round": self.round, "next": request.get_full_path()}
            )
        # "Become a mentor" / "I want a mentor" on a continuous programme's page pick the role.
        role = request.GET.get("role", "")
        initial = {"role": role} if role in ParticipantRole.values else {}
        return self.render_page(RoleChoiceForm(earlier=self.earlier(), initial=initial))

    def earlier(self):
        return services.previous_applications(
            tenant=self.tenant, user=self.request.user, exclude_round=self.round
        )

    def render_page(self, form, status=200):
        existing = list(Application.objects.filter(round=self.round, user=self.request.user))
        return render(
            self.request,
            self.template_name,
            {
                "round": self.round,
                "form": form,
                "existing": existing,
                "open": self.round.accepting_applications(),
            },
            status=status,
        )

    def post(self, request, tenant, round_pk):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        # Only the person's own earlier applications of this tenant are choices: another
        # person's or another tenant's id is a form error, and no draft is started.
        form = RoleChoiceForm(request.POST, earlier=self.earlier())
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            application = services.start_application(
                round_=self.round,
                user=request.user,
                role=form.cleaned_data["role"],
                copy_from=form.cleaned_data.get("copy_from"),
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("programmes:public_round", tenant=self.tenant.slug, pk=self.round.pk)
        return redirect("applications:edit", tenant=self.tenant.slug, pk=application.pk)


class OwnApplicationMixin(LoginRequiredMixin, TenantMixin):
    def get_application(self):
        return get_object_or_404(
            Application.objects.select_related(
                "round", "round__programme", "organisation"
            ).prefetch_related("round__eligibility"),
            tenant=self.request.tenant,
            pk=self.kwargs["pk"],
            user=self.request.user,
        )


class MyApplicationsView(LoginRequiredMixin, TenantMixin, TemplateView):
    template_name = "applications/my_applications.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["applications"] = list(
            Application.objects.filter(tenant=self.tenant, user=self.request.user).select_related(
                "round", "round__programme"
            )
        )
        return ctx


class ApplicationEditView(OwnApplicationMixin, View):
    """Fill in, save a draft, submit; after submitting: the stage and what happens next."""

    template_name = "applications/application_form.html"

    def render_page(self, application, form=None, manager_form=None, status=200):
        questions = selectors.questions_for(tenant=self.tenant, round_=application.round)
        editable = application.is_open_for_editing
        if form is None and editable:
            form = ApplicationForm(application=application, questions=questions)
        if manager_form is None:
            manager_form = ManagerForm(
                initial={
                    "manager_name": application.manager_name,
                    "manager_email": application.manager_email,
                }
            )
        endorsement = application.endorsements.first()
        return render(
            self.request,
            self.template_name,
            {
                "application": application,
                "round": application.round,
                "form": form,
                "editable": editable,
                "next_step": next_step(application),
                "history": selectors.history(tenant=self.tenant, application=application),
                "manager_form": manager_form,
                "endorsement": endorsement,
                "can_withdraw": application.stage
                not in services.FINAL | {Stage.DECLINED, Stage.DECLINED_BY_ORGANISATION},
                "eligibility": application.round.eligibility_for(application.role),
                # What follows the submit for this role (the round's steps, per role).
                "steps_ahead": {
                    "endorsement": services.needs_endorsement(application),
                    "nomination": services.needs_nomination(application),
                    "interview": services.needs_interview(application),
                },
            },
            status=status,
        )

    def get(self, request, tenant, pk):
        return self.render_page(self.get_application())

    def post(self, request, tenant, pk):
        application = self.get_application()
        if not application.is_open_for_editing:
            messages.error(request, _("The application can no longer be changed."))
            return redirect("applications:edit", tenant=tenant, pk=pk)
        questions = selectors.questions_for(tenant=self.tenant, round_=application.round)
        form = ApplicationForm(request.POST, application=application, questions=questions)
        if not form.has_any_field():
            messages.error(request, _("Nothing was saved: the form arrived empty. Try again."))
            return redirect("applications:edit", tenant=tenant, pk=pk)
        if not form.is_valid():
            return self.render_page(application, form=form, status=400)
        application = services.save_draft(
            application=application,
            actor=request.user,
            cleaned_data=form.draft_values(),
            answers=form.draft_answers(),
            consent=bool(form.cleaned_data.get("consent")),
        )
        if "submit" in request.POST and application.stage == Stage.DRAFT:
            try:
                services.submit(
                    application=application, actor=request.user, base_url=base_url(request)
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
                messages.warning(
                    request,
                    _(
                        "Your answers are saved as a draft, but the application "
                        "could not be submitted yet."
                    ),
                )
                return self.render_page(application, form=form, status=400)
            messages.success(request, _("Thank you! Your application has been submitted."))
        else:
            messages.success(request, _("Your answers have been saved."))
        return redirect("applications:edit", tenant=tenant, pk=pk)


class AutosaveView(OwnApplicationMixin, View):
    """htmx: save the draft quietly while the person types (nothing lost on a closed tab)."""

    def post(self, request, tenant, pk):
        application = self.get_application()
        if not application.is_open_for_editing:
            return HttpResponse(status=409)
        questions = selectors.questions_for(tenant=self.tenant, round_=application.round)
        form = ApplicationForm(request.POST, application=application, questions=questions)
        if not form.has_any_field():
            return render(
                request,
                "applications/includes/autosave_status.html",
                {"saved": False, "nothing": True},
            )
        form.is_valid()  # what validates is saved; the rest is shown as not saved
        services.save_draft(
            application=application,
            actor=request.user,
            cleaned_data=form.draft_values(),
            answers=form.draft_answers(),
            consent=bool(form.cleaned_data.get("consent")),
        )
        return render(
            request,
            "applications/includes/autosave_status.html",
            {"saved": True, "invalid": list(form.errors)},
        )


class WithdrawView(OwnApplicationMixin, View):
    def post(self, request, tenant, pk):
        application = self.get_application()
        try:
            services.withdraw(
                application=application,
                actor=request.user,
                reason=request.POST.get("reason", "")[:2000],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("applications:edit", tenant=tenant, pk=pk)


class ResendEndorsementView(OwnApplicationMixin, View):
    def post(self, request, tenant, pk):
        application = self.get_application()
        form = ManagerForm(request.POST)
        if form.is_valid():
            try:
                services.resend_endorsement(
                    application=application,
                    actor=request.user,
                    base_url=base_url(request),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(request, _("Your manager has been sent a new request."))
                return redirect("applications:edit", tenant=tenant, pk=pk)
        return ApplicationEditView(
            request=request, kwargs=self.kwargs, tenant=self.tenant
        ).render_page(application, manager_form=form, status=400)


class PutForwardAcceptView(TenantMixin, View):
    """A person put forward by their HR contact: sign in or up, then start the application.

    Opening the link changes nothing; the application is started by the button (a POST) that
    the person sees once signed in as the address the link was sent to.
    """

    template_name = "applications/put_forward_accept.html"

    def get_put_forward(self, token):
        return get_object_or_404(
            PutForward.objects.select_related("round__programme", "organisation"),
            tenant=self.tenant,
            token=token,
        )

    def get(self, request, tenant, token):
        invitation = self.get_put_forward(token)
        try:
            services.check_put_forward(invitation)
        except InvitationError as error:
            return self._problem(request, error)
        if not request.user.is_authenticated:
            allow_signup(request, reason="put_forward")
            from allauth.account.adapter import get_adapter

            get_adapter(request).stash_verified_email(request, invitation.email)
        wrong_user = (
            request.user.is_authenticated and request.user.email.lower() != invitation.email.lower()
        )
        return render(
            request,
            self.template_name,
            {"invitation": invitation, "next": request.path, "wrong_user": wrong_user},
            status=403 if wrong_user else 200,
        )

    def post(self, request, tenant, token):
        invitation = self.get_put_forward(token)
        if not request.user.is_authenticated:
            return redirect(request.path)
        try:
            application = services.accept_put_forward(
                tenant=self.tenant, put_forward=invitation, user=request.user
            )
        except InvitationError as error:
            if error.code == "wrong_user":
                return render(
                    request,
                    self.template_name,
                    {"invitation": invitation, "next": request.path, "wrong_user": True},
                    status=403,
                )
            return self._problem(request, error)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("programmes:public_round", tenant=tenant, pk=invitation.round_id)
        return redirect("applications:edit", tenant=tenant, pk=application.pk)

    def _problem(self, request, error):
        return render(
            request,
            "applications/put_forward_problem.html",
            {"error": error, "invitation": error.invitation},
            status=410,
        )


# --- the manager's endorsement -------------------------------------------------------------------


class EndorseView(PersonalDataViewMixin, TenantMixin, View):
    template_name = "applications/endorse.html"
    view_action = "application.viewed"

    def resolve(self, key):
        """The endorsement, or the page that says why the link cannot be used."""
        try:
            endorsement = services.resolve_endorsement(tenant=self.tenant, key=key)
        except ValidationError as exc:
            return None, self.problem(exc.messages[0], status=410)
        try:
            services.check_endorser(endorsement=endorsement, user=self.request.user)
        except PermissionDenied as exc:
            return None, self.problem(str(exc), status=403)
        return endorsement, None

    def problem(self, message, *, status):
        return render(
            self.request,
            "applications/endorse_problem.html",
            {"message": message},
            status=status,
        )

    def get(self, request, tenant, key):
        endorsement, refused = self.resolve(key)
        if refused:
            return refused
        self.viewed_object, self.viewed_as = endorsement.application, "manager"
        return render(
            request,
            self.template_name,
            {
                "endorsement": endorsement,
                "application": endorsement.application,
                "form": EndorseForm(),
            },
        )

    def post(self, request, tenant, key):
        endorsement, refused = self.resolve(key)
        if refused:
            return refused
        form = EndorseForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {"endorsement": endorsement, "application": endorsement.application, "form": form},
                status=400,
            )
        try:
            services.decide_endorsement(
                endorsement=endorsement,
                actor=request.user,
                base_url=base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            return self.problem(exc.messages[0], status=409)
        except PermissionDenied as exc:
            return self.problem(str(exc), status=403)
        return render(
            request,
            "applications/endorse_done.html",
            {"supports": form.cleaned_data["supports"], "application": endorsement.application},
        )


# --- HR contacts ---------------------------------------------------------------------------------


HR_SORTS = {
    "stage": (gettext_lazy("Stage"), ("stage", "role", "full_name", "id")),
    "name": (gettext_lazy("Name"), ("full_name", "id")),
    "organisation": (gettext_lazy("Organisation"), ("organisation__name", "full_name", "id")),
    "role": (gettext_lazy("Role"), ("role", "full_name", "id")),
}
# Stages in which an application uses one of the organisation's nominations.
QUOTA_STAGES = (
    Stage.NOMINATED,
    Stage.UNDER_REVIEW,
    Stage.ACCEPTED,
    Stage.WAITLISTED,
    Stage.MATCHED,
)


class HRApplicationListView(PersonalDataViewMixin, HRContactRequiredMixin, TemplateView):
    template_name = "applications/hr_list.html"

    def get_context_data(self, **kwargs):
        from django.db.models import Count, Q

        ctx = super().get_context_data(**kwargs)
        round_ = _round_or_404(self.tenant, self.kwargs["round_pk"])
        mine = selectors.applications_for_hr(
            tenant=self.tenant, round_=round_, membership=self.membership
        )
        filters = selectors.list_filters(self.request.GET, tenant=self.tenant, round_=round_)
        listing = Listing(
            self.request,
            selectors.apply_filters(mine, filters, search=selectors.PEOPLE_SEARCH),
            sorts=HR_SORTS,
            default_sort="stage",
            searched=True,
        )
        used = dict(
            mine.order_by()
            .values("organisation_id")
            .annotate(n=Count("id", filter=Q(stage__in=QUOTA_STAGES)))
            .values_list("organisation_id", "n")
        )
        organisations = list(self.membership.organisations.all())
        quota_rows = [(org, used.get(org.pk, 0)) for org in organisations]
        rows = with_labels(listing.rows, role=ParticipantRole.choices, stage=Stage.choices)
        self.viewed_count = len(rows)
        ctx.update(
            round=round_,
            listing=listing,
            applications=rows,
            quota_rows=quota_rows,
            can_bulk_nominate=round_.requires_nomination
            and any(a.stage == Stage.AWAITING_NOMINATION for a in listing.rows),
            filters=filters,
            stages=[(v, label) for v, label in Stage.choices if v != Stage.DRAFT],
            export_query=self.request.GET.urlencode(),
        )
        return ctx


class HRApplicationView(PersonalDataViewMixin, HRContactRequiredMixin, View):
    template_name = "applications/hr_detail.html"
    view_action = "application.viewed"

    def get_application(self):
        application = get_object_or_404(
            Application.objects.select_related(
                "round", "round__programme", "organisation"
            ).prefetch_related("themes", "endorsements", "nominations"),
            tenant=self.tenant,
            pk=self.kwargs["pk"],
        )
        if (
            not rules.can_see_application(self.membership, application)
            or application.stage == Stage.DRAFT
        ):
            raise Http404
        self.viewed_object, self.viewed_as = application, "hr_contact"
        return application

    def render_page(self, application, form=None, status=200):
        form = form or NominationForm(initial={"version": application.version})
        return render(
            self.request,
            self.template_name,
            {
                "application": application,
                "round": application.round,
                "form": form,
                "questions": selectors.questions_for(tenant=self.tenant, round_=application.round),
            },
            status=status,
        )

    def get(self, request, tenant, pk):
        return self.render_page(self.get_application())

    def post(self, request, tenant, pk):
        application = self.get_application()
        form = NominationForm(request.POST)
        if form.is_valid():
            try:
                services.nominate(
                    application=application,
                    actor=request.user,
                    membership=self.membership,
                    nominated=form.cleaned_data["decision"] == "nominate",
                    motivation=form.cleaned_data["motivation"],
                    expected_version=form.cleaned_data["version"],
                )
            except services.Conflict as exc:
                messages.error(request, str(exc))
                return redirect("applications:hr_detail", tenant=tenant, pk=pk)
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(request, _("Your decision has been saved."))
                return redirect(
                    "applications:hr_list", tenant=tenant, round_pk=application.round_id
                )
        return self.render_page(application, form=form, status=400)


class HRBulkNominateView(HRContactRequiredMixin, View):
    """Nominate (or not) the applicants selected on the HR list, with one motivation."""

    def post(self, request, tenant, round_pk):
        round_ = _round_or_404(self.tenant, round_pk)
        back = reverse("applications:hr_list", args=[self.tenant.slug, round_.pk])
        mine = selectors.applications_for_hr(
            tenant=self.tenant, round_=round_, membership=self.membership
        )
        form = HRBulkNominationForm(request.POST, applications=mine)
        if not form.is_valid():
            if "selected" in form.errors and request.POST.getlist("selected"):
                messages.error(
                    request,
                    _(
                        "Some of the chosen applications are not from your organisations in this "
                        "round. Nothing was changed; choose again."
                    ),
                )
            elif "selected" in form.errors:
                messages.error(request, _("Choose the applicants first."))
            else:
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
            return redirect(back)
        nominated = form.cleaned_data["decision"] == "nominate"
        done, refused = services.nominate_bulk(
            tenant=self.tenant,
            round_=round_,
            applications=list(form.cleaned_data["selected"]),
            actor=request.user,
            membership=self.membership,
            nominated=nominated,
            motivation=form.cleaned_data["motivation"],
        )
        if done:
            if nominated:
                text = ngettext(
                    "%(n)s applicant nominated.", "%(n)s applicants nominated.", len(done)
                )
            else:
                text = ngettext(
                    "%(n)s applicant not nominated.", "%(n)s applicants not nominated.", len(done)
                )
            messages.success(request, text % {"n": len(done)})
        for application, reason in refused[:NAMED_REFUSALS]:
            messages.error(request, f"{application.full_name or application.email}: {reason}")
        if len(refused) > NAMED_REFUSALS:
            more = len(refused) - NAMED_REFUSALS
            messages.error(
                request,
                ngettext(
                    "%(n)s more application could not be changed.",
                    "%(n)s more applications could not be changed.",
                    more,
                )
                % {"n": more},
            )
        return redirect(back)


class PutForwardView(HRContactRequiredMixin, View):
    template_name = "applications/put_forward.html"

    def setup_round(self):
        self.round = _round_or_404(self.tenant, self.kwargs["round_pk"])

    def get(self, request, tenant, round_pk):
        self.setup_round()
        form = PutForwardForm(
            organisations=self.membership.organisations.all(),
            roles=self.round.step_roles("nomination"),
        )
        return render(request, self.template_name, {"round": self.round, "form": form})

    def post(self, request, tenant, round_pk):
        self.setup_round()
        form = PutForwardForm(
            request.POST,
            organisations=self.membership.organisations.all(),
            roles=self.round.step_roles("nomination"),
        )
        if form.is_valid():
            try:
                services.put_forward(
                    tenant=self.tenant,
                    actor=request.user,
                    membership=self.membership,
                    round_=self.round,
                    base_url=base_url(request),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s has been invited to complete an application.")
                    % {"name": form.cleaned_data["full_name"]},
                )
                return redirect("applications:hr_list", tenant=tenant, round_pk=round_pk)
        return render(request, self.template_name, {"round": self.round, "form": form}, status=400)


# --- coordinators -----------------------------------------------------------------------------------


REVIEW_SORTS = {
    "role": (gettext_lazy("Role"), ("role", "full_name", "id")),
    "name": (gettext_lazy("Name"), ("full_name", "id")),
    "organisation": (gettext_lazy("Organisation"), ("organisation__name", "full_name", "id")),
    "stage": (gettext_lazy("Stage"), ("stage", "full_name", "id")),
    "submitted": (gettext_lazy("Submitted"), ("submitted_at", "id")),
}
# What a row of the review list shows (the rest of each application stays in the database).
REVIEW_ROW_FIELDS = (
    "id",
    "tenant",
    "round",
    "full_name",
    "email",
    "role",
    "stage",
    "manager_level",
    "years_as_manager",
    "years_in_level",
    "submitted_at",
    "organisation__id",
    "organisation__name",
)
# How many refusals a bulk decision names one by one; the rest are counted.
NAMED_REFUSALS = 10


def describe_filters(filters):
    """The list filters in words, [(what, value)], as the confirmation of a decision for all
    that match shows them: "Stage: Under review · Organisation: X · Search: ”anna”"."""
    words = []
    if filters.get("stage"):
        words.append((_("Stage"), Stage(filters["stage"]).label))
    if filters.get("role"):
        words.append(
            (_("Role"), _("Mentors") if filters["role"] == "mentor" else _("Adepts")),
        )
    if filters.get("organisation_asked"):
        org = filters.get("organisation")
        words.append((_("Organisation"), org.name if org else _("unknown organisation")))
    if filters.get("theme_asked"):
        theme = filters.get("theme")
        words.append((_("Theme"), theme.name if theme else _("unknown theme")))
    if filters.get("interview") == "missing":
        words.append((_("Interview"), _("no interview notes yet")))
    if filters.get("q"):
        words.append((_("Search"), _("“%(text)s”") % {"text": filters["q"]}))
    return words


class ReviewListView(PersonalDataViewMixin, CoordinatorRequiredMixin, View):
    """The coordinator's applications of a round: filters, search, sort and pages in the
    address; decisions for the chosen ones or for all that match the filter (confirmed with
    the count first, refused when the set changed in between)."""

    template_name = "applications/review_list.html"
    confirm_template_name = "applications/bulk_confirm.html"

    def matching(self, round_, filters):
        return selectors.applications_for_review(tenant=self.tenant, round_=round_, filters=filters)

    def list_url(self, round_, params):
        """The list again, with the filters, sort and page it was posted from."""
        from urllib.parse import urlencode

        keep = {
            k: params[k] for k in (*selectors.LIST_FILTER_KEYS, "sort", "page") if params.get(k)
        }
        address = reverse("applications:review_list", args=[self.tenant.slug, round_.pk])
        return f"{address}?{urlencode(keep)}" if keep else address

    def get(self, request, tenant, round_pk):
        round_ = _round_or_404(self.tenant, round_pk)
        filters = selectors.list_filters(request.GET, tenant=self.tenant, round_=round_)
        listing = Listing(
            request,
            self.matching(round_, filters)
            .select_related(None)
            .select_related("organisation")
            .prefetch_related(None)
            .prefetch_related(
                Prefetch("themes", queryset=Theme.objects.only("id", "name"), to_attr="theme_list")
            )
            .only(*REVIEW_ROW_FIELDS),
            sorts=REVIEW_SORTS,
            default_sort="role",
            searched=True,
        )
        rows = with_labels(
            listing.rows,
            role=ParticipantRole.choices,
            stage=Stage.choices,
            manager_level=Application._meta.get_field("manager_level").flatchoices,
        )
        for row in rows:
            row.theme_names = ", ".join(t.name for t in row.theme_list)
        self.viewed_count = len(rows)
        return render(
            request,
            self.template_name,
            {
                "round": round_,
                "listing": listing,
                "applications": rows,
                # The years at the manager level, where the round's eligibility asked them.
                "years_in_level_shown": any(row.years_in_level is not None for row in rows),
                "filters": filters,
                "filter_query": selectors.filter_query(filters),
                "export_query": request.GET.urlencode(),
                "stages": Stage.choices,
                "organisations": Organisation.objects.filter(tenant=self.tenant).order_by("name"),
                "themes": Theme.objects.filter(programme=round_.programme),
                "counts": selectors.stage_counts(tenant=self.tenant, round_=round_),
            },
        )

    def post(self, request, tenant, round_pk):
        round_ = _round_or_404(self.tenant, round_pk)
        back = self.list_url(round_, request.POST)
        if request.POST.get("all_matching"):
            return self.post_all_matching(request, round_, back)
        form = BulkDecisionForm(request.POST, round_=round_)
        if not form.is_valid():
            # Ids posted but not all of this round: refused as a whole, nothing decided.
            if "selected" in form.errors and request.POST.getlist("selected"):
                messages.error(
                    request,
                    _(
                        "Some of the chosen applications are not in this round. Nothing was "
                        "changed; choose again."
                    ),
                )
            else:
                messages.error(request, _("Choose applications and a decision."))
            return redirect(back)
        self.decide(request, list(form.cleaned_data["selected"]), form.cleaned_data["decision"])
        return redirect(back)

    def post_all_matching(self, request, round_, back):
        """First post: the confirmation page with the count. Second (``confirm``): decide, when
        the set is still the one that was confirmed."""
        decision = request.POST.get("decision", "")
        if decision not in services.DECISIONS:
            messages.error(request, _("Choose applications and a decision."))
            return redirect(back)
        filters = selectors.list_filters(request.POST, tenant=self.tenant, round_=round_)
        ids = list(self.matching(round_, filters).order_by("pk").values_list("pk", flat=True))
        digest = listing_ids_digest(ids)
        changed = request.POST.get("confirm") and (
            request.POST.get("digest") != digest or request.POST.get("count") != str(len(ids))
        )
        if not ids:
            messages.error(request, _("No applications match the filter. Nothing was changed."))
            return redirect(back)
        if not request.POST.get("confirm") or changed:
            return render(
                request,
                self.confirm_template_name,
                {
                    "round": round_,
                    "count": len(ids),
                    "count_display": number_format(len(ids), force_grouping=True),
                    "digest": digest,
                    "decision": decision,
                    "decision_label": Stage(decision).label,
                    "filters": filters,
                    "filter_words": describe_filters(filters),
                    "filter_query": selectors.filter_query(filters),
                    "sort": request.POST.get("sort", ""),
                    "changed": changed,
                    "back": back,
                },
                status=409 if changed else 200,
            )
        applications = list(
            Application.objects.filter(tenant=self.tenant, round=round_, pk__in=ids).order_by("pk")
        )
        self.decide(request, applications, decision)
        return redirect(back)

    def decide(self, request, applications, decision):
        done, refused = services.decide_bulk(
            tenant=self.tenant, applications=applications, actor=request.user, decision=decision
        )
        if done:
            messages.success(
                request,
                ngettext("%(n)s application updated.", "%(n)s applications updated.", len(done))
                % {"n": len(done)},
            )
        for application, reason in refused[:NAMED_REFUSALS]:
            messages.error(request, f"{application.full_name}: {reason}")
        if len(refused) > NAMED_REFUSALS:
            more = len(refused) - NAMED_REFUSALS
            messages.error(
                request,
                ngettext(
                    "%(n)s more application could not be changed.",
                    "%(n)s more applications could not be changed.",
                    more,
                )
                % {"n": more},
            )


class ReviewDetailView(PersonalDataViewMixin, CoordinatorRequiredMixin, View):
    template_name = "applications/review_detail.html"
    view_action = "application.viewed"

    def get_application(self):
        return get_object_or_404(
            Application.objects.select_related(
                "round", "round__programme", "organisation", "user"
            ).prefetch_related("themes", "endorsements", "nominations__decided_by"),
            tenant=self.tenant,
            pk=self.kwargs["pk"],
        )

    def render_page(self, application, status=200, **forms):
        interview = (
            getattr(application, "interview", None) if hasattr(application, "interview") else None
        )
        ctx = {
            "application": application,
            "round": application.round,
            "history": selectors.history(tenant=self.tenant, application=application),
            "questions": selectors.questions_for(tenant=self.tenant, round_=application.round),
            "interview_form": forms.get("interview_form")
            or InterviewForm(
                initial={
                    "booking": interview.booking if interview else "",
                    "notes": interview.notes if interview else "",
                }
            ),
            "decision_form": forms.get("decision_form")
            or DecisionForm(
                initial={"version": application.version},
                interview_missing=services.interview_missing(application),
            ),
            "move_back_form": forms.get("move_back_form")
            or MoveBackForm(application=application, initial={"version": application.version}),
            "can_decide": bool(
                services.TRANSITIONS.get(application.stage, set()) & services.DECISIONS
            ),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, tenant, pk):
        application = self.get_application()
        self.viewed_object, self.viewed_as = application, "coordinator"
        return self.render_page(application)

    def post(self, request, tenant, pk):
        application = self.get_application()
        action = request.POST.get("action")
        try:
            if action == "interview":
                form = InterviewForm(request.POST)
                if not form.is_valid():
                    return self.render_page(application, status=400, interview_form=form)
                services.save_interview(
                    application=application, actor=request.user, **form.cleaned_data
                )
                messages.success(request, _("The interview notes have been saved."))
            elif action == "decide":
                form = DecisionForm(
                    request.POST, interview_missing=services.interview_missing(application)
                )
                if not form.is_valid():
                    return self.render_page(application, status=400, decision_form=form)
                try:
                    services.decide(
                        application=application,
                        actor=request.user,
                        decision=form.cleaned_data["decision"],
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["version"],
                        override_interview=form.cleaned_data.get("override_interview", False),
                    )
                except ValidationError as exc:
                    if not hasattr(exc, "error_dict"):
                        raise
                    errors_into_form(form, exc)
                    return self.render_page(application, status=400, decision_form=form)
                messages.success(request, _("The decision has been saved."))
            elif action == "move_back":
                form = MoveBackForm(request.POST, application=application)
                if not form.is_valid():
                    return self.render_page(application, status=400, move_back_form=form)
                services.move_back(
                    application=application,
                    actor=request.user,
                    to_stage=form.cleaned_data["to_stage"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, _("The application has been moved back."))
            else:
                raise Http404
        except services.Conflict as exc:
            messages.error(request, str(exc))
            return redirect("applications:review_detail", tenant=tenant, pk=pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("applications:review_detail", tenant=tenant, pk=pk)


class FormBuilderView(CoordinatorRequiredMixin, View):
    """The round's custom questions, with a live preview of the form as applicants see it."""

    template_name = "applications/form_builder.html"

    def render_page(self, round_, form=None, status=200):
        questions = selectors.questions_for(tenant=self.tenant, round_=round_)
        previews = {}
        for role in ("mentor", "adept"):
            sample = Application(tenant=self.tenant, round=round_, role=role)
            previews[role] = ApplicationForm(
                application=sample, questions=questions, auto_id=f"preview_{role}_%s"
            )
        return render(
            self.request,
            self.template_name,
            {
                "round": round_,
                "questions": questions,
                "form": form or QuestionForm(),
                "previews": previews,
            },
            status=status,
        )

    def get(self, request, tenant, round_pk):
        round_ = _round_or_404(self.tenant, round_pk)
        if request.htmx and request.GET.get("preview"):
            form = QuestionForm(request.GET)
            return render(
                request,
                "applications/includes/question_preview.html",
                {"field": _preview_field(form)},
            )
        return self.render_page(round_)

    def post(self, request, tenant, round_pk):
        round_ = _round_or_404(self.tenant, round_pk)
        form = QuestionForm(request.POST)
        if not form.is_valid():
            return self.render_page(round_, form=form, status=400)
        services.save_question(
            tenant=self.tenant, actor=request.user, question=form.save(commit=False), round_=round_
        )
        messages.success(request, _("The question has been added."))
        return redirect("applications:form_builder", tenant=tenant, round_pk=round_pk)


def _preview_field(form):
    from .forms import question_field

    form.is_valid()
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    question = Question(
        label=data.get("label") or _("Your question"),
        help_text=data.get("help_text", ""),
        kind=data.get("kind") or Question.Kind.SHORT_TEXT,
        choices=form.instance.choices or [_("Choice 1"), _("Choice 2")],
    )
    from django import forms as djforms

    preview = djforms.Form(auto_id="preview_q_%s")
    preview.fields["preview"] = question_field(question)
    return preview["preview"]


class QuestionEditView(CoordinatorRequiredMixin, View):
    template_name = "applications/question_form.html"

    def get_question(self):
        return get_object_or_404(
            Question.objects.select_related("round", "round__programme"),
            tenant=self.tenant,
            pk=self.kwargs["pk"],
        )

    def get(self, request, tenant, pk):
        question = self.get_question()
        return render(
            request,
            self.template_name,
            {
                "question": question,
                "round": question.round,
                "form": QuestionForm(instance=question),
            },
        )

    def post(self, request, tenant, pk):
        question = self.get_question()
        if request.POST.get("action") == "delete":
            deleted = services.delete_question(
                tenant=self.tenant, actor=request.user, question=question
            )
            if deleted:
                messages.success(request, _("The question has been deleted."))
            else:
                messages.success(
                    request,
                    _(
                        "People have answered the question, so it has been hidden "
                        "instead of deleted. Their answers are kept."
                    ),
                )
            return redirect("applications:form_builder", tenant=tenant, round_pk=question.round_id)
        form = QuestionForm(request.POST, instance=question)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {"question": question, "round": question.round, "form": form},
                status=400,
            )
        services.save_question(
            tenant=self.tenant, actor=request.user, question=form.save(commit=False)
        )
        messages.success(request, _("The question has been saved."))
        return redirect("applications:form_builder", tenant=tenant, round_pk=question.round_id)


class ThemeListView(CoordinatorRequiredMixin, View):
    template_name = "applications/themes.html"

    def get_programme(self):
        return get_object_or_404(Programme, tenant=self.tenant, pk=self.kwargs["programme_pk"])

    def render_page(self, programme, form=None, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "programme": programme,
                "themes": list(programme.themes.all()),
                "form": form or ThemeForm(),
            },
            status=status,
        )

    def get(self, request, tenant, programme_pk):
        return self.render_page(self.get_programme())

    def post(self, request, tenant, programme_pk):
        programme = self.get_programme()
        if request.POST.get("toggle", "").isdigit():
            theme = get_object_or_404(Theme, programme=programme, pk=int(request.POST["toggle"]))
            services.set_theme_active(
                tenant=self.tenant, actor=request.user, theme=theme, active=not theme.is_active
            )
            return redirect("applications:themes", tenant=tenant, programme_pk=programme_pk)
        form = ThemeForm(request.POST)
        if form.is_valid():
            try:
                services.save_theme(
                    tenant=self.tenant,
                    actor=request.user,
                    theme=form.save(commit=False),
                    programme=programme,
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(request, _("The theme has been added."))
                return redirect("applications:themes", tenant=tenant, programme_pk=programme_pk)
        return self.render_page(programme, form=form, status=400)


class FieldSettingsView(CoordinatorRequiredMixin, View):
    """The programme's standard fields per role, what adepts see on a mentor's card and the
    pairs' cost setting; "start from a template" fills them in from a seed programme. The
    rounds follow the programme's settings (``standard_fields``)."""

    template_name = "applications/field_settings.html"

    def get_programme(self):
        return get_object_or_404(Programme, tenant=self.tenant, pk=self.kwargs["programme_pk"])

    def get_round(self, programme):
        """The round whose menu led here (``?round=``), so the page shows that menu; only a
        round of this programme."""
        pk = self.request.GET.get("round", "")
        if not pk.isdigit():
            return None
        return programme.rounds.filter(tenant=self.tenant, pk=int(pk)).first()

    def done(self, programme):
        url = reverse("applications:field_settings", args=[self.tenant.slug, programme.pk])
        round_ = self.get_round(programme)
        return redirect(f"{url}?round={round_.pk}" if round_ else url)

    def render_page(self, programme, form=None, preset_form=None, status=200):
        settings = services.field_settings(programme)
        from_round = self.get_round(programme)
        round_ = from_round or programme.rounds.order_by("-id").first()
        previews = {}
        if round_ is not None:
            questions = selectors.questions_for(tenant=self.tenant, round_=round_)
            for role in ("mentor", "adept"):
                sample = Application(tenant=self.tenant, round=round_, role=role)
                previews[role] = ApplicationForm(
                    application=sample, questions=questions, auto_id=f"preview_{role}_%s"
                )
        return render(
            self.request,
            self.template_name,
            {
                "programme": programme,
                "form": form or FieldSettingsForm(settings=settings),
                "preset_form": preset_form or FieldPresetForm(),
                "previews": previews,
                "preview_round": round_,
                "round": from_round,
            },
            status=status,
        )

    def get(self, request, tenant, programme_pk):
        return self.render_page(self.get_programme())

    def post(self, request, tenant, programme_pk):
        programme = self.get_programme()
        if request.POST.get("action") == "preset":
            preset_form = FieldPresetForm(request.POST)
            if not preset_form.is_valid():
                return self.render_page(programme, preset_form=preset_form, status=400)
            services.apply_field_preset(
                tenant=self.tenant,
                actor=request.user,
                programme=programme,
                preset=preset_form.cleaned_data["preset"],
            )
            messages.success(
                request,
                _("The template has been applied. Change what does not fit and save."),
            )
            return self.done(programme)
        form = FieldSettingsForm(request.POST, settings=services.field_settings(programme))
        if not form.is_valid():
            return self.render_page(programme, form=form, status=400)
        services.save_field_settings(
            tenant=self.tenant,
            actor=request.user,
            programme=programme,
            fields=form.chosen_fields(),
            card_fields=form.cleaned_data["card_fields"],
            records_pair_cost=form.cleaned_data["records_pair_cost"],
        )
        messages.success(request, _("The standard fields have been saved."))
        return self.done(programme)
