from django.apps import AppConfig


class BankConfig(AppConfig):
    """The mentor bank of continuous programmes: HR registers a new manager and chooses a
    mentor for them from the bank, ranked with matching's criteria; the pair is made by
    matching's publish. ready() only loads the activity labels."""

    name = "bank"
    label = "bank"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import activity

        from . import services

        activity.register(services.ACTIVITY_LABELS)
