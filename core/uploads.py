"""Uploaded files: check, clean and serve personal documents safely.

Two functions, used by every upload of personal documents:

- `upload_sanitize(uploaded, ...) -> CleanUpload` reads the upload (at most the size cap),
  decides its type **from the content** (the name and the browser's Content-Type are
  ignored), and returns clean bytes to store:
    - JPEG/PNG are decoded and **re-encoded** with Pillow: EXIF (GPS position, phone
      model), comments, ICC profiles, XMP, PNG text chunks, every other metadata segment and
      anything appended to the file are dropped, the orientation is
      applied, very large photos are scaled down, decompression bombs are refused;
      a photo larger than the stored limit (up to `image_max_bytes`, say the request-size
      cap: a phone camera's 4–6 MB) is scaled down and compressed until it fits, instead
      of being refused (`_image_fit`: smaller sides, then lower JPEG quality; a PNG that
      cannot fit becomes a JPEG);
    - PDFs must start with a PDF header, parse with pypdf, not be encrypted, and carry no
      JavaScript, launch actions, embedded files, XFA forms or rich media.
  Anything else raises `UploadError` with a code (`file_empty`, `file_too_large`,
  `file_type`, `file_unsafe`) and a translated message for the person.
- `private_file_response(fileobj, *, filename, content_type)` serves a stored document from
  an authorised view: attachment, `X-Content-Type-Options: nosniff`, a sandboxing CSP,
  never cached.

Store the result under a random name (`random_name(extension)`) in private storage
(MEDIA_ROOT is never served by a URL).
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from .errors import DomainError
from .formatting import format_file_size

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DEFAULT_ALLOWED = (PDF, JPEG, PNG)
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# Longest side of a stored photo: a KTP or diploma stays readable, storage stays small.
DEFAULT_MAX_SIDE = 2400
# What a photo over the stored limit is tried at, in order, until it fits: the longest
# side and the JPEG quality. At 1280 px a KTP's smallest print is still readable.
FIT_STEPS = ((2400, 85), (2000, 80), (1600, 75), (1600, 65), (1280, 65), (1280, 50))
# Refuse images that decode to more pixels than this (decompression bombs).
MAX_PIXELS = 50_000_000
MAX_PDF_PAGES = 50
# PDF names that run code or smuggle files. Matched on parsed objects (which undo #xx
# escapes in names) and on the raw bytes (objects pypdf could not reach).
_PDF_FORBIDDEN_KEYS = {
    "/JavaScript",
    "/JS",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
}
_PDF_RAW_RE = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData|GoToE)"
    rb"(?=[\s/<>\[\]()%{}]|$)"
)
_PDF_ESCAPED_NAME_RE = re.compile(rb"/[^\s/<>\[\]()%{}]*#[0-9A-Fa-f]{2}[^\s/<>\[\]()%{}]*")
_PDF_HEX_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_WALK_BUDGET = 200_000


class UploadError(DomainError):
    EMPTY = "file_empty"
    TOO_LARGE = "file_too_large"
    TYPE = "file_type"
    UNSAFE = "file_unsafe"


@dataclass(frozen=True)
class CleanUpload:
    content: bytes
    content_type: str
    extension: str

    @property
    def size(self) -> int:
        return len(self.content)

    def as_file(self, name: str | None = None) -> ContentFile:
        """A Django file with a random name, ready for `FileField.save` or storage."""
        return ContentFile(self.content, name=name or random_name(self.extension))


def random_name(extension: str, folder: str = "") -> str:
    """A storage name that says nothing about the person or the original file."""
    name = f"{uuid.uuid4().hex}.{extension}"
    return f"{folder.rstrip('/')}/{name}" if folder else name


def sniff_type(head: bytes) -> str | None:
    """Content type from the first bytes, for the types we accept; None otherwise."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _type_error() -> UploadError:
    return UploadError(
        UploadError.TYPE,
        _("This file is not a PDF, JPEG or PNG (we look at its content, not its name)."),
    )


def _unsafe_error() -> UploadError:
    return UploadError(
        UploadError.UNSAFE,
        _(
            "This file cannot be accepted: it is damaged, protected by a password, or "
            "contains scripts or attachments. Scan or photograph the document again and "
            "upload that file."
        ),
    )


def _read_capped(uploaded, max_bytes: int) -> bytes:
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    if hasattr(uploaded, "chunks"):
        data = bytearray()
        for chunk in uploaded.chunks():
            data.extend(chunk)
            if len(data) > max_bytes:
                break
        content = bytes(data)
    else:
        content = uploaded.read(max_bytes + 1)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    return content


def _too_large(size: int, limit: int) -> UploadError:
    return UploadError(
        UploadError.TOO_LARGE,
        _("The file is %(size)s; the limit is %(limit)s. Take a smaller photo or scan.")
        % {"size": format_file_size(size, round_up=True), "limit": format_file_size(limit)},
    )


