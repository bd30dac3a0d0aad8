from django.contrib import admin

from .models import IdentityProvider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """The operator's view: tenant, domains and flags. The protocol settings are the linked
    SocialApp's (allauth's admin); the secret is edited there, never listed."""

    list_display = ("name", "tenant", "kind", "exclusive", "allow_signup")
    list_filter = ("kind", "exclusive")
    search_fields = ("name", "tenant__name")
    readonly_fields = ("app",)
    raw_id_fields = ("organisation",)
