from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Tenants and organisations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from allauth.account.signals import password_reset

        from . import freshness, twofactor
        from .adapters import verify_address_on_password_reset

        freshness.connect()
        twofactor.connect()
        password_reset.connect(verify_address_on_password_reset, dispatch_uid="verify-on-reset")
