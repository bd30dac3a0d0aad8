"""A provider that says the person did a second factor there: the tenant's two-factor policy
counts it (OpenID Connect's amr/acr, SAML's authentication methods); nothing else does."""

import pytest

from identity.claims import second_factor_done


@pytest.mark.parametrize(
    ("provider", "data", "expected"),
    [
        ("openid_connect", {"id_token": {"amr": ["pwd", "mfa"]}}, True),
        ("openid_connect", {"id_token": {"amr": ["pwd", "otp"]}}, True),
        ("openid_connect", {"id_token": {"amr": ["pwd"]}}, False),
        ("openid_connect", {"id_token": {"acr": "https://refeds.org/profile/mfa"}}, True),
        ("openid_connect", {"id_token": {"acr": "1"}, "userinfo": {"amr": "pwd"}}, False),
        ("openid_connect", {}, False),
        (
            "saml",
            {
                "http://schemas.microsoft.com/claims/authnmethodsreferences": [
                    "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password",
                    "http://schemas.microsoft.com/claims/multipleauthn",
                ]
            },
            True,
        ),
        ("saml", {"mail": ["a@alvby.se"]}, False),
        # A claim by the wrong name is not read (a SAML attribute named like an OIDC claim).
        ("saml", {"id_token": {"amr": ["mfa"]}}, False),
    ],
)
def test_second_factor_done(provider, data, expected):
    assert second_factor_done(provider, data) is expected
