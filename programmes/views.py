from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from mentorship.listing import Listing
from mentorship.web import base_url, errors_into_form
from organisations.access import CoordinatorRequiredMixin, TenantMixin
from organisations.viewlog import PersonalDataViewMixin

from . import navigation, selectors, services
from .forms import (
    AttendanceForm,
    MeetingForm,
    MeetingPartFormSet,
    ParticipantForm,
    ProgrammeForm,
    RespondForm,
    RoundCopyForm,
    RoundForm,
)
from .models import MeetingPart, Participant, ParticipantRole, Programme, Round, SharedMeeting

# Lazy: translated for each request in the reader's language, not once at import.
ATTENTION_LABELS = {
    "no_meetings": gettext_lazy("No shared meeting days are scheduled."),
    "no_cap": gettext_lazy("No maximum number of pairs is set."),
    "no_eligibility": gettext_lazy("Nobody has been told who may apply (eligibility)."),
    "deadline_soon": gettext_lazy("The application deadline is less than a week away."),
}


# --- programmes ------------------------------------------------------------------------------


class ProgrammeListView(CoordinatorRequiredMixin, TemplateView):
    template_name = "programmes/programme_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["programmes"] = list(selectors.programmes_for(tenant=self.tenant))
        return ctx


class ProgrammeFormView(CoordinatorRequiredMixin, FormView):
    template_name = "programmes/programme_form.html"
    form_class = ProgrammeForm

    def get_form_kwargs(self):
        self.object = None
        if "pk" in self.kwargs:
            self.object = get_object_or_404(Programme, tenant=self.tenant, pk=self.kwargs["pk"])
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        return ctx

    def form_valid(self, form):
        try:
            programme = services.save_programme(
                tenant=self.tenant, actor=self.request.user, programme=form.save(commit=False)
            )
        except ValidationError as exc:
            errors_into_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The programme has been saved."))
        return redirect("programmes:programme_detail", tenant=self.tenant.slug, pk=programme.pk)


class ProgrammeDetailView(CoordinatorRequiredMixin, TemplateView):
    template_name = "programmes/programme_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        programme = get_object_or_404(Programme, tenant=self.tenant, pk=self.kwargs["pk"])
        ctx["programme"] = programme
        ctx["rounds"] = list(selectors.rounds_for(tenant=self.tenant, programme=programme))
        return ctx


# --- rounds ----------------------------------------------------------------------------------


class RoundMixin:
    def get_round(self):
        try:
            return selectors.get_round(tenant=self.tenant, pk=self.kwargs["pk"])
        except Round.DoesNotExist as exc:
            raise Http404 from exc


class RoundFormView(CoordinatorRequiredMixin, RoundMixin, FormView):
    template_name = "programmes/round_form.html"
    form_class = RoundForm

    def get_form_kwargs(self):
        if "pk" in self.kwargs:
            self.object = self.get_round()
            self.programme = self.object.programme
        else:
            self.object = None
            self.programme = get_object_or_404(
                Programme, tenant=self.tenant, pk=self.kwargs["programme"]
            )
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object or Round(tenant=self.tenant, programme=self.programme)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        ctx["programme"] = self.programme
        if self.object is not None:
            ctx["round"] = self.object  # the round's menu
        return ctx

    def form_valid(self, form):
        try:
            round_ = services.save_round(
                tenant=self.tenant,
                actor=self.request.user,
                round_=form.save(commit=False),
                eligibility=form.eligibility(),
            )
        except ValidationError as exc:
            errors_into_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The round has been saved."))
        return redirect("programmes:round_dashboard", tenant=self.tenant.slug, pk=round_.pk)


class RoundDashboardView(CoordinatorRequiredMixin, RoundMixin, TemplateView):
    template_name = "programmes/round_dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        round_ = self.get_round()
        ctx["round"] = round_
        ctx["figures"] = selectors.round_dashboard(tenant=self.tenant, round_=round_)
        ctx["attention"] = [ATTENTION_LABELS[key] for key in ctx["figures"]["attention"]]
        ctx["forward"], ctx["backward"] = navigation.stage_control(round_)
        return ctx


