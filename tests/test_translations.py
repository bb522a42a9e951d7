"""Every catalog is complete: no untranslated or fuzzy message in Indonesian or English.

Catalogs: locale/ (project frame) and <app>/locale/ (each domain app). `make messages`
extracts and compiles them; scripts/po_apply.py writes Indonesian translations.
"""

from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def catalogs() -> list[Path]:
    found = sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))
    found += sorted(ROOT.glob("*/locale/*/LC_MESSAGES/*.po"))
    return [p for p in found if not {".venv", "node_modules"} & set(p.parts)]


def short(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_every_language_of_every_catalog_exists():
    bases = {p.parents[2] for p in catalogs()}
    assert bases, "no translation catalogs found"
    missing = [
        short(base / code / "LC_MESSAGES" / "django.po")
        for base in bases
        for code in LANGUAGES
        if not (base / code / "LC_MESSAGES" / "django.po").exists()
    ]
    assert not missing, f"catalogs missing (run `make messages`): {missing}"


@pytest.mark.parametrize("po_path", catalogs(), ids=short)
def test_catalog_has_no_untranslated_or_fuzzy_message(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries() if not e.obsolete]
    # polib counts a plural entry as translated when one form is: demand every form.
    partial_plurals = [
        e.msgid
        for e in po
        if e.msgid_plural and not e.obsolete and not all(e.msgstr_plural.values())
    ]
    assert not untranslated, (
        f"{short(po_path)}: {len(untranslated)} untranslated (translate with "
        f"scripts/po_apply.py, then `make messages`): {untranslated[:20]}"
    )
    assert not fuzzy, f"{short(po_path)}: {len(fuzzy)} fuzzy (review them): {fuzzy[:20]}"
    assert not partial_plurals, f"{short(po_path)}: plural forms missing: {partial_plurals}"


@pytest.mark.parametrize("po_path", catalogs(), ids=short)
def test_compiled_catalog_matches_its_source(po_path):
    """The .mo Django reads is compiled from the current .po (run `make messages`)."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{short(mo_path)} missing: run `make messages`"
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(mo_path))

    def key(entry):
        return (entry.msgctxt or "", entry.msgid)

    def value(entry):
        if entry.msgid_plural:
            return tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
        return entry.msgstr

    source = {key(e): value(e) for e in po.translated_entries() if not e.obsolete}
    compiled = {key(e): value(e) for e in mo if e.msgid}
    stale = sorted(k[1] for k in source if compiled.get(k) != source[k])
    assert not stale, f"{short(mo_path)} is stale for {stale[:10]}: run `make messages`"
