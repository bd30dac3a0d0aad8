"""django-allauth hooks: closed sign-up, languages, and who may sign up."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from mentorship.mail import language_headers

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

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's own mails (password reset, address confirmation) are written in the
        language active for the request; they say so, as the outbox's mails do."""
        headers = {**language_headers(translation.get_language()), **(headers or {})}
        return super().render_mail(template_prefix, email, context, headers=headers)


def verify_address_on_password_reset(sender, request, user, **kwargs):
    """allauth's ``password_reset`` signal: the link came by mail to the person's address, so
    choosing a password through it proves the address, as following an invitation does. A
    person HR or a coordinator added (their mail's set-password link) is then signed in at once
    (``ACCOUNT_LOGIN_ON_PASSWORD_RESET``) instead of being sent another mail to confirm.

    Only for a person whose one address is their login address: with several, the signal does
    not say which one the link went to."""
    from allauth.account.models import EmailAddress

    addresses = list(EmailAddress.objects.filter(user=user))
    if any(a.email.lower() != user.email.lower() for a in addresses):
        return
    if not addresses:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not addresses[0].verified:
        addresses[0].verified = True
        addresses[0].save(update_fields=["verified"])
