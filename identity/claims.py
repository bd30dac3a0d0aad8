"""What a provider said about the person, the same shape for OpenID Connect and SAML.

allauth keeps the provider's answer in ``SocialAccount.extra_data``: for OpenID Connect the
userinfo and the ID token's claims, for SAML the assertion's attributes (lists of values).
"""

from dataclasses import dataclass

from allauth.core.internal.datakit import parse_bool_safely

# SAML attribute names, the common federations' (SWAMID, Skolfederation, Entra ID) first.
SAML_ATTRIBUTES = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "mail",
        "email",
    ],
    "email_verified": ["email_verified", "http://schemas.auth0.com/email_verified"],
    "name": [
        "urn:oid:2.16.840.1.113730.3.1.241",
        "http://schemas.microsoft.com/identity/claims/displayname",
        "displayName",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "givenName",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "sn",
    ],
    "title": ["urn:oid:2.5.4.12", "title", "jobTitle"],
}


# How a provider says the person did a second factor there (the two-factor policy counts it,
# organisations.twofactor): OpenID Connect's ``amr`` (RFC 8176) or ``acr``, and the same
# methods as a SAML attribute (Entra ID's authnmethodsreferences).
MFA_METHODS = {
    "mfa",
    "otp",
    "hwk",
    "sc",
    "fpt",
    "http://schemas.microsoft.com/claims/multipleauthn",
}
MFA_CONTEXTS = {
    "https://refeds.org/profile/mfa",
    "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
    "http://id.elegnamnden.se/loa/1.0/loa3",
    "http://id.elegnamnden.se/loa/1.0/loa4",
}
SAML_MFA_ATTRIBUTES = (
    "http://schemas.microsoft.com/claims/authnmethodsreferences",
    "amr",
    "authnContextClassRef",
)


def second_factor_done(provider_id, data):
    """Whether the provider's answer says the person did a second factor (True only when it
    says so in a way we know; never guessed)."""
    values = []
    if provider_id == "saml":
        for name in SAML_MFA_ATTRIBUTES:
            found = data.get(name) or []
            values.extend(found if isinstance(found, list | tuple) else [found])
    else:
        flat = {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
        amr = flat.get("amr") or []
        values.extend(amr if isinstance(amr, list | tuple) else [amr])
        if flat.get("acr"):
            values.append(flat["acr"])
    words = {str(v).strip() for v in values if v}
    return bool(words & (MFA_METHODS | MFA_CONTEXTS))


@dataclass
class Claims:
    email: str
    # True or False when the provider said so; None when it did not say.
    email_verified: bool | None
    name: str
    title: str
    # The provider says a second factor was done (counts for the tenant's two-factor policy).
    mfa: bool = False


def _first(values):
    if isinstance(values, list | tuple):
        values = values[0] if values else ""
    return str(values or "").strip()


def claims_of(sociallogin):
    data = sociallogin.account.extra_data or {}
    if sociallogin.provider.id == "saml":
        flat = {}
        for key, names in SAML_ATTRIBUTES.items():
            for name in names:
                if data.get(name):
                    flat[key] = _first(data[name])
                    break
        if not flat.get("email"):
            flat["email"] = sociallogin.user.email if sociallogin.user else ""
    else:
        flat = dict(data.get("id_token") or {})
        flat.update(data.get("userinfo") or {})
        flat["title"] = flat.get("job_title") or flat.get("jobTitle") or ""
    verified = flat.get("email_verified")
    name = _first(flat.get("name")) or " ".join(
        part
        for part in (
            _first(flat.get("given_name") or flat.get("first_name")),
            _first(flat.get("family_name") or flat.get("last_name")),
        )
        if part
    )
    return Claims(
        email=_first(flat.get("email")).lower(),
        email_verified=None if verified in (None, "") else parse_bool_safely(verified),
        name=name,
        title=_first(flat.get("title")),
        mfa=second_factor_done(sociallogin.provider.id, data),
    )
