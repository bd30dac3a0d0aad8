from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisations import demo as organisations_demo
        from programmes import selectors as programme_selectors
        from programmes import services as programme_services

        from . import (
            demo,
            reminders,  # noqa: F401  (registers its reminders)
            selectors,
            services,
        )

        if services.copy_form not in programme_services.ROUND_COPY_HOOKS:
            programme_services.ROUND_COPY_HOOKS.append(services.copy_form)
        if selectors.dashboard_section not in programme_selectors.DASHBOARD_SECTIONS:
            programme_selectors.DASHBOARD_SECTIONS.append(selectors.dashboard_section)
        # After the programmes app's extension (it comes first in INSTALLED_APPS): the demo
        # applications belong to the rounds and participants that one makes.
        if demo.extend_demo not in organisations_demo.DEMO_EXTENSIONS:
            organisations_demo.DEMO_EXTENSIONS.append(demo.extend_demo)
