from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organisations.models import Organisation
from programmes.forms import DateInput
from programmes.models import ParticipantRole

from . import services, standard_fields
from .models import Application, Question, Theme

STANDARD_FIELDS = list(services.APPLICANT_FIELDS)


def question_field(question):
    """The form field for a custom question."""
    common = {"label": question.label, "help_text": question.help_text, "required": False}
    kind = Question.Kind
    if question.kind == kind.SHORT_TEXT:
        return forms.CharField(max_length=300, **common)
    if question.kind == kind.LONG_TEXT:
        return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if question.kind == kind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if question.kind == kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if question.kind == kind.YES_NO:
        return forms.ChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect, **common
        )
    if question.kind == kind.NUMBER:
        return forms.DecimalField(max_digits=12, decimal_places=2, **common)
    return forms.DateField(widget=DateInput(), **common)


class ApplicationForm(forms.ModelForm):
    """The application form. Nothing is required to save a draft; submit checks completeness."""

    organisation = forms.ModelChoiceField(
        label=_("Your organisation"), queryset=Organisation.objects.none(), required=False
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes you want to work on"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"), required=False
    )

    class Meta:
        model = Application
        fields = STANDARD_FIELDS
        widgets = {
            "current_assignment": forms.Textarea(attrs={"rows": 3}),
            "education": forms.Textarea(attrs={"rows": 3}),
            "work_experience": forms.Textarea(attrs={"rows": 4}),
            "motivation": forms.Textarea(attrs={"rows": 5}),
            "matching_wishes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, application, questions, **kwargs):
        super().__init__(*args, instance=application, **kwargs)
        round_ = application.round
        self.application = application
        self.questions = [q for q in questions if q.is_active and q.asked_of(application.role)]
        self.fields["organisation"].queryset = Organisation.objects.filter(
            tenant=application.tenant, is_active=True
        )
        self.fields["themes"].queryset = Theme.objects.filter(
            programme=round_.programme, is_active=True
        )
        if not self.fields["themes"].queryset.exists():
            del self.fields["themes"]
        asked = services.field_states(application, ignore_status=True)
        states = services.field_states(application)
        for name in (*standard_fields.CONFIGURABLE, *standard_fields.ELIGIBILITY_ONLY):
            if asked.get(name, standard_fields.OFF) == standard_fields.OFF:
                self.fields.pop(name, None)
        rule = round_.eligibility_for(application.role)
        if "years_in_level" in self.fields and rule is not None:
            levels = rule.level_words()
            field = self.fields["years_in_level"]
            if levels:
                field.label = _("Years as %(levels)s") % {"levels": levels}
            else:
                field.label = _("Years in your current role")
            field.help_text = ngettext(
                "The round asks for at least %(n)s year.",
                "The round asks for at least %(n)s years.",
                rule.min_years_in_level,
            ) % {"n": rule.min_years_in_level}
        if application.role == ParticipantRole.MENTOR:
            if "motivation" in self.fields:
                self.fields["motivation"].label = _("What you want to give as a mentor")
            if "themes" in self.fields:
                self.fields["themes"].label = _("Themes you can offer as a mentor")
        else:
            self.fields.pop("capacity", None)
            if "motivation" in self.fields:
                self.fields["motivation"].label = _("What you want from the programme, your goals")
        if "career_status" in self.fields:
            self.fields["career_status"].widget = forms.RadioSelect(
                choices=self.fields["career_status"].choices[1:],
                attrs={"data-career-status": ""},
            )
            self.fields["career_status"].label = _("Are you active in the role?")
            self.fields["career_status"].help_text = _(
                "If you have retired or recently left the role, you are not asked about a manager."
            )
            if "organisation" in self.fields:
                self.fields["organisation"].label = _(
                    "Your organisation, or the one where you last worked"
                )
        if "place" in self.fields:
            self.fields["place"].label = _("Place or municipality")
        if not round_.meetings.exists():
            self.fields.pop("available_for_shared_days", None)
        # No manager to ask (retired, recently left): the manager's part is hidden, and the
        # page's script shows it again if the person changes their status.
        self.no_manager = services.has_no_manager(application)
        self.fields["consent"].help_text = services.consent_text() % {
            "months": application.tenant.retention_months,
            "role": application.tenant.nominator_label,
        }
        self.fields["consent"].initial = application.consent_given_at is not None
        for question in self.questions:
            field = question_field(question)
            if question.required:
                field.label = f"{question.label}"
                field.widget.attrs["aria-required"] = "true"
                field.marked_required = True
            self.fields[question.field_name] = field
            self.initial[question.field_name] = application.answers.get(str(question.pk))
        required = {name for name, state in states.items() if state == standard_fields.REQUIRED}
        required |= {"consent"}
        if not self.no_manager:
            required |= {n for n in standard_fields.MANAGER_FIELDS if asked.get(n) == "required"}
        for name in required:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-required"] = "true"
                self.fields[name].marked_required = True
        for field in self.fields.values():
            field.required = False

    def clean_capacity(self):
        # Not required to save a draft, but it cannot be empty: a mentor takes 1 to 10 adepts.
        capacity = self.cleaned_data.get("capacity")
        if capacity is None:
            raise forms.ValidationError(
                _("Give the number of adepts you can take, from 1 to 10."), code="required"
            )
        return capacity

    def has_any_field(self):
        """Whether the posted data holds at least one of the form's fields (an autosave with
        nothing in it saves nothing, rather than empty every answer)."""
        return any(self.add_prefix(name) in self.data for name in self.fields)

    def clean(self):
        data = super().clean()
        manager_email = data.get("manager_email")
        own = (data.get("email"), *services.applicant_addresses(self.application))
        if manager_email and services.is_own_address(manager_email, *own):
            self.add_error("manager_email", services.own_address_message())
        return data

    def draft_values(self):
        """The applicant's fields to save, for ``services.save_draft``: those that validated,
        less one with a default that the POST left out (it keeps its saved value, as
        ``ModelForm.save`` would)."""
        values = {}
        for name in self._meta.fields:
            if name not in self.fields or name not in self.cleaned_data or name in self.errors:
                continue
            field = self.instance._meta.get_field(name)
            if field.has_default() and self[name].field.widget.value_omitted_from_data(
                self.data, self.files, self.add_prefix(name)
            ):
                continue
            values[name] = self.cleaned_data[name]
        return values

    def draft_answers(self):
        """{question pk: answer} of the custom questions that validated (one that did not keeps
        the answer saved before rather than wipe it: autosave)."""
        answers = {}
        for question in self.questions:
            if question.field_name in self.errors:
                continue
            value = self.cleaned_data.get(question.field_name)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value is not None and not isinstance(value, (str, list)):
                value = str(value)
            answers[str(question.pk)] = value
        return answers

    def sections(self):
        """Fields grouped for the template: a list of ``Section`` (title, fields, key, hidden)."""
        groups = [
            (
                "about",
                _("About you"),
                [
                    "full_name",
                    "email",
                    "phone",
                    "career_status",
                    "organisation",
                    "place",
                    "job_title",
                    "work_field",
                    "current_assignment",
                    "region",
                ],
            ),
            (
                "leadership",
                _("Your leadership"),
                [
                    "manager_level",
                    "years_as_manager",
                    "years_in_level",
                    "managers_reporting",
                    "education",
                    "work_experience",
                ],
            ),
            (
                "programme",
                _("The programme"),
                [
                    "motivation",
                    "themes",
                    "capacity",
                    "matching_wishes",
                    "prefers_other_sector",
                    "languages",
                    "available_for_shared_days",
                ],
            ),
            ("manager", _("Your manager"), list(standard_fields.MANAGER_FIELDS)),
        ]
        if self.questions:
            groups.append(
                ("questions", _("More questions"), [q.field_name for q in self.questions])
            )
        groups.append(("consent", _("Personal data"), ["consent"]))
        return [
            Section(
                key=key,
                title=title,
                fields=[self[n] for n in names if n in self.fields],
                hidden=key == "manager" and self.no_manager,
            )
            for key, title, names in groups
        ]


@dataclass
class Section:
    key: str
    title: str
    fields: list
    hidden: bool = False


class EarlierApplicationField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.round.programme.name}: {obj.round.name} ({obj.get_role_display().lower()})"


