"""Compile every ``locale/*/LC_MESSAGES/*.po`` into its ``.mo`` with polib (pure Python).

``make run`` and the image use this, so a newcomer needs no gettext tools. A catalogue whose
``.mo`` is newer than its ``.po`` is left alone. Fuzzy entries are left out, as msgfmt does.
The test command also runs Django's ``compilemessages`` (GNU msgfmt) where gettext is
installed, which checks the format strings.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def compile_all(root=ROOT, *, force=False):
    compiled = []
    for po_path in sorted((root / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue.fuzzy_entries():
            catalogue.remove(entry)
        catalogue.save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    for path in compile_all(force="--force" in sys.argv):
        print(f"compiled {path.relative_to(ROOT)}")
