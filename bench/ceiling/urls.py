"""Two ceilings: "hello" (12 bytes) and `copy/<n>/`, a cached public page's exact bytes.

`BENCH_CEILING_PAGES` names a JSON file written by bench/run.py: for each public page
the file holding the body the portal answered (gzip-compressed, as phones ask for it)
and its Content-Type and Content-Encoding. The view answers those bytes from memory, so
the only difference to the portal's cached page is what the portal does per request
(the cache round trip, the middleware): the real limit of a page served from a cache.
"""

import json
import os
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path


def _load() -> list[dict]:
    manifest = os.environ.get("BENCH_CEILING_PAGES")
    if not manifest:
        return []
    pages = json.loads(Path(manifest).read_text())
    for page in pages:
        page["body"] = Path(page["file"]).read_bytes()
    return pages


PAGES = _load()


def hello(request):
    return HttpResponse("Hello, Batang!", content_type="text/plain")


def copy(request, n):
    if n >= len(PAGES):
        raise Http404
    page = PAGES[n]
    response = HttpResponse(page["body"], content_type=page["content_type"])
    if page.get("content_encoding"):
        response["Content-Encoding"] = page["content_encoding"]
    response["Vary"] = "Accept-Encoding"
    return response


urlpatterns = [path("", hello), path("copy/<int:n>/", copy)]
