from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """A coordinator's messages to a round's people (mentors, adepts, HR contacts): compose,
    preview, send through the outbox, and each mail's state. Its dashboard section and its
    part of anonymising a round are hook implementations, listed in ``mentorship.hooks``;
    ready() only loads the activity label."""

    name = "messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import services  # noqa: F401  (registers its activity label)
