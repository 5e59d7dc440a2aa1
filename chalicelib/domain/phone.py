"""Egyptian mobile numbers, the only phones that can receive our SMS messages.

Numbers are stored in E.164 (``+201XXXXXXXXX``). The digit after ``1`` names the network the number was
first issued by (010 Vodafone, 011 e&, 012 Orange, 015 WE); numbers are portable, so it is only checked,
never used to pick a network.
"""

from __future__ import annotations

import re

from chalicelib.domain.digits import digits_only
from chalicelib.domain.errors import FieldProblem

EGYPT_COUNTRY_CODE = "20"

# Patterns over the national significant number: what follows the country code or the trunk zero.
_MOBILE = re.compile(r"1[0125][0-9]{8}")
_MOBILE_PREFIX_WRONG_LENGTH = re.compile(r"1[0125][0-9]*")
_UNKNOWN_MOBILE_PREFIX = re.compile(r"1[0-9]{9}")
_CAIRO_GIZA_LANDLINE = re.compile(r"2[0-9]{8}")
_OTHER_LANDLINE = re.compile(r"[13-9][0-9]{7,8}")

_ASCII_DIGITS = re.compile(r"[0-9]+")
_E164_MOBILE = re.compile(r"\+201[0125][0-9]{8}")

_WITHOUT_BRACKETS_AND_DOTS = str.maketrans({character: None for character in "()."})

# Refusal messages, Arabic then English. A fresh FieldProblem is raised each time: re-raising one shared
# exception object would keep growing its traceback.
_EMPTY = ("يرجى إدخال رقم الهاتف المحمول.", "Please enter your mobile number.")
_NOT_A_NUMBER = (
    "رقم الهاتف المحمول غير صحيح، يرجى إدخاله على النحو التالي: 01012345678.",
    "This is not a valid mobile number; please enter it like this: 01012345678.",
)
_WRONG_LENGTH = (
    "رقم الهاتف المحمول يتكون من أحد عشر رقمًا تبدأ بـ 01، يرجى مراجعته وإعادة إدخاله.",
    "An Egyptian mobile number has 11 digits starting with 01; please check it and enter it again.",
)
_UNKNOWN_MOBILE_PREFIX_MESSAGE = (
    "يجب أن يبدأ رقم الهاتف المحمول بـ 010 أو 011 أو 012 أو 015، يرجى مراجعته.",
    "An Egyptian mobile number starts with 010, 011, 012 or 015; please check it.",
)
_CAIRO_GIZA_LANDLINE_MESSAGE = (
    "هذا رقم أرضي في القاهرة أو الجيزة، والهاتف الأرضي لا يستقبل الرسائل النصية؛ يرجى إدخال رقم محمول.",
    "This is a Cairo or Giza landline, and landlines cannot receive SMS; please enter a mobile number.",
)
_OTHER_LANDLINE_MESSAGE = (
    "يبدو أن هذا رقم أرضي في إحدى المحافظات، والهاتف الأرضي لا يستقبل الرسائل النصية؛ يرجى إدخال رقم محمول.",
    "This looks like a landline in another governorate; landlines cannot receive SMS. Please enter a mobile.",
)
_FOREIGN = (
    "يرجى إدخال رقم هاتف محمول مصري، إذ لا يمكن إرسال الرسائل إلى أرقام خارج مصر.",
    "Please enter an Egyptian mobile number; messages cannot be sent to numbers outside Egypt.",
)


def normalise_mobile(raw: str) -> str:
    """The Egyptian mobile number as typed, in E.164 (``+201XXXXXXXXX``); raises FieldProblem otherwise."""
    typed = digits_only(raw).translate(_WITHOUT_BRACKETS_AND_DOTS)
    if not typed:
        raise FieldProblem(*_EMPTY)
    national = _national_significant_number(typed)
    if _MOBILE.fullmatch(national):
        return f"+{EGYPT_COUNTRY_CODE}{national}"
    if _MOBILE_PREFIX_WRONG_LENGTH.fullmatch(national):
        raise FieldProblem(*_WRONG_LENGTH)
    if _UNKNOWN_MOBILE_PREFIX.fullmatch(national):
        raise FieldProblem(*_UNKNOWN_MOBILE_PREFIX_MESSAGE)
    if _CAIRO_GIZA_LANDLINE.fullmatch(national):
        raise FieldProblem(*_CAIRO_GIZA_LANDLINE_MESSAGE)
    if _OTHER_LANDLINE.fullmatch(national):
        raise FieldProblem(*_OTHER_LANDLINE_MESSAGE)
    raise FieldProblem(*_NOT_A_NUMBER)


def is_mobile(e164: str) -> bool:
    """Whether a stored number is an Egyptian mobile, one an SMS reaches (older records may hold others)."""
    return bool(_E164_MOBILE.fullmatch(e164))


def masked_phone(e164: str) -> str:
    """A normalised mobile number with all but its last 2 digits hidden, e.g. ``•••••••••78``.

    It has the 11 places of the number as dialled inside Egypt, the form a citizen recognises as theirs.
    """
    if not _E164_MOBILE.fullmatch(e164):
        # The number itself is left out of the message so that it cannot reach the logs.
        raise ValueError("masked_phone expects a mobile number returned by normalise_mobile")
    dialled_in_egypt = "0" + e164[len("+20") :]
    return "•" * (len(dialled_in_egypt) - 2) + dialled_in_egypt[-2:]


def _national_significant_number(typed: str) -> str:
    international = _after_international_prefix(typed)
    if international is not None:
        if not international.startswith(EGYPT_COUNTRY_CODE):
            raise FieldProblem(*_FOREIGN)
        national = international[len(EGYPT_COUNTRY_CODE) :]
        # "+20 010…" keeps the trunk zero that only belongs to dialling inside Egypt; people write it often.
        return national.removeprefix("0")
    if not _ASCII_DIGITS.fullmatch(typed):
        raise FieldProblem(*_NOT_A_NUMBER)
    if typed.startswith("0"):
        return typed[1:]
    # The country code without "+" or "00": 20 then a mobile (10 digits) or a Cairo/Giza landline (9 digits).
    if typed.startswith(EGYPT_COUNTRY_CODE) and len(typed) in (11, 12):
        return typed[len(EGYPT_COUNTRY_CODE) :]
    return typed


def _after_international_prefix(typed: str) -> str | None:
    """The digits after a leading "+" or "00", or None when the number is written without either."""
    if typed.startswith("+"):
        rest = typed[1:]
    elif typed.startswith("00"):
        rest = typed[2:]
    else:
        return None
    # Country codes never start with 0.
    if not _ASCII_DIGITS.fullmatch(rest) or rest.startswith("0"):
        raise FieldProblem(*_NOT_A_NUMBER)
    return rest
