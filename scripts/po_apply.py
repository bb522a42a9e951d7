"""Write Indonesian translations into a catalog: `python scripts/po_apply.py CATALOG FILE.json`.

CATALOG is `locale` (project frame) or an app name; FILE.json maps English msgid to
Indonesian msgstr (for plurals, a list of forms). Run `make messages` afterwards to
extract new strings first and compile.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(catalog: str, mapping_file: str) -> int:
    base = ROOT / "locale" if catalog == "locale" else ROOT / catalog / "locale"
    po_path = base / "id" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    mapping = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
    applied = 0
    for entry in po:
        if entry.msgid not in mapping:
            continue
        value = mapping[entry.msgid]
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            entry.msgstr_plural = dict(enumerate(forms + forms[-1:] * (2 - len(forms))))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        applied += 1
    po.save()
    left = len(po.untranslated_entries()) + len(po.fuzzy_entries())
    print(f"{po_path.relative_to(ROOT)}: {applied} applied, {left} still untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
