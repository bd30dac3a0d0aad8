"""One family of dates in both languages (mentorship/formats): "6 mars 2026" in text,
"6 mars" when the year is plain, "2026-03-06" in dense tables; no capitalised month
abbreviations ("6 Mar 2026") and no hand-written variants in the templates."""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

FAMILY = Template(
    '{{ d|date }} | {{ d|date:"MONTH_DAY_FORMAT" }} | {{ d|date:"SHORT_DATE_FORMAT" }} | '
    '{{ t|date:"DATETIME_FORMAT" }} | {{ t|date:"SHORT_DATETIME_FORMAT" }}'
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "6 mars 2026 | 6 mars | 2026-03-06 | 6 mars 2026 14:30 | 2026-03-06 14:30"),
        ("en", "6 March 2026 | 6 March | 2026-03-06 | 6 March 2026 14:30 | 2026-03-06 14:30"),
    ],
)
def test_the_named_formats_are_one_family(language, expected):
    with translation.override(language):
        rendered = FAMILY.render(
            Context({"d": date(2026, 3, 6), "t": datetime(2026, 3, 6, 14, 30)})
        )
    assert rendered == expected


def test_the_templates_use_no_capitalised_abbreviations_or_home_made_formats():
    offenders = []
    pattern = re.compile(r'\|date:"([^"]*)"')
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        for fmt in pattern.findall(path.read_text()):
            # M and N are "Mar"/"Mar." (capitalised), \k\l. is Swedish only; "j F Y, H:i"
            # and "j F Y H:i" were two spellings of one thing (DATETIME_FORMAT).
            if fmt.endswith("_FORMAT"):
                continue  # a named format of mentorship/formats
            if re.search(r"(?<!\\)[MNb]", fmt) or "\\k" in fmt or fmt == "j F Y, H:i":
                offenders.append(f"{path.name}: {fmt}")
    assert offenders == []
