"""A citizen's full name, in the one written form we store and print on receipts.

Egyptian forms ask for the full name (the person's own name followed by the father's, and usually more),
in Arabic or in Latin letters; both scripts may be mixed in one name.
"""

from __future__ import annotations

import re
import unicodedata

from chalicelib.domain.digits import clean_text
from chalicelib.domain.errors import FieldProblem

MIN_LENGTH = 5
MAX_LENGTH = 100
MIN_PARTS = 2

_ARABIC_LETTERS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"
# Latin-1 letters without the multiplication and division signs that sit among them.
_LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
_LETTER = f"[{_ARABIC_LETTERS}{_LATIN_LETTERS}]"

_ALLOWED_CHARACTERS = re.compile(rf"(?:{_LETTER}|[ \-'.])+")
_ASCII_DIGIT = re.compile(r"[0-9]")
# Hyphens, apostrophes and full stops join letters (Abd-Allah, O'Brien, St.John); a full stop may also end
# a part, as in an initial (M.) or an abbreviation (Jr.).
_WELL_FORMED_PART = re.compile(rf"{_LETTER}+(?:[\-'.]{_LETTER}+)*\.?")
_LATIN_INITIAL = re.compile(rf"[{_LATIN_LETTERS}]\.")

# Tatweel only stretches a word on screen and diacritics are seldom typed the same way twice: neither
# belongs to the name itself.
_TATWEEL_AND_DIACRITICS = str.maketrans({chr(code): None for code in (0x0640, *range(0x064B, 0x0660), 0x0670)})
# Phones turn a typed apostrophe into a typographic one.
_PLAIN_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})

# Refusal messages, Arabic then English. A fresh FieldProblem is raised each time: re-raising one shared
# exception object would keep growing its traceback.
_EMPTY = ("يرجى إدخال الاسم الكامل.", "Please enter your full name.")
_HAS_DIGITS = ("لا يجوز أن يحتوي الاسم على أرقام.", "A name cannot contain digits.")
_FOREIGN_CHARACTERS = (
    "يرجى كتابة الاسم بالحروف العربية أو اللاتينية فقط.",
    "Please write the name in Arabic or Latin letters only.",
)
_TOO_SHORT = (
    "الاسم قصير جدًا، يرجى كتابة الاسم الكامل كما هو مدون في بطاقة الرقم القومي.",
    "The name is too short; please write the full name as it appears on the national ID card.",
)
_TOO_LONG = (
    "الاسم طويل جدًا، يرجى ألا يزيد على مئة حرف.",
    "The name is too long; please keep it to 100 characters at most.",
)
_MISPLACED_PUNCTUATION = (
    "يُسمح بالشَّرطة (-) والفاصلة العليا (') والنقطة (.) بين حروف الاسم فقط.",
    "Hyphens, apostrophes and full stops are allowed only between the letters of a name.",
)
_TOO_FEW_PARTS = (
    "يرجى كتابة الاسم الكامل، أي الاسم واسم الأب على الأقل.",
    "Please write the full name: at least your own name and your father's name.",
)
_PART_TOO_SHORT = (
    "يتكون كل جزء من الاسم من حرفين على الأقل، ويُقبل الحرف اللاتيني الواحد إذا تبعته نقطة مثل M.",
    "Each part of the name needs two letters or more; a single Latin initial takes a full stop, as in M.",
)


def normalise_full_name(raw: str) -> str:
    """The full name, one space between parts, without tatweel or diacritics; raises FieldProblem if unfit."""
    name = _normalised(raw)
    if not name:
        raise FieldProblem(*_EMPTY)
    if _ASCII_DIGIT.search(name):
        raise FieldProblem(*_HAS_DIGITS)
    if not _ALLOWED_CHARACTERS.fullmatch(name):
        raise FieldProblem(*_FOREIGN_CHARACTERS)
    if len(name) < MIN_LENGTH:
        raise FieldProblem(*_TOO_SHORT)
    if len(name) > MAX_LENGTH:
        raise FieldProblem(*_TOO_LONG)
    parts = name.split(" ")
    if not all(_WELL_FORMED_PART.fullmatch(part) for part in parts):
        raise FieldProblem(*_MISPLACED_PUNCTUATION)
    if len(parts) < MIN_PARTS:
        raise FieldProblem(*_TOO_FEW_PARTS)
    if not all(_long_enough(part) for part in parts):
        raise FieldProblem(*_PART_TOO_SHORT)
    return name


def _normalised(raw: str) -> str:
    # Compatibility form turns Arabic presentation forms pasted from PDFs (and full-width Latin) into
    # ordinary letters; it runs before diacritics are removed because some ligatures decompose into them.
    compatible = unicodedata.normalize("NFKC", clean_text(raw))
    plain = compatible.translate(_TATWEEL_AND_DIACRITICS).translate(_PLAIN_APOSTROPHES)
    return " ".join(plain.split())


def _long_enough(part: str) -> bool:
    letters = re.findall(_LETTER, part)
    return len(letters) >= 2 or bool(_LATIN_INITIAL.fullmatch(part))
