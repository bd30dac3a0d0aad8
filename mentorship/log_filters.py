"""Keep personal data out of the logs.

PostgreSQL explains a failed constraint with the row or the key it refused
("DETAIL:  Failing row contains (17, Anna Adeptsson, anna@example.se, 070-…)",
"DETAIL:  Key (email)=(anna@example.se) already exists."). That text is part of the
exception's message, so Django's request logger and Celery would write a whole application
to the log. ``RedactPersonalData`` is installed on every handler in ``settings.LOGGING``: it
cuts those values out of the message and the traceback, cuts the key out of any secret link
(``mentorship.secret_paths``), and as a safety net replaces any e-mail address left.
"""

import logging
import re

from .secret_paths import redact_urls_in

FAILING_ROW = re.compile(
    # Up to the row's closing ")." at the end of a line, also inside a repr ("\n" as text).
    r"(Failing row contains )\(.*?\)\.(?=\s*$|\\n|['\"]|\s*\n)",
    re.DOTALL | re.MULTILINE,
)
KEY_VALUES = re.compile(r"(Key \([^)]*\)=)\(.*?\)(?= already exists| is not present| is still)")
EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")

REDACTED = "(…)"
REDACTED_EMAIL = "[e-mail]"


def redact(text):
    text = FAILING_ROW.sub(lambda m: m.group(1) + REDACTED + ".", text)
    text = KEY_VALUES.sub(lambda m: m.group(1) + REDACTED, text)
    return EMAIL.sub(REDACTED_EMAIL, redact_urls_in(text))


class RedactPersonalData(logging.Filter):
    """Rewrites the record in place: its message, and the traceback the formatter will use."""

    _formatter = logging.Formatter()

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to logging's own error report
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
