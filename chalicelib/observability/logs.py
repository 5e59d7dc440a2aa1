"""Structured JSON logs that cannot carry a national ID or a phone number.

Nothing should log personal data in the first place; the formatter is the second line:
it blanks anything shaped like an Egyptian national ID or mobile number, in any digits.
"""

from __future__ import annotations

import re

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.logging.types import LogRecord

_ARABIC_INDIC_ZERO, _PERSIAN_ZERO = 0x0660, 0x06F0


def _any_script(digits: str) -> str:
    """A character class matching each of `digits` as written in ASCII, Arabic-Indic or Persian."""
    return (
        "["
        + "".join(f"{digit}{chr(_ARABIC_INDIC_ZERO + int(digit))}{chr(_PERSIAN_ZERO + int(digit))}" for digit in digits)
        + "]"
    )


_DIGIT = _any_script("0123456789")
_GAP = r"[\s\-().]{0,2}"
_NATIONAL_ID = re.compile(rf"(?<!{_DIGIT}){_any_script('23')}{_DIGIT}{{13}}(?!{_DIGIT})")
# An Egyptian mobile as people write it: +20, 0020, 20 or 0, then 1, the operator digit and
# eight more, with any spaces, dashes, dots or brackets between groups.
_MOBILE = re.compile(
    rf"(?<!{_DIGIT})(?:\+?(?:{_any_script('0')}{{2}})?{_any_script('2')}{_GAP}{_any_script('0')}?|{_any_script('0')})?"
    rf"{_GAP}{_any_script('1')}{_any_script('0125')}(?:{_GAP}{_DIGIT}){{8}}(?!{_DIGIT})"
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _MOBILE.sub(REDACTED, _NATIONAL_ID.sub(REDACTED, text))


class RedactingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: LogRecord) -> str:
        return redact(super().serialize(log))


logger = Logger(service="shobbak", logger_formatter=RedactingFormatter())
