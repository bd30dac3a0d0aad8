"""gunicorn's access log without secrets: ``logger_class`` in ``gunicorn.conf.py``.

A request line names the path only, with the key of a secret link cut out
(``mentorship.secret_paths``: endorsement, invitation, put-forward, calendar feed, allauth's
keys) and no query string (a search for a person's name or address is in it). The referrer
is written the same way; cookies, credentials and the WSGI environment are never written,
whatever ``access_log_format`` asks for.
"""

from urllib.parse import urlsplit

from gunicorn.glogging import Logger

from .secret_paths import redact_path

# Request headers that are credentials: an access log format naming them gets "-".
HIDDEN_HEADERS = {"cookie", "authorization", "proxy-authorization", "x-csrftoken"}


def _raw_path(environ):
    """The path as the client sent it (still percent-encoded, so no line breaks), no query."""
    raw = environ.get("RAW_URI") or environ.get("PATH_INFO") or ""
    return urlsplit(raw).path if "://" in raw else raw.split("?", 1)[0].split("#", 1)[0]


def _referer(value):
    if not value or value == "-":
        return "-"
    parts = urlsplit(value)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return origin + redact_path(parts.path)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(_raw_path(environ))
        atoms["U"] = path
        atoms["q"] = "-"
        atoms["u"] = "-"
        atoms["r"] = (
            f"{environ.get('REQUEST_METHOD', '-')} {path} {environ.get('SERVER_PROTOCOL', '-')}"
        )
        atoms["f"] = _referer(environ.get("HTTP_REFERER"))
        for key in list(atoms):
            if key.endswith("}e"):
                del atoms[key]  # the environment holds the raw URI, the query and the cookies
            elif key.endswith("}i"):
                name = key[1:-2]
                if name in HIDDEN_HEADERS:
                    atoms[key] = "-"
                elif name == "referer":
                    atoms[key] = atoms["f"]
        return atoms
