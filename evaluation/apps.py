from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Surveys on the seed 002 model, goal follow-up, results, the round report and the
    programme's statistics across rounds."""

    name = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import demo as organisations_demo
        from programmes import selectors as programme_selectors

        from . import (
            demo,
            reminders,  # noqa: F401  (registers its reminders)
            reports,
            selectors,
        )

        # The round dashboard: the surveys, then the round report.
        for section in (selectors.dashboard_section, reports.dashboard_section):
            if section not in programme_selectors.DASHBOARD_SECTIONS:
                programme_selectors.DASHBOARD_SECTIONS.append(section)
        # After the matching app's extension (it comes before this app in INSTALLED_APPS): the
        # demo answers come from the participants and pairs that the earlier extensions make.
        if demo.extend_demo not in organisations_demo.DEMO_EXTENSIONS:
            organisations_demo.DEMO_EXTENSIONS.append(demo.extend_demo)
