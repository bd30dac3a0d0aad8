"""Deployment checks of our own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"


@register(Tags.security, deploy=True)
def mail_is_not_written_to_the_log(app_configs, **kwargs):
    """The console mail backend prints every mail (addresses, names, links with keys) to
    standard output, which in a deployment is the log."""
    if settings.EMAIL_BACKEND != CONSOLE_MAIL:
        return []
    return [
        Warning(
            "Mail is printed to the log (EMAIL_URL is consolemail:// or not set): every "
            "mail's addresses, names and links with their keys end up in the log.",
            hint="Set EMAIL_URL to the mail server (README, 'Settings: the .env file').",
            id="mentorship.W001",
        )
    ]
