import datetime
from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import engines
from django.utils import formats, translation

from core.formatting import format_file_size, format_rupiah

NBSP = "\u00a0"


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("amount", "indonesian", "english"),
    [
        (2708520, "Rp 2.708.520", "IDR 2,708,520"),
        (Decimal("2708520.00"), "Rp 2.708.520", "IDR 2,708,520"),
        ("750000", "Rp 750.000", "IDR 750,000"),
        (0, "Rp 0", "IDR 0"),
        (999, "Rp 999", "IDR 999"),
        (Decimal("1499.5"), "Rp 1.500", "IDR 1,500"),  # whole rupiah, half up
        (-25000, "-Rp 25.000", "-IDR 25,000"),
        (1_250_000_000, "Rp 1.250.000.000", "IDR 1,250,000,000"),
    ],
)
def test_rupiah_is_grouped_for_the_active_language(amount, indonesian, english):
    assert format_rupiah(amount) == indonesian.replace(" ", NBSP)
    with translation.override("en"):
        assert format_rupiah(amount) == english.replace(" ", NBSP)
    assert format_rupiah(amount, language="en") == english.replace(" ", NBSP)


def test_rupiah_symbol_never_wraps_away_from_the_number():
    assert format_rupiah(5000) == "Rp\u00a05.000"


def test_rupiah_of_nothing_is_empty_and_of_garbage_is_an_error():
    assert format_rupiah(None) == ""
    assert format_rupiah("") == ""
    with pytest.raises(ValueError):
        format_rupiah("banyak")


def test_rupiah_filter_in_templates_follows_the_language():
    source = "{% load money %}{{ amount|rupiah }}"
    assert render(source, amount=2708520) == f"Rp{NBSP}2.708.520"
    with translation.override("en"):
        assert render(source, amount=2708520) == f"IDR{NBSP}2,708,520"


def test_rupiah_filter_never_breaks_a_page_on_bad_data():
    source = "{% load money %}[{{ amount|rupiah }}]"
    assert render(source, amount=None) == "[]"
    assert render(source, amount="n/a") == "[n/a]"


def test_numbers_group_per_language_with_intcomma_but_not_globally():
    assert intcomma(1234567) == "1.234.567"
    with translation.override("en"):
        assert intcomma(1234567) == "1,234,567"
    # Plain {{ number }} is never grouped: ids and years end up in URLs and forms.
    assert render("{{ n }}", n=2025) == "2025"
    assert render("{{ n }}", n=1234567) == "1234567"


def test_dates_are_written_out_in_each_language_day_first():
    day = datetime.date(2025, 8, 17)
    moment = datetime.datetime(2025, 8, 17, 14, 30)
    assert formats.date_format(day) == "17 Agustus 2025"
    assert formats.date_format(day, "SHORT_DATE_FORMAT") == "17/08/2025"
    assert formats.date_format(moment, "DATETIME_FORMAT") == "17 Agustus 2025, 14.30"
    with translation.override("en"):
        assert formats.date_format(day) == "17 August 2025"
        # Never the US month-first order: Indonesians read 03/04 as 3 April.
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "17/08/2025"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "17 August 2025, 14:30"
    assert render("{{ d|date }}", d=day) == "17 Agustus 2025"


def test_english_typed_dates_are_read_day_first():
    from django import forms

    class BirthForm(forms.Form):
        born = forms.DateField()

    with translation.override("en"):
        form = BirthForm(data={"born": "03/04/2001"})
        assert form.is_valid()
        assert form.cleaned_data["born"] == datetime.date(2001, 4, 3)
        iso = BirthForm(data={"born": "2001-04-03"})
        assert iso.is_valid()
        assert iso.cleaned_data["born"] == datetime.date(2001, 4, 3)


@pytest.mark.parametrize(
    ("size", "round_up", "indonesian", "english"),
    [
        (850 * 1024, False, "850 KB", "850 KB"),
        (2 * 1024 * 1024, False, "2 MB", "2 MB"),
        (2 * 1024 * 1024 + 1, False, "2 MB", "2 MB"),
        (2 * 1024 * 1024 + 1, True, "2,1 MB", "2.1 MB"),
        (int(2.14 * 1024 * 1024), False, "2,1 MB", "2.1 MB"),
        (int(6.25 * 1024 * 1024), False, "6,3 MB", "6.3 MB"),
    ],
)
def test_file_sizes_read_in_each_language(size, round_up, indonesian, english):
    assert format_file_size(size, round_up=round_up, language="id") == indonesian.replace(" ", NBSP)
    assert format_file_size(size, round_up=round_up, language="en") == english.replace(" ", NBSP)
