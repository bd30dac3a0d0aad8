from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Its demo data and reminder are hook implementations, listed in ``mentorship.hooks``.
    The round messages are the messaging app's."""

    name = "programmes"
    default_auto_field = "django.db.models.BigAutoField"
