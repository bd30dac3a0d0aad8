"""English dates in the same family as the Swedish ones (see ``../sv/formats.py``):
"6 March 2026", "6 March", "2026-03-06", 24-hour times."""

from django.conf.locale.en.formats import *  # noqa: F403 (input formats and the rest)

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
