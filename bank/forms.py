"""The mentor bank's form: HR (or a coordinator) registers a new manager."""

from django import forms
from django.utils.translation import gettext_lazy

from applications.models import Theme
from organisations.models import Organisation
from programmes.models import ManagerLevel


class NewManagerForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )
    job_title = forms.CharField(label=gettext_lazy("Job title"), max_length=200, required=False)
    manager_level = forms.ChoiceField(
        label=gettext_lazy("Manager level"),
        choices=[("", "—")] + list(ManagerLevel.choices),
        required=False,
    )
    years_as_manager = forms.IntegerField(
        label=gettext_lazy("Years as a manager"), min_value=0, max_value=60, required=False
    )
    manager_name = forms.CharField(
        label=gettext_lazy("Their manager's name"), max_length=200, required=False
    )
    manager_email = forms.EmailField(
        label=gettext_lazy("Their manager's e-mail address"),
        required=False,
        help_text=gettext_lazy("Nobody in this manager's line is suggested as mentor."),
    )
    matching_wishes = forms.CharField(
        label=gettext_lazy("Wishes for the mentor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Themes to work on"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["themes"].queryset = themes
        if not themes.exists():
            del self.fields["themes"]
