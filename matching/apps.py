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
        # After the demo pairs: their meetings, agreements and answers, relative to now.
        from . import demo_activity

        if demo_activity.extend_demo_activity not in organisations_demo.DEMO_EXTENSIONS:
            organisations_demo.DEMO_EXTENSIONS.append(demo_activity.extend_demo_activity)
