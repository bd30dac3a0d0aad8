from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from programmes import selectors as programme_selectors
        from programmes import services as programme_services

        from . import selectors, services

        if services.copy_form not in programme_services.ROUND_COPY_HOOKS:
            programme_services.ROUND_COPY_HOOKS.append(services.copy_form)
        if selectors.dashboard_section not in programme_selectors.DASHBOARD_SECTIONS:
            programme_selectors.DASHBOARD_SECTIONS.append(selectors.dashboard_section)