class RoleChoiceForm(forms.Form):
    """The role, and which of the person's own earlier applications to start from (if any)."""

    EARLIER_SHOWN = 5

    role = forms.ChoiceField(
        label=_("I apply as"), choices=ParticipantRole.choices, widget=forms.RadioSelect
    )
    copy_from = EarlierApplicationField(
        label=_("Start from an earlier application"),
        help_text=_(
            "Your answers are copied into the new application; you only change what is new."
        ),
        queryset=Application.objects.none(),
        required=False,
        empty_label=_("Start from an empty form"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, earlier, **kwargs):
        """``earlier``: the person's own earlier applications in this tenant, newest first
        (``services.previous_applications``); only the newest few are offered, and only those
        are accepted."""
        super().__init__(*args, **kwargs)
        shown = list(earlier.values_list("pk", flat=True)[: self.EARLIER_SHOWN])
        field = self.fields["copy_from"]
        field.queryset = earlier.filter(pk__in=shown)
        if not shown:
            # Nothing to offer; an id posted anyway is still refused, not silently dropped.
            field.widget = forms.HiddenInput()


class ManagerForm(forms.Form):
    # Beside the application form (which has the same fields) on one page: its own ids.
    prefix = "manager"

    manager_name = forms.CharField(label=_("Your manager's name"), max_length=200)
    manager_email = forms.EmailField(label=_("Your manager's e-mail address"))


class EndorseForm(forms.Form):
    supports = forms.TypedChoiceField(
        label=_("Do you support the application?"),
        choices=[
            ("yes", _("Yes, I support the application")),
            ("no", _("No, I do not support it")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NominationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("nominate", _("Nominate")), ("decline", _("Do not nominate"))],
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for mentors and when you do not nominate."),
    )


class HRBulkNominationForm(forms.Form):
    """The HR list's "nominate or not for the selected": only applications of the HR
    contact's organisations in this round (another id refuses the whole post)."""

    selected = forms.ModelMultipleChoiceField(queryset=Application.objects.none())
    decision = forms.ChoiceField(
        choices=[("nominate", _("Nominate")), ("decline", _("Do not nominate"))]
    )
    motivation = forms.CharField(
        label=_("Motivation for all the selected"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for mentors and when you do not nominate."),
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = applications.order_by("pk")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("motivation") or "").strip():
            self.add_error("motivation", _("Give a reason for not nominating."))
        return data


class PutForwardForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("As"), choices=ParticipantRole.choices, widget=forms.RadioSelect
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations, roles=None, **kwargs):
        """``roles``: the roles the round has its organisations nominate (all by default)."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if roles:
            self.fields["role"].choices = [
                (value, label) for value, label in ParticipantRole.choices if value in roles
            ]


class InterviewForm(forms.Form):
    booking = forms.CharField(
        label=_("Interview booked"),
        required=False,
        max_length=300,
        help_text=_("For example “2 December 10:00, Teams”."),
    )
    notes = forms.CharField(
        label=_("Interview notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only coordinators can read these notes."),
    )


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (Application.Stage.ACCEPTED, _("Accept")),
            (Application.Stage.WAITLISTED, _("Waiting list")),
            (Application.Stage.DECLINED, _("Decline")),
        ],
    )
    reason = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)
    override_interview = forms.BooleanField(
        label=_("Accept without an interview"),
        required=False,
        help_text=_(
            "The round interviews every applicant and no interview is noted. Give the reason "
            "in the note; it is logged."
        ),
    )

    def __init__(self, *args, interview_missing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not interview_missing:
            del self.fields["override_interview"]

    def clean(self):
        data = super().clean()
        if data.get("override_interview") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for accepting without an interview."))
        return data


class BulkDecisionForm(forms.Form):
    """The review list's "decide for the chosen ones": only applications of this round."""

    selected = forms.ModelMultipleChoiceField(queryset=Application.objects.none())
    decision = forms.ChoiceField(choices=[(d.value, d.label) for d in sorted(services.DECISIONS)])

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = Application.objects.filter(
            tenant=round_.tenant, round=round_
        ).order_by("pk")


class MoveBackForm(forms.Form):
    # Beside the decision form (its note is also "reason") on one page: its own ids.
    prefix = "back"

    version = forms.IntegerField(widget=forms.HiddenInput)
    to_stage = forms.ChoiceField(label=_("Move back to"), choices=[])
    reason = forms.CharField(label=_("Reason"), max_length=2000)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        order = services.ORDER
        current = order.index(application.stage) if application.stage in order else len(order)
        self.fields["to_stage"].choices = [(s.value, s.label) for s in order[:current]]


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For questions with choices."),
    )

    class Meta:
        model = Question
        fields = ["label", "help_text", "kind", "required", "audience", "position", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)

    def clean(self):
        data = super().clean()
        choices = [c.strip() for c in (data.get("choices_text") or "").splitlines() if c.strip()]
        if len(choices) != len(set(choices)):
            self.add_error("choices_text", _("Each choice can appear only once."))
        if data.get("kind") in (Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE):
            if len(choices) < 2:
                self.add_error("choices_text", _("Give at least two choices."))
        else:
            choices = []
        if any(len(c) > 200 for c in choices):
            self.add_error("choices_text", _("A choice can be at most 200 characters."))
        self.instance.choices = choices
        return data


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "position"]


