"""The UI check: axe-core and the W3C Nu HTML Checker over every page of ui_pages.PAGES.

Used by tests/e2e/test_ui_check.py (pytest, marker `browser`, part of `make test`) and
by `make check-ui`, which runs that test and prints the summary it writes.

For every page × language (id, en) × width (360×740 phone, 1280×800 desktop) the
browser (Debian's Chromium via Playwright) loads the page, logged in as the page's demo
user when it needs one, and:
- runs axe-core (vendored in static/vendor/axe-core/, injected here only) and keeps the
  violations (serious and critical ones fail the check);
- records every request: one to another host than the test server, or for a web font,
  fails the check (no third-party host, system fonts only), and every console error
  (what the Content-Security-Policy refused, a script error);
- lists <img> without width and height attributes (layout shift on slow phones);
- checks the input hints phones rely on (autocomplete, numeric keyboard for NIK/phone);
- saves the server's HTML once per page × language.
The saved HTML then goes through vnu.jar in one JVM run (errors only), started for a
short run (VNU_JVM_OPTIONS).

One browser context per (user, language), with one tab that loads that user's pages one
after the other (its static files cached, set back to the phone width before each page).
A new tab per page cost more than a second each (a renderer process started, axe
evaluated in its blank page): 103 s of the 388 s an `id` check took on the shared machine.

The summary ends with where the time went (`time:` line: seeding, page loads, axe per
width, vnu), for the next person who makes the check faster.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from tests.e2e.ui_pages import UIPage
from tests.e2e.ui_scenario import Scenario

ROOT = Path(settings.BASE_DIR)
AXE_JS = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NODE_TOOLS = ROOT / "scripts" / "node_tools.sh"
# One short JVM run: the quick compiler only and the serial collector (vnu over the 102
# pages of a language: 23 s -> 8 s on the shared machine, the same JSON byte for byte,
# errors included). The quick compiler's frames are larger: vnu asks for at least 512k of
# stack and says so (the check then fails) when it runs out.
VNU_JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m")

LANGUAGES = [code for code, _name in settings.LANGUAGES]
WIDTHS = {"360": {"width": 360, "height": 740}, "1280": {"width": 1280, "height": 800}}
BLOCKING_IMPACTS = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
SCREENSHOT_MAX_HEIGHT = 1480  # two phone screens: enough to show a page, small PNGs

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""

PAGE_FACTS = """() => ({
  lang: document.documentElement.lang,
  unsizedImages: [...document.images]
    .filter(i => !(i.hasAttribute("width") && i.hasAttribute("height")))
    .map(i => i.getAttribute("src")),
  inputs: [...document.querySelectorAll("input:not([type=hidden]), textarea")].map(e => ({
    name: e.name, type: e.type, autocomplete: e.getAttribute("autocomplete") || "",
    inputmode: e.getAttribute("inputmode") || "",
  })),
  overflow: document.documentElement.scrollWidth > window.innerWidth,
})"""

SUBMIT_FORM = """selector => {
  const form = document.querySelector(selector);
  if (!form) throw new Error("no form matches " + selector);
  form.noValidate = true;  // let the server, not the browser, report the errors
  form.requestSubmit();
}"""

# Input hints a phone keyboard and password manager need: (matcher, check, message).
_PHONE = re.compile(r"(^|_)(phone|telepon|hp|whatsapp)($|_)")
_NIK = re.compile(r"(^|_)nik($|_)")


def input_hint_problems(inputs: list[dict]) -> list[str]:
    """Return what is missing on the form fields of one page (empty when all is well)."""
    problems = []
    for field_ in inputs:
        name, kind = field_["name"], field_["type"]
        autocomplete, inputmode = field_["autocomplete"], field_["inputmode"]
        if kind == "password" and autocomplete not in ("current-password", "new-password"):
            problems.append(f"{name}: password without autocomplete current-/new-password")
        elif kind == "email" and not {"email", "username"} & set(autocomplete.split()):
            problems.append(f"{name}: e-mail field without autocomplete=email")
        if kind in ("checkbox", "radio", "hidden"):
            continue  # a choice, not typed: "whatsapp_optin" asks no keyboard
        phone_keyboard = kind == "tel" or inputmode == "tel"
        # "tel", or with a section/hint in front: "work tel", "shipping tel-national"...
        phone_autofill = any(token.startswith("tel") for token in autocomplete.split())
        if _PHONE.search(name) and not (phone_keyboard and phone_autofill):
            problems.append(f"{name}: phone field needs type or inputmode tel, autocomplete=tel")
        if _NIK.search(name) and inputmode != "numeric":
            problems.append(f"{name}: NIK field without inputmode=numeric")
        if name == "full_name" and autocomplete != "name":
            problems.append(f"{name}: name field without autocomplete=name")
    return problems


# --- Sessions ----------------------------------------------------------------------------


def session_cookie_for(user) -> str | None:
    """A session id logged in as `user`; None for anonymous (user None)."""
    if user is None:
        return None
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# --- Results -------------------------------------------------------------------------------


@dataclass
class PageView:
    page: UIPage
    language: str
    width: str
    status: int | None = None
    violations: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # anything else that fails the check

    @property
    def label(self) -> str:
        return f"{self.page.name} [{self.language}, {self.width}px]"

    def impact_counts(self) -> Counter:
        return Counter(v["impact"] for v in self.violations)


@dataclass
class Report:
    views: list[PageView] = field(default_factory=list)
    vnu_errors: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    requests: int = 0
    seconds: Counter = field(default_factory=Counter)  # wall time per phase, for `time:`

    @contextmanager
    def timed(self, phase: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] += time.perf_counter() - started

    def time_line(self) -> str:
        return "time: " + ", ".join(f"{phase} {s:.0f} s" for phase, s in self.seconds.items())

    def all_violations(self) -> list[str]:
        """Every axe violation, failing or not (moderate and minor ones are worth fixing)."""
        return [
            f"axe {v['impact']} {v['id']} on {view.label}: {v['help']} at {v['targets']}"
            for view in self.views
            for v in view.violations
        ]

    def blocking(self) -> list[str]:
        """Every finding that fails the check, one line each."""
        lines = []
        for view in self.views:
            for v in view.violations:
                if v["impact"] in BLOCKING_IMPACTS:
                    lines.append(
                        f"axe {v['impact']} {v['id']} on {view.label}: {v['help']} "
                        f"at {v['targets']}"
                    )
            lines.extend(f"{view.label}: {problem}" for problem in view.problems)
        for (name, language), errors in sorted(self.vnu_errors.items()):
            lines.extend(f"vnu {name} [{language}]: {error}" for error in errors)
        return lines

    def summary(self) -> str:
        pages = sorted({v.page.name for v in self.views})
        languages = [code for code in LANGUAGES if any(v.language == code for v in self.views)]
        widths = sorted({v.width for v in self.views}, key=int)
        impacts = sum((v.impact_counts() for v in self.views), Counter())
        rows = [
            f"UI check: {len(pages)} pages × {len(languages)} languages ({', '.join(languages)})"
            f" × {len(widths)} widths ({', '.join(w + 'px' for w in widths)})"
            f" = {len(self.views)} page views, {self.requests} requests",
            "",
            f"{'page':32} {'who':11} {'axe crit/ser/mod/min':>21} {'vnu errors':>10} {'other':>5}",
        ]
        by_page: dict[str, list[PageView]] = {}
        for view in self.views:
            by_page.setdefault(view.page.name, []).append(view)
        for name, views in by_page.items():
            counts = sum((v.impact_counts() for v in views), Counter())
            vnu = sum(len(self.vnu_errors.get((name, lang), [])) for lang in languages)
            other = sum(len(v.problems) for v in views)
            axe = "/".join(str(counts[i]) for i in IMPACTS)
            rows.append(f"{name:32} {views[0].page.who:11} {axe:>21} {vnu:>10} {other:>5}")
        vnu_total = sum(len(e) for e in self.vnu_errors.values())
        other_total = sum(len(v.problems) for v in self.views)
        blocking_axe = sum(impacts[i] for i in BLOCKING_IMPACTS)
        rows += [
            "",
            f"axe violations: critical {impacts['critical']}, serious {impacts['serious']},"
            f" moderate {impacts['moderate']}, minor {impacts['minor']}"
            f" (failing: {blocking_axe})",
            f"vnu errors: {vnu_total}",
            f"other problems (status, third-party/font requests, console/CSP errors, unsized"
            f" images, input hints, wrong language, horizontal scroll): {other_total}",
            self.time_line(),
            "RESULT: " + ("PASS" if not self.blocking() else "FAIL"),
        ]
        return "\n".join(rows) + "\n"


# --- Running ------------------------------------------------------------------------------


def new_context(browser, base_url: str, user, language: str):
    """A browser context in `language`, logged in as `user` (None: anonymous), with axe."""
    context = browser.new_context(
        viewport=WIDTHS[next(iter(WIDTHS))],
        # The phone's own widgets (date pickers) in the language under test.
        locale={"id": "id-ID"}.get(language, "en-US"),
        # The portal's CSP stays on: what it blocks (inline style or script) is a finding.
        # axe comes in as an init script, which a page's CSP does not govern.
    )
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    session = session_cookie_for(user)
    if session:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url})
    context.add_cookies(cookies)
    context.add_init_script(path=str(AXE_JS))
    return context


def new_page(context):
    """The tab a context's pages are loaded in, one after the other."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def visit(
    page,
    base_url: str,
    entry: UIPage,
    language: str,
    *,
    path: str,
    html_file: Path,
    screenshot: Path | None,
    report: Report,
) -> tuple[list[PageView], int]:
    """Load one page in `page` (a tab), check it at every width; return a view per width
    and the requests. Only the events of this visit are recorded."""
    origin = urlsplit(base_url)[:2]
    requests: list[tuple[str, str]] = []
    # Console errors (a CSP refusal, a failed load) and uncaught script errors are findings.
    console_errors: list[str] = []

    def on_request(request):
        requests.append((request.url, request.resource_type))

    def on_console(message):
        if message.type == "error":
            console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(error):
        console_errors.append(f"script error: {error}")

    listeners = {"request": on_request, "console": on_console, "pageerror": on_page_error}
    # Loaded at the first (phone) width, as in a new tab: the last visit left it wider.
    page.set_viewport_size(WIDTHS[next(iter(WIDTHS))])
    for event, listener in listeners.items():
        page.on(event, listener)
    try:
        with report.timed("page loads"):
            response = page.goto(base_url + path, wait_until="load")
            for selector, text in entry.fill:
                page.fill(selector, text)
            if entry.submit:
                with page.expect_navigation(wait_until="load") as navigation:
                    page.evaluate(SUBMIT_FORM, entry.submit)
                response = navigation.value
        problems = []  # width-independent: reported on the first width's view
        status = response.status if response else None
        if status != entry.status:
            problems.append(f"HTTP {status}, expected {entry.status}")
        final_path = urlsplit(page.url).path
        if not (entry.submit or entry.redirects) and final_path != urlsplit(path).path:
            problems.append(f"redirected to {final_path}")
        if response is not None:
            html_file.parent.mkdir(parents=True, exist_ok=True)
            html_file.write_bytes(response.body())
        views = []
        for width, viewport in WIDTHS.items():
            # Same document, re-laid out: media queries and contrast are re-evaluated.
            page.set_viewport_size(viewport)
            view = PageView(entry, language, width, status=status)
            with report.timed(f"axe {width}px"):
                view.violations = page.evaluate(AXE_RUN)
            facts = page.evaluate(PAGE_FACTS)
            if facts["overflow"]:
                view.problems.append("page scrolls horizontally")
            if not views:
                if facts["lang"] != language:
                    problems.append(f"<html lang={facts['lang']!r}>, expected {language!r}")
                problems += [f"image without width/height: {src}" for src in facts["unsizedImages"]]
                problems += input_hint_problems(facts["inputs"])
                view.problems += problems
            if screenshot is not None and width == "360":
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                height = min(
                    page.evaluate("document.documentElement.scrollHeight"),
                    SCREENSHOT_MAX_HEIGHT,
                )
                page.screenshot(
                    path=str(screenshot),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": viewport["width"], "height": height},
                )
            views.append(view)
        views[0].problems += [
            f"console: {text}"
            for text in dict.fromkeys(console_errors)
            # The expected status of an error page is not a finding.
            if not (entry.status >= 400 and "the server responded with a status" in text)
        ]
        for url, kind in sorted(set(requests)):
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts[:2] != origin:
                views[0].problems.append(f"request to another host: {url}")
            if kind == "font":
                views[0].problems.append(f"web font requested: {url}")
        return views, len(requests)
    finally:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)


