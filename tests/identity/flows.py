"""Walking a sign-in through the real test providers with Django's test Client on our side
and ``requests`` on the provider's side (the browser's part between the two)."""

import html
import re
from urllib.parse import urlencode, urlsplit

import requests

from tests.identity.conftest import PASSWORD


def form_action(body, button_text):
    """The action of the form holding the button with ``button_text``."""
    for match in re.finditer(r'<form method="post" action="([^"]+)">(.*?)</form>', body, re.S):
        if button_text in html.unescape(match.group(2)):
            return html.unescape(match.group(1))
    raise AssertionError(f"no form with {button_text!r}")


def hidden(body, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', body)
    return html.unescape(match.group(1)) if match else ""


def start(client, tenant, email, *, next_url="", provider_name):
    """The tenant's sign-in page: the address, then the provider's button; returns the
    redirect to the provider."""
    response = client.post(f"/{tenant.slug}/sign-in/", {"email": email, "next": next_url})
    body = response.content.decode()
    assert response.status_code == 200
    action = form_action(body, f"Sign in with your account at {provider_name}")
    response = client.post(action, {"process": "login", "next": next_url})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def through_oidc(client, authorize_url, username):
    """At the provider: its own login form, then back to our callback."""
    idp = requests.Session()
    response = idp.get(authorize_url, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    login_url = response.headers["Location"]
    if login_url.startswith("/"):
        login_url = f"{authorize_url.split('/o/', 1)[0]}{login_url}"
    page = idp.get(login_url)
    response = idp.post(
        login_url,
        data={
            "csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"),
            "username": username,
            "password": PASSWORD,
            "next": hidden(page.text, "next"),
        },
        headers={"Referer": login_url},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    back = response.headers["Location"]
    if back.startswith("/"):
        back = f"{authorize_url.split('/o/', 1)[0]}{back}"
    response = idp.get(back, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    callback = response.headers["Location"]
    assert "/accounts/oidc/" in callback, callback
    return client.get(path_of(callback))


def saml_answer(sso_url, *, email, name="", title="", scenario=""):
    """The IdP's auto-posting form: (ACS path, posted fields)."""
    extra = urlencode({"email": email, "name": name, "title": title, "scenario": scenario})
    page = requests.get(f"{sso_url}&{extra}").text
    action = re.search(r'action="([^"]+)"', page).group(1)
    return path_of(html.unescape(action)), {
        "SAMLResponse": hidden(page, "SAMLResponse"),
        "RelayState": hidden(page, "RelayState"),
    }


def post_to_acs(client, acs_path, fields):
    response = client.post(acs_path, fields)
    assert response.status_code == 302, response.content[:500]
    return client.get(response["Location"])
