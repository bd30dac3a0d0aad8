"""The mails the demo's stories queue through the real services: each links to the page where
its reader acts and shows no Python (tests/test_mail_templates.py checks every template with
a context of its own; this checks the contexts the services really pass)."""

import re

import pytest
from django_scopes import scopes_disabled

from organisations.models import OutgoingMail
from tests.test_mail_templates import FORBIDDEN_IN_TEXT, NO_LINK

LINK = re.compile(r"https?://\S+")


@pytest.mark.django_db
def test_every_demo_mail_links_and_shows_no_python(demo_seed):
    with scopes_disabled():
        mails = list(OutgoingMail.objects.exclude(body="").values("purpose", "subject", "body"))
    assert mails, "the demo queues mails"
    problems = []
    for mail in mails:
        text = f"{mail['subject']}\n{mail['body']}"
        bad = [b for b in FORBIDDEN_IN_TEXT if b in text]
        if bad:
            problems.append(f"{mail['purpose']}: {bad} in\n{text}")
        if mail["purpose"] not in NO_LINK and not LINK.search(mail["body"]):
            problems.append(f"{mail['purpose']}: no link in\n{text}")
    assert not problems, "\n\n".join(problems[:5])
