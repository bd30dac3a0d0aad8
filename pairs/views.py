"""The pair page: the two people of one pair only (anyone else, coordinators included, and
other tenants → 404; anonymous → sign in). Agreement, meetings with private notes, and the
checklists due now."""

import uuid
from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from mentorship.web import errors_into_form
from organisations.access import TenantMixin

from . import checklists, services
from .models import PairAgreement, PairMeeting


def _text(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AgreementForm(forms.Form):
    how_often = _text(
        gettext_lazy("How often we meet"),
        gettext_lazy("For example once a month, about two hours; at least 6 times a year."),
    )
    where = _text(
        gettext_lazy("Where we meet"),
        gettext_lazy("Preferably a neutral place; visits to the adept's workplace if agreed."),
    )
    cancelling = _text(gettext_lazy("How we cancel or move a meeting"))
    confidentiality = _text(
        gettext_lazy("Confidentiality"), gettext_lazy("What stays between the two of us.")
    )
    personal_not_private = _text(
        gettext_lazy("Personal but not private"),
        gettext_lazy("Openness, and where the limits are."),
    )


class _MeetingFields(forms.Form):
    """Length, how and where: shared by logging a meeting and planning one."""

    minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"),
        help_text=gettext_lazy("Between 10 and 600."),
    )
    mode = forms.ChoiceField(
        choices=PairMeeting.Mode.choices,
        initial=PairMeeting.Mode.IN_PERSON,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=gettext_lazy("Place"),
        help_text=gettext_lazy("Optional, for example a café or the link's service."),
        required=False,
        max_length=200,
    )


