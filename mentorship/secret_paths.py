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

# (prefix, secret) per URL pattern with a key; /<tenant>/... patterns take any tenant slug.
# The secret stops at the next "/" (and before ".ics" for the calendar feed).
_PATTERNS = [
    re.compile(r"^(/[^/]+/endorse/)([^/]+)"),  # applications:endorse
    re.compile(r"^(/[^/]+/invitation/)([^/]+)"),  # organisations:invitation (and /renew/)
    re.compile(r"^(/[^/]+/put-forward/)([^/]+)"),  # applications:put_forward_accept
    re.compile(r"^(/[^/]+/calendar/)([^/]+?)(?=\.ics$|/|$)"),  # programmes:person_feed
    re.compile(r"^(/accounts/confirm-email/)([^/]+)"),  # allauth: confirm an address
    re.compile(r"^(/accounts/password/reset/key/)([^/]+)"),  # allauth: reset from the mail
]


def carries_secret(path):
    """Whether the path holds a key that must not be logged or cached."""
    return any(pattern.match(path or "") for pattern in _PATTERNS)


def redact_path(path):
    """The path with its secret segment replaced by ``[secret]``; other paths as they are."""
    path = path or ""
    for pattern in _PATTERNS:
        redacted, count = pattern.subn(lambda m: m.group(1) + REDACTED, path, count=1)
        if count:
            return redacted
    return path
