from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Tenants and organisations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import freshness

        freshness.connect()
