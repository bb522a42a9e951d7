"""Every public, job-seeker and employer page passes axe-core and the Nu HTML Checker.

`make check-ui` runs this module and prints var/ui-check/summary-<language>.txt; `make screenshots`
runs it with PORTAL_SCREENSHOTS_DIR=docs/screenshots. The page list is ui_pages.PAGES.
"""

import os
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.urls import URLPattern, URLResolver, get_resolver

from tests.e2e import uicheck
from tests.e2e.ui_pages import NOT_CHECKED, NOT_CHECKED_NAMESPACES, PAGES
from tests.e2e.ui_scenario import build_scenario

OUT_DIR = uicheck.ROOT / "var" / "ui-check"


def seed_demo_data() -> None:
    """Load the demo data the pages show (seed_demo), once it exists in the project."""
    if "seed_demo" in get_commands():
        call_command("seed_demo", verbosity=0)


@pytest.mark.browser
@pytest.mark.long
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", uicheck.LANGUAGES)
def test_every_page_passes_axe_and_the_html_checker(live_server, browser, language):
    # One test per language, so that parallel test workers share the longest check.
    names = {kind: f"{kind}-{language}.txt" for kind in ("summary", "failures", "axe-all")}
    for stale in names.values():
        (OUT_DIR / stale).unlink(missing_ok=True)
    started = time.perf_counter()
    seed_demo_data()
    seeded = time.perf_counter()
    scenario = build_scenario()
    built = time.perf_counter()
    screenshot_dir = os.environ.get("PORTAL_SCREENSHOTS_DIR")
    report = uicheck.run_ui_check(
        browser,
        live_server.url,
        PAGES,
        scenario,
        languages=[language],
        out_dir=OUT_DIR,
        screenshot_dir=Path(screenshot_dir).resolve() if screenshot_dir else None,
    )
    report.seconds = Counter(
        {"seed_demo": seeded - started, "scenario": built - seeded, **report.seconds}
    )
    summary = report.summary()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / names["summary"]).write_text(summary, encoding="utf-8")
    blocking = report.blocking()
    (OUT_DIR / names["axe-all"]).write_text("\n".join(report.all_violations()) + "\n")
    (OUT_DIR / names["failures"]).write_text("\n".join(blocking) + "\n", encoding="utf-8")
    assert not blocking, summary + "\n" + "\n".join(blocking[:60])
    assert len(report.views) == len(PAGES) * len(uicheck.WIDTHS)


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_named_url_is_checked_or_excused():
    """A new page must be added to tests/e2e/ui_pages.py (PAGES, or NOT_CHECKED + reason)."""
    checked = {page.url_name for page in PAGES}
    missing = sorted(
        name
        for name in set(_named_urls())
        if name not in checked
        and name not in NOT_CHECKED
        and name.split(":")[0] not in NOT_CHECKED_NAMESPACES
    )
    assert not missing, (
        f"URLs not covered by the UI check: {missing}. Add each to PAGES in "
        "tests/e2e/ui_pages.py (or to NOT_CHECKED with the reason it is no page)."
    )
    stale = sorted((checked | set(NOT_CHECKED)) - set(_named_urls()) - {""})
    assert not stale, f"ui_pages.py names URLs that no longer exist: {stale}"


def test_page_names_are_unique_and_safe_as_file_names():
    names = [page.name for page in PAGES]
    assert len(names) == len(set(names))
    assert all(name.replace("-", "").isalnum() for name in names)


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ([{"name": "nik", "type": "text", "autocomplete": "", "inputmode": ""}], ["NIK"]),
        ([{"name": "nik", "type": "text", "autocomplete": "off", "inputmode": "numeric"}], []),
        ([{"name": "phone", "type": "text", "autocomplete": "tel", "inputmode": ""}], ["tel"]),
        ([{"name": "phone", "type": "tel", "autocomplete": "tel", "inputmode": ""}], []),
        ([{"name": "phone", "type": "text", "autocomplete": "tel", "inputmode": "tel"}], []),
        ([{"name": "phone", "type": "text", "autocomplete": "work tel", "inputmode": "tel"}], []),
        ([{"name": "email", "type": "email", "autocomplete": "work email", "inputmode": ""}], []),
        ([{"name": "email", "type": "email", "autocomplete": "", "inputmode": ""}], ["e-mail"]),
        ([{"name": "password1", "type": "password", "autocomplete": "", "inputmode": ""}], ["pa"]),
        ([{"name": "q", "type": "search", "autocomplete": "", "inputmode": ""}], []),
        ([{"name": "whatsapp_optin", "type": "checkbox", "autocomplete": "", "inputmode": ""}], []),
        ([{"name": "whatsapp", "type": "text", "autocomplete": "", "inputmode": ""}], ["tel"]),
    ],
)
def test_input_hints_are_demanded_where_phones_need_them(inputs, expected):
    problems = uicheck.input_hint_problems(inputs)
    assert len(problems) == len(expected)
    for problem, fragment in zip(problems, expected, strict=True):
        assert fragment.lower() in problem.lower()
