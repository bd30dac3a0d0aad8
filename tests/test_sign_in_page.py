"""The sign-in page: "Forgot your password?" once, right after the password field (not also as
the field's help text), in Swedish ("Glömt lösenordet?") as in English."""

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_forgot_password_appears_once_after_the_password_field(language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/accounts/login/").content.decode()
    link = 'href="/accounts/password/reset/"'
    assert page.count(link) == 1
    password = page.index('name="password"')
    after = page.index(link)
    assert password < after < page.index('type="submit"', password)
    # Nothing else (a help text, the remember box) between the field and the link.
    assert "<input" not in page[password + len('name="password"') : after]
    # The field is not described by a help text that repeats the link.
    assert 'id="id_password_helptext"' not in page
