from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.digits import to_ascii_digits
from chalicelib.domain.errors import FieldProblem
from chalicelib.domain.national_id import GOVERNORATE_CODES, NationalId, parse_national_id

TODAY = date(2026, 11, 27)
ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def check_digit(first13: str) -> str:
    """The reverse-engineered rule from DOMAIN.md, written out independently of the module."""
    weights = [2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    total = sum(weight * int(digit) for weight, digit in zip(weights, first13, strict=True))
    return str((11 - total % 11) % 10)


def national_id(birth_date: date, governorate: str = "21", serial: str = "0123") -> str:
    century = "2" if birth_date.year < 2000 else "3"
    first13 = f"{century}{birth_date:%y%m%d}{governorate}{serial}"
    return first13 + check_digit(first13)


def refusal(raw: str) -> FieldProblem:
    with pytest.raises(FieldProblem) as caught:
        parse_national_id(raw, TODAY)
    problem = caught.value
    assert ARABIC_LETTER.search(problem.message_ar)
    assert problem.message_en.strip()
    assert not ARABIC_LETTER.search(problem.message_en)
    return problem


def test_a_giza_born_man_is_read_from_his_number() -> None:
    parsed = parse_national_id("29001012101233", TODAY)
    assert parsed.number == "29001012101233"
    assert parsed.birth_date == date(1990, 1, 1)
    assert parsed.governorate_code == "21"
    assert parsed.sex == "male"
    assert parsed.last4 == "1233"


def test_the_thirteenth_digit_even_means_female_and_3_means_the_2000s() -> None:
    parsed = parse_national_id(national_id(date(2005, 7, 15), "01", "0042"), TODAY)
    assert parsed.birth_date == date(2005, 7, 15)
    assert parsed.sex == "female"


def test_born_abroad_is_a_known_code() -> None:
    assert parse_national_id(national_id(date(1985, 3, 9), "88"), TODAY).governorate_code == "88"


def test_arabic_digits_spaces_and_bidi_marks_are_accepted() -> None:
    typed = "\u200f٢٩٠ ٠١٠١ ۲۱۰ ۱۲۳۳\u200e"
    assert parse_national_id(typed, TODAY).number == "29001012101233"


def test_the_checksum_is_only_reported() -> None:
    good = national_id(date(1990, 1, 1))
    wrong = good[:13] + str((int(good[13]) + 1) % 10)
    assert parse_national_id(good, TODAY).checksum_matches
    assert not parse_national_id(wrong, TODAY).checksum_matches


def test_born_today_is_accepted() -> None:
    assert parse_national_id(national_id(TODAY), TODAY).birth_date == TODAY


def test_leap_days_follow_the_real_calendar() -> None:
    assert parse_national_id(national_id(date(2000, 2, 29)), TODAY).birth_date == date(2000, 2, 29)
    # 1900 was not a leap year.
    assert refusal("20002292101233") == refusal("20113012101233")


def test_repr_and_str_reveal_nothing_of_the_number() -> None:
    parsed = parse_national_id("29001012101233", TODAY)
    for shown in (repr(parsed), str(parsed), f"{parsed}", repr([parsed])):
        assert "1233" not in shown
        assert "2900101" not in shown
    assert repr(parsed) == "NationalId(<redacted>)"


def test_national_id_is_immutable() -> None:
    parsed = parse_national_id("29001012101233", TODAY)
    with pytest.raises(AttributeError):
        parsed.number = "29001012101241"  # type: ignore[misc]
    assert isinstance(parsed, NationalId)


def test_governorate_codes_come_from_the_domain_facts() -> None:
    assert len(GOVERNORATE_CODES) == 28
    assert GOVERNORATE_CODES["21"] == "Giza"
    assert GOVERNORATE_CODES["01"] == "Cairo"
    assert GOVERNORATE_CODES["35"] == "South Sinai"
    assert "88" in GOVERNORATE_CODES
    with pytest.raises(TypeError):
        GOVERNORATE_CODES["99"] = "Nowhere"  # type: ignore[index]


@pytest.mark.parametrize("raw", ["", "   ", "\u200f\u200e", " - "])
def test_nothing_typed_is_refused_as_empty(raw: str) -> None:
    assert refusal(raw) == refusal("")


@pytest.mark.parametrize(
    "raw",
    [
        "2900101210123",  # 13 digits
        "290010121012333",  # 15 digits
        "2900101210123a",
        "29001012101.33",
        "२९००१०१२१०१२३३",  # Devanagari digits: int() accepts them, we do not
        "２９００１０１２１０１２３３",  # full-width digits
    ],
)
def test_wrong_length_or_non_digits_are_refused(raw: str) -> None:
    assert refusal(raw) == refusal("123")


@pytest.mark.parametrize("century", ["0", "1", "4", "9"])
def test_an_unknown_century_is_refused(century: str) -> None:
    assert refusal(century + "9001012101233") == refusal("19001012101233")


@pytest.mark.parametrize(
    "raw",
    [
        "29013012101233",  # month 13
        "29000012101233",  # month 00
        "29001002101233",  # day 00
        "29002302101233",  # 30 February
        "29004312101233",  # 31 April
        "30102292101233",  # 29 February 2001
    ],
)
def test_an_impossible_birth_date_is_refused(raw: str) -> None:
    assert refusal(raw) == refusal("29013012101233")


@pytest.mark.parametrize("raw", [national_id(date(2026, 11, 28)), national_id(date(2099, 1, 1))])
def test_a_future_birth_date_is_refused(raw: str) -> None:
    assert refusal(raw) == refusal(national_id(date(2027, 1, 1)))


@pytest.mark.parametrize("code", ["00", "05", "10", "20", "30", "36", "87", "99"])
def test_an_unknown_governorate_code_is_refused(code: str) -> None:
    assert refusal(national_id(date(1990, 1, 1), code)) == refusal(national_id(date(1990, 1, 1), "00"))


def test_each_reason_has_its_own_message_in_both_languages() -> None:
    problems = [
        refusal(""),
        refusal("123"),
        refusal("19001012101233"),
        refusal("29013012101233"),
        refusal(national_id(date(2027, 1, 1))),
        refusal(national_id(date(1990, 1, 1), "00")),
    ]
    assert len({problem.message_ar for problem in problems}) == len(problems)
    assert len({problem.message_en for problem in problems}) == len(problems)


valid_ids = st.builds(
    lambda birth_date, governorate, serial: (birth_date, governorate, serial),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.sampled_from(sorted(GOVERNORATE_CODES)),
    st.integers(min_value=0, max_value=9999).map("{:04d}".format),
)


@given(valid_ids)
def test_every_valid_number_parses_to_its_date_governorate_and_sex(case: tuple[date, str, str]) -> None:
    birth_date, governorate, serial = case
    parsed = parse_national_id(national_id(birth_date, governorate, serial), TODAY)
    assert parsed.birth_date == birth_date
    assert parsed.governorate_code == governorate
    assert parsed.sex == ("male" if int(serial[3]) % 2 else "female")
    assert parsed.checksum_matches


def is_a_digit_we_accept(character: str) -> bool:
    converted = to_ascii_digits(character)
    return len(converted) == 1 and converted in "0123456789"


@given(
    valid_ids,
    st.integers(min_value=0, max_value=13),
    st.characters().filter(lambda c: not is_a_digit_we_accept(c)),
)
def test_any_single_non_digit_in_place_of_a_digit_is_refused(
    case: tuple[date, str, str], position: int, replacement: str
) -> None:
    number = national_id(*case)
    with pytest.raises(FieldProblem):
        parse_national_id(number[:position] + replacement + number[position + 1 :], TODAY)
