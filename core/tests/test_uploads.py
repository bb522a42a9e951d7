"""core.uploads: type from content, size cap, images re-encoded, PDFs checked, safe serving."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from core.uploads import (
    JPEG,
    PDF,
    PNG,
    UploadError,
    private_file_response,
    random_name,
    upload_sanitize,
)

from .files import pdf_bytes


def _upload(content: bytes, name="ktp.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _jpeg(size=(40, 30), exif_gps=True, **save) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "Cheap Android 5"  # Model
        exif[0x8825] = {1: "S", 2: (6.0, 55.0, 0.0), 3: "E", 4: (109.0, 43.0, 0.0)}  # GPS
        save["exif"] = exif
    image.save(out, format="JPEG", **save)
    return out.getvalue()


def _png(size=(20, 20), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def test_a_clean_pdf_is_kept_as_it_is():
    content = pdf_bytes()
    clean = upload_sanitize(_upload(content, name="scan.jpg", content_type="image/jpeg"))
    assert (clean.content_type, clean.extension) == (PDF, "pdf")
    assert clean.content == content


def test_jpeg_is_reencoded_without_exif_or_appended_payload():
    payload = b"<html><script>alert(1)</script></html>"
    content = _jpeg() + payload
    assert b"Cheap Android" in content
    clean = upload_sanitize(_upload(content, name="ktp.pdf", content_type="application/pdf"))
    assert clean.content_type == JPEG
    assert b"Cheap Android" not in clean.content
    assert payload not in clean.content
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.format == "JPEG"
        assert image.size == (40, 30)
        assert not image.getexif()


def test_orientation_is_applied_before_exif_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, format="JPEG", exif=exif)
    clean = upload_sanitize(_upload(out.getvalue()))
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.size == (30, 40)


def test_big_photos_are_scaled_down():
    clean = upload_sanitize(_upload(_jpeg(size=(3000, 1000), exif_gps=False)), max_side=1200)
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.size == (1200, 400)


def test_png_keeps_its_format_and_transparency():
    clean = upload_sanitize(_upload(_png(), name="foto.png", content_type="image/png"))
    assert (clean.content_type, clean.extension) == (PNG, "png")
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.mode == "RGBA"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", UploadError.EMPTY),
        (b"MZ\x90\x00" + b"\x00" * 100, UploadError.TYPE),  # a Windows program named ktp.pdf
        (b"<html><script>alert(1)</script>", UploadError.TYPE),
        (b"GIF89a" + b"\x00" * 50, UploadError.TYPE),
        (b"%PDF-1.7\nthis is not really a pdf", UploadError.UNSAFE),
        (b"\xff\xd8\xff\xe0 broken jpeg", UploadError.UNSAFE),
        (b"\x89PNG\r\n\x1a\n broken png", UploadError.UNSAFE),
    ],
)
def test_refusals_have_codes_and_messages(content, code):
    with pytest.raises(UploadError) as caught:
        upload_sanitize(_upload(content))
    assert caught.value.code == code
    assert caught.value.message


def test_oversize_files_are_refused_with_the_sizes_in_the_message():
    content = pdf_bytes() + b"%" + b"x" * (2 * 1024 * 1024)
    with pytest.raises(UploadError) as caught:
        upload_sanitize(_upload(content))
    assert caught.value.code == UploadError.TOO_LARGE
    # Exact, in Indonesian: the size rounded up to the next tenth, beside the limit.
    assert "2,1\xa0MB" in caught.value.message and "batasnya 2\xa0MB" in caught.value.message


def _photo(size=(2000, 1500), quality=90, fmt="JPEG") -> bytes:
    """A photo-sized picture of noise: it compresses badly, like a real phone photo."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return out.getvalue()


def test_a_photo_over_the_stored_limit_is_scaled_down_until_it_fits():
    content = _photo()
    assert len(content) > 2_000_000
    clean = upload_sanitize(
        _upload(content, "foto.jpg", "image/jpeg"), max_bytes=600_000, image_max_bytes=4_000_000
    )
    assert clean.size <= 600_000 and clean.content_type == JPEG
    with Image.open(io.BytesIO(clean.content)) as stored:
        assert max(stored.size) >= 1280  # still readable


def test_a_large_png_photo_is_stored_as_a_jpeg_that_fits():
    content = _photo(size=(900, 700), fmt="PNG")
    clean = upload_sanitize(
        _upload(content, "foto.png", "image/png"), max_bytes=1_000_000, image_max_bytes=4_000_000
    )
    assert clean.content_type == JPEG and clean.extension == "jpg" and clean.size <= 1_000_000


def test_a_photo_over_the_request_cap_and_a_pdf_over_the_limit_are_refused_exactly():
    photo = _photo()
    with pytest.raises(UploadError) as caught:
        upload_sanitize(
            _upload(photo, "foto.jpg", "image/jpeg"), max_bytes=500_000, image_max_bytes=1_000_000
        )
    assert caught.value.code == UploadError.TOO_LARGE
    assert "batasnya 977\xa0KB" in caught.value.message
    # A PDF is never scaled: over max_bytes it is refused, whatever the photo allowance.
    pdf = pdf_bytes() + b"%" + b"x" * 600_000
    with pytest.raises(UploadError) as caught:
        upload_sanitize(_upload(pdf), max_bytes=500_000, image_max_bytes=4_000_000)
    assert caught.value.code == UploadError.TOO_LARGE


