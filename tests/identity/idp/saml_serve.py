"""A SAML 2.0 identity provider for the tests: ``python -m tests.identity.idp.saml_serve PORT``.

It serves its metadata at /metadata and answers an SP's AuthnRequest (HTTP-Redirect binding)
at /sso with an auto-posting form carrying a Response whose Assertion is signed by xmlsec
(python3-saml's ``add_sign``) with a key made when it starts. Who signs in comes from the query
(``email``, ``name``, ``title``): the test stands in for the person at the IdP's own login.
``scenario`` asks for a faulty answer: ``wrong_audience``, ``expired``, ``tampered``,
``other_key``, ``no_email``.
"""

import base64
import datetime
import html
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils


def key_and_cert(name):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return key_pem, cert_pem


def bare(cert_pem):
    return "".join(line for line in cert_pem.splitlines() if "CERTIFICATE" not in line)


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class IdP:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.entity_id = f"{self.base}/metadata"
        self.key, self.cert = key_and_cert("Test IdP")
        self.other_key, self.other_cert = key_and_cert("Someone else")

    def metadata(self):
        return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{self.entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{bare(self.cert)}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="{self.base}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""

    def response(self, saml_request, *, email, name, title, scenario):
        request = etree.fromstring(OneLogin_Saml2_Utils.decode_base64_and_inflate(saml_request))
        request_id = request.get("ID")
        acs = request.get("AssertionConsumerServiceURL")
        sp = request.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer").text
        audience = "https://someone-else.example/sp" if scenario == "wrong_audience" else sp
        now = datetime.datetime.now(datetime.UTC)
        if scenario == "expired":
            now -= datetime.timedelta(hours=2)
        later = now + datetime.timedelta(minutes=5)
        attributes = ""
        values = {
            "urn:oid:0.9.2342.19200300.100.1.3": "" if scenario == "no_email" else email,
            "urn:oid:2.16.840.1.113730.3.1.241": name,
            "urn:oid:2.5.4.12": title,
        }
        for attr, value in values.items():
            if value:
                attributes += (
                    f'<saml:Attribute Name="{attr}" '
                    'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
                    f"<saml:AttributeValue>{html.escape(value)}</saml:AttributeValue>"
                    "</saml:Attribute>"
                )
        assertion_id = f"_{uuid.uuid4().hex}"
        assertion = f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{assertion_id}" Version="2.0" IssueInstant="{stamp(now)}"><saml:Issuer>{self.entity_id}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{uuid.uuid5(uuid.NAMESPACE_DNS, email or "x").hex}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{stamp(later)}" Recipient="{acs}" InResponseTo="{request_id}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{stamp(now - datetime.timedelta(minutes=1))}" NotOnOrAfter="{stamp(later)}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{stamp(now)}" SessionIndex="{assertion_id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion>"""
        key, cert = (
            (self.other_key, self.other_cert) if scenario == "other_key" else (self.key, self.cert)
        )
        signed = OneLogin_Saml2_Utils.add_sign(assertion, key, cert)
        if isinstance(signed, bytes):
            signed = signed.decode()
        signed = signed.replace('<?xml version="1.0"?>', "").strip()
        if scenario == "tampered":
            signed = signed.replace(email, "boss@" + email.split("@", 1)[1])
        response = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{stamp(now)}" Destination="{acs}" InResponseTo="{request_id}"><saml:Issuer>{self.entity_id}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{signed}</samlp:Response>"""
        return acs, base64.b64encode(response.encode()).decode()


def handler_for(idp):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, body, content_type):
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/metadata":
                return self.send(idp.metadata(), "application/samlmetadata+xml")
            if parts.path != "/sso":
                self.send_response(404)
                self.end_headers()
                return None
            acs, saml_response = idp.response(
                query["SAMLRequest"],
                email=query.get("email", ""),
                name=query.get("name", ""),
                title=query.get("title", ""),
                scenario=query.get("scenario", ""),
            )
            relay = html.escape(query.get("RelayState", ""))
            page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test IdP</title></head>
<body><main><h1>Test SAML IdP</h1><form method="post" action="{html.escape(acs)}">
<input type="hidden" name="SAMLResponse" value="{saml_response}">
<input type="hidden" name="RelayState" value="{relay}">
<button type="submit">Continue</button></form></main></body></html>"""
            return self.send(page, "text/html; charset=utf-8")

    return Handler


def main():
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(IdP(port)))
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
