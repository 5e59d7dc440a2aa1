from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.inquiry import Inquiry, inquiry_check, read_inquiry
from chalicelib.domain.tracking import damm_check_digit

ARABIC_LETTER = re.compile("[\u0621-\u064a]")
SCRIPTS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC = str.maketrans(SCRIPTS[0], SCRIPTS[1])
PERSIAN = str.maketrans(SCRIPTS[0], SCRIPTS[2])
TO_ASCII = str.maketrans(SCRIPTS[1] + SCRIPTS[2], SCRIPTS[0] * 2)

TRACKING = "483127705196"  # a 12-digit payload ...
TRACKING += damm_check_digit(TRACKING)  # ... and its check digit: 13 digits as issued
LAST4 = "1233"
KEY = "a key from configuration"


def body(tracking_number: Any = TRACKING, national_id_last4: Any = LAST4) -> dict[str, Any]:
    return {"tracking_number": tracking_number, "national_id_last4": national_id_last4}


def refused_fields(sent: dict[str, Any]) -> set[str]:
    with pytest.raises(InvalidInput) as caught:
        read_inquiry(sent)
    error = caught.value
    assert error.code == "invalid_fields"
    assert ARABIC_LETTER.search(error.message_ar)
    for message in error.fields.values():
        assert ARABIC_LETTER.search(message)
    return set(error.fields)


def test_a_plain_inquiry_is_read() -> None:
    assert read_inquiry(body()) == Inquiry(tracking_number=TRACKING, national_id_last4=LAST4)


@pytest.mark.parametrize(
    "typed",
    [
        f"{TRACKING[:4]} {TRACKING[4:8]} {TRACKING[8:12]} {TRACKING[12]}",
        f"{TRACKING[:4]}-{TRACKING[4:8]}-{TRACKING[8:12]}-{TRACKING[12]}",
        f"  {TRACKING}  ",
        TRACKING.translate(ARABIC_INDIC),
        TRACKING.translate(PERSIAN),
        f"{TRACKING[:6].translate(ARABIC_INDIC)} – {TRACKING[6:].translate(PERSIAN)}",
        f"\u200f{TRACKING[:4]}\u00a0{TRACKING[4:]}\u200e",
        int(TRACKING),
    ],
)
def test_the_tracking_number_may_be_typed_with_spaces_dashes_and_arabic_digits(typed: Any) -> None:
    assert read_inquiry(body(tracking_number=typed)).tracking_number == TRACKING


@pytest.mark.parametrize("typed", ["1233", "١٢٣٣", "۱۲۳۳", "١٢۳3", " 12-33 ", "\u200f١٢٣٣", 1233])
def test_the_last_four_digits_may_be_typed_in_any_script(typed: Any) -> None:
    assert read_inquiry(body(national_id_last4=typed)).national_id_last4 == "1233"


def test_a_last4_starting_with_zero_must_be_sent_as_text() -> None:
    assert read_inquiry(body(national_id_last4="0042")).national_id_last4 == "0042"
    assert refused_fields(body(national_id_last4=42)) == {"national_id_last4"}


@pytest.mark.parametrize("length", [12, 13, 14])
def test_any_valid_length_is_accepted(length: int) -> None:
    payload = "7" * (length - 1)
    number = payload + damm_check_digit(payload)
    assert read_inquiry(body(tracking_number=number)).tracking_number == number


@pytest.mark.parametrize("position", range(13))
def test_a_single_wrong_digit_is_refused(position: int) -> None:
    for digit in "0123456789":
        if digit != TRACKING[position]:
            wrong = TRACKING[:position] + digit + TRACKING[position + 1 :]
            assert refused_fields(body(tracking_number=wrong)) == {"tracking_number"}


@pytest.mark.parametrize("payload_length", [0, 9, 10, 14, 15, 20])
def test_a_number_of_the_wrong_length_is_refused_even_with_a_good_check_digit(payload_length: int) -> None:
    payload = ("48312770519" * 2)[:payload_length]
    number = payload + damm_check_digit(payload)
    assert refused_fields(body(tracking_number=number)) == {"tracking_number"}


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        f"{TRACKING}x",
        f"#{TRACKING}",
        f"{TRACKING[:6]}.{TRACKING[6:]}",
        TRACKING.translate(str.maketrans("0123456789", "०१२३४५६७८९")),  # Devanagari: not a script we read
        None,
        float(TRACKING),
        True,
        [TRACKING],
        {"number": TRACKING},
    ],
)
def test_what_is_not_a_tracking_number_is_refused(typed: Any) -> None:
    assert refused_fields(body(tracking_number=typed)) == {"tracking_number"}


