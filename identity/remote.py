"""Reading a provider's own description before it is saved: the OpenID Connect discovery
document and SAML metadata. Whatever goes wrong becomes a ``RemoteError`` with a sentence for
the coordinator; nothing is saved then."""

from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser


class RemoteError(Exception):
    pass


def check_address(url):
    """Only https, so a provider's keys cannot be swapped on the way (plain http to this
    machine only where settings allow it: tests and local development)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme == "http" and local and settings.IDENTITY_ALLOW_LOCAL_HTTP:
        return
    raise RemoteError(_("The address must start with https://."))


def _get(url):
    check_address(url)
    try:
        response = requests.get(url, timeout=settings.IDENTITY_FETCH_TIMEOUT)
    except requests.RequestException as error:
        raise RemoteError(
            _("%(url)s could not be reached. Check the address and try again.") % {"url": url}
        ) from error
    if response.status_code != 200:
        raise RemoteError(
            _("%(url)s answered with status %(status)s instead of the document.")
            % {"url": url, "status": response.status_code}
        )
    return response


def fetch_oidc_configuration(issuer):
    """The issuer's discovery document, checked to name this issuer and its endpoints."""
    issuer = issuer.strip().rstrip("/")
    if "/.well-known/" in issuer:
        issuer = issuer.split("/.well-known/", 1)[0]
    url = f"{issuer}/.well-known/openid-configuration"
    response = _get(url)
    try:
        document = response.json()
    except ValueError as error:
        raise RemoteError(
            _("%(url)s is not an OpenID Connect discovery document.") % {"url": url}
        ) from error
    if not isinstance(document, dict):
        raise RemoteError(_("%(url)s is not an OpenID Connect discovery document.") % {"url": url})
    missing = [
        key
        for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not document.get(key)
    ]
    if missing:
        raise RemoteError(
            _("The discovery document lacks %(fields)s.") % {"fields": ", ".join(missing)}
        )
    if str(document["issuer"]).rstrip("/") != issuer:
        raise RemoteError(
            _("The discovery document names another issuer: %(issuer)s.")
            % {"issuer": document["issuer"]}
        )
    return issuer, document


def parse_saml_metadata(*, url="", xml="", entity_id=""):
    """The IdP's entity id, sign-in address and signing certificate from its metadata (a
    federation's metadata holds many IdPs: ``entity_id`` picks one)."""
    if url:
        xml = _get(url).content
    if not xml:
        raise RemoteError(_("Give the metadata address or paste the metadata."))
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id or None)
    except Exception as error:  # lxml and the parser raise many kinds for bad XML
        raise RemoteError(_("The metadata is not valid SAML metadata XML.")) from error
    idp = parsed.get("idp") or {}
    if not idp.get("entityId"):
        if entity_id:
            raise RemoteError(
                _("The metadata has no identity provider with the entity id %(entity)s.")
                % {"entity": entity_id}
            )
        raise RemoteError(_("The metadata describes no identity provider."))
    cert = idp.get("x509cert") or (idp.get("x509certMulti") or {}).get("signing", [""])[0]
    sso = (idp.get("singleSignOnService") or {}).get("url")
    if not cert:
        raise RemoteError(_("The metadata has no signing certificate."))
    if not sso:
        raise RemoteError(_("The metadata has no sign-in address (SingleSignOnService)."))
    result = {"entity_id": idp["entityId"], "sso_url": sso, "x509cert": cert}
    slo = (idp.get("singleLogoutService") or {}).get("url")
    if slo:
        result["slo_url"] = slo
    return result
