"""Small real files for the upload tests (they pass or fail core.uploads' sanitiser)."""

import io

from pypdf import PdfWriter
from pypdf.actions import JavaScript


def pdf_bytes(*, js=None, attachment=None, password=None) -> bytes:
    """A blank one-page PDF; with an open action running `js`, an embedded file, or
    encrypted with `password`."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if js:
        writer.add_open_action(JavaScript(js))
    if attachment:
        writer.add_attachment("evil.exe", attachment)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
