"""django-allauth hooks: closed sign-up, languages, and who may sign up."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

SIGNUP_ALLOWED_SESSION_KEY = "signup_allowed_for"


def allow_signup(request, *, reason):
    """Open sign-up for this browser session (an invitation or an application link)."""
    request.session[SIGNUP_ALLOWED_SESSION_KEY] = reason


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # No open self-service: sign-up comes through an invitation or a round's application link.
        return bool(request.session.get(SIGNUP_ALLOWED_SESSION_KEY))

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = translation.get_language() or ""
        if commit:
            user.save()
        return user
