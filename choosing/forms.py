"""The adept's message to a mentor and the mentor's note when declining."""

from django import forms
from django.utils.translation import gettext_lazy

from .services import MESSAGE_MAX


class AskForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the mentor"),
        help_text=gettext_lazy(
            "A few words about you and what you would like to talk about (at most 2000 characters)."
        ),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the adept"),
        help_text=gettext_lazy("Optional: why, or a tip about another mentor."),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
