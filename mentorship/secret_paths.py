"""The URL paths that carry a secret, and how to write them down without it.

A path segment after one of these prefixes is a key that opens a page without signing in
(a manager's endorsement link, an invitation, a put-forward link, a personal calendar feed) or
a one-time key of allauth (confirming an address, resetting a password). Such a path must not
reach a log, and its page must not be kept by a cache.

Plain Python with no Django import: gunicorn's access logger
(``mentorship.gunicorn_logging``) uses it outside any request.
"""

import re

REDACTED = "[secret]"

_SEGMENT = r"[^/\s?#\"']+"
# (prefix, secret) per URL pattern with a key; /<tenant>/... patterns take any tenant slug.
# The secret stops at the next "/" (and before ".ics" for the calendar feed).
_SECRETS = [
    (rf"/{_SEGMENT}/endorse/", _SEGMENT),  # applications:endorse
    (rf"/{_SEGMENT}/invitation/", _SEGMENT),  # organisations:invitation (and /renew/)
    (rf"/{_SEGMENT}/put-forward/", _SEGMENT),  # applications:put_forward_accept
    (rf"/{_SEGMENT}/calendar/", rf"{_SEGMENT}?(?=\.ics|[/\s?#\"']|$)"),  # programmes:person_feed
    (r"/accounts/confirm-email/", _SEGMENT),  # allauth: confirm an address
    (r"/accounts/password/reset/key/", _SEGMENT),  # allauth: reset from the mail
]
_PATHS = [re.compile(rf"^({prefix}){secret}") for prefix, secret in _SECRETS]
_IN_TEXT = [re.compile(rf"({prefix}){secret}") for prefix, secret in _SECRETS]


def _keep_prefix(match):
    return match.group(1) + REDACTED


def carries_secret(path):
    """Whether the path holds a key that must not be logged or cached."""
    return any(pattern.match(path or "") for pattern in _PATHS)


def redact_path(path):
    """The path with its secret segment replaced by ``[secret]``; other paths as they are."""
    path = path or ""
    for pattern in _PATHS:
        redacted, count = pattern.subn(_keep_prefix, path, count=1)
        if count:
            return redacted
    return path


def redact_urls_in(text):
    """Any such path inside a text (a log message, a full URL) with its secret cut out."""
    for pattern in _IN_TEXT:
        text = pattern.sub(_keep_prefix, text)
    return text
