from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import demo as organisations_demo

        from . import (
            demo,
            reminders,  # noqa: F401  (registers its reminders)
            services,
        )

        services.register_hooks()
        # After the applications app's extension (it comes first in INSTALLED_APPS): the demo
        # pairs are made from the accepted applications that one writes.
        if demo.extend_demo not in organisations_demo.DEMO_EXTENSIONS:
            organisations_demo.DEMO_EXTENSIONS.append(demo.extend_demo)
