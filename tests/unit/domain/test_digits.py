from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.digits import clean_text, digits_only, to_ascii_digits

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
BIDI_MARKS = [
    "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff",
]  # fmt: skip
SPACES = [" ", "\u00a0", "\t", "\u2009", "\u202f", "\u3000"]
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]


def test_arabic_indic_and_persian_digits_become_ascii() -> None:
    assert to_ascii_digits(ARABIC_INDIC) == "0123456789"
    assert to_ascii_digits(PERSIAN) == "0123456789"


@pytest.mark.parametrize("mark", BIDI_MARKS)
def test_each_invisible_mark_is_removed(mark: str) -> None:
    assert to_ascii_digits(f"{mark}12{mark}3") == "123"


def test_other_scripts_digits_are_left_for_validators_to_refuse() -> None:
    # Devanagari, full-width and mathematical digits are Unicode digits that int() would accept.
    assert to_ascii_digits("५１𝟕") == "५１𝟕"


def test_letters_and_punctuation_are_untouched() -> None:
    assert to_ascii_digits("رقم: 12 abc") == "رقم: 12 abc"


@pytest.mark.parametrize("separator", SPACES + DASHES)
def test_digits_only_removes_spaces_and_dashes(separator: str) -> None:
    assert digits_only(f"010{separator}1234{separator}5678") == "01012345678"


def test_digits_only_keeps_other_characters_for_the_caller_to_refuse() -> None:
    assert digits_only("(010) 12a.4") == "(010)12a.4"


def test_clean_text_collapses_spaces_and_strips_ends() -> None:
    assert clean_text("  شارع   التحرير\t\t الدقي  ") == "شارع التحرير الدقي"


def test_clean_text_keeps_line_breaks_and_drops_blank_edges() -> None:
    assert clean_text("\n\n السطر الأول \r\nالسطر الثاني\rالسطر الثالث\n\n") == (
        "السطر الأول\nالسطر الثاني\nالسطر الثالث"
    )


def test_clean_text_removes_controls_and_bidi_marks_and_converts_digits() -> None:
    assert clean_text("\u200fعمارة ٢٣\x00\x07 الدور \u202b۴\u202c") == "عمارة 23 الدور 4"


def test_clean_text_composes_decomposed_letters() -> None:
    # Alef followed by a combining hamza is the same letter as precomposed أ.
    assert clean_text("\u0627\u0654حمد") == "أحمد"


@st.composite
def number_written_by_hand(draw: st.DrawFn) -> tuple[str, str]:
    """An ASCII digit string and the same number typed with mixed digit systems and stray marks."""
    digits = draw(st.text(alphabet="0123456789", min_size=1, max_size=30))
    noise = st.lists(st.sampled_from(BIDI_MARKS + SPACES + DASHES), max_size=2).map("".join)
    written = draw(noise)
    for digit in digits:
        system = draw(st.sampled_from(["0123456789", ARABIC_INDIC, PERSIAN]))
        written += system[int(digit)] + draw(noise)
    return digits, written


@given(number_written_by_hand())
def test_any_way_of_writing_a_number_gives_the_same_ascii_digits(case: tuple[str, str]) -> None:
    digits, written = case
    assert digits_only(written) == digits


@given(st.text())
def test_to_ascii_digits_leaves_no_eastern_digits_or_marks(text: str) -> None:
    converted = to_ascii_digits(text)
    assert not set(converted) & set(ARABIC_INDIC + PERSIAN + "".join(BIDI_MARKS))
    assert to_ascii_digits(converted) == converted


@given(st.text())
def test_clean_text_is_idempotent_and_tidy(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert all(character == "\n" or unicodedata.category(character) != "Cc" for character in cleaned)