@pytest.mark.parametrize(
    "typed",
    ["", "123", "12345", "12a3", "12.3", "١٢٣", "١٢٣٤٥", "१२३३", "１２３３", None, 12345, 12, 1233.0, True, ["1233"]],
)
def test_anything_but_four_digits_is_refused_as_last4(typed: Any) -> None:
    assert refused_fields(body(national_id_last4=typed)) == {"national_id_last4"}


def test_missing_fields_are_each_named() -> None:
    assert refused_fields({}) == {"tracking_number", "national_id_last4"}
    assert refused_fields({"tracking_number": TRACKING}) == {"national_id_last4"}
    assert refused_fields({"national_id_last4": LAST4}) == {"tracking_number"}


def test_both_problems_are_reported_at_once() -> None:
    assert refused_fields(body(tracking_number="123", national_id_last4="12")) == {
        "tracking_number",
        "national_id_last4",
    }


# Matching against what the request keeps (store/requests/proof.py compares the two checks)


def check_of(inquiry: Inquiry) -> str:
    return inquiry_check(inquiry.tracking_number, inquiry.national_id_last4, KEY)


def test_the_right_last4_matches() -> None:
    stored = inquiry_check(TRACKING, LAST4, KEY)
    assert check_of(read_inquiry(body())) == stored
    assert check_of(read_inquiry(body(national_id_last4="١٢٣٣"))) == stored


def test_the_stored_check_is_a_digest_of_both_numbers() -> None:
    stored = inquiry_check(TRACKING, LAST4, KEY)
    assert re.fullmatch("[0-9a-f]{64}", stored)
    assert stored != inquiry_check(TRACKING, "1234", KEY)
    assert stored != inquiry_check(TRACKING[:12] + "0", LAST4, KEY)


def test_another_requests_check_does_not_match() -> None:
    other = "111122223333" + damm_check_digit("111122223333")
    assert read_inquiry(body(tracking_number=other)).tracking_number == other
    assert check_of(read_inquiry(body())) != inquiry_check(other, LAST4, KEY)


def test_a_copy_of_the_stored_check_does_not_give_away_the_last4_without_the_key() -> None:
    stored = inquiry_check(TRACKING, LAST4, KEY)
    every_last4 = [f"{candidate:04d}" for candidate in range(10_000)]

    unkeyed = [c for c in every_last4 if hashlib.sha256(f"{TRACKING}:{c}".encode()).hexdigest() == stored]
    other_key = [c for c in every_last4 if inquiry_check(TRACKING, c, "some other key") == stored]

    assert unkeyed == other_key == []
    assert [c for c in every_last4 if inquiry_check(TRACKING, c, KEY) == stored] == [LAST4]


four_digits = st.text(alphabet="0123456789", min_size=4, max_size=4)


@given(four_digits, four_digits)
def test_only_the_right_last4_matches(right: str, sent: str) -> None:
    stored = inquiry_check(TRACKING, right, KEY)
    assert (check_of(read_inquiry(body(national_id_last4=sent))) == stored) == (sent == right)


# Keeping the digits out of logs


@given(four_digits)
def test_the_repr_of_an_inquiry_does_not_show_the_last4(last4: str) -> None:
    inquiry = read_inquiry(body(national_id_last4=last4))
    for shown in (repr(inquiry), str(inquiry), f"{inquiry}", repr([inquiry]), repr({"q": inquiry})):
        # The tracking number is shown on purpose; the last4 must not be, wherever it would go.
        assert last4 not in shown.replace(TRACKING, "<tracking>")
    assert repr(inquiry) == f"Inquiry({TRACKING}, <redacted>)"


# Any tracking number however typed

payloads = st.integers(min_value=11, max_value=13).flatmap(
    lambda length: st.text(alphabet="0123456789", min_size=length, max_size=length)
)
separators = st.sampled_from(["", "", "", " ", "-", " - ", "  ", "\u200f", "\u00a0"])


@given(payloads, st.data())
def test_any_valid_number_however_typed_is_read_back_in_ascii(payload: str, data: st.DataObject) -> None:
    number = payload + damm_check_digit(payload)
    typed = "".join(data.draw(st.sampled_from(SCRIPTS))[int(digit)] + data.draw(separators) for digit in number).strip()
    last4 = data.draw(st.text(alphabet="".join(SCRIPTS), min_size=4, max_size=4))

    inquiry = read_inquiry(body(tracking_number=typed, national_id_last4=last4))

    assert inquiry.tracking_number == number
    assert inquiry.national_id_last4 == last4.translate(TO_ASCII)
