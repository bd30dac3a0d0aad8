from django.apps import AppConfig


class ChoosingConfig(AppConfig):
    """The adept chooses a mentor (adept-chooses programmes): the adept asks one of the round's
    mentors, the mentor accepts (a pair, started by matching's start_pair) or declines. Its
    anonymising of the requests' texts is a hook implementation, listed in
    ``mentorship.hooks``; ready() only loads the activity labels."""

    name = "choosing"
    label = "choosing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import activity

        from . import services

        activity.register(services.ACTIVITY_LABELS)
