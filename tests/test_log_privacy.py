"""No personal data in the logs: a refused database row, an e-mail address or a secret link
never reaches a log line, whichever logger writes it (Django's request logger, Celery).

The records are written through the handler that ``settings.LOGGING`` configures (pytest's
caplog sees records before a handler's filters, so it would prove nothing).
"""

import io
import logging
import sys
from logging.config import dictConfig

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from applications.models import Application
from mentorship.log_filters import redact
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import UserFactory

NAME = "Anna Adeptsson"
EMAIL = "anna.adeptsson@example.se"
PHONE = "070-123 45 67"
MANAGER = "Chefen Chefsson"


@pytest.fixture
def log_output():
    """What the configured console handler writes, as text."""
    handler = logging.getLogger().handlers[0]
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def caught(action):
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return sys.exc_info()
    raise AssertionError("no IntegrityError")


@pytest.fixture
def application(db):
    return ApplicationFactory(
        full_name=NAME, email=EMAIL, phone=PHONE, manager_name=MANAGER, manager_email="c@x.se"
    )


@pytest.mark.django_db
def test_a_failing_row_is_not_logged_by_the_request_logger(application, log_output):
    # NOT NULL refused: PostgreSQL's DETAIL lists the whole row.
    exc_info = caught(lambda: Application.objects.filter(pk=application.pk).update(role=None))
    assert "Failing row contains" in str(exc_info[1]) and EMAIL in str(exc_info[1])

    # What Django's log_response writes for a 500.
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", "/t/apply/", exc_info=exc_info
    )

    out = log_output.getvalue()
    assert "Internal Server Error: /t/apply/" in out
    assert "IntegrityError" in out and "Failing row contains (…)." in out
    for personal in (NAME, EMAIL, PHONE, MANAGER, "c@x.se"):
        assert personal not in out


@pytest.mark.django_db
def test_a_duplicate_key_is_not_logged_by_celery(log_output):
    UserFactory(email=EMAIL)
    exc_info = caught(lambda: UserFactory(email=EMAIL))
    assert f"=({EMAIL})" in str(exc_info[1])

    # Celery's trace logger puts the exception's repr in the message, newlines as "\n".
    logging.getLogger("celery.app.trace").error(
        "Task %s[%s] raised unexpected: %r",
        "organisations.tasks.send_outgoing_mail",
        "1234",
        exc_info[1],
        exc_info=exc_info,
    )

    out = log_output.getvalue()
    assert "raised unexpected: IntegrityError(" in out
    assert "Key (email)=(…) already exists" in out
    assert EMAIL not in out


def test_e_mail_addresses_and_secret_links_are_cut_from_any_message(log_output):
    logging.getLogger("mentorship.anything").warning(
        "sent to %s: https://mentor.example.org/vastnatet/endorse/AbC123:xyz/ ok", EMAIL
    )
    out = log_output.getvalue()
    assert "sent to [e-mail]: https://mentor.example.org/vastnatet/endorse/[secret]/ ok" in out


def test_redact_keeps_a_multi_line_row_out():
    text = (
        'null value in column "role" violates not-null constraint\n'
        f"DETAIL:  Failing row contains (7, {NAME}, Jag vill\n\nlära mig (mer)., {PHONE}).\n"
    )
    redacted = redact(text)
    assert NAME not in redacted and PHONE not in redacted
    assert redacted.endswith("DETAIL:  Failing row contains (…).\n")


def test_the_celery_worker_keeps_the_filtered_handlers():
    """A worker sets up logging once; Celery's own handlers would replace the filtered one."""
    from mentorship.celery import app

    was_setup = app.log.already_setup
    app.log.already_setup = False
    try:
        app.log.setup_logging_subsystem(loglevel="INFO")
        root = logging.getLogger()
        assert root.handlers
        assert all(
            any(type(f).__name__ == "RedactPersonalData" for f in handler.filters)
            for handler in root.handlers
        )
    finally:
        app.log.already_setup = was_setup
        dictConfig(settings.LOGGING)


def test_the_deployment_check_warns_when_mail_would_be_printed_to_the_log(settings):
    """The console mail backend writes every mail (addresses, names, links) to stdout: in a
    container, that is the log."""
    from django.core.checks import run_checks

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    ids = [m.id for m in run_checks(include_deployment_checks=True, tags=["security"])]
    assert "mentorship.W001" in ids

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    ids = [m.id for m in run_checks(include_deployment_checks=True, tags=["security"])]
    assert "mentorship.W001" not in ids
