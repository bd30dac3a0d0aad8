from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Surveys on the seed 002 model: the builder, answering, goal follow-up, results and
    reminders. The round report and the statistics across rounds are the reporting app's.
    Its dashboard section, demo data and reminders are hook implementations, listed in
    ``mentorship.hooks``; ready() only loads the activity labels."""

    name = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import services  # noqa: F401  (registers its activity labels)
