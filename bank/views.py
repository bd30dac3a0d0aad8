"""The mentor bank pages (continuous programmes where HR assigns a mentor to each new manager).

HR contacts under ``hr/bank/<round>/`` see and register only people of their own organisations;
coordinators use the same pages under ``manage/bank/<round>/`` for every organisation. Anything
outside those (another tenant, another organisation, a round without a bank) is a 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from applications.models import Application, Theme
from mentorship.listing import Listing
from mentorship.web import base_url, errors_into_form
from organisations import rules
from organisations.access import CoordinatorRequiredMixin, HRContactRequiredMixin, TenantMixin
from organisations.models import Organisation
from organisations.viewlog import PersonalDataViewMixin
from pairs.models import Pair
from programmes import services as programme_services
from programmes.models import ParticipantRole, Programme, Round

from . import selectors, services
from .forms import NewManagerForm
from .models import BankMentor

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
                    base_url=base_url(request),
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


# --- the standing mentor bank: every mentor, their places, pausing the intake ----------------


class MentorsMixin(BankMixin):
    """The bank page is for every continuous programme (the adept chooses, or HR assigns)."""

    def get_round(self):
        return get_object_or_404(
            Round.objects.select_related("programme"),
            Q(programme__kind=Programme.Kind.CONTINUOUS)
            | Q(programme__matching_mode=Programme.MatchingMode.HR_ASSIGNS),
            tenant=self.tenant,
            pk=self.kwargs["round_pk"],
        )

    def organisation_ids(self):
        if rules.is_coordinator(self.membership) and self.url_prefix == "manage_bank":
            return None
        return list(rules.hr_organisation_ids(self.membership))


class MentorsView(MentorsMixin, View):
    template_name = "bank/mentors.html"
    sorts = {
        "name": (gettext_lazy("Name"), ("full_name", "id")),
        "places": (
            gettext_lazy("Places left"),
            ("free", "full_name", "id"),
            gettext_lazy("Most places left"),
        ),
        "activity": (gettext_lazy("Last activity"), ("last_meeting", "id")),
    }

    def get(self, request, tenant, round_pk):
        round_ = self.get_round()
        org_ids = self.organisation_ids()
        mentors = selectors.bank_mentors(
            tenant=self.tenant, round_=round_, organisation_ids=org_ids
        )
        status = request.GET.get("status", "")
        if status in BankMentor.Status.values:
            mentors = mentors.filter(bank_status=status)
        else:
            status = ""
        listing = Listing(
            request,
            mentors,
            sorts=self.sorts,
            default_sort="name",
            search=("full_name", "email", "organisation__name", "job_title"),
        )
        rows = selectors.decorate(list(listing.rows))
        waiting = selectors.waiting_adepts(
            tenant=self.tenant, round_=round_, organisation_ids=org_ids
        )
        self.viewed_count = len(rows) + len(waiting)
        return render(
            request,
            self.template_name,
            self.context(
                round_,
                listing=listing,
                mentors=rows,
                waiting=waiting,
                status=status,
                statuses=BankMentor.Status.choices,
                max_places=services.MAX_PLACES,
                is_coordinator=self.url_prefix == "manage_bank",
            ),
        )


class PlacesView(MentorsMixin, View):
    """POST: a mentor's number of places (bank.services.set_places)."""

    def post(self, request, tenant, round_pk, pk):
        round_ = self.get_round()
        org_ids = self.organisation_ids()
        mentors = Application.objects.filter(
            tenant=self.tenant, round=round_, role=ParticipantRole.MENTOR
        )
        if org_ids is not None:
            mentors = mentors.filter(organisation_id__in=org_ids)
        mentor = get_object_or_404(mentors, pk=pk)
        back = self.url("mentors", round_.pk)
        try:
            services.set_places(
                tenant=self.tenant,
                actor=request.user,
                membership=self.membership,
                mentor_app=mentor,
                capacity=request.POST.get("capacity", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(back)
        messages.success(
            request,
            _("%(name)s's number of places is saved.") % {"name": mentor.full_name or mentor.email},
        )
        return redirect(back)


class IntakeView(CoordinatorRequiredMixin, MentorsMixin, View):
    """POST: the coordinator pauses or resumes the standing round's intake."""

    url_prefix = "manage_bank"

    def post(self, request, tenant, round_pk):
        round_ = self.get_round()
        paused = request.POST.get("paused") == "1"
        try:
            programme_services.set_intake_paused(
                tenant=self.tenant, actor=request.user, round_=round_, paused=paused
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("The intake is paused: the public page says so.")
                if paused
                else _("The intake is open again."),
            )
        return redirect(self.url("mentors", round_.pk))


class HRMentorsView(PersonalDataViewMixin, HRBank, MentorsView):
    pass


class ManageMentorsView(PersonalDataViewMixin, ManageBank, MentorsView):
    pass


class HRPlacesView(HRBank, PlacesView):
    pass


class ManagePlacesView(ManageBank, PlacesView):
    pass


# --- the mentor's own place in the bank ---------------------------------------------------------


class AvailabilityView(LoginRequiredMixin, TenantMixin, View):
    """The mentor's own page: paused, active or left, and the yearly "are you still
    available?" (yes, pause, leave). Linked from the mentor's home and the yearly mail."""

    template_name = "bank/availability.html"

    def entries(self):
        """The person's mentor applications in standing banks; none: the page is a 404."""
        entries = services.bank_mentor_applications(tenant=self.tenant, user=self.request.user)
        if not entries:
            raise Http404
        return entries

    def get(self, request, tenant):
        return render(
            request,
            self.template_name,
            {"tenant": self.tenant, "entries": self.entries(), "answers": BankMentor.Answer},
        )

    def post(self, request, tenant):
        entries = {a.pk: a for a in self.entries()}
        try:
            mentor = entries[int(request.POST.get("mentor", ""))]
        except (KeyError, ValueError) as exc:
            raise Http404 from exc
        try:
            entry = services.answer_availability(
                tenant=self.tenant,
                actor=request.user,
                mentor_app=mentor,
                answer=request.POST.get("answer", ""),
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, ANSWER_MESSAGES[entry.answer])
        return redirect("matching_bank:availability", tenant=self.tenant.slug)


ANSWER_MESSAGES = {
    BankMentor.Answer.YES: gettext_lazy("Thank you! You are in the bank and can take adepts."),
    BankMentor.Answer.PAUSE: gettext_lazy(
        "You are paused: you are not offered to adepts until you come back."
    ),
    BankMentor.Answer.LEAVE: gettext_lazy(
        "You have left the bank. You can come back here whenever you like."
    ),
}
