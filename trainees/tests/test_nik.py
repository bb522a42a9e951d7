from datetime import date

import pytest
from django.utils import translation

from trainees import nik as nik_rules
from trainees.nik import InvalidNik, nik_mask, nik_mismatches, nik_parse


def test_valid_male_nik_from_batang():
    facts = nik_parse("3325131705020001")
    assert facts.province == "33"
    assert facts.regency == "3325"
    assert facts.kecamatan == "332513"
    assert (facts.day, facts.month, facts.year_two_digits) == (17, 5, 2)
    assert facts.gender == "male"
    assert facts.serial == "0001"


def test_valid_female_nik_has_day_plus_forty():
    facts = nik_parse("3325135705020002")
    assert facts.gender == "female"
    assert facts.day == 17


def test_spaces_dots_and_dashes_typed_between_groups_are_ignored():
    assert nik_parse("33.25.13 170502-0001").nik == "3325131705020001"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", nik_rules.LENGTH),
        ("332513170502000", nik_rules.LENGTH),
        ("33251317050200011", nik_rules.LENGTH),
        ("33251317O5020001", nik_rules.NOT_DIGITS),
        ("３３２５１３１７０５０２０００１", nik_rules.NOT_DIGITS),  # full-width digits
        ("9925131705020001", nik_rules.UNKNOWN_PROVINCE),
        ("2025131705020001", nik_rules.UNKNOWN_PROVINCE),
        ("3325130005020001", nik_rules.BAD_DAY),  # day 0
        ("3325133205020001", nik_rules.BAD_DAY),  # day 32 (male)
        ("3325134005020001", nik_rules.BAD_DAY),  # 40: neither a man's nor a woman's day
        ("3325137205020001", nik_rules.BAD_DAY),  # 72 = woman born on the 32nd
        ("3325131713020001", nik_rules.BAD_MONTH),  # month 13
        ("3325131700020001", nik_rules.BAD_MONTH),  # month 0
        ("3325133102020001", nik_rules.BAD_DATE),  # 31 February
        ("3325137104020001", nik_rules.BAD_DATE),  # woman born 31 April
        ("3325132902010001", nik_rules.BAD_DATE),  # 29 Feb 1901/2001: no leap year
        ("3325131705020000", nik_rules.ZERO_SERIAL),
    ],
)
def test_impossible_niks_are_rejected_with_a_code(value, code):
    with pytest.raises(InvalidNik) as excinfo:
        nik_parse(value)
    assert excinfo.value.code == code


def test_29_february_of_a_leap_year_is_valid():
    assert nik_parse("3325132902040001").day == 29  # 2004
    assert nik_parse("3325136902000001").gender == "female"  # 2000 (or 1900: still fine)


def test_every_listed_province_is_known():
    for code in [
        "11",
        "19",
        "21",
        "31",
        "36",
        "51",
        "53",
        "61",
        "65",
        "71",
        "76",
        "81",
        "82",
        "91",
        "96",
    ]:
        assert nik_parse(f"{code}01011705020001").province == code


def test_rejection_messages_are_translated():
    with pytest.raises(InvalidNik) as excinfo:
        nik_parse("9925131705020001")
    assert "provinsi" in str(excinfo.value.message)
    with translation.override("en"):
        assert "province code" in str(excinfo.value.message)


def test_matching_declared_facts_give_no_warning():
    facts = nik_parse("3325135705020002")
    assert nik_mismatches(facts, birth_date=date(2002, 5, 17), gender="female") == []


def test_birth_date_mismatch_is_a_warning():
    facts = nik_parse("3325131705020001")
    assert nik_mismatches(facts, birth_date=date(2002, 5, 18), gender="male") == [
        nik_rules.WARNING_BIRTH_DATE
    ]
    # Only the last two digits of the year are in the NIK.
    assert nik_mismatches(facts, birth_date=date(1902, 5, 17), gender="male") == []
    assert nik_mismatches(facts, birth_date=date(2003, 5, 17), gender="male") == [
        nik_rules.WARNING_BIRTH_DATE
    ]


def test_gender_mismatch_is_a_warning():
    facts = nik_parse("3325131705020001")
    assert nik_mismatches(facts, birth_date=None, gender="female") == [nik_rules.WARNING_GENDER]


def test_mask_keeps_region_and_serial():
    assert nik_mask("3325131705020001") == "3325********0001"
    assert nik_mask(None) == ""


def test_compose_builds_valid_niks():
    value = nik_rules.nik_compose(birth_date=date(1999, 12, 31), gender="female", serial=42)
    facts = nik_parse(value)
    assert (facts.day, facts.month, facts.gender, facts.serial) == (31, 12, "female", "0042")
