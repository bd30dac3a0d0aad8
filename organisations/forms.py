from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role, Tenant


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class OrganisationForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For an area or department: the organisation it belongs to."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "region", "place", "parent"]

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        # Active organisations, plus the current parent even if it has been archived since,
        # so the organisation can still be edited without losing its place.
        parents = Organisation.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.parent_id), tenant=tenant
        )
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Organisation.objects.filter(tenant=self.tenant, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("There is already an organisation with this name."))
        return name

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        node = parent
        while node is not None:
            if self.instance.pk and node.pk == self.instance.pk:
                raise forms.ValidationError(_("An organisation cannot be part of itself."))
            node = node.parent
        return parent


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations (for an HR contact)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An HR contact sees only the applicants of these organisations."),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            tenant=tenant, is_active=True
        )

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.HR_CONTACT and not data.get("organisations"):
            self.add_error("organisations", _("An HR contact needs at least one organisation."))
        return data


class MembershipForm(forms.Form):
    is_coordinator = forms.BooleanField(label=_("Coordinator"), required=False)
    is_hr_contact = forms.BooleanField(label=_("HR contact"), required=False)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations (for an HR contact)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(tenant=tenant)

    def clean(self):
        data = super().clean()
        if not data.get("is_coordinator") and not data.get("is_hr_contact"):
            raise forms.ValidationError(
                _("Choose at least one role, or remove the person instead.")
            )
        if data.get("is_hr_contact") and not data.get("organisations"):
            self.add_error("organisations", _("An HR contact needs at least one organisation."))
        return data


class ProfileForm(forms.ModelForm):
    """My details; reached from a tenant where I am a coordinator or an HR contact
    (``membership``), also whether I get that tenant's daily summary of new applications."""

    class Meta:
        model = get_user_model()
        fields = ["full_name", "phone", "language"]

    def __init__(self, *args, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["language"].choices = [("", _("Follow the organisation's language"))] + list(
            settings.LANGUAGES
        )
        if membership is not None and (membership.is_coordinator or membership.is_hr_contact):
            self.fields["application_digest"] = forms.BooleanField(
                label=_("Send me a daily summary of new applications"),
                help_text=_(
                    "One e-mail a day from %(tenant)s, only on days with new applications, "
                    "with a link to the list."
                )
                % {"tenant": membership.tenant.name},
                required=False,
                initial=membership.application_digest,
            )


class TenantAdminForm(forms.ModelForm):
    """Django admin: creating a tenant also names its first coordinator."""

    first_coordinator_email = forms.EmailField(
        label=_("First coordinator's e-mail"),
        required=False,
        help_text=_(
            "Required when creating a tenant. An existing user becomes coordinator; "
            "anybody else gets an invitation by e-mail."
        ),
    )

    class Meta:
        model = Tenant
        fields = [
            "slug",
            "name",
            "default_language",
            "timezone",
            "contact_email",
            "retention_months",
            "require_two_factor",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not data.get("first_coordinator_email"):
            self.add_error("first_coordinator_email", _("Name the first coordinator."))
        return data


class TenantPageForm(forms.ModelForm):
    """The public page's introduction and contact address."""

    class Meta:
        model = Tenant
        fields = [
            "introduction",
            "contact_email",
            "nominator_name",
            "accessibility_shortcomings",
            "require_two_factor",
        ]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 6}),
            "accessibility_shortcomings": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "contact_email": _("Shown on the public page and at the foot of every page."),
        }


class BulkInvitationForm(forms.Form):
    """Many addresses, the same role (and organisations for HR contacts)."""

    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One a line, or separated by commas or semicolons."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations (for HR contacts)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every HR contact in the list gets these organisations."),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            tenant=tenant, is_active=True
        )
        # The single invitation form on the same page uses the plain ids.
        self.auto_id = "id_many_%s"

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.HR_CONTACT and not data.get("organisations"):
            self.add_error("organisations", _("An HR contact needs at least one organisation."))
        return data


class OrganisationImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"))
    update_existing = forms.BooleanField(
        label=_("Update the organisations that are already in the list"),
        required=False,
        help_text=_(
            "A row whose name is already in the list then changes that organisation's kind, "
            "region, place and parent. Otherwise such a row is an error."
        ),
    )