def upload_sanitize(
    uploaded,
    *,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_side: int = DEFAULT_MAX_SIDE,
    image_max_bytes: int | None = None,
) -> CleanUpload:
    """Check an upload and return clean content to store, or raise UploadError.

    What is stored is at most `max_bytes`. A JPEG or PNG photo may arrive larger, up to
    `image_max_bytes` (default: `max_bytes`), and is then scaled down to fit.
    """
    image_max_bytes = max(image_max_bytes or max_bytes, max_bytes)
    content = _read_capped(uploaded, image_max_bytes)
    if not content:
        raise UploadError(UploadError.EMPTY, _("The file is empty."))
    content_type = sniff_type(content[:16])
    declared = getattr(uploaded, "size", None) or len(content)
    size = max(declared, len(content))
    limit = image_max_bytes if content_type in (JPEG, PNG) else max_bytes
    if size > limit:
        raise _too_large(size, limit)
    if content_type is None or content_type not in allowed:
        raise _type_error()
    if content_type == PDF:
        _pdf_check(content)
        return CleanUpload(content, PDF, EXTENSIONS[PDF])
    clean = _image_reencode(content, content_type, max_side=max_side)
    if clean.size > max_bytes:
        clean = _image_fit(content, content_type, max_bytes=max_bytes, max_side=max_side)
    return clean


def _image_decode(content: bytes, content_type: str):
    """The photo's pixels, upright, with none of the file's metadata (a Pillow image)."""
    from PIL import Image, ImageOps

    expected = "JPEG" if content_type == JPEG else "PNG"
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format != expected:
                raise _type_error()
            width, height = probe.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise _unsafe_error()
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            # Pillow writes back what it read into `info` (a JPEG's comment segment, an
            # ICC profile, XMP, a PNG's text chunks, DPI): keep only the pixels, and a
            # palette image's transparency, which is part of how it looks.
            transparency = image.info.get("transparency")
            image = image.copy()
            image.info = {} if transparency is None else {"transparency": transparency}
            return image
    except UploadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _unsafe_error() from None
    except Exception:  # noqa: BLE001 - Pillow raises many types for broken files
        raise _unsafe_error() from None


def _image_encode(image, out_type: str, *, max_side: int, quality: int = 85) -> CleanUpload:
    from PIL import Image

    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if out_type == JPEG:
        if image.mode in ("RGBA", "LA", "P"):
            # A transparent PNG made a JPEG: on white, as it shows on a page.
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=quality, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    return CleanUpload(out.getvalue(), out_type, EXTENSIONS[out_type])


def _image_reencode(content: bytes, content_type: str, *, max_side: int) -> CleanUpload:
    return _image_encode(_image_decode(content, content_type), content_type, max_side=max_side)


def _image_fit(content: bytes, content_type: str, *, max_bytes: int, max_side: int) -> CleanUpload:
    """Re-encode a photo smaller, step by step (FIT_STEPS), until it fits `max_bytes`.

    The first step is what `_image_reencode` already tried for a JPEG; a PNG (often a
    photo saved as PNG) is tried as JPEG from the first step.
    """
    image = _image_decode(content, content_type)
    for side, quality in FIT_STEPS:
        side = min(side, max_side)
        if content_type == JPEG and (side, quality) == (max_side, 85):
            continue
        clean = _image_encode(image, JPEG, max_side=side, quality=quality)
        if clean.size <= max_bytes:
            return clean
    raise _too_large(len(content), max_bytes)


def _pdf_check(content: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if _PDF_RAW_RE.search(content):
        raise _unsafe_error()
    # Names written with #xx escapes (/J#61vaScript) are a classic way to hide from
    # scanners: decode them and look again.
    for match in _PDF_ESCAPED_NAME_RE.finditer(content):
        name = _PDF_HEX_ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group())
        if name.decode("latin-1") in _PDF_FORBIDDEN_KEYS:
            raise _unsafe_error()
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise _unsafe_error()
        pages = len(reader.pages)
        if pages < 1 or pages > MAX_PDF_PAGES:
            raise _unsafe_error()
        budget = _PDF_WALK_BUDGET
        seen: set[tuple[int, int]] = set()
        stack: list = [reader.trailer]
        while stack:
            budget -= 1
            if budget < 0:
                raise _unsafe_error()
            node = stack.pop()
            if isinstance(node, IndirectObject):
                ref = (node.idnum, node.generation)
                if ref in seen:
                    continue
                seen.add(ref)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                if _PDF_FORBIDDEN_KEYS.intersection(node.keys()):
                    raise _unsafe_error()
                if node.get("/S") in _PDF_FORBIDDEN_KEYS:
                    raise _unsafe_error()
                stack.extend(node.values())
            elif isinstance(node, ArrayObject):
                stack.extend(node)
    except UploadError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many types for broken files
        raise _unsafe_error() from None


def private_file_response(
    fileobj, *, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    """Serve a private document to someone the view has already authorised."""
    response = FileResponse(
        fileobj, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # If a browser ever renders it, it runs no script and loads nothing.
    # (img-src: an image opened in the browser is shown by a page the browser makes.)
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
