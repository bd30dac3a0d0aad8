from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from applications import services as application_services
        from organisations import activity
        from organisations import demo as organisations_demo
        from programmes import feeds as programme_feeds
        from programmes import selectors as programme_selectors
        from programmes import services as programme_services

        from . import (
            demo,
            demo_activity,
            feeds,
            pairwork,
            reminders,  # noqa: F401  (registers its reminders)
            requests,
            selectors,
            services,
        )

        # The round's pair counter and the activity labels.
        if selectors.active_pair_count not in programme_services.MATCHED_PAIR_COUNTERS:
            programme_services.MATCHED_PAIR_COUNTERS.append(selectors.active_pair_count)
        activity.register(services.ACTIVITY_LABELS)
        activity.register(requests.ACTIVITY_LABELS)
        for anonymise in (requests.anonymise, pairwork.anonymise):
            if anonymise not in application_services.ON_ANONYMISE:
                application_services.ON_ANONYMISE.append(anonymise)
        if feeds.planned_meeting_events not in programme_feeds.PERSON_FEED_EXTRAS:
            programme_feeds.PERSON_FEED_EXTRAS.append(feeds.planned_meeting_events)
        if selectors.pair_next_steps not in programme_selectors.NEXT_STEPS:
            programme_selectors.NEXT_STEPS.append(selectors.pair_next_steps)
        # After the applications app's extension (it comes first in INSTALLED_APPS): the demo
        # pairs are made from the accepted applications that one writes.
        if demo.extend_demo not in organisations_demo.DEMO_EXTENSIONS:
            organisations_demo.DEMO_EXTENSIONS.append(demo.extend_demo)
        # After the demo pairs: their meetings, agreements and answers, relative to now.
        if demo_activity.extend_demo_activity not in organisations_demo.DEMO_EXTENSIONS:
            organisations_demo.DEMO_EXTENSIONS.append(demo_activity.extend_demo_activity)
