from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation

from .models import (
    STEPS,
    Audience,
    ManagerLevel,
    Participant,
    ParticipantRole,
    Programme,
    Round,
    SharedMeeting,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "slug",
            "description",
            "target_group",
            "kind",
            "matching_mode",
            "is_active",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "matching_mode": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "target_group": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"slug": _("Lower-case letters, digits and hyphens, e.g. “mentorprogram”.")}


ROLE_LABELS = {ParticipantRole.MENTOR: _("mentors"), ParticipantRole.ADEPT: _("adepts")}


class RoundForm(forms.ModelForm):
    """A round's settings with the eligibility for each role in the same form."""

    class Meta:
        model = Round
        fields = [
            "name",
            "number",
            "call_text",
            "application_opens_at",
            "application_closes_at",
            "starts_on",
            "ends_on",
            "max_pairs",
            "cost_text",
            "practical_info",
            "min_pair_meetings",
            "pair_meeting_minutes",
            "cadence_text",
            "quiet_pair_weeks",
            "requires_endorsement",
            "endorsement_for",
            "requires_nomination",
            "nomination_for",
            "requires_interview",
            "interview_for",
            "nomination_quota",
            "mentor_self_signup",
            "adept_self_signup",
        ]
        widgets = {
            "application_opens_at": DateTimeInput(),
            "application_closes_at": DateTimeInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "call_text": forms.Textarea(attrs={"rows": 6}),
            "cost_text": forms.Textarea(attrs={"rows": 2}),
            "practical_info": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.programme.is_continuous:
            # Self sign-up is a continuous programme's way of joining; a cohort has its window.
            del self.fields["mentor_self_signup"]
            del self.fields["adept_self_signup"]
        step_help = _("Asked only when the step above is ticked.")
        for step in STEPS:
            # Left out of the post (an older page), the round keeps its choice.
            self.fields[f"{step}_for"].help_text = step_help
            self.fields[f"{step}_for"].required = False
        # Left empty, the round keeps its setting (6 weeks for a new round); 0 turns it off.
        self.fields["quiet_pair_weeks"].required = False
        for role in ParticipantRole.values:
            rule = self.instance.eligibility_for(role) if self.instance.pk else None
            label = ROLE_LABELS[role]
            self.fields[f"{role}_manager_levels"] = forms.MultipleChoiceField(
                label=_("Manager levels allowed for %(role)s") % {"role": label},
                choices=ManagerLevel.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=rule.manager_levels if rule else [],
                help_text=_("Leave empty to allow every level."),
            )
            self.fields[f"{role}_min_years"] = forms.IntegerField(
                label=_("Years as a manager, at least, for %(role)s") % {"role": label},
                min_value=0,
                max_value=60,
                required=False,
                initial=rule.min_years_as_manager if rule else 0,
            )
            self.fields[f"{role}_min_years_in_level"] = forms.IntegerField(
                label=_("Years at the manager level, at least, for %(role)s") % {"role": label},
                min_value=0,
                max_value=60,
                required=False,
                initial=rule.min_years_in_level if rule else 0,
                help_text=_(
                    "For example 1: “at least 1 year as manager of managers”. With no level "
                    "chosen, the years in the current role. The form then asks for them."
                ),
            )
            self.fields[f"{role}_criteria"] = forms.CharField(
                label=_("Criteria in words for %(role)s") % {"role": label},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=rule.criteria_text if rule else "",
            )

    def eligibility(self):
        data = self.cleaned_data
        return {
            role: {
                "manager_levels": data.get(f"{role}_manager_levels") or [],
                "min_years_as_manager": data.get(f"{role}_min_years") or 0,
                "min_years_in_level": data.get(f"{role}_min_years_in_level") or 0,
                "criteria_text": data.get(f"{role}_criteria", ""),
            }
            for role in ParticipantRole.values
        }

    def _clean_step_for(self, step):
        return self.cleaned_data.get(f"{step}_for") or getattr(self.instance, f"{step}_for")

    def clean_endorsement_for(self):
        return self._clean_step_for("endorsement")

    def clean_nomination_for(self):
        return self._clean_step_for("nomination")

    def clean_interview_for(self):
        return self._clean_step_for("interview")

    def clean_quiet_pair_weeks(self):
        value = self.cleaned_data.get("quiet_pair_weeks")
        if value is None:
            return self.instance.quiet_pair_weeks
        return value

    def field_groups(self):
        """Fields in fieldsets for the template."""
        groups = [
            (_("The round"), ["name", "number", "call_text"]),
            (_("Dates"), ["application_opens_at", "application_closes_at", "starts_on", "ends_on"]),
            (
                _("Size, cost and rhythm"),
                [
                    "max_pairs",
                    "cost_text",
                    "practical_info",
                    "min_pair_meetings",
                    "pair_meeting_minutes",
                    "cadence_text",
                    "quiet_pair_weeks",
                ],
            ),
            (
                _("Steps of the application, for each role"),
                [
                    "requires_endorsement",
                    "endorsement_for",
                    "requires_nomination",
                    "nomination_for",
                    "requires_interview",
                    "interview_for",
                    "nomination_quota",
                ],
            ),
        ]
        if "mentor_self_signup" in self.fields:
            groups.append(
                (_("Joining on the public page"), ["mentor_self_signup", "adept_self_signup"])
            )
        for role in ParticipantRole.values:
            groups.append(
                (
                    _("Who may apply as %(role)s") % {"role": ROLE_LABELS[role]},
                    [
                        f"{role}_manager_levels",
                        f"{role}_min_years",
                        f"{role}_min_years_in_level",
                        f"{role}_criteria",
                    ],
                )
            )
        return [(title, [self[name] for name in names]) for title, names in groups]


class RoundCopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the new round"), max_length=200)
    number = forms.IntegerField(label=_("Number"), min_value=0, required=False)
    offset_weeks = forms.IntegerField(
        label=_("Move every date by (weeks)"),
        min_value=-520,
        max_value=520,
        initial=52,
        help_text=_("52 weeks keeps the weekdays: a Friday stays a Friday."),
    )


class MeetingForm(forms.ModelForm):
    host_organisation = forms.ModelChoiceField(
        label=_("Hosted by"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("A member organisation that hosts the day, if any."),
    )

    class Meta:
        model = SharedMeeting
        fields = [
            "title",
            "date",
            "starts_at",
            "ends_at",
            "audience",
            "place",
            "host_organisation",
            "agenda",
            "includes_meal",
        ]
        widgets = {
            "date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "audience": forms.RadioSelect,
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_organisation"].queryset = Organisation.objects.filter(
            tenant=tenant, is_active=True
        )


class MeetingPartForm(forms.Form):
    title = forms.CharField(label=_("Part"), max_length=200)
    starts_at = forms.TimeField(label=_("Starts"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Ends"), widget=TimeInput())
    audience = forms.ChoiceField(
        label=_("For whom"), choices=Audience.choices, initial=Audience.EVERYONE
    )


MeetingPartFormSet = forms.formset_factory(
    MeetingPartForm,
    extra=2,
    can_delete=True,
    max_num=12,
    validate_max=True,
)


class ParticipantForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=ParticipantRole.choices, widget=forms.RadioSelect
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            tenant=tenant, is_active=True
        )


class RespondForm(forms.Form):
    attending = forms.TypedChoiceField(
        label=_("Will you come?"),
        choices=[("yes", _("Yes, I will come")), ("no", _("No, I cannot come"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        required=False,
        max_length=300,
        help_text=_("For the meal, if one is served."),
    )


class AttendanceForm(forms.Form):
    """Who was there: only the participants the day is for (of its round, tenant and audience)."""

    present = forms.ModelMultipleChoiceField(
        label=_("Was there"), queryset=Participant.objects.none(), required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = Participant.objects.filter(
            tenant=meeting.tenant, round=meeting.round, role__in=meeting.audience_roles
        )
