"""The platform operator's admin. It runs with scopes disabled (see the middleware)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from mentorship.web import base_url

from . import services
from .forms import TenantAdminForm
from .models import (
    ActivityLog,
    Invitation,
    Membership,
    Organisation,
    OutgoingMail,
    Tenant,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_staff", "is_active"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "is_coordinator", "is_hr_contact"]
    raw_id_fields = ["user"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    form = TenantAdminForm
    list_display = [
        "name",
        "slug",
        "default_language",
        "timezone",
        "contact_email",
        "require_two_factor",
        "is_active",
    ]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        tenant, invitation = services.create_tenant(
            slug=obj.slug,
            name=obj.name,
            contact_email=obj.contact_email,
            default_language=obj.default_language,
            timezone_name=obj.timezone,
            retention_months=obj.retention_months,
            is_active=obj.is_active,
            coordinator_email=form.cleaned_data["first_coordinator_email"],
            actor=request.user,
            base_url=base_url(request),
        )
        if obj.require_two_factor:
            Tenant.objects.filter(pk=tenant.pk).update(require_two_factor=True)
        obj.pk = tenant.pk
        obj._state.adding = False
        obj._state.db = tenant._state.db
        if invitation:
            messages.info(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant", "kind", "region", "is_active"]
    list_filter = ["tenant", "kind"]
    search_fields = ["name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "tenant",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["tenant", "role"]
    readonly_fields = ["token"]


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "tenant", "actor", "action", "object_repr"]
    list_filter = ["tenant", "action"]
    readonly_fields = [f.name for f in ActivityLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# What the operator does not see of a mail: its subject and text belong to the tenant.
MAIL_HIDDEN_FIELDS = ("subject", "body", "html", "reply_to", "dedupe_key")


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The operator's view of the outbox: failures across tenants (filter by status). Status,
    errors and dates only: the subject and text (names, invitation and endorsement links) are
    the tenant's, not the operator's, and are neither shown nor searched."""

    list_display = ["created_at", "tenant", "purpose", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", "tenant", "purpose"]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    list_select_related = ["tenant"]
    exclude = MAIL_HIDDEN_FIELDS
    readonly_fields = [
        f.name for f in OutgoingMail._meta.fields if f.name not in MAIL_HIDDEN_FIELDS
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*MAIL_HIDDEN_FIELDS)

    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected failed mails again"))
    def send_again(self, request, queryset):
        from organisations.outbox import send_again

        count = sum(send_again(mail=mail) for mail in queryset)
        self.message_user(request, _("%(count)s mails will be sent again.") % {"count": count})
