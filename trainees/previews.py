"""The first page of a PDF document as a picture, for staff checking it beside the
application (the admin's documents panel).

Rendered on the server with PDFium (pypdfium2: a wheel with PDFium inside, no system
library), scaled to PREVIEW_WIDTH pixels, as PNG. The result is cached (the default cache)
for PREVIEW_SECONDS under the document's id and its random file name, so a replaced
document never shows the old picture; a PDF that cannot be rendered is cached as such and
shown as a link with a message. The picture is served only by the private view
`trainees:document-preview` (the same people as the document itself, audited), never from
a public URL; it is forgotten when the document is deleted.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading

from django.core.cache import cache

from .models import Document

logger = logging.getLogger(__name__)

PREVIEW_WIDTH = 640
# A page far taller than wide (a receipt roll) is capped, so a preview stays small.
PREVIEW_MAX_HEIGHT = 1200
PREVIEW_SECONDS = 6 * 3600
BROKEN = b""  # cached for a PDF PDFium could not render
# PDFium is not thread-safe: one rendering at a time per process.
_PDFIUM = threading.Lock()


def preview_key(document_id: int, file_name: str) -> str:
    """The cache key of a document's picture: its id and (hashed) stored file name."""
    name = hashlib.sha256(file_name.encode()).hexdigest()[:16]
    return f"docpreview:{document_id}:{name}"


def pdf_first_page_png(content: bytes) -> bytes | None:
    """The first page of a PDF as PNG bytes, or None when it cannot be rendered."""
    import pypdfium2

    with _PDFIUM:
        pdf = None
        try:
            pdf = pypdfium2.PdfDocument(content)
            if len(pdf) < 1:
                return None
            page = pdf[0]
            width, height = page.get_size()
            if width <= 0 or height <= 0:
                return None
            scale = min(PREVIEW_WIDTH / width, PREVIEW_MAX_HEIGHT / height)
            image = page.render(scale=scale).to_pil()
        except Exception:  # noqa: BLE001 - PDFium reports broken files in many ways
            logger.warning("PDF preview could not be rendered", exc_info=True)
            return None
        finally:
            if pdf is not None:
                pdf.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def document_preview_png(document: Document) -> bytes | None:
    """The cached first-page picture of a PDF document; None for other types or when the
    PDF cannot be rendered (or its file cannot be read)."""
    if document.content_type != "application/pdf":
        return None
    key = preview_key(document.pk, document.file.name)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except OSError:
        logger.warning("document %s: file missing for its preview", document.pk)
        return None
    png = pdf_first_page_png(content)
    cache.set(key, png or BROKEN, PREVIEW_SECONDS)
    return png


def document_preview_forget(document: Document) -> None:
    """Drop a document's cached picture (it is deleted or replaced)."""
    cache.delete(preview_key(document.pk, document.file.name))
