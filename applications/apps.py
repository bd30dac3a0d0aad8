from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """Its round copy, dashboard section, demo data and reminder are hook implementations,
    listed in ``mentorship.hooks``."""

    name = "applications"
    default_auto_field = "django.db.models.BigAutoField"
