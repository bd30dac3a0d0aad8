from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import demo as organisations_demo

        from . import (
            demo,
            messaging,
            reminders,  # noqa: F401  (registers its reminders)
            selectors,
        )

        # The round dashboard shows the latest messages to the round's people.
        if messaging.dashboard_section not in selectors.DASHBOARD_SECTIONS:
            selectors.DASHBOARD_SECTIONS.append(messaging.dashboard_section)
        if demo.extend_demo not in organisations_demo.DEMO_EXTENSIONS:
            organisations_demo.DEMO_EXTENSIONS.append(demo.extend_demo)
