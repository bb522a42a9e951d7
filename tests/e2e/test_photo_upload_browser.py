"""A phone photo over the stored limit is scaled down in the browser before upload."""

import io
import os

import pytest
from PIL import Image

from trainees.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _big_png() -> bytes:
    image = Image.frombytes("RGB", (1000, 800), os.urandom(1000 * 800 * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_large_photo_is_made_smaller_before_it_is_sent(live_server, phone_page):
    from trainees.tests.factories import CompleteTraineeFactory

    trainee = CompleteTraineeFactory()
    page = phone_page
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(trainee.user.email)
    page.locator("#id_password").fill("rahasia-panjang-1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/me/profile/")
    content = _big_png()
    assert len(content) > 2 * 1024 * 1024
    slot = page.locator("#document-photo")
    slot.locator("input[type=file]").set_input_files(
        files=[{"name": "foto.png", "mimeType": "image/png", "buffer": content}]
    )
    with page.expect_navigation():
        slot.locator("form[enctype] button[type=submit]").click()
    document = Document.objects.get(trainee=trainee, kind="photo")
    # The browser sent a JPEG it made (the name says so); the server kept it under 2 MB.
    assert document.original_name == "foto.jpg"
    assert document.content_type == "image/jpeg"
    assert document.size <= 2 * 1024 * 1024
