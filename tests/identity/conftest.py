"""The real identity providers of the tests, each a subprocess on a free port of 127.0.0.1,
started once per test module: django-oauth-toolkit's OpenID Connect provider
(tests/identity/idp/oidc_serve.py) and a SAML IdP signing with xmlsec
(tests/identity/idp/saml_serve.py)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

# People at the OpenID Connect provider: (username, claims). A claim of None is left out.
OIDC_PEOPLE = [
    (
        "maria",
        {
            "email": "maria.manager@alvby.se",
            "email_verified": True,
            "name": "Maria Chef",
            "job_title": "Enhetschef",
        },
    ),
    ("nomail", {"email": None, "email_verified": None, "name": "Utan Adress"}),
    ("unverified", {"email": "overifierad@alvby.se", "email_verified": False, "name": "O V"}),
    ("stranger", {"email": "someone@gmail.com", "email_verified": True, "name": "Ok Änd"}),
    ("newbie", {"email": "ny.sokande@alvby.se", "email_verified": True, "name": "Ny Sökande"}),
    ("bergbo", {"email": "maria.manager@alvby.se", "email_verified": True, "name": "Maria B"}),
]
PASSWORD = "idp-password-1"
# Redirect URIs of this site's provider ids (a tenant's first provider is <slug>-1).
CLIENTS = {
    "alvby-client": ["alvby-1"],
    "bergby-client": ["bergby-1"],
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(module, env, port):
    process = subprocess.Popen(
        [sys.executable, "-m", module, str(port)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        raise RuntimeError(f"{module} did not start: {process.stderr.read()[-2000:]}")
    return process


def stop(process):
    process.terminate()
    process.wait(timeout=10)


def redirect_uris(provider_ids, hosts):
    return [f"{host}/accounts/oidc/{pid}/login/callback/" for pid in provider_ids for host in hosts]


def start_oidc(directory, hosts):
    """The OpenID Connect provider, its clients allowed back to ``hosts`` (this site's
    addresses): (process, namespace with ``issuer``)."""
    port = free_port()
    env = {
        "IDP_DB": str(directory / "idp.sqlite3"),
        "IDP_PEOPLE": json.dumps(
            [{"username": u, "password": PASSWORD, "claims": c} for u, c in OIDC_PEOPLE]
        ),
        "IDP_CLIENTS": json.dumps(
            [
                {
                    "client_id": cid,
                    "secret": f"{cid}-secret",
                    "redirect_uris": redirect_uris(p, hosts),
                }
                for cid, p in CLIENTS.items()
            ]
        ),
    }
    process = start("tests.identity.idp.oidc_serve", env, port)
    base = f"http://127.0.0.1:{port}"
    return process, SimpleNamespace(issuer=f"{base}/o", base=base)


@pytest.fixture(scope="module")
def oidc_idp(tmp_path_factory):
    process, idp = start_oidc(tmp_path_factory.mktemp("oidc"), ["http://mentor.test"])
    yield idp
    stop(process)


@pytest.fixture(scope="module")
def saml_idp():
    port = free_port()
    process = start("tests.identity.idp.saml_serve", {}, port)
    base = f"http://127.0.0.1:{port}"
    yield SimpleNamespace(base=base, metadata_url=f"{base}/metadata")
    stop(process)
