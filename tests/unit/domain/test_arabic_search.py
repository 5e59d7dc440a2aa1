"""Finding a name by what was typed (chalicelib/domain/arabic_search.py)."""

from __future__ import annotations

import pytest

from chalicelib.domain.arabic_search import matches, search_key


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("احمد", "أحمد"),
        ("اسماعيل", "إسماعيل"),
        ("فاطمه", "فاطمة"),
        ("مني", "منى"),
        ("محمّد", "محمد"),
        ("مـحـمـد", "محمد"),
        ("رءوف", "رؤوف".replace("ؤ", "ء")),
        ("شارع ١٢", "شارع 12"),
    ],
)
def test_the_ways_of_typing_one_word_compare_equal(typed: str, written: str) -> None:
    assert search_key(typed) == search_key(written)


def test_spaces_and_latin_case_do_not_count() -> None:
    assert search_key("  Mona   AHMED ") == "mona ahmed"


def test_every_word_typed_must_appear_in_one_of_the_names() -> None:
    assert matches("احمد عبد", "منى أحمد عبد الله")
    assert matches("ترخ", "ترخيص محل", "Shop licence")
    assert matches("licence", "ترخيص محل", "Shop licence")
    assert not matches("احمد محمود", "منى أحمد عبد الله")


def test_nothing_typed_matches_nothing() -> None:
    assert not matches("", "منى")
    assert not matches("\u200f ", "منى")
