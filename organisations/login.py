"""The sign-in form: allauth's, with "Forgot your password?" shown once, after the password
field (the template places it), instead of also as the field's help text.

A module of its own: ``organisations.forms`` is imported by allauth's forms (the sign-up form
class), so it cannot import them back."""

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