def run_ui_check(
    browser,
    base_url: str,
    pages: list[UIPage],
    scenario: Scenario,
    *,
    out_dir: Path,
    languages: list[str] | None = None,
    screenshot_dir: Path | None = None,
) -> Report:
    """Check every page in each language (all by default) and width, then validate the HTML.

    One browser context per (user, language) keeps the static files in its cache and
    loads its pages in one tab; each page is loaded once per language and checked at
    every width by resizing.
    """
    languages = languages or LANGUAGES
    report = Report()
    html_files: dict[Path, tuple[str, str]] = {}
    paths = {entry.name: entry.path(scenario) for entry in pages}
    started = time.perf_counter()
    for who in dict.fromkeys(entry.who for entry in pages):
        for language in languages:
            context = new_context(browser, base_url, scenario.user(who), language)
            page = new_page(context)
            try:
                for entry in (e for e in pages if e.who == who):
                    html_file = out_dir / "html" / language / f"{entry.name}.html"
                    shot = None
                    if screenshot_dir and entry.screenshot and language == LANGUAGES[0]:
                        shot = screenshot_dir / f"{entry.name}.png"
                    try:
                        views, requests = visit(
                            page,
                            base_url,
                            entry,
                            language,
                            path=paths[entry.name],
                            html_file=html_file,
                            screenshot=shot,
                            report=report,
                        )
                    except Exception as exc:  # noqa: BLE001 - report it, check the rest
                        failed = PageView(entry, language, next(iter(WIDTHS)))
                        failed.problems.append(f"could not be checked: {str(exc).splitlines()[0]}")
                        views, requests = [failed], 0
                        # The next page in a new tab: this one may be stuck half-way.
                        page.close()
                        page = new_page(context)
                    else:
                        html_files[html_file] = (entry.name, language)
                    report.views += views
                    report.requests += requests
            finally:
                context.close()
    # The browser's whole part (loads, axe, resizing, the rest) for the `time:` line.
    report.seconds["browser in all"] = time.perf_counter() - started
    order = {entry.name: i for i, entry in enumerate(pages)}
    report.views.sort(key=lambda v: (order[v.page.name], LANGUAGES.index(v.language)))
    with report.timed("vnu"):
        vnu_errors = vnu_check(list(html_files))
    for html_file, errors in vnu_errors.items():
        report.vnu_errors[html_files[html_file]] = errors
    return report


# --- The Nu HTML Checker -------------------------------------------------------------------


def ensure_vnu() -> Path:
    """Install vnu.jar into node_modules/ when missing (npm ci, once per lock hash)."""
    if not VNU_JAR.exists():
        subprocess.run(["bash", str(NODE_TOOLS)], check=True, cwd=ROOT)
    return VNU_JAR


def vnu_check(files: list[Path]) -> dict[Path, list[str]]:
    """Validate HTML files in one JVM run; return the errors per file."""
    if not files:
        return {}
    jar = ensure_vnu()
    result = subprocess.run(
        [
            "java",
            *VNU_JVM_OPTIONS,
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    errors: dict[Path, list[str]] = {Path(f).resolve(): [] for f in files}
    for message in json.loads(result.stdout)["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")).resolve() if url.startswith("file:") else None
        where = f"line {message.get('lastLine', '?')}: " if message.get("lastLine") else ""
        text = f"{where}{message.get('message', '')} «{message.get('extract', '').strip()}»"
        errors.setdefault(path, []).append(text)
    unknown = errors.pop(None, [])
    if unknown:
        raise RuntimeError(f"vnu reported errors it could not place: {unknown}")
    return {Path(f): errors[Path(f).resolve()] for f in files}