class RoundTransitionView(CoordinatorRequiredMixin, RoundMixin, View):
    """Move the round's stage. A move back asks first (the dashboard's confirmation step, or
    this confirmation page when the form came without it), saying what the move undoes."""

    def post(self, request, tenant, pk):
        round_ = self.get_round()
        target = request.POST.get("status", "")
        if target not in Round.Status.values:
            messages.error(request, _("Choose a status."))
        elif navigation.is_backward(round_, target) and request.POST.get("confirm") != "yes":
            _forward, backward = navigation.stage_control(round_)
            move = next((m for m in backward if m.target == target), None)
            if move is None:
                messages.error(
                    request,
                    _("A round that is “%(current)s” cannot become “%(target)s”.")
                    % {
                        "current": round_.get_status_display(),
                        "target": Round.Status(target).label,
                    },
                )
            else:
                return render(
                    request,
                    "programmes/round_transition_confirm.html",
                    {"round": round_, "move": move},
                )
        else:
            try:
                round_ = services.transition_round(
                    tenant=self.tenant, actor=request.user, round_=round_, to_status=target
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("The round is now “%(status)s”.") % {"status": round_.get_status_display()},
                )
        return redirect("programmes:round_dashboard", tenant=self.tenant.slug, pk=pk)


class CloseApplicationsView(CoordinatorRequiredMixin, RoundMixin, View):
    """ "Close applications now" (the dashboard's confirmation step asks first)."""

    def post(self, request, tenant, pk):
        round_ = self.get_round()
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Confirm that applications close now."))
        else:
            try:
                services.close_applications_now(
                    tenant=self.tenant, actor=request.user, round_=round_
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("Applications are closed and the round is now in review."),
                )
        return redirect("programmes:round_dashboard", tenant=self.tenant.slug, pk=pk)


class RoundCopyView(CoordinatorRequiredMixin, RoundMixin, FormView):
    template_name = "programmes/round_copy.html"
    form_class = RoundCopyForm

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        self.source = self.get_round()
        initial = {"offset_weeks": 52}
        if self.source.number is not None:
            initial["number"] = self.source.number + 1
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["round"] = self.source
        return ctx

    def form_valid(self, form):
        new = services.copy_round(
            tenant=self.tenant,
            actor=self.request.user,
            source=self.source,
            name=form.cleaned_data["name"],
            number=form.cleaned_data["number"],
            offset_days=form.cleaned_data["offset_weeks"] * 7,
        )
        messages.success(
            self.request, _("The new round has been created as a draft. Check its dates.")
        )
        return redirect("programmes:round_dashboard", tenant=self.tenant.slug, pk=new.pk)


