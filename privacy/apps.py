from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """The person's rights and the tenant's retention (GDPR): what will be anonymised and
    when, the register extract (art. 15/20), erasure requests (art. 17), and the public
    accessibility statement. The top layer: it reads every app and no app imports it.
    ready() only loads the activity labels."""

    name = "privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import activity

        from . import services

        activity.register(services.ACTIVITY_LABELS)
