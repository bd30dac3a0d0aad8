from django.apps import AppConfig


class PairsConfig(AppConfig):
    """The pairs and their year. Its anonymising of the pairs' texts is a hook
    implementation, listed in ``mentorship.hooks``; ready() only loads the activity labels."""

    name = "pairs"
    label = "pairs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import activity

        from . import services

        activity.register(services.ACTIVITY_LABELS)
