"""The mentor bank pages (continuous programmes where HR assigns a mentor to each new manager).

HR contacts under ``hr/bank/<round>/`` see and register only people of their own organisations;
coordinators use the same pages under ``manage/bank/<round>/`` for every organisation. Anything
outside those (another tenant, another organisation, a round without a bank) is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from applications.models import Application, Theme
from mentorship.web import errors_into_form
from organisations import rules
from organisations.access import CoordinatorRequiredMixin, HRContactRequiredMixin
from organisations.models import Organisation
from organisations.viewlog import PersonalDataViewMixin
from pairs.models import Pair
from programmes.models import ParticipantRole, Programme, Round

from . import selectors, services
from .forms import NewManagerForm

Stage = Application.Stage


class BankMixin:
    """Shared by the HR and coordinator variants; subclasses say who may act for whom."""

    base_template = "base.html"
    url_prefix = "hr_bank"

    def organisations(self):
        if rules.is_coordinator(self.membership) and self.url_prefix == "manage_bank":
            return Organisation.objects.filter(tenant=self.tenant)
        return Organisation.objects.filter(
            tenant=self.tenant, pk__in=rules.hr_organisation_ids(self.membership)
        )

    def get_round(self):
        return get_object_or_404(
            Round.objects.select_related("programme"),
            tenant=self.tenant,
            pk=self.kwargs["round_pk"],
            programme__matching_mode=Programme.MatchingMode.HR_ASSIGNS,
        )

    def adepts(self, round_):
        return Application.objects.filter(
            tenant=self.tenant,
            round=round_,
            role=ParticipantRole.ADEPT,
            organisation__in=self.organisations(),
        ).select_related("organisation")

    def get_adept(self, round_):
        return get_object_or_404(self.adepts(round_), pk=self.kwargs["adept_pk"])

    def url(self, name, *args):
        return reverse(f"matching_bank:{self.url_prefix}_{name}", args=[self.tenant.slug, *args])

    def context(self, round_, **extra):
        return {
            "round": round_,
            "base_template": self.base_template,
            "prefix": self.url_prefix,
            "tenant": self.tenant,
            **extra,
        }


class BankHomeView(BankMixin, View):
    template_name = "matching/bank/home.html"

    def get(self, request, tenant, round_pk):
        round_ = self.get_round()
        waiting = list(
            self.adepts(round_)
            .filter(stage=Stage.ACCEPTED)
            .exclude(pairs_as_adept__status=Pair.Status.ACTIVE)
            .order_by("full_name", "id")
        )
        pairs = list(
            Pair.objects.filter(
                tenant=self.tenant,
                round=round_,
                status=Pair.Status.ACTIVE,
                adept__organisation__in=self.organisations(),
            )
            .select_related("mentor", "adept", "mentor__organisation", "adept__organisation")
            .order_by("-started_at", "id")
        )
        return render(
            request, self.template_name, self.context(round_, waiting=waiting, pairs=pairs)
        )


class RegisterView(BankMixin, View):
    template_name = "matching/bank/register.html"

    def make_form(self, round_, data=None):
        return NewManagerForm(
            data,
            organisations=self.organisations().order_by("name"),
            themes=Theme.objects.filter(
                tenant=self.tenant, programme_id=round_.programme_id, is_active=True
            ).order_by("position", "name"),
        )

    def get(self, request, tenant, round_pk):
        round_ = self.get_round()
        return render(
            request, self.template_name, self.context(round_, form=self.make_form(round_))
        )

    def post(self, request, tenant, round_pk):
        round_ = self.get_round()
        form = self.make_form(round_, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                adept = services.register_new_manager(
                    tenant=self.tenant,
                    actor=request.user,
                    membership=self.membership,
                    round_=round_,
                    full_name=data["full_name"],
                    email=data["email"],
                    organisation=data["organisation"],
                    job_title=data["job_title"],
                    manager_level=data["manager_level"],
                    years_as_manager=data["years_as_manager"],
                    manager_name=data["manager_name"],
                    manager_email=data["manager_email"],
                    matching_wishes=data["matching_wishes"],
                    themes=data.get("themes") or (),
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered. Choose a mentor from the suggestions.")
                    % {"name": adept.full_name},
                )
                return redirect(self.url("suggestions", round_.pk, adept.pk))
        return render(request, self.template_name, self.context(round_, form=form), status=400)


class SuggestionsView(BankMixin, View):
    """The concrete pages put PersonalDataViewMixin before their role mixin (below)."""

    template_name = "matching/bank/suggestions.html"

    def get(self, request, tenant, round_pk, adept_pk):
        round_ = self.get_round()
        adept = self.get_adept(round_)
        active = (
            Pair.objects.filter(tenant=self.tenant, adept=adept, status=Pair.Status.ACTIVE)
            .select_related("mentor", "mentor__organisation")
            .first()
        )
        suggestions, excluded = ([], [])
        if active is None and adept.stage == Stage.ACCEPTED:
            suggestions, excluded = selectors.rank_mentors(
                tenant=self.tenant, round_=round_, adept_app=adept
            )
        self.viewed_object, self.viewed_count = adept, len(suggestions)
        return render(
            request,
            self.template_name,
            self.context(
                round_,
                adept=adept,
                active=active,
                suggestions=suggestions,
                excluded=excluded,
            ),
        )


class ChooseView(BankMixin, View):
    def post(self, request, tenant, round_pk, adept_pk):
        round_ = self.get_round()
        adept = self.get_adept(round_)
        try:
            mentor_pk = int(request.POST.get("mentor", ""))
        except ValueError as exc:
            raise Http404 from exc
        mentor = get_object_or_404(
            Application.objects.select_related("organisation"),
            tenant=self.tenant,
            round=round_,
            role=ParticipantRole.MENTOR,
            pk=mentor_pk,
        )
        try:
            pair = services.assign(
                tenant=self.tenant,
                actor=request.user,
                round_=round_,
                adept_app=adept,
                mentor_app=mentor,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.url("suggestions", round_.pk, adept.pk))
        return redirect(self.url("done", round_.pk, pair.pk))


class DoneView(BankMixin, View):
    template_name = "matching/bank/done.html"

    def get(self, request, tenant, round_pk, pk):
        round_ = self.get_round()
        pair = get_object_or_404(
            Pair.objects.select_related(
                "mentor", "adept", "mentor__organisation", "adept__organisation"
            ),
            tenant=self.tenant,
            round=round_,
            pk=pk,
            adept__organisation__in=self.organisations(),
        )
        return render(request, self.template_name, self.context(round_, pair=pair))


class HRBank(HRContactRequiredMixin, BankMixin):
    base_template = "base.html"
    url_prefix = "hr_bank"


class ManageBank(CoordinatorRequiredMixin, BankMixin):
    base_template = "manage_base.html"
    url_prefix = "manage_bank"


class HRBankHomeView(HRBank, BankHomeView):
    pass


class HRRegisterView(HRBank, RegisterView):
    pass


class HRSuggestionsView(PersonalDataViewMixin, HRBank, SuggestionsView):
    pass


class HRChooseView(HRBank, ChooseView):
    pass


class HRDoneView(HRBank, DoneView):
    pass


class ManageBankHomeView(ManageBank, BankHomeView):
    pass


class ManageRegisterView(ManageBank, RegisterView):
    pass


class ManageSuggestionsView(PersonalDataViewMixin, ManageBank, SuggestionsView):
    pass


class ManageChooseView(ManageBank, ChooseView):
    pass


class ManageDoneView(ManageBank, DoneView):
    pass
