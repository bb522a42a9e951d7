import pytest

from core.phone import phone_display, phone_is_mobile, phone_normalize


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62 8123-4567-890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("006281234567890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("(0285) 391234", "+62285391234"),
        ("0857.1234.567", "+628571234567"),
    ],
)
def test_indonesian_formats_are_normalised_to_e164(typed, normalized):
    assert phone_normalize(typed) == normalized


@pytest.mark.parametrize(
    "typed",
    [
        "",
        None,
        "12345",
        "+1 202 555 0100",
        "0812-abc-7890",
        "08123456789012345",
        "00000000",
        "+62 8123",
        "٠٨١٢٣٤٥٦٧٨٩٠",
    ],
)
def test_not_an_indonesian_phone_number(typed):
    assert phone_normalize(typed) is None


def test_mobile_numbers_are_told_from_landlines():
    assert phone_is_mobile("+6281234567890")
    assert phone_is_mobile("0857 1234 567")
    assert not phone_is_mobile("(0285) 391234")
    assert not phone_is_mobile("")
    assert not phone_is_mobile("+12025550100")


def test_display_is_the_national_form():
    assert phone_display("+6281234567890") == "0812-3456-7890"
    assert phone_display("") == ""
