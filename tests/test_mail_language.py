"""Every mail says which language it is written in (``Content-Language``, the recipient's), so
that screen readers read it with the right voice: the outbox's mails and allauth's own."""

import pytest
from django.conf import settings
from django.core import mail as django_mail
from django.test import Client

from organisations import outbox
from tests.factories.organisations import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_outbox_mail_carries_its_recipients_language(
    tenant, language, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_mail(
            purpose="invitation",
            to="mottagare@example.se",
            language=language,
            context={"tenant": tenant, "url": "https://example.se/x"},
        )
    [sent] = django_mail.outbox
    assert sent.message()["Content-Language"] == language


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_password_reset_mail_carries_the_language_it_is_written_in(language):
    user = UserFactory(email="glomsk@example.se")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    [sent] = django_mail.outbox
    assert sent.message()["Content-Language"] == language
    english = "password" in sent.subject.lower()
    assert english == (language == "en")