class ParticipantListView(PersonalDataViewMixin, CoordinatorRequiredMixin, RoundMixin, FormView):
    template_name = "programmes/participant_list.html"
    form_class = ParticipantForm

    def get_form_kwargs(self):
        self.round = self.get_round()
        kwargs = super().get_form_kwargs()
        kwargs["tenant"] = self.tenant
        return kwargs

    sorts = {
        "role": (gettext_lazy("Role"), ("role", "user__full_name", "id")),
        "name": (gettext_lazy("Name"), ("user__full_name", "id")),
        "email": (gettext_lazy("E-mail"), ("user__email", "id")),
        "organisation": (
            gettext_lazy("Organisation"),
            ("organisation__name", "user__full_name", "id"),
        ),
    }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["round"] = self.round
        participants = Participant.objects.filter(
            tenant=self.tenant, round=self.round
        ).select_related("user", "organisation")
        role = self.request.GET.get("role", "")
        if role in ParticipantRole.values:
            participants = participants.filter(role=role)
        else:
            role = ""
        listing = Listing(
            self.request,
            participants,
            sorts=self.sorts,
            default_sort="role",
            search=("user__full_name", "user__email", "organisation__name"),
        )
        ctx.update(listing=listing, participants=listing.rows, role=role)
        ctx["roles"] = ParticipantRole.choices
        self.viewed_count = len(listing.rows)
        return ctx

    def form_valid(self, form):
        try:
            services.add_participant(
                tenant=self.tenant,
                actor=self.request.user,
                round_=self.round,
                base_url=base_url(self.request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            errors_into_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(name)s has been added.") % {"name": form.cleaned_data["full_name"]}
        )
        return redirect("programmes:participant_list", tenant=self.tenant.slug, pk=self.round.pk)


# --- shared meetings ---------------------------------------------------------------------------


class MeetingFormView(CoordinatorRequiredMixin, TemplateView):
    template_name = "programmes/meeting_form.html"

    def load(self):
        if self.request.resolver_match.url_name == "meeting_edit":
            self.object = get_object_or_404(
                SharedMeeting.objects.select_related("round", "round__programme"),
                tenant=self.tenant,
                pk=self.kwargs["pk"],
            )
            self.round = self.object.round
        else:
            self.object = None
            self.round = get_object_or_404(
                Round.objects.select_related("programme"), tenant=self.tenant, pk=self.kwargs["pk"]
            )

    def forms(self, data=None):
        instance = self.object or SharedMeeting(tenant=self.tenant, round=self.round)
        form = MeetingForm(data, instance=instance, tenant=self.tenant)
        initial = []
        if self.object:
            initial = [
                {
                    "title": p.title,
                    "starts_at": p.starts_at,
                    "ends_at": p.ends_at,
                    "audience": p.audience,
                }
                for p in self.object.parts.all()
            ]
        parts = MeetingPartFormSet(data, initial=initial, prefix="parts")
        return form, parts

    def get(self, request, *args, **kwargs):
        self.load()
        form, parts = self.forms()
        return self.render_to_response(self.get_context_data(form=form, parts=parts))

    def post(self, request, *args, **kwargs):
        self.load()
        form, parts = self.forms(request.POST)
        if form.is_valid() and parts.is_valid():
            part_objects = [
                MeetingPart(
                    title=f.cleaned_data["title"],
                    starts_at=f.cleaned_data["starts_at"],
                    ends_at=f.cleaned_data["ends_at"],
                    audience=f.cleaned_data["audience"],
                )
                for f in parts.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                meeting = services.save_meeting(
                    tenant=self.tenant,
                    actor=request.user,
                    meeting=form.save(commit=False),
                    parts=part_objects,
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                messages.success(request, _("The day has been saved."))
                return redirect("programmes:meeting_detail", tenant=self.tenant.slug, pk=meeting.pk)
        return self.render_to_response(self.get_context_data(form=form, parts=parts))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        ctx["round"] = self.round
        return ctx


class MeetingMixin:
    def get_meeting(self):
        return get_object_or_404(
            SharedMeeting.objects.select_related(
                "round", "round__programme", "host_organisation"
            ).prefetch_related("parts"),
            tenant=self.tenant,
            pk=self.kwargs["pk"],
        )


class MeetingDetailView(CoordinatorRequiredMixin, MeetingMixin, TemplateView):
    template_name = "programmes/meeting_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        rows = selectors.responses_for_meeting(tenant=self.tenant, meeting=meeting)
        ctx.update(
            meeting=meeting,
            round=meeting.round,
            rows=rows,
            attending=sum(1 for _p, r in rows if r and r.attending),
            declined=sum(1 for _p, r in rows if r and r.attending is False),
            unanswered=sum(1 for _p, r in rows if r is None or r.attending is None),
        )
        return ctx


class MeetingDeleteView(CoordinatorRequiredMixin, MeetingMixin, View):
    def post(self, request, tenant, pk):
        meeting = self.get_meeting()
        try:
            services.delete_meeting(tenant=self.tenant, actor=request.user, meeting=meeting)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("programmes:meeting_detail", tenant=self.tenant.slug, pk=pk)
        messages.success(request, _("The day has been deleted."))
        return redirect("programmes:round_dashboard", tenant=self.tenant.slug, pk=meeting.round_id)


class AttendanceView(MeetingDetailView):
    """Saves the attendance column of the day's page; a list that no longer fits (somebody
    not of this day) is refused as a whole and the page shown again with the error."""

    http_method_names = ["post"]

    def post(self, request, tenant, pk):
        meeting = self.get_meeting()
        form = AttendanceForm(request.POST, meeting=meeting)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(attendance_refused=True), status=400
            )
        try:
            services.mark_attendance(
                tenant=self.tenant,
                actor=request.user,
                meeting=meeting,
                attended_participant_ids=[p.pk for p in form.cleaned_data["present"]],
            )
        except ValidationError:
            return self.render_to_response(
                self.get_context_data(attendance_refused=True), status=400
            )
        messages.success(request, _("Attendance has been saved."))
        return redirect("programmes:meeting_detail", tenant=self.tenant.slug, pk=pk)


# --- public and participants --------------------------------------------------------------


class PublicRoundView(TenantMixin, TemplateView):
    template_name = "programmes/public_round.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            round_ = selectors.get_round(tenant=self.tenant, pk=self.kwargs["pk"])
        except Round.DoesNotExist as exc:
            raise Http404 from exc
        if not round_.is_public or not round_.programme.is_active:
            raise Http404
        ctx["round"] = round_
        ctx["now"] = timezone.now()
        ctx["meetings"] = list(selectors.meetings_of_round(tenant=self.tenant, round_=round_))
        ctx["mentor_rule"] = round_.eligibility_for("mentor")
        ctx["adept_rule"] = round_.eligibility_for("adept")
        return ctx


class ParticipantHomeView(LoginRequiredMixin, TenantMixin, TemplateView):
    """A participant's rounds, their shared days with answers, and their calendar address."""

    template_name = "programmes/participant_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        participations = selectors.participations_for(tenant=self.tenant, user=self.request.user)
        if not participations:
            raise Http404
        rows = selectors.meetings_for_participants(tenant=self.tenant, participants=participations)
        ctx["participations"] = participations
        ctx["today"] = timezone.localdate()
        all_rows = [
            {
                "meeting": m,
                "participant": p,
                "response": r,
                "parts": parts,
                # Her own day: a split day ends when her last part does (seed 000's adepts
                # leave after lunch, the mentors stay for a workshop), as in her calendar feed.
                "starts_at": min((x.starts_at for x in parts), default=m.starts_at),
                "ends_at": max((x.ends_at for x in parts), default=m.ends_at),
                "form": RespondForm(
                    prefix=f"m{m.pk}",
                    initial={
                        "attending": {True: "yes", False: "no"}.get(r.attending) if r else None,
                        "dietary_needs": r.dietary_needs if r else "",
                    },
                ),
            }
            for m, p, r, parts in rows
        ]
        # Days to come first; the past ones are folded away (the template's <details>).
        ctx["rows"] = [row for row in all_rows if row["meeting"].date >= ctx["today"]]
        ctx["past_rows"] = [row for row in all_rows if row["meeting"].date < ctx["today"]]
        ctx["next_steps"] = selectors.next_steps_for(
            tenant=self.tenant, user=self.request.user, rows=rows
        )
        feed = services.feed_for(tenant=self.tenant, user=self.request.user)
        ctx["feed_url"] = self.request.build_absolute_uri(
            f"/{self.tenant.slug}/calendar/{feed.token}.ics"
        )
        return ctx


class RespondView(LoginRequiredMixin, TenantMixin, View):
    def post(self, request, tenant, pk):
        meeting = get_object_or_404(
            SharedMeeting.objects.select_related("round"), tenant=self.tenant, pk=pk
        )
        participant = Participant.objects.filter(
            tenant=self.tenant,
            round=meeting.round,
            user=request.user,
            role__in=meeting.audience_roles,
        ).first()
        if participant is None:
            raise Http404
        form = RespondForm(request.POST, prefix=f"m{meeting.pk}")
        if not form.is_valid():
            messages.error(
                request, _("Answer yes or no for “%(title)s”.") % {"title": meeting.title}
            )
        else:
            try:
                services.respond_to_meeting(
                    tenant=self.tenant,
                    participant=participant,
                    meeting=meeting,
                    attending=form.cleaned_data["attending"],
                    dietary_needs=form.cleaned_data["dietary_needs"],
                )
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(
                    request,
                    _("Thank you, your answer for “%(title)s” has been saved.")
                    % {"title": meeting.title},
                )
        return redirect(f"/{self.tenant.slug}/my/#meeting-{meeting.pk}")


class RenewFeedView(LoginRequiredMixin, TenantMixin, View):
    def post(self, request, tenant):
        # Like the participant's home page: only somebody taking part here has a calendar.
        if not selectors.participations_for(tenant=self.tenant, user=request.user):
            raise Http404
        services.renew_feed(tenant=self.tenant, user=request.user)
        messages.success(
            request, _("You have a new calendar address. The old one no longer works.")
        )
        return redirect("programmes:participant_home", tenant=self.tenant.slug)
