from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import demo as organisations_demo

        from . import (
            demo,
            reminders,  # noqa: F401  (registers its reminders)
        )

        if demo.extend_demo not in organisations_demo.DEMO_EXTENSIONS:
            organisations_demo.DEMO_EXTENSIONS.append(demo.extend_demo)
