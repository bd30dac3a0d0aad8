"""Mail rendered in the recipient's language: the shared part every app uses.

Templates live in ``templates/emails/<purpose>.subject.txt``, ``.txt`` and
(optionally) ``.html``. Recording a mail and sending it is the outbox's job
(``organisations.outbox``): the outbox is a tenant's table, so it lives with the tenants, and
this module imports no app of ours.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def recipient_language(*, user=None, tenant=None, fallback=None):
    """The language a person reads: their own choice, else the tenant's, else Swedish."""
    if user is not None and getattr(user, "language", ""):
        return user.language
    if fallback:
        return fallback
    if tenant is not None and tenant.default_language:
        return tenant.default_language
    return settings.LANGUAGE_CODE


def _render_text(name, context):
    """Plain text is not HTML: no escaping, so "O'Brien & Co" stays as typed."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_mail(*, purpose, language, context):
    with translation.override(language):
        subject = _render_text(f"emails/{purpose}.subject.txt", context).strip()
        subject = " ".join(subject.splitlines())
        body = _render_text(f"emails/{purpose}.txt", context)
        try:
            html = render_to_string(f"emails/{purpose}.html", context)
        except TemplateDoesNotExist:
            html = None
    return subject, body, html


def language_headers(language):
    """``Content-Language``: the language the mail is written in (the recipient's), so that
    a screen reader reads it with the right voice and a mail client offers no translation."""
    return {"Content-Language": language} if language else {}


def send_rendered(*, to, subject, body, html=None, reply_to=None, language=None):
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to or None,
        headers=language_headers(language),
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
