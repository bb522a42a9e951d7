import pytest

from core.phone import phone_normalize


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("006281234567890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("(0285) 391234", "+62285391234"),
        ("0857.1234.567", "+628571234567"),
    ],
)
def test_indonesian_formats_are_normalised_to_plus_62(typed, normalized):
    assert phone_normalize(typed) == normalized


@pytest.mark.parametrize(
    "typed", ["", "12345", "+1 202 555 0100", "0812-abc-7890", "08123456789012345", "00000000"]
)
def test_not_a_phone_number(typed):
    assert phone_normalize(typed) is None