# The standard fields' labels on the coordinator's settings page (the words the form uses).
FIELD_LABELS = {
    "phone": _("Phone"),
    "career_status": _("Status: active, recently left or retired"),
    "organisation": _("Organisation where active or last active"),
    "place": _("Place or municipality"),
    "region": _("County or region"),
    "job_title": _("Job title"),
    "current_assignment": _("Current assignment"),
    "manager_level": _("Manager level"),
    "years_as_manager": _("Years as a manager"),
    "managers_reporting": _("Managers reporting to them"),
    "education": _("Education"),
    "work_experience": _("Work experience"),
    "motivation": _("What they want to give or get"),
    "themes": _("Themes"),
    "capacity": _("Number of adepts the mentor can take"),
    "matching_wishes": _("Wishes for the matching"),
    "prefers_other_sector": _("A partner from another sector"),
    "languages": _("Languages"),
    "available_for_shared_days": _("Can take part in the shared days"),
    "discussed_with_manager": _("“I have discussed the application with my manager”"),
    "manager_name": _("The manager's name"),
    "manager_email": _("The manager's e-mail address"),
}
# A tick that is not a promise cannot be required.
NEVER_REQUIRED = ("prefers_other_sector", "available_for_shared_days")


class FieldSettingsForm(forms.Form):
    """The programme's standard fields per role (a choice per field and role), the mentor
    card's fields and the pairs' cost setting."""

    card_fields = forms.MultipleChoiceField(
        label=_("What adepts see on a mentor's card"),
        help_text=_("Where adepts choose their mentor. The places left are always shown."),
        choices=standard_fields.CARD_FIELDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    records_pair_cost = forms.BooleanField(
        label=_("Record who bears the costs of each pair"),
        help_text=_(
            "The coordinators note it on the pair: the adept's unit, the mentor's "
            "organisation, shared or other."
        ),
        required=False,
    )

    def __init__(self, *args, settings, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = []
        role_labels = {
            standard_fields.MENTOR: _("Mentors"),
            standard_fields.ADEPT: _("Adepts"),
        }
        for role in standard_fields.ROLES:
            states = standard_fields.merged(settings.fields, role)
            names = []
            for name in standard_fields.configurable(role):
                choices = standard_fields.STATES
                if name in NEVER_REQUIRED:
                    choices = choices[:2]
                key = f"{role}__{name}"
                self.fields[key] = forms.ChoiceField(
                    label=FIELD_LABELS[name], choices=choices, initial=states[name]
                )
                self.fields[key].widget.attrs["aria-label"] = (
                    f"{FIELD_LABELS[name]} ({role_labels[role].lower()})"
                )
                names.append(key)
            self.roles.append((role, names))
        self.fields["card_fields"].initial = standard_fields.card_fields(settings.card_fields)
        self.fields["records_pair_cost"].initial = settings.records_pair_cost

    def rows(self):
        """[(label, mentor's field or None, adept's field or None)] in the form's order."""
        rows = []
        for name in standard_fields.CONFIGURABLE:
            cells = [
                self[f"{role}__{name}"] if f"{role}__{name}" in self.fields else None
                for role in standard_fields.ROLES
            ]
            rows.append((FIELD_LABELS[name], *cells))
        return rows

    def chosen_fields(self):
        chosen = {role: {} for role in standard_fields.ROLES}
        for role, keys in self.roles:
            for key in keys:
                chosen[role][key.split("__", 1)[1]] = self.cleaned_data[key]
        return chosen


class FieldPresetForm(forms.Form):
    preset = forms.ChoiceField(
        label=_("Template"),
        choices=[(key, p["label"]) for key, p in standard_fields.PRESETS.items()],
        widget=forms.RadioSelect,
    )
