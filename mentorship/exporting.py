"""What every export shares: formula-safe cells, spreadsheet sheets laid out for reading, PDFs
that fetch nothing, private downloads.

Used by ``programmes.exports`` (a shared day's answers) and ``applications.exports``
(applications, the matching dossier).
"""

from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise spreadsheet formulas in a CSV (CSV injection): a leading ' makes Excel show
    text. An XLSX needs no such mark: ``xlsx_sheet`` writes such values as text cells."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


XLSX_MIN_WIDTH = 8
XLSX_MAX_WIDTH = 60


def _xlsx_cell(sheet, value, *, bold=False):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # A text cell, shown as typed ("+46 70…", "=x"): never a formula, no visible '; the
        # quote prefix keeps it text when somebody edits the cell in Excel.
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def _width(value):
    if value is None:
        return 0
    if hasattr(value, "strftime"):
        return 16
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_sheet(workbook, title, header, rows, *, freeze="A2"):
    """One sheet of a write-only workbook: a bold header row that stays in view when
    scrolling and carries an autofilter, columns as wide as their content (within limits),
    strings as text cells. ``rows``: lists of values (str, number, date or None)."""
    rows = [list(row) for row in rows]
    sheet = workbook.create_sheet(title)
    for index, label in enumerate(header, start=1):
        widest = max(
            [_width(label)] + [_width(row[index - 1]) for row in rows if len(row) >= index]
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(widest + 2, XLSX_MIN_WIDTH), XLSX_MAX_WIDTH
        )
    sheet.freeze_panes = freeze
    sheet.append([_xlsx_cell(sheet, label, bold=True) for label in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    return sheet


class NoFetchURLFetcher(URLFetcher):
    """Fetches nothing: exports are self-contained (inline CSS, local fonts), so a URL in the
    HTML (say, from a title typed by somebody) can never make the server fetch it."""

    def fetch(self, url, headers=None):
        raise ValueError(f"External resources are not allowed in exports: {url[:100]}")


# Every PDF is tagged (PDF/UA-1): a screen reader gets the headings, lists and tables, the
# document's language (the HTML's lang) and its title (the HTML's <title>).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def write_pdf(document):
    """The bytes of a laid-out document (``pdf_document``), tagged."""
    return document.write_pdf(**PDF_OPTIONS)


def pdf_document(html, font_config=None):
    """A laid-out WeasyPrint document (pages), for callers that combine several into one PDF."""
    return HTML(string=html, base_url=None, url_fetcher=NoFetchURLFetcher()).render(
        font_config=font_config
    )


def render_pdf(html):
    return HTML(string=html, base_url=None, url_fetcher=NoFetchURLFetcher()).write_pdf(
        **PDF_OPTIONS
    )


def private_download(response, filename):
    """An attachment that no cache keeps: exports hold personal data."""
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
