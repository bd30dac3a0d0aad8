"""What every export shares: formula-safe cells, PDFs that fetch nothing, private downloads.

Used by ``programmes.exports`` (a shared day's answers) and ``applications.exports``
(applications, the matching dossier).
"""

from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise spreadsheet formulas (CSV injection): a leading ' makes Excel show text."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class NoFetchURLFetcher(URLFetcher):
    """Fetches nothing: exports are self-contained (inline CSS, local fonts), so a URL in the
    HTML (say, from a title typed by somebody) can never make the server fetch it."""

    def fetch(self, url, headers=None):
        raise ValueError(f"External resources are not allowed in exports: {url[:100]}")


def pdf_document(html, font_config=None):
    """A laid-out WeasyPrint document (pages), for callers that combine several into one PDF."""
    return HTML(string=html, base_url=None, url_fetcher=NoFetchURLFetcher()).render(
        font_config=font_config
    )


def render_pdf(html):
    return HTML(string=html, base_url=None, url_fetcher=NoFetchURLFetcher()).write_pdf()


def private_download(response, filename):
    """An attachment that no cache keeps: exports hold personal data."""
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
