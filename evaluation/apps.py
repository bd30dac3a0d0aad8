from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Surveys on the seed 002 model, goal follow-up, results, the round report and the
    programme's statistics across rounds. Its dashboard sections, demo data and reminders are
    hook implementations, listed in ``mentorship.hooks``; ready() only loads the activity
    labels."""

    name = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (  # noqa: F401  (they register their activity labels)
            reports,
            services,
        )