def test_a_photo_that_cannot_fit_even_at_the_smallest_step_is_refused():
    with pytest.raises(UploadError) as caught:
        upload_sanitize(
            _upload(_photo(), "foto.jpg", "image/jpeg"), max_bytes=20_000, image_max_bytes=4_000_000
        )
    assert caught.value.code == UploadError.TOO_LARGE


def test_only_the_allowed_types_pass():
    with pytest.raises(UploadError) as caught:
        upload_sanitize(_upload(pdf_bytes()), allowed=(JPEG, PNG))
    assert caught.value.code == UploadError.TYPE


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(pdf_bytes(js="app.alert('x')"), id="javascript"),
        pytest.param(pdf_bytes(attachment=b"MZ evil"), id="embedded-file"),
        pytest.param(pdf_bytes(password="rahasia"), id="encrypted"),
    ],
)
def test_dangerous_pdfs_are_refused(content):
    with pytest.raises(UploadError) as caught:
        upload_sanitize(_upload(content))
    assert caught.value.code == UploadError.UNSAFE


def test_javascript_hidden_behind_escaped_names_is_found():
    content = pdf_bytes().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript >>"
    )
    assert b"/JavaScript" not in content
    with pytest.raises(UploadError) as caught:
        upload_sanitize(_upload(content))
    assert caught.value.code == UploadError.UNSAFE


def test_escaped_names_that_are_harmless_are_accepted():
    content = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /Lang (id) /X#20Y 1")
    assert upload_sanitize(_upload(content)).content_type == PDF
    PdfReader(io.BytesIO(content))


def test_decompression_bombs_are_refused():
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")
    assert len(out.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(UploadError) as caught:
        upload_sanitize(_upload(out.getvalue()))
    assert caught.value.code == UploadError.UNSAFE


def test_random_names_say_nothing_about_the_file():
    first, second = random_name("pdf", "documents"), random_name("pdf", "documents")
    assert first != second
    assert first.startswith("documents/") and first.endswith(".pdf")
    assert len(first.split("/")[1]) == len("0" * 32 + ".pdf")
    clean = upload_sanitize(_upload(pdf_bytes()))
    assert clean.as_file().name.endswith(".pdf")


def test_private_file_response_headers():
    response = private_file_response(
        io.BytesIO(b"%PDF-1.7"), filename="ktp-12.pdf", content_type=PDF
    )
    assert response["Content-Disposition"] == 'attachment; filename="ktp-12.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == PDF
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_jpeg_comment_icc_and_xmp_segments_do_not_survive_the_reencoding():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPS-SECRET-XMP</x:xmpmeta>'
    icc = b"ICC-SECRET-PROFILE" * 8
    content = _jpeg(comment=b"COMMENT-SECRET: taken at Jl. Pemuda 12", icc_profile=icc, xmp=xmp)
    assert b"COMMENT-SECRET" in content and b"GPS-SECRET-XMP" in content
    clean = upload_sanitize(_upload(content))
    for secret in (b"COMMENT-SECRET", b"GPS-SECRET-XMP", b"ICC-SECRET", b"PhoneMaker"):
        assert secret not in clean.content, secret
    with Image.open(io.BytesIO(clean.content)) as image:
        assert not {"comment", "icc_profile", "xmp", "exif"} & set(image.info)


def test_png_text_chunks_and_icc_profile_do_not_survive_the_reencoding():
    from PIL.PngImagePlugin import PngInfo

    meta = PngInfo()
    meta.add_text("Comment", "TEXT-SECRET")
    meta.add_itxt("Location", "ITXT-SECRET")
    meta.add_text("Author", "ZTXT-SECRET", zip=True)
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(
        out, format="PNG", pnginfo=meta, icc_profile=b"ICC-SECRET" * 8, dpi=(300, 300)
    )
    clean = upload_sanitize(_upload(out.getvalue(), name="foto.png", content_type="image/png"))
    for secret in (b"TEXT-SECRET", b"ITXT-SECRET", b"ICC-SECRET", b"tEXt", b"iTXt", b"zTXt"):
        assert secret not in clean.content, secret
    with Image.open(io.BytesIO(clean.content)) as image:
        assert not {"Comment", "Location", "Author", "icc_profile", "dpi"} & set(image.info)


def test_a_palette_png_keeps_its_transparency():
    image = Image.new("P", (10, 10), 0)
    image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    clean = upload_sanitize(_upload(out.getvalue(), name="foto.png", content_type="image/png"))
    with Image.open(io.BytesIO(clean.content)) as reread:
        assert reread.info.get("transparency") == 0


def test_a_forms_upload_clean_turns_a_refusal_into_the_fields_error():
    from django.core.exceptions import ValidationError

    from core.forms import form_upload_clean

    assert form_upload_clean(None) is None
    assert form_upload_clean(_upload(pdf_bytes())).content_type == PDF
    with pytest.raises(ValidationError) as refused:
        form_upload_clean(_upload(b"MZ not a document", name="virus.pdf"))
    assert refused.value.code == UploadError.TYPE
