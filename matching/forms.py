"""Forms of the matching pages: validation only, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from pairs.models import Pair
from programmes.models import ParticipantRole

from . import selectors
from .models import MatchingSettings, PairConstraint, Proposal
from .services import SETTINGS_FIELDS

RULE_FIELDS = SETTINGS_FIELDS[:6]
WEIGHT_FIELDS = SETTINGS_FIELDS[6:]


class SettingsForm(forms.ModelForm):
    """The round's hard-rule switches and preference weights (saved by services.save_settings)."""

    class Meta:
        model = MatchingSettings
        fields = SETTINGS_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WEIGHT_FIELDS:
            self.fields[name].widget.attrs.update(min=0, max=10, step=1)

    def rule_fields(self):
        return [self[name] for name in RULE_FIELDS]

    def weight_fields(self):
        return [self[name] for name in WEIGHT_FIELDS]


class RunForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the proposal"),
        max_length=200,
        required=False,
        help_text=_("Optional. Leave empty for “Proposal 1”, “Proposal 2” …"),
    )


class ConstraintForm(forms.Form):
    """Pin or forbid the pair shown."""

    kind = forms.ChoiceField(
        label=_("Decision about this pair"),
        choices=PairConstraint.Kind.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to forbid a pair, and to pin a pair that breaks a hard rule."),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == PairConstraint.Kind.FORBID and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why these two should never be paired."))
        return data


class ReassignForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=Application.objects.none(),
        required=False,
        empty_label=_("No mentor: take the adept out of the proposal"),
        help_text=_("The hard rules are checked as soon as you choose."),
    )
    override_reason = forms.CharField(
        label=_("Reason for overriding a hard rule"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when the pair breaks a hard rule. It is logged."),
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["mentor"]
        field.queryset = Application.objects.filter(
            tenant=round_.tenant,
            round=round_,
            role=ParticipantRole.MENTOR,
            stage__in=selectors.MENTOR_STAGES,
        ).order_by("full_name", "id")
        field.label_from_instance = lambda a: (
            f"{a.full_name or a.email}" + (f" ({a.organisation.name})" if a.organisation else "")
        )
        field.queryset = field.queryset.select_related("organisation")


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_("First proposal"), queryset=Proposal.objects.none())
    b = forms.ModelChoiceField(label=_("Second proposal"), queryset=Proposal.objects.none())

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Proposal.objects.filter(tenant=round_.tenant, round=round_)
        self.fields["a"].queryset = qs
        self.fields["b"].queryset = qs

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", _("Choose two different proposals."))
        return data


class EndPairForm(forms.Form):
    end_reason = forms.ChoiceField(
        label=_("Why does the pair end?"),
        choices=Pair.EndReason.choices,
        widget=forms.RadioSelect,
    )
    end_note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the reason is “Other”. Both people are told the pair has ended."),
    )


class PairCostForm(forms.Form):
    cost_bearer = forms.ChoiceField(
        label=_("Who bears the costs?"),
        choices=[("", _("Not recorded"))] + list(Pair.CostBearer.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    cost_note = forms.CharField(
        label=_("About the costs"),
        max_length=300,
        required=False,
        help_text=_(
            "Needed for “Other”: who bears them. For example “the adept's unit, as the "
            "mentor is retired”."
        ),
    )
