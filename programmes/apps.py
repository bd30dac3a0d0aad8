from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Its dashboard section, demo data and reminder are hook implementations, listed in
    ``mentorship.hooks``; ready() only loads the activity labels."""

    name = "programmes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import messaging  # noqa: F401  (registers its activity label)
