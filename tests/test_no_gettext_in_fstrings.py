"""No translatable string inside an f-string.

``makemessages`` (xgettext) does not look into f-strings, so a ``_("…")`` there never reaches
the message catalogue and stays English for everybody (the dossier's file name was
"matching-dossier-…" in Swedish too). The word is translated first, then put in."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "migrations", "locale", "static", ".git"}
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _called_name(call):
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def gettext_in_fstrings(source, filename="<source>"):
    """(line, call) of every gettext call inside an f-string of ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and _called_name(inner) in GETTEXT:
                    found.append((inner.lineno, ast.unparse(inner)))
    return found


def python_files():
    for path in ROOT.rglob("*.py"):
        if not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def test_the_check_finds_a_gettext_call_in_an_f_string():
    source = 'name = f"{slugify(_(\'matching dossier\'))}-{pk}.pdf"\nok = _("x") + f"{pk}"\n'
    assert gettext_in_fstrings(source) == [(1, "_('matching dossier')")]


def test_no_gettext_call_sits_inside_an_f_string():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {call}"
        for path in python_files()
        for line, call in gettext_in_fstrings(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not found, "Translate outside the f-string (makemessages misses these):\n" + "\n".join(
        found
    )
