"""Forms: validation only; the services decide what may change."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programmes.forms import DateTimeInput

from .models import Criterion, GoalRating, QuestionAudience, Survey, SurveyQuestion
from .results import scale_labels
from .services import SURVEY_FIELDS, clean_choices


class SurveyCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of survey"),
        choices=Survey.Kind.choices,
        initial=Survey.Kind.FINAL,
        widget=forms.RadioSelect,
        help_text=_(
            "A mid-term check-in, for example after the third pair meeting, or the final "
            "evaluation at the end of the round."
        ),
    )
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            ("template", _("The built-in questions (relevance, implementation, goal fulfilment)")),
            ("blank", _("An empty survey")),
        ],
        initial="template",
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Optional. Left empty, the survey is called after its kind."),
    )


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = list(SURVEY_FIELDS)
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "release": forms.RadioSelect,
        }
        help_texts = {
            "opens_at": _("Participants get an e-mail when the survey opens."),
            "closes_at": _("Those who have not answered get a reminder three days before."),
        }


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for questions with choices."),
    )

    class Meta:
        model = SurveyQuestion
        fields = ["text", "help_text", "criterion", "kind", "audience", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = forms.RadioSelect(choices=SurveyQuestion.Kind.choices)
        self.fields["criterion"].help_text = _(
            "Results are grouped by criterion: did the programme answer a real need "
            "(relevance), how well was it run (implementation), were its goals reached "
            "(goal fulfilment)."
        )
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices or [])

    def clean(self):
        data = super().clean()
        try:
            clean_choices(data.get("kind"), (data.get("choices_text") or "").splitlines())
        except ValidationError as error:
            self.add_error("choices_text", error.message_dict.get("choices", error.messages))
        return data

    def cleaned_for_service(self):
        data = dict(self.cleaned_data)
        data["choices"] = (data.pop("choices_text", "") or "").splitlines()
        return data


SECTION_HEADINGS = {
    Criterion.RELEVANCE: _("Did the programme answer a need?"),
    Criterion.IMPLEMENTATION: _("How was the programme run?"),
    Criterion.GOAL_FULFILMENT: _("What did you get out of it?"),
    Criterion.OTHER: _("Finally"),
}


def _scale_choices():
    return [(str(value), label) for value, label in scale_labels().items()]


class AnswerForm(forms.Form):
    """The survey as one participant (in one role) sees it. ``goals`` are the person's own
    goals (evaluation.goals.Goal) when the survey follows them up."""

    def __init__(self, *args, questions=(), goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.goals = list(goals)
        for q in self.questions:
            self.fields[q.field_name] = self._field(q)
        for goal in self.goals:
            self.fields[f"goal_{goal.source}"] = forms.ChoiceField(
                label=goal.label,
                choices=GoalRating.Rating.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def _field(self, q):
        common = {"label": q.text, "help_text": q.help_text, "required": q.required}
        if q.kind == SurveyQuestion.Kind.SCALE:
            return forms.ChoiceField(
                choices=_scale_choices(),
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                **common,
            )
        if q.kind == SurveyQuestion.Kind.SINGLE:
            return forms.ChoiceField(
                choices=[(c, c) for c in q.choices], widget=forms.RadioSelect, **common
            )
        if q.kind == SurveyQuestion.Kind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in q.choices], widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, **common)

    def sections(self):
        """[(heading, [bound fields])]: consecutive questions of one criterion together."""
        labels = SECTION_HEADINGS
        out = []
        for q in self.questions:
            label = labels.get(q.criterion, "")
            if not out or out[-1][0] != label:
                out.append((label, []))
            out[-1][1].append(self[q.field_name])
        return out

    def goal_fields(self):
        return [(goal, self[f"goal_{goal.source}"]) for goal in self.goals]

    def raw_answers(self):
        """{question pk: value} for the service, which validates again."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {q.pk: data.get(q.field_name) for q in self.questions}

    def raw_goals(self):
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {goal.source: data.get(f"goal_{goal.source}") for goal in self.goals}


AUDIENCE_LABELS = dict(QuestionAudience.choices)
