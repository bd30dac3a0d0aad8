"""What a screen reader needs of a PDF, read with poppler's ``pdfinfo``: tagged, with a title
and a language."""

import re
import shutil
import subprocess
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
LANG = re.compile(rb"/Lang\s*\(([^)]*)\)")


def pdfinfo(content):
    command = shutil.which("pdfinfo")
    assert command, "pdfinfo is needed (apt-get install poppler-utils)"
    result = subprocess.run([command, "-"], input=content, capture_output=True, check=True)
    facts = {}
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        key, _sep, value = line.partition(":")
        facts[key.strip()] = value.strip()
    return facts


def pdf_language(content):
    """The document's /Lang (in the catalog, often inside a compressed object stream)."""
    found = LANG.findall(content)
    for stream in STREAM.findall(content):
        try:
            found += LANG.findall(zlib.decompress(stream))
        except zlib.error:
            continue
    return found[0].decode() if found else None


def assert_accessible_pdf(content, *, title, language):
    facts = pdfinfo(content)
    assert facts.get("Tagged") == "yes", facts
    assert facts.get("Title") == title, facts
    assert pdf_language(content) == language


def page_texts(content):
    """The text of each page (pdftotext's pages are separated by form feeds)."""
    command = shutil.which("pdftotext")
    result = subprocess.run(
        [command, "-enc", "UTF-8", "-layout", "-", "-"], input=content, capture_output=True
    )
    return result.stdout.decode().split("\f")[:-1]
