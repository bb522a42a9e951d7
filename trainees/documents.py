"""Checks on an uploaded document: size and real type, read from the content."""

import filetype
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import TraineeError

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
# Detected MIME type -> extension used for the random storage name.
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# filetype needs the first 261 bytes to recognise every format it knows.
_HEAD_BYTES = 261


def document_check(uploaded) -> str:
    """Return the detected MIME type of an upload, or raise TraineeError.

    The name and the browser's Content-Type are ignored: a renamed .exe called ktp.pdf
    is refused, a PDF called scan.jpg is accepted as a PDF.
    """
    size = uploaded.size or 0
    if size == 0:
        raise TraineeError(TraineeError.FILE_EMPTY, _("The file is empty."))
    if size > MAX_DOCUMENT_BYTES:
        raise TraineeError(
            TraineeError.FILE_TOO_LARGE,
            _("The file is %(size)s; the limit is %(limit)s. Take a smaller photo or scan.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_DOCUMENT_BYTES)},
        )
    uploaded.seek(0)
    head = uploaded.read(_HEAD_BYTES)
    uploaded.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        raise TraineeError(
            TraineeError.FILE_TYPE,
            _("This file is not a PDF, JPEG or PNG (we look at its content, not its name)."),
        )
    return mime
