"""One family of dates (FORMAT_MODULE_PATH in the settings): "6 mars 2026" in text, "6 mars"
when the year is plain, "2026-03-06" in dense tables; times "14:30". Month names in lower case
come from Django's Swedish catalogue. Templates name the format (``|date:"SHORT_DATE_FORMAT"``)
instead of spelling one out."""

from django.conf.locale.sv.formats import *  # noqa: F403 (input formats and the rest)

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
