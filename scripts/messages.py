"""Extract and compile the translation catalogs: `make messages`.

Catalogs live beside the code that owns the strings:
- locale/ for the project frame (templates/, core, accounts, batang_portal);
- <app>/locale/ for each domain app, whose templates live in <app>/templates/<app>/.

Source strings are English; Indonesian (the default language) is translated by hand in
the id catalogs. The en catalogs are filled with the source text, so a test can demand
that every catalog is complete. A lock file serialises concurrent runs.
"""

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = ["trainees", "courses", "placements", "welfare", "notifications", "reports"]
LANGS = ["id", "en"]
IGNORE = [".venv", "node_modules", "var", "static", "bench", "docs", *DOMAIN_APPS]


def run(args, cwd, settings=True):
    env = dict(os.environ)
    if not settings:
        # Inside an app folder, makemessages without settings writes to ./locale.
        env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(args, cwd=cwd, env=env, check=True)


def fill_english(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
    po.save()


def main() -> int:
    django_admin = str(Path(sys.executable).with_name("django-admin"))
    lock = open(ROOT / ".messages.lock", "w")  # noqa: SIM115 - held for the whole run
    fcntl.flock(lock, fcntl.LOCK_EX)
    lang_args = [a for code in LANGS for a in ("-l", code)]
    ignore_args = [a for pattern in IGNORE for a in ("--ignore", pattern)]
    run(
        [sys.executable, "manage.py", "makemessages", *lang_args, *ignore_args, "--no-obsolete"],
        ROOT,
    )
    catalogs = [ROOT / "locale"]
    for app in DOMAIN_APPS:
        (ROOT / app / "locale").mkdir(exist_ok=True)
        run([django_admin, "makemessages", *lang_args, "--no-obsolete"], ROOT / app, settings=False)
        catalogs.append(ROOT / app / "locale")
    missing = 0
    for locale_dir in catalogs:
        fill_english(locale_dir / "en" / "LC_MESSAGES" / "django.po")
        po = polib.pofile(str(locale_dir / "id" / "LC_MESSAGES" / "django.po"))
        todo = po.untranslated_entries() + po.fuzzy_entries()
        missing += len(todo)
        for entry in todo:
            print(f"untranslated (id) {locale_dir.relative_to(ROOT)}: {entry.msgid!r}")
    compile_ignore = [a for pattern in (".venv", "node_modules") for a in ("--ignore", pattern)]
    run([sys.executable, "manage.py", "compilemessages", *compile_ignore], ROOT)
    print(f"{missing} Indonesian messages still to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
