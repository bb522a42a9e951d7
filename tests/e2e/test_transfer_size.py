"""First load on a phone: ≤ 150 KB over the wire, from our own host only, system fonts.

Measured in Chromium against a production-like server: static files collected with
WhiteNoise's CompressedManifestStaticFilesStorage and served by WhiteNoise (hashed,
pre-compressed), HTML gzipped by GZipMiddleware. The size counted is what Chromium
received: encoded body plus response headers of every request of the first visit
(fresh context, empty cache), including everything loaded up to network idle.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from tests.e2e.test_ui_check import OUT_DIR, seed_demo_data

BUDGET_BYTES = 150_000  # "150 KB", counted in the stricter decimal kilobytes

# (label, URL factory) of the first pages a job seeker opens.
FIRST_LOADS = [
    ("home", lambda: reverse("home")),
    ("catalogue", lambda: reverse("courses:program-list")),
]


@pytest.fixture
def production_like_server(tmp_path, settings, transactional_db):
    """A live server whose static files are served by WhiteNoise as in production."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    server = LiveServer("localhost", start=False)
    # No test static handler in front: WhiteNoiseMiddleware inside the app serves /static/.
    server.thread.static_handler = lambda application: application
    server._live_server_modified_settings.enable()
    server.start()
    yield server
    server.stop()
    server._live_server_modified_settings.disable()


def measure_first_load(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    failed = []
    page.on("requestfailed", lambda request: failed.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    rows = []
    for request in finished:
        sizes = request.sizes()
        response = request.response()
        rows.append(
            {
                "url": request.url,
                "type": request.resource_type,
                "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                "encoding": (response.headers.get("content-encoding") or "") if response else "",
                "status": response.status if response else 0,
            }
        )
    context.close()
    return {"rows": rows, "failed": [r.url for r in failed]}


def first_load_problems(browser, base: str, label: str, path: str) -> list[str]:
    """What is wrong with the first load of `path` (a fresh phone: empty cache)."""
    result = measure_first_load(browser, base + path)
    rows = result["rows"]
    total = sum(row["bytes"] for row in rows)
    report = "\n".join(
        f"  {row['bytes']:>7} B  {row['type']:10} {row['encoding'] or '-':5} {row['url']}"
        for row in rows
    )
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    Path(OUT_DIR / f"transfer-{label}.txt").write_text(
        f"first load of {label}: {total} bytes in {len(rows)} requests\n{report}\n"
    )
    if not rows:
        return [f"{label}: nothing was loaded"]
    origin = urlsplit(base)[:2]
    static = [row["url"] for row in rows if "/static/" in row["url"]]
    checks = {
        "requests failed": result["failed"],
        "requests answered with an error": [
            (row["url"], row["status"]) for row in rows if not 200 <= row["status"] < 400
        ],
        "third-party hosts": [row["url"] for row in rows if urlsplit(row["url"])[:2] != origin],
        "web fonts (system fonts only)": [row["url"] for row in rows if row["type"] == "font"],
        # Text travels compressed: HTML by GZipMiddleware, CSS/JS pre-compressed by WhiteNoise.
        "sent without compression": [
            row["url"]
            for row in rows
            if row["type"] in ("document", "stylesheet", "script") and row["encoding"] != "gzip"
        ],
        "no static files": [] if static else ["none"],
        # Static files carry their content hash, so phones can cache them for a year.
        "static files without their hash": [
            u for u in static if len(Path(urlsplit(u).path).suffixes) < 2
        ],
    }
    problems = [f"{label}: {what}: {found}" for what, found in checks.items() if found]
    if total > BUDGET_BYTES:
        problems.append(f"{label}: {total} bytes > {BUDGET_BYTES}\n{report}")
    return problems


@pytest.mark.browser
@pytest.mark.long  # collectstatic with compression and seed_demo, once for both pages
def test_first_loads_fit_a_cheap_phone_budget(production_like_server, browser):
    seed_demo_data()
    problems = []
    for label, path in FIRST_LOADS:
        problems += first_load_problems(browser, production_like_server.url, label, path())
    assert not problems, "\n".join(problems)
