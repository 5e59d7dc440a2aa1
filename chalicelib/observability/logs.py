"""Structured JSON logs that cannot carry a national ID or a phone number.

Nothing should log personal data in the first place; the formatter is the second line:
it blanks any run of digits that reads as an Egyptian national ID or mobile number, in any
digits and with whatever spaces, dashes or marks people put between them.
"""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.logging.types import LogRecord

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
# What people put between digits: spaces, any dash, brackets and invisible direction marks.
_SEPARATOR = "\\s\\-.\u2010-\u2015\u2212()\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
# A whole run of digits and separators (possessive, so it is never cut short to fit), even
# glued to letters: Arabic text often runs straight into a number.
_DIGIT_RUN = re.compile(rf"(?<![{_DIGIT}+])\+?[{_DIGIT}](?:[{_SEPARATOR}]*+[{_DIGIT}])*+")
_TO_ASCII = str.maketrans({chr(zero + value): str(value) for zero in (0x0660, 0x06F0) for value in range(10)})
_NATIONAL_ID = re.compile(r"[23][0-9]{13}")
# With its 0, 20 or 0020: a bare ten digits is too like the many ordinary figures logs carry.
_MOBILE = re.compile(r"(?:0020|20|0)1[0125][0-9]{8}")
# Values the service itself makes, which hold no personal data but may hold digit runs.
_OWN_KEYS = frozenset({"correlation_id", "timestamp", "xray_trace_id", "function_request_id", "function_arn"})
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _DIGIT_RUN.sub(_redact_run, text)


_DIGIT_GROUP = re.compile(f"[{_DIGIT}]+")
_LONGEST_SECRET = 14


def _redact_run(run: re.Match[str]) -> str:
    """Blanks each stretch of whole digit groups in the run that reads as a national ID or a
    mobile, so that a number beside it ("found 2 2900…") cannot hide one."""
    text = run[0]
    groups = [(group.start(), group.end(), group[0].translate(_TO_ASCII)) for group in _DIGIT_GROUP.finditer(text)]
    pieces, written_up_to, first = [], 0, 0
    while first < len(groups):
        digits, last = "", first
        for last in range(first, len(groups)):
            digits += groups[last][2]
            if len(digits) > _LONGEST_SECRET or _NATIONAL_ID.fullmatch(digits) or _MOBILE.fullmatch(digits):
                break
        if _NATIONAL_ID.fullmatch(digits) or _MOBILE.fullmatch(digits):
            start = 0 if first == 0 else groups[first][0]
            pieces += [text[written_up_to:start], REDACTED]
            written_up_to, first = groups[last][1], last + 1
        else:
            first += 1
    return "".join([*pieces, text[written_up_to:]])


def _redacted(value: Any) -> Any:
    """Redacts every value of a log record before it becomes JSON, whose escapes could split a number."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if redact(str(value)) == str(value) else REDACTED
    if isinstance(value, dict):
        return {key: item if key in _OWN_KEYS else _redacted(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(item) for item in value]
    if value is None or isinstance(value, (bool, float)):
        return value
    # Anything else (an exception in a stack trace, say) would be written as its str().
    return redact(str(value))


class RedactingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: LogRecord) -> str:
        return super().serialize(_redacted(log))


logger = Logger(service="shobbak", logger_formatter=RedactingFormatter())
