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


@dataclass
class Claims:
    email: str
    # True or False when the provider said so; None when it did not say.
    email_verified: bool | None
    name: str
    title: str


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
    )
