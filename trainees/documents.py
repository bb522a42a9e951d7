"""Checks on an uploaded document, through the shared sanitiser (core.uploads).

The type is read from the content (the name and the browser's Content-Type are ignored).
At most 2 MB is stored: a PDF larger than that is refused, a photo (JPEG or PNG) up to
the request-size cap (`MAX_REQUEST_BYTES`, what a phone camera makes) is scaled down
and compressed until it fits. Photos are re-encoded (EXIF such as the GPS position
dropped) and PDFs refused when they carry scripts, attachments or encryption.
"""

from django.conf import settings

from core.uploads import CleanUpload, UploadError, upload_sanitize

from .errors import TraineeError

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


def photo_max_bytes() -> int:
    """The largest photo accepted (and then scaled down): the request-size cap."""
    return max(getattr(settings, "MAX_REQUEST_BYTES", 0) or 0, MAX_DOCUMENT_BYTES)


def document_check(uploaded) -> CleanUpload:
    """Return the clean content to store, or raise TraineeError (codes of UploadError)."""
    try:
        return upload_sanitize(
            uploaded, max_bytes=MAX_DOCUMENT_BYTES, image_max_bytes=photo_max_bytes()
        )
    except UploadError as exc:
        raise TraineeError(exc.code, exc.message) from exc
    finally:
        uploaded.seek(0)
