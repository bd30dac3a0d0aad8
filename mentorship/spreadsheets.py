"""Reading an uploaded spreadsheet (CSV as Excel writes it in Sweden, or .xlsx) into rows.

Shared by the imports (the member organisations' import in organisations/importing.py). What
the file is *about* is for the caller: this only turns bytes into a list of rows of cell
values, header first, or raises SpreadsheetError with a sentence for the person uploading.
"""

import csv
import io
import re
import unicodedata
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# An .xlsx is a zip file: refuse one that unpacks to far more than any honest list (zip bomb).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, too large, too many rows)."""


_NOT_A_SPREADSHEET = gettext_lazy(
    "The file is not a spreadsheet. Upload a CSV file (comma- or semicolon-separated) or an "
    "Excel file (.xlsx)."
)
_MAGIC = {
    b"%PDF": gettext_lazy(
        "The file is a PDF, not a spreadsheet. Upload a CSV file or an Excel file (.xlsx)."
    ),
    b"\xd0\xcf\x11\xe0": gettext_lazy(
        "The file is in the old Excel format (.xls). In Excel, "
        "choose Save as → Excel workbook (.xlsx) or CSV, and "
        "upload that."
    ),
    b"\x89PNG": _NOT_A_SPREADSHEET,
    b"\xff\xd8\xff": _NOT_A_SPREADSHEET,
    b"GIF8": _NOT_A_SPREADSHEET,
}


def normalise_header(text):
    """A column name without accents, case or separators: "E-post" → "e_post"."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-/.]+", "_", text.strip().lower()).strip("_")


def cell_text(value):
    """A cell as text: Excel gives numbers as floats (5.0), CSV everything as text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # A value exported with a protective ' in front of a formula character.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def read_table(data, *, max_rows, max_bytes, too_many_rows, one_column=True):
    """The file's rows as lists of cell values, header first; an empty row is ``[]``.

    ``one_column=False``: a CSV whose first line has no separator is not taken for a list
    (a letter saved as .txt), but refused as not a spreadsheet.

    ``too_many_rows`` is the sentence for a file with more than ``max_rows`` filled rows
    (the header not counted); reading stops there, so a huge file costs little.
    """
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _("The file is too large (%(size)s MB). The limit is %(max)s MB.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "max": f"{max_bytes / 1024 / 1024:g}"}
        )
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    for magic, message in _MAGIC.items():
        if data.startswith(magic):
            raise SpreadsheetError(str(message))
    counter = _RowCounter(max_rows, too_many_rows)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, counter)
    return _read_csv(data, counter, one_column=one_column)


class _RowCounter:
    def __init__(self, max_rows, message):
        self.max_rows = max_rows
        self.message = message
        self.filled = 0
        self.seen = 0

    def add(self, row):
        self.seen += 1
        if row:
            self.filled += 1
        if self.filled - 1 > self.max_rows or self.seen > 20 * self.max_rows:
            raise SpreadsheetError(str(self.message))


def _read_xlsx(data, counter):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise SpreadsheetError(_("The Excel file is too large when unpacked."))
            if "xl/workbook.xml" not in archive.namelist():
                raise SpreadsheetError(str(_NOT_A_SPREADSHEET))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as exc:  # a damaged or disguised file: openpyxl raises many kinds
        raise SpreadsheetError(str(_NOT_A_SPREADSHEET)) from exc
    try:
        rows = []
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            row = list(values) if any(v not in (None, "") for v in values) else []
            counter.add(row)
            rows.append(row)
        return rows
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise SpreadsheetError(str(_NOT_A_SPREADSHEET)) from exc
    finally:
        workbook.close()


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # Excel's "Unicode text" (UTF-16, tab-separated)
    if b"\x00" in data:
        raise SpreadsheetError(str(_NOT_A_SPREADSHEET))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What Excel on Swedish Windows writes when you choose plain "CSV (semicolon)".
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _(
                "The file's characters could not be read. Save it as “CSV UTF-8” in Excel, or "
                "upload the .xlsx file."
            )
        ) from exc


def _read_csv(data, counter, *, one_column=True):
    text = _decode(data)
    first_line = text.lstrip().splitlines()[0] if text.strip() else ""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    # One column (only names) has no separator at all: any will do.
    delimiter, count = max(counts.items(), key=lambda item: item[1])
    if count == 0 and not one_column:
        raise SpreadsheetError(str(_NOT_A_SPREADSHEET))
    rows = []
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            row = values if any(v.strip() for v in values) else []
            counter.add(row)
            rows.append(row)
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The CSV file could not be read (%(problem)s).") % {"problem": exc}
        ) from exc
    return rows
