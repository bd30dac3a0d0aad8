from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The round report (its page, conclusions and PDF job), the programme's statistics across
    rounds and their exports. Reads the surveys' results from evaluation (never the other
    way); its PDF is an export job of organisations.jobs. Its dashboard section and its job's
    task are hook implementations, listed in ``mentorship.hooks``; ready() only loads the
    activity labels."""

    name = "reporting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import reports  # noqa: F401  (registers its activity labels)
