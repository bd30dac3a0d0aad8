"""Identity providers of a tenant: OpenID Connect or SAML 2.0, one allauth ``SocialApp`` each.

The protocol is allauth's (``allauth.socialaccount.providers.openid_connect`` and ``saml``);
this model says whose provider it is (the tenant), whom it serves (e-mail domains, optionally
of one member organisation) and what it may do (be the only way in for those domains, create
accounts for applicants of those domains). The secret lives in the SocialApp and is never shown
again after it is saved.
"""

from allauth.socialaccount.models import SocialApp
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from organisations.models import Organisation, Tenant


class IdentityProvider(models.Model):
    class Kind(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect (Microsoft Entra ID, Google, …)")
        SAML = "saml", _("SAML 2.0 (a federation or an IdP of your own)")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="identity_providers")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("name shown on the sign-in page"),
        max_length=100,
        help_text=_("Shown as “Sign in with your account at …”, e.g. “Älvby kommun”."),
    )
    domains = models.JSONField(
        _("e-mail domains"),
        default=list,
        help_text=_("Addresses ending in these domains sign in here."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member organisation"),
    )
    exclusive = models.BooleanField(
        _("the only way in for these domains"),
        default=False,
        help_text=_("People with these addresses cannot sign in with a password."),
    )
    allow_signup = models.BooleanField(
        _("applicants of these domains may get an account"),
        default=False,
        help_text=_(
            "Without this, the provider only signs in people who already have an account, an "
            "invitation or an application link."
        ),
    )
    app = models.OneToOneField(
        SocialApp, on_delete=models.PROTECT, related_name="identity_provider", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def provider_id(self):
        return self.app.provider_id

    def serves(self, email):
        domain = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
        return domain in self.domains
