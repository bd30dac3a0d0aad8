from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Its pair counter, retention, feed, next steps, demo data and reminder are hook
    implementations, listed in ``mentorship.hooks``; ready() only loads the activity labels."""

    name = "matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import activity

        from . import services

        activity.register(services.ACTIVITY_LABELS)
