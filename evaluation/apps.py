from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Surveys on the seed 002 model, goal follow-up, results, the round report and the
    programme's statistics across rounds."""

    name = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"
