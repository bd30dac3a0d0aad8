from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Sign-in with the organisation's account")

    def ready(self):
        from organisations.activity import register

        register(
            {
                "identity.provider_added": _("Identity provider added"),
                "identity.provider_changed": _("Identity provider changed"),
                "identity.provider_removed": _("Identity provider removed"),
                "identity.account_linked": _("Account linked to an identity provider"),
                "identity.account_created": _("Account created through an identity provider"),
                "identity.sign_in_refused": _("Sign-in through an identity provider refused"),
            }
        )
