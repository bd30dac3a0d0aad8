"""No served page has inline scripts or styles: the Content-Security-Policy
(``mentorship/headers.py``) allows only the site's own files, so a browser would refuse them.

The PDF templates (WeasyPrint renders them, no browser ever sees them) keep their <style>, and
the mail templates are not pages either.
"""

import re
from pathlib import Path

from django.conf import settings

from mentorship.charts import bar_chart_svg, grouped_bar_chart_svg

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NOT_SERVED = {
    "applications/exports/_pdf_style.html",
    "applications/exports/application_pdf.html",
    "applications/exports/dossier_person.html",
    "applications/exports/dossier_summary.html",
    "evaluation/report_pdf.html",
    "programmes/exports/answers_pdf.html",
}
INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE),
    "on… handler": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE),
    "hx-on handler": re.compile(r"\b(data-)?hx-on\b", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def offenders(text):
    return [
        (kind, text.count("\n", 0, match.start()) + 1)
        for kind, pattern in INLINE.items()
        for match in pattern.finditer(text)
    ]


def test_the_scan_finds_what_it_looks_for():
    sample = (
        "<script>alert(1)</script>\n<script src='/static/x.js'></script>\n<style>p{}</style>\n"
        '<p style="color: red" onclick="x()">\n<a href="javascript:void(0)" hx-on:click="y">'
    )
    assert sorted(offenders(sample)) == sorted(
        [
            ("inline <script>", 1),
            ("<style> element", 3),
            ("style attribute", 4),
            ("on… handler", 4),
            ("javascript: URL", 5),
            ("hx-on handler", 5),
        ]
    )


def test_no_template_of_a_served_page_has_inline_code():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in NOT_SERVED or name.startswith("emails/"):
            continue
        found += [f"{name}:{line}: {kind}" for kind, line in offenders(path.read_text())]
    assert not found, "Inline code the Content-Security-Policy refuses:\n" + "\n".join(found)


def test_charts_have_no_style_attribute():
    """The report page shows the charts inline (as SVG): their sizing is in app.css."""
    charts = [
        bar_chart_svg(labels=["Ja", "Nej"], values=[3, 1], title="Svar"),
        grouped_bar_chart_svg(
            labels=["2025", "2026"], series=[("Mentorer", [4, 5]), ("Adepter", [4, 6])], title="Par"
        ),
    ]
    for svg in charts:
        assert 'class="chart"' in svg
        assert not offenders(svg), offenders(svg)
