from allauth.socialaccount.admin import SocialAppAdmin, SocialAppForm
from allauth.socialaccount.models import SocialApp
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import IdentityProvider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """The operator's view: tenant, domains and flags. The protocol settings are the linked
    Social application's (below); its secret is write-only there too."""

    list_display = ("name", "tenant", "kind", "exclusive", "allow_signup")
    list_filter = ("kind", "exclusive")
    search_fields = ("name", "tenant__name")
    readonly_fields = ("app",)
    raw_id_fields = ("organisation",)


class WriteOnlySecretForm(SocialAppForm):
    """allauth's form with the secret write-only: never rendered, empty keeps the saved one."""

    class Meta(SocialAppForm.Meta):
        widgets = {
            **SocialAppForm.Meta.widgets,
            "secret": forms.PasswordInput(render_value=False, attrs={"size": "100"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["secret"].required = False
            self.fields["secret"].help_text = _(
                "A secret is saved. Leave this empty to keep it, or give a new one."
            )

    def clean_secret(self):
        return self.cleaned_data.get("secret") or (self.instance.secret if self.instance.pk else "")


admin.site.unregister(SocialApp)


@admin.register(SocialApp)
class WriteOnlySecretSocialAppAdmin(SocialAppAdmin):
    form = WriteOnlySecretForm
