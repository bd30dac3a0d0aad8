"""Validation only: the protocol settings are read from the provider itself (discovery
document, metadata) while the form is checked, so a wrong address is a form error and nothing
is saved."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation

from .remote import RemoteError, fetch_oidc_configuration, parse_saml_metadata

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ProviderForm(forms.Form):
    name = forms.CharField(
        label=_("Name shown on the sign-in page"),
        max_length=100,
        help_text=_("Shown as “Sign in with your account at …”, e.g. “Älvby kommun”."),
    )
    domains = forms.CharField(
        label=_("E-mail domains"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line or separated by commas, e.g. alvby.se."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Member organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Where a network has several employers with their own accounts."),
    )
    exclusive = forms.BooleanField(
        label=_("The only way in for these domains"),
        required=False,
        help_text=_("People with these addresses cannot sign in with a password."),
    )
    allow_signup = forms.BooleanField(
        label=_("Applicants of these domains may get an account"),
        required=False,
        help_text=_(
            "Without this, the provider only signs in people who already have an account, an "
            "invitation or an application link."
        ),
    )

    def __init__(self, *args, tenant, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        self.provider = provider
        self.fields["organisation"].queryset = Organisation.objects.filter(
            tenant=tenant, is_active=True
        )

    def clean_domains(self):
        raw = self.cleaned_data["domains"]
        domains = []
        for part in re.split(r"[\s,;]+", raw.lower()):
            part = part.strip().lstrip("@")
            if not part:
                continue
            if not DOMAIN.match(part):
                raise forms.ValidationError(
                    _("%(domain)s is not a domain. Write it as alvby.se."), params={"domain": part}
                )
            if part not in domains:
                domains.append(part)
        if not domains:
            raise forms.ValidationError(_("Give at least one e-mail domain."))
        return domains


class OIDCProviderForm(ProviderForm):
    issuer = forms.URLField(
        label=_("Issuer URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "For Microsoft Entra ID: https://login.microsoftonline.com/<directory id>/v2.0; "
            "for Google: https://accounts.google.com."
        ),
    )
    client_id = forms.CharField(
        label=_("Client id"), max_length=191, help_text=_("Entra ID: the application (client) id.")
    )
    secret = forms.CharField(
        label=_("Client secret"),
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("It is never shown again after saving."),
    )
    field_order = ["name", "issuer", "client_id", "secret", "domains"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.provider is not None:
            self.fields["secret"].required = False
            self.fields["secret"].help_text = _(
                "A secret is saved. Leave this empty to keep it, or give a new one."
            )

    def clean_issuer(self):
        try:
            issuer, self.discovery = fetch_oidc_configuration(self.cleaned_data["issuer"])
        except RemoteError as error:
            raise forms.ValidationError(str(error)) from error
        return issuer


class SAMLProviderForm(ProviderForm):
    metadata_url = forms.URLField(
        label=_("Metadata URL of the identity provider"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Or paste the metadata below."),
    )
    metadata_xml = forms.CharField(
        label=_("Metadata (XML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2_000_000,
    )
    entity_id = forms.CharField(
        label=_("Entity id of the identity provider"),
        max_length=500,
        required=False,
        help_text=_("Needed when the metadata is a federation's, with many identity providers."),
    )
    field_order = ["name", "metadata_url", "metadata_xml", "entity_id", "domains"]

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("metadata_url") or ""
        xml = (cleaned.get("metadata_xml") or "").strip()
        if not url and not xml:
            if self.provider is not None:
                # Unchanged: the saved IdP settings stay.
                self.idp = self.provider.app.settings.get("idp")
                return cleaned
            self.add_error("metadata_url", _("Give the metadata address or paste the metadata."))
            return cleaned
        try:
            self.idp = parse_saml_metadata(
                url=url, xml=xml, entity_id=(cleaned.get("entity_id") or "").strip()
            )
        except RemoteError as error:
            self.add_error("metadata_xml" if xml and not url else "metadata_url", str(error))
        return cleaned


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
