"""Turn what citizens type into plain ASCII before anything is validated.

People type Arabic-Indic (٠١٢) and Persian (۰۱۲) digits and paste invisible bidi marks along with numbers.
Python's ``int()`` and regex ``\\d`` accept any Unicode digit, so we map the two systems people actually
use to ASCII explicitly; validators then check with ``[0-9]``, which refuses every other script's digits.
"""

from __future__ import annotations

import unicodedata

ARABIC_INDIC_ZERO = 0x0660
PERSIAN_ZERO = 0x06F0

INVISIBLE_MARKS = (
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
    "\u200b\u200c\u200d"  # zero-width space, non-joiner and joiner
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # byte order mark, often pasted from files
)

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

_TO_ASCII = str.maketrans(
    {
        **{chr(ARABIC_INDIC_ZERO + value): str(value) for value in range(10)},
        **{chr(PERSIAN_ZERO + value): str(value) for value in range(10)},
        **{mark: None for mark in INVISIBLE_MARKS},
    }
)

_WITHOUT_DASHES = str.maketrans({dash: None for dash in DASHES})


def to_ascii_digits(text: str) -> str:
    """The text with Arabic-Indic and Persian digits written in ASCII and invisible marks removed."""
    return text.translate(_TO_ASCII)


def digits_only(text: str) -> str:
    """The text in ASCII digits without spaces or dashes; anything else is left for the caller to refuse."""
    ascii_text = to_ascii_digits(text).translate(_WITHOUT_DASHES)
    return "".join(ascii_text.split())


def clean_text(text: str) -> str:
    """Free text ready to store: one space between words, line breaks kept, ASCII digits, no hidden marks.

    Composed (NFC) form makes the same words compare equal however the keyboard encoded them.
    """
    composed = unicodedata.normalize("NFC", to_ascii_digits(text))
    lines = composed.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned_lines = [" ".join(_without_control_characters(line).split()) for line in lines]
    return "\n".join(cleaned_lines).strip("\n")


def _without_control_characters(line: str) -> str:
    # Whitespace controls such as tab are kept for now so that the split that follows turns them into
    # a word break instead of gluing the words on either side together.
    return "".join(character for character in line if character.isspace() or unicodedata.category(character) != "Cc")
