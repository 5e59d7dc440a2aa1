from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import FieldProblem
from chalicelib.domain.phone import masked_phone, normalise_mobile

ARABIC_LETTER = re.compile("[\u0621-\u064a]")
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"


def refusal(raw: str) -> FieldProblem:
    with pytest.raises(FieldProblem) as caught:
        normalise_mobile(raw)
    problem = caught.value
    assert ARABIC_LETTER.search(problem.message_ar)
    assert problem.message_en.strip()
    assert not ARABIC_LETTER.search(problem.message_en)
    return problem


@pytest.mark.parametrize(
    "raw",
    [
        "01012345678",
        "+201012345678",
        "00201012345678",
        "201012345678",
        "1012345678",
        "010 1234 5678",
        "010-1234-5678",
        "(010) 1234 5678",
        "010.1234.5678",
        "+20 (10) 1234-5678",
        "+20 010 1234 5678",
        "٠١٠١٢٣٤٥٦٧٨",
        "۰۱۰۱۲۳۴۵۶۷۸",
        "\u200f+٢٠ ١٠ ١٢٣٤ ٥٦٧٨\u200e",
        "\u00a0010\u20131234\u20135678 ",
    ],
)
def test_the_ways_people_write_a_mobile_number_all_give_e164(raw: str) -> None:
    assert normalise_mobile(raw) == "+201012345678"


@pytest.mark.parametrize("prefix", ["010", "011", "012", "015"])
def test_each_network_prefix_is_accepted(prefix: str) -> None:
    assert normalise_mobile(prefix + "98765432") == "+20" + prefix[1:] + "98765432"


@pytest.mark.parametrize("raw", ["", "   ", "\u200f", " - "])
def test_nothing_typed_is_refused_as_empty(raw: str) -> None:
    assert refusal(raw) == refusal("")


@pytest.mark.parametrize("raw", ["0233445566", "02 3344 5566", "+20 2 3344 5566", "0020233445566", "20233445566"])
def test_a_cairo_or_giza_landline_is_refused_because_it_cannot_receive_sms(raw: str) -> None:
    problem = refusal(raw)
    assert problem == refusal("0235710000")
    assert "SMS" in problem.message_en


@pytest.mark.parametrize("raw", ["040 333 4444", "03 456 7890", "+20 88 234 5678", "013 222 3333"])
def test_other_egyptian_landlines_are_refused(raw: str) -> None:
    assert refusal(raw) == refusal("0403334444")


@pytest.mark.parametrize("raw", ["+966501234567", "00447911123456", "+1 202 555 0143", "+2121234567"])
def test_foreign_numbers_are_refused(raw: str) -> None:
    assert refusal(raw) == refusal("+966501234567")


@pytest.mark.parametrize("raw", ["01312345678", "01412345678", "01912345678", "+201712345678", "1612345678"])
def test_an_unknown_mobile_prefix_is_refused(raw: str) -> None:
    assert refusal(raw) == refusal("01912345678")


@pytest.mark.parametrize("raw", ["0101234567", "010123456789", "+2010123456", "015"])
def test_a_mobile_prefix_with_the_wrong_number_of_digits_is_refused(raw: str) -> None:
    assert refusal(raw) == refusal("0101234567")


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "+",
        "+20",
        "0000",
        "010-1234-567a",
        "01012345678 ext 2",
        "010+12345678",
        "٠١٠١٢٣٤٥٦٧٨x",
        "५०१२३४५६७८",
    ],
)
def test_anything_else_is_refused_as_not_a_number(raw: str) -> None:
    assert refusal(raw) == refusal("abc")


def test_each_reason_has_its_own_message_in_both_languages() -> None:
    problems = [
        refusal(""),
        refusal("0235710000"),
        refusal("0403334444"),
        refusal("+966501234567"),
        refusal("01912345678"),
        refusal("0101234567"),
        refusal("abc"),
    ]
    assert len({problem.message_ar for problem in problems}) == len(problems)
    assert len({problem.message_en for problem in problems}) == len(problems)


def test_masked_phone_shows_only_the_last_two_digits() -> None:
    assert masked_phone("+201012345678") == "•••••••••78"


def test_masked_phone_refuses_a_number_that_was_not_normalised_without_repeating_it() -> None:
    with pytest.raises(ValueError, match="normalise_mobile") as caught:
        masked_phone("01012345678")
    assert "01012345678" not in str(caught.value)


mobile_numbers = st.tuples(st.sampled_from("0125"), st.text(alphabet="0123456789", min_size=8, max_size=8))


@st.composite
def written_by_hand(draw: st.DrawFn, digits: str) -> str:
    """The digits with random digit systems, separators and bidi marks between them."""
    separators = st.sampled_from(["", "", " ", "-", ".", "\u00a0", "\u2013", "\u200f", "\u200e", "\u061c"])
    written = ""
    for digit in digits:
        system = draw(st.sampled_from(["0123456789", ARABIC_INDIC, PERSIAN]))
        written += system[int(digit)] + draw(separators)
    return written


@given(mobile_numbers, st.data())
def test_every_format_of_the_same_number_gives_the_same_e164(number: tuple[str, str], data: st.DataObject) -> None:
    network, subscriber = number
    national = f"1{network}{subscriber}"
    expected = f"+20{national}"
    formats = [
        data.draw(written_by_hand("0" + national)),
        "+" + data.draw(written_by_hand("20" + national)),
        "+20 (" + data.draw(written_by_hand(national[:2])) + ") " + data.draw(written_by_hand(national[2:])),
        data.draw(written_by_hand("0020" + national)),
        data.draw(written_by_hand("20" + national)),
        data.draw(written_by_hand(national)),
    ]
    assert [normalise_mobile(written) for written in formats] == [expected] * len(formats)
    masked = masked_phone(expected)
    assert masked == "•" * 9 + subscriber[-2:]
