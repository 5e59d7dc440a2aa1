"""Finding a name by what was typed, in Arabic as people type it: with or without hamzas on the
alef, ة or ه at a word's end, ى or ي, diacritics or tatweel, Arabic-Indic or Western digits."""

from __future__ import annotations

from chalicelib.domain.digits import clean_text

_FOLDED = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
        **{chr(code): None for code in (0x0640, *range(0x064B, 0x0660), 0x0670)},
    }
)  # fmt: skip


def search_key(text: str) -> str:
    """The text folded so that the ways of typing one word compare equal."""
    return " ".join(clean_text(text).translate(_FOLDED).casefold().split())


def matches(query: str, *names: str) -> bool:
    """Whether every word typed appears in one of the names (as a word's start or inside one)."""
    words = search_key(query).split()
    haystack = " ".join(search_key(name) for name in names)
    return bool(words) and all(word in haystack for word in words)