class MeetingForm(_MeetingFields):
    field_order = ["date", "minutes", "mode", "place", "note"]

    date = forms.DateField(
        label=gettext_lazy("Date of the meeting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=gettext_lazy("Private note"),
        help_text=gettext_lazy(
            "Optional, at most 4000 characters. Only you can ever read it: not your partner, "
            "not the coordinators, and it is never exported."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    # One-time key of this form (see services.log_meeting). Not required: a page loaded before
    # the key existed still logs, only without the protection against a double send.
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].label = gettext_lazy("How did you meet?")


class PlanForm(_MeetingFields):
    field_order = ["day", "time", "minutes", "mode", "place"]

    day = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label=gettext_lazy("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].label = gettext_lazy("How will you meet?")

    def starts_at(self):
        naive = datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        return timezone.make_aware(naive, timezone.get_current_timezone())


class EndRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you want to end the pair?"),
        help_text=gettext_lazy(
            "Only the coordinators and your organisation's HR contact read this, not your "
            "partner. At most 2000 characters."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ChecklistAnswerForm(forms.Form):
    """One checklist's live items: a checkbox for an item to tick off, a text area for a
    question. Field names ``item_<id>``; the service checks the ids."""

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        for item in checklist.live_items:
            if item.kind == item.Kind.TICK:
                field = forms.BooleanField(label=item.text, required=False)
            else:
                field = forms.CharField(
                    label=item.text,
                    required=False,
                    max_length=checklists.ANSWER_MAX,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            self.fields[f"item_{item.pk}"] = field

    def answers(self):
        out = {}
        for item in self.checklist.live_items:
            value = self.cleaned_data.get(f"item_{item.pk}")
            if item.kind == item.Kind.TICK:
                out[item.pk] = {"done": bool(value)}
            else:
                out[item.pk] = {"text": value or ""}
        return out


def checklist_initial(checklist, answers):
    initial = {}
    for item in checklist.live_items:
        answer = answers.get(item.pk)
        if answer is not None:
            initial[f"item_{item.pk}"] = answer.done if item.kind == item.Kind.TICK else answer.text
    return initial


class PairPageView(TenantMixin, TemplateView):
    template_name = "matching/pairwork/pair.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.pair = services.pair_of(tenant=request.tenant, user=request.user, pk=kwargs["pk"])
        self.role = services.role_in(self.pair, request.user)
        self.forms = {}
        return super().dispatch(request, *args, **kwargs)

    def page_url(self, anchor=""):
        url = reverse("matching_pairwork:pair", args=[self.request.tenant.slug, self.pair.pk])
        return f"{url}#{anchor}" if anchor else url

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pair, user = self.pair, self.request.user
        agreement = PairAgreement.objects.filter(pair=pair).first()
        meetings = services.meetings_of(pair)
        notes = services.my_notes(pair=pair, user=user)
        for m in meetings:
            m.my_note = notes.get(m.pk, "")
        count = len(meetings)
        coming, to_log = services.planned_of(pair)
        answers = checklists.answers_of(pair=pair, user=user)
        due = checklists.due_checklists(pair=pair, role=self.role, meeting_count=count)
        shown = []
        for checklist in due:
            form = self.forms.get(f"checklist_{checklist.pk}") or ChecklistAnswerForm(
                checklist=checklist,
                initial=checklist_initial(checklist, answers),
                prefix=f"c{checklist.pk}",
            )
            shown.append(
                {
                    "key": checklist.pk,
                    "title": checklist.title,
                    "intro": checklist.intro,
                    "form": form,
                    "on_request": checklist.timing == checklist.Timing.ON_REQUEST,
                    "answered": any(i.pk in answers for i in checklist.live_items),
                    "open": f"checklist_{checklist.pk}" in self.forms,
                }
            )
        partner_app = pair.adept if self.role == "mentor" else pair.mentor
        partner_user = pair.adept_user if self.role == "mentor" else pair.mentor_user
        fields = services.AGREEMENT_FIELDS
        initial = {f: getattr(agreement, f) for f in fields} if agreement else {}
        mine = f"{self.role}_confirmed_at"
        partner = f"{'adept' if self.role == 'mentor' else 'mentor'}_confirmed_at"
        ctx.update(
            pair=pair,
            round=pair.round,
            role=self.role,
            partner_name=partner_app.full_name or partner_user.full_name or partner_user.email,
            is_active=pair.status == pair.Status.ACTIVE,
            agreement=agreement,
            i_confirmed=bool(agreement and getattr(agreement, mine)),
            partner_confirmed=bool(agreement and getattr(agreement, partner)),
            agreement_form=self.forms.get("agreement") or AgreementForm(initial=initial),
            meeting_form=self.forms.get("meeting")
            or MeetingForm(
                initial={
                    "date": timezone.localdate(),
                    "minutes": pair.round.pair_meeting_minutes or 120,
                    "mode": PairMeeting.Mode.IN_PERSON,
                    "token": uuid.uuid4(),
                }
            ),
            meetings=meetings,
            meeting_count=count,
            min_meetings=pair.round.min_pair_meetings,
            checklists=[c for c in shown if not c["on_request"]],
            on_request=[c for c in shown if c["on_request"]],
            plan_form=self.forms.get("plan")
            or PlanForm(
                prefix="plan",
                initial={
                    "minutes": pair.round.pair_meeting_minutes or 120,
                    "mode": PairMeeting.Mode.IN_PERSON,
                },
            ),
            coming=coming,
            to_log=to_log,
            end_form=self.forms.get("end") or EndRequestForm(),
            end_requested_by_me=pair.end_requested_by_id == user.pk,
        )
        return ctx

    def invalid(self, name, form):
        self.forms[name] = form
        return self.render_to_response(self.get_context_data(), status=400)

    def post(self, request, *args, **kwargs):
        action = kwargs.get("action")
        if self.pair.status != self.pair.Status.ACTIVE:
            raise Http404
        if action == "agreement":
            return self.post_agreement()
        if action == "confirm":
            return self.post_confirm()
        if action == "meeting":
            return self.post_meeting()
        if action == "checklist":
            return self.post_checklist(kwargs.get("checklist_pk"))
        if action == "plan":
            return self.post_plan()
        if action == "cancel_planned":
            return self.post_cancel_planned(kwargs.get("planned_pk"))
        if action == "log_planned":
            return self.post_log_planned(kwargs.get("planned_pk"))
        if action == "request_end":
            return self.post_request_end()
        if action == "withdraw_end":
            return self.post_withdraw_end()
        raise Http404

    def post_plan(self):
        form = PlanForm(self.request.POST, prefix="plan")
        if not form.is_valid():
            return self.invalid("plan", form)
        try:
            services.plan_meeting(
                tenant=self.tenant,
                actor=self.request.user,
                pair=self.pair,
                starts_at=form.starts_at(),
                minutes=form.cleaned_data["minutes"],
                mode=form.cleaned_data["mode"],
                place=form.cleaned_data["place"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
                error.error_dict["day"] = error.error_dict.pop("starts_at")
            errors_into_form(form, error)
            return self.invalid("plan", form)
        messages.success(
            self.request,
            _("The meeting is planned. Your partner has been told, and it is in your calendars."),
        )
        return redirect(self.page_url("planned-title"))

    def post_cancel_planned(self, planned_pk):
        services.cancel_planned(
            tenant=self.tenant, actor=self.request.user, pair=self.pair, planned_id=planned_pk
        )
        messages.success(self.request, _("The planned meeting is cancelled."))
        return redirect(self.page_url("planned-title"))

    def post_log_planned(self, planned_pk):
        """One click: the planned meeting took place as planned."""
        coming, to_log = services.planned_of(self.pair)
        planned = next((p for p in to_log if p.pk == planned_pk), None)
        if planned is None:
            raise Http404
        try:
            services.log_meeting(
                tenant=self.tenant,
                actor=self.request.user,
                pair=self.pair,
                date=timezone.localtime(planned.starts_at).date(),
                minutes=planned.minutes,
                mode=planned.mode,
                place=planned.place,
                planned=planned,
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(self.request, text)
        else:
            messages.success(self.request, _("The meeting is logged."))
        return redirect(self.page_url("meetings-title"))

    def post_request_end(self):
        form = EndRequestForm(self.request.POST)
        if not form.is_valid():
            return self.invalid("end", form)
        try:
            services.request_end(
                tenant=self.tenant,
                actor=self.request.user,
                pair=self.pair,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Already asked, or the pair has ended meanwhile: say so on the page.
                for text in error.messages:
                    messages.error(self.request, text)
                return redirect(self.page_url("end-title"))
            errors_into_form(form, error)
            return self.invalid("end", form)
        messages.success(
            self.request,
            _("Your request has been sent. The coordinator will contact you."),
        )
        return redirect(self.page_url("end-title"))

    def post_withdraw_end(self):
        try:
            services.withdraw_end_request(
                tenant=self.tenant, actor=self.request.user, pair=self.pair
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(self.request, text)
        else:
            messages.success(self.request, _("Your request to end the pair is withdrawn."))
        return redirect(self.page_url("end-title"))

    def post_agreement(self):
        form = AgreementForm(self.request.POST)
        if not form.is_valid():
            return self.invalid("agreement", form)
        try:
            _agreement, changed = services.save_agreement(
                tenant=self.tenant, actor=self.request.user, pair=self.pair, data=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.invalid("agreement", form)
        if changed:
            messages.success(
                self.request,
                _("The agreement is saved and confirmed by you. Your partner needs to confirm it."),
            )
        else:
            messages.info(self.request, _("Nothing was changed."))
        return redirect(self.page_url("agreement-title"))

    def post_confirm(self):
        try:
            services.confirm_agreement(
                tenant=self.tenant,
                actor=self.request.user,
                pair=self.pair,
                version=self.request.POST.get("version") or None,
            )
        except (ValidationError, ValueError) as error:
            for text in getattr(error, "messages", [str(error)]):
                messages.error(self.request, text)
        else:
            messages.success(self.request, _("You have confirmed the agreement."))
        return redirect(self.page_url("agreement-title"))

    def post_meeting(self):
        form = MeetingForm(self.request.POST)
        if not form.is_valid():
            return self.invalid("meeting", form)
        try:
            meeting, created = services.log_meeting(
                tenant=self.tenant, actor=self.request.user, pair=self.pair, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.invalid("meeting", form)
        if created:
            messages.success(self.request, _("The meeting is logged."))
        else:
            messages.info(
                self.request,
                _("This meeting was already logged (%(date)s); it is in the list once.")
                % {"date": date_format(meeting.date, "j F Y")},
            )
        return redirect(self.page_url("meetings-title"))

    def post_checklist(self, checklist_pk):
        count = len(services.meetings_of(self.pair))
        checklist = next(
            (
                c
                for c in checklists.due_checklists(
                    pair=self.pair, role=self.role, meeting_count=count
                )
                if c.pk == checklist_pk
            ),
            None,
        )
        if checklist is None:
            raise Http404
        name = f"checklist_{checklist.pk}"
        form = ChecklistAnswerForm(
            self.request.POST, checklist=checklist, prefix=f"c{checklist.pk}"
        )
        if not form.is_valid():
            return self.invalid(name, form)
        try:
            checklists.save_answers(
                tenant=self.tenant,
                actor=self.request.user,
                pair=self.pair,
                checklist_id=checklist.pk,
                answers=form.answers(),
            )
        except ValidationError as error:
            errors_into_form(form, error)
            return self.invalid(name, form)
        messages.success(self.request, _("Your answers are saved. Only you can read them."))
        return redirect(self.page_url(f"checklist-{checklist.pk}-title"))
