from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import FieldProblem
from chalicelib.domain.names import normalise_full_name

ARABIC_LETTER = re.compile("[\u0621-\u064a]")
TATWEEL = "\u0640"
# Short vowels, tanween, shadda, sukun and the superscript alef. Madda and hamza marks are left out: after
# alef, waw or yeh they compose into a letter of their own (ا + ٓ is آ), which is right to keep.
DIACRITICS = [chr(code) for code in (*range(0x064B, 0x0653), 0x0670)]


def refusal(raw: str) -> FieldProblem:
    with pytest.raises(FieldProblem) as caught:
        normalise_full_name(raw)
    problem = caught.value
    assert ARABIC_LETTER.search(problem.message_ar)
    assert problem.message_en.strip()
    assert not ARABIC_LETTER.search(problem.message_en)
    return problem


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد محمد علي", "أحمد محمد علي"),
        ("  مُحَمَّد   عـــلي  حسن ", "محمد علي حسن"),
        ("\u200fفاطمة\u200e الزهراء", "فاطمة الزهراء"),
        ("سارة\nأحمد", "سارة أحمد"),
        ("عبد الله يوسف", "عبد الله يوسف"),
        ("گلناز پیری", "گلناز پیری"),
        ("Mohamed A. Hassan", "Mohamed A. Hassan"),
        ("M. Hassan", "M. Hassan"),
        ("Sean O’Brien", "Sean O'Brien"),
        ("Abd-Allah Omar", "Abd-Allah Omar"),
        ("José García Ñúñez", "José García Ñúñez"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("Ahmed محمد", "Ahmed محمد"),
        ("\ufedb\ufeae\ufef3\ufee2 \ufe8e\ufea4\ufee4\ufeaa", "كريم احمد"),  # presentation forms from a PDF
    ],
)
def test_acceptable_names_are_normalised(raw: str, expected: str) -> None:
    assert normalise_full_name(raw) == expected


def test_a_combining_madda_or_hamza_becomes_part_of_its_letter() -> None:
    assert normalise_full_name("\u0627\u0653دم \u0627\u0654حمد") == "آدم أحمد"


def test_length_bounds_are_inclusive() -> None:
    assert normalise_full_name("ab cd") == "ab cd"
    hundred = " ".join(["محمود"] * 16) + " حسين"
    assert len(hundred) == 100
    assert normalise_full_name(hundred) == hundred


@pytest.mark.parametrize("raw", ["", "   ", "\u200f\u200e", TATWEEL + TATWEEL, "\u064e\u0650"])
def test_nothing_typed_is_refused_as_empty(raw: str) -> None:
    assert refusal(raw) == refusal("")


@pytest.mark.parametrize("raw", ["Ahmed 2nd Ali", "أحمد ٣ علي", "أحمد علي۴", "Ali Hassan 1990"])
def test_digits_anywhere_are_refused(raw: str) -> None:
    assert refusal(raw) == refusal("Ahmed 2nd Ali")


@pytest.mark.parametrize(
    "raw",
    [
        "Ahmed @ Ali",
        "Дмитрий Иванов",
        "أحمد، علي",
        "Ahmed_Ali Omar",
        "Ahmed \U0001f600 Ali",
        "Ahmed × Ali",
        "Ali, Omar",
    ],
)
def test_characters_other_than_letters_are_refused(raw: str) -> None:
    assert refusal(raw) == refusal("Ahmed @ Ali")


@pytest.mark.parametrize("raw", ["علي", "ab", "A. B"])
def test_a_name_under_five_characters_is_refused(raw: str) -> None:
    assert refusal(raw) == refusal("علي")


def test_a_name_over_a_hundred_characters_is_refused() -> None:
    assert refusal(" ".join(["محمود"] * 17)) == refusal("a" * 50 + " " + "b" * 50)


@pytest.mark.parametrize(
    "raw",
    ["-Ahmed Ali", "Ahmed- Ali", "Ahmed--Salah Ali", "Ahmed ' Ali", "O'' Brien", ".Ahmed Ali", "Ahmed Ali.."],
)
def test_punctuation_outside_a_name_is_refused(raw: str) -> None:
    assert refusal(raw) == refusal("-Ahmed Ali")


@pytest.mark.parametrize("raw", ["Mohamed", "عبدالرحمن", "Abd-Allah"])
def test_a_single_name_is_refused(raw: str) -> None:
    assert refusal(raw) == refusal("Mohamed")


@pytest.mark.parametrize("raw", ["Ahmed A Hassan", "أحمد م علي", "م. أحمد علي", "Ahmed Ali B"])
def test_one_letter_parts_are_refused_unless_a_latin_initial(raw: str) -> None:
    assert refusal(raw) == refusal("Ahmed A Hassan")


def test_each_reason_has_its_own_message_in_both_languages() -> None:
    problems = [
        refusal(""),
        refusal("Ahmed 2nd Ali"),
        refusal("Ahmed @ Ali"),
        refusal("علي"),
        refusal("a" * 50 + " " + "b" * 50),
        refusal("-Ahmed Ali"),
        refusal("Mohamed"),
        refusal("Ahmed A Hassan"),
    ]
    assert len({problem.message_ar for problem in problems}) == len(problems)
    assert len({problem.message_en for problem in problems}) == len(problems)


arabic_letters = [chr(code) for code in (*range(0x0621, 0x063B), *range(0x0641, 0x064B))]
arabic_parts = st.text(alphabet=arabic_letters, min_size=2, max_size=12)


@st.composite
def decorated(draw: st.DrawFn, name: str) -> str:
    """The name with random tatweel and diacritics after its letters and extra spaces between parts."""
    decorations = st.lists(st.sampled_from([TATWEEL, *DIACRITICS]), max_size=2).map("".join)
    written = ""
    for character in name:
        if character == " ":
            written += draw(st.sampled_from([" ", "  ", " \u200f", "\t"]))
        else:
            written += character + draw(decorations)
    return written


@given(st.lists(arabic_parts, min_size=2, max_size=6).map(" ".join), st.data())
def test_tatweel_diacritics_and_spacing_do_not_change_the_stored_name(name: str, data: st.DataObject) -> None:
    assert normalise_full_name(data.draw(decorated(name))) == name
    assert normalise_full_name(name) == name
