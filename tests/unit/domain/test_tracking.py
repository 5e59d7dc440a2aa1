from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.tracking import (
    damm_check_digit,
    grouped_for_reading,
    is_valid_tracking_number,
    new_tracking_number,
)

DIGITS = "0123456789"


def with_check_digit(payload: str) -> str:
    return payload + damm_check_digit(payload)


def test_damm_check_digit_matches_the_published_example() -> None:
    # The worked example of Damm's algorithm: 572 gets check digit 4.
    assert damm_check_digit("572") == "4"
    assert damm_check_digit("5724") == "0"


def test_damm_check_digit_refuses_anything_but_ascii_digits() -> None:
    for text in ("٥٧٢", "57 2", "57a", "५७२"):
        with pytest.raises(ValueError, match="ASCII digits"):
            damm_check_digit(text)


def substitutions(number: str) -> list[str]:
    return [
        number[:position] + other + number[position + 1 :]
        for position, digit in enumerate(number)
        for other in DIGITS
        if other != digit
    ]


def adjacent_transpositions(number: str) -> list[str]:
    return [
        number[:position] + number[position + 1] + number[position] + number[position + 2 :]
        for position in range(len(number) - 1)
        if number[position] != number[position + 1]
    ]


@given(st.text(alphabet=DIGITS, min_size=1, max_size=24))
def test_the_check_digit_catches_every_substitution_and_adjacent_transposition(payload: str) -> None:
    number = with_check_digit(payload)
    assert damm_check_digit(number) == "0"
    for mistyped in substitutions(number) + adjacent_transpositions(number):
        assert damm_check_digit(mistyped) != "0", mistyped


@given(st.text(alphabet=DIGITS, min_size=11, max_size=13))
def test_numbers_of_12_to_14_digits_are_valid_and_every_slip_is_not(payload: str) -> None:
    number = with_check_digit(payload)
    assert is_valid_tracking_number(number)
    for mistyped in substitutions(number) + adjacent_transpositions(number):
        assert not is_valid_tracking_number(mistyped), mistyped


def test_valid_numbers_are_recognised_however_typed() -> None:
    number = with_check_digit("123456789012")
    assert is_valid_tracking_number(grouped_for_reading(number))
    assert is_valid_tracking_number("-".join(number))
    arabic = number.translate(str.maketrans(DIGITS, "٠١٢٣٤٥٦٧٨٩"))
    assert is_valid_tracking_number(f"\u200f{arabic}\u200e")


@pytest.mark.parametrize("payload_length", [10, 14])
def test_a_passing_check_with_the_wrong_length_is_not_valid(payload_length: int) -> None:
    assert not is_valid_tracking_number(with_check_digit("7" * payload_length))


@pytest.mark.parametrize("text", ["", "   ", "abc", "1234567890120x", "१२३४५६७८९०१२३"])
def test_text_that_is_not_digits_is_not_valid(text: str) -> None:
    assert not is_valid_tracking_number(text)


def test_new_tracking_number_uses_the_randomness_it_is_given() -> None:
    bounds: list[int] = []

    def lowest(bound: int) -> int:
        bounds.append(bound)
        return 0

    assert new_tracking_number(lowest) == with_check_digit("1" + "0" * 11)
    assert bounds == [9] + [10] * 11
    assert new_tracking_number(lambda bound: bound - 1) == with_check_digit("9" * 12)


@given(st.data())
def test_every_new_tracking_number_is_13_digits_without_a_leading_zero_and_valid(data: st.DataObject) -> None:
    number = new_tracking_number(lambda bound: data.draw(st.integers(min_value=0, max_value=bound - 1)))
    assert len(number) == 13
    assert all(digit in DIGITS for digit in number)
    assert number[0] != "0"
    assert is_valid_tracking_number(number)


def test_default_tracking_numbers_are_random_not_sequential() -> None:
    numbers = [new_tracking_number() for _ in range(200)]
    for number in numbers:
        assert len(number) == 13
        assert number[0] != "0"
        assert is_valid_tracking_number(number)
    assert len(set(numbers)) == len(numbers)
    for previous, following in itertools.pairwise(numbers):
        assert abs(int(following[:12]) - int(previous[:12])) > 1


@pytest.mark.parametrize(
    ("number", "grouped"),
    [
        ("1234567890123", "1234 567 890 123"),  # a tracking number: no lone check digit
        ("123456789012", "1234 5678 9012"),
        ("12345678901234", "1234 5678 901 234"),
        ("123456789012345", "1234 5678 9012 345"),  # its payment reference, 2 digits more
        ("1234567890123456789", "1234 5678 9012 3456 789"),
        ("1234 5678 9012 3", "1234 567 890 123"),
        ("١٢٣٤-٥٦٧٨-٩٠١٢-٣", "1234 567 890 123"),
    ],
)
def test_grouped_for_reading_makes_groups_of_four_then_three_from_the_left(number: str, grouped: str) -> None:
    assert grouped_for_reading(number) == grouped


@pytest.mark.parametrize("length", range(6, 21))
def test_every_group_read_aloud_has_three_or_four_digits_and_regrouping_changes_nothing(length: int) -> None:
    number = (DIGITS * 3)[:length]
    grouped = grouped_for_reading(number)

    assert {len(group) for group in grouped.split(" ")} <= {3, 4}
    assert grouped.replace(" ", "") == number
    assert grouped_for_reading(grouped) == grouped
