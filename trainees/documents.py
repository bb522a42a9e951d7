"""Checks on an uploaded document, through the shared sanitiser (core.uploads).

The type is read from the content (the name and the browser's Content-Type are ignored),
at most 2 MB; photos are re-encoded (EXIF such as the GPS position dropped) and PDFs
refused when they carry scripts, attachments or encryption.
"""

from core.uploads import CleanUpload, UploadError, upload_sanitize

from .errors import TraineeError

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


def document_check(uploaded) -> CleanUpload:
    """Return the clean content to store, or raise TraineeError (codes of UploadError)."""
    try:
        return upload_sanitize(uploaded, max_bytes=MAX_DOCUMENT_BYTES)
    except UploadError as exc:
        raise TraineeError(exc.code, exc.message) from exc
    finally:
        uploaded.seek(0)
