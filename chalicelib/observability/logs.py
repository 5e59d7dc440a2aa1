"""Structured JSON logs that cannot carry a national ID or a phone number.

One JSON object a line on stdout, with the fields Powertools' Logger wrote before (CloudWatch Logs
Insights queries and the runbook read them): `level`, `location`, `message`, `timestamp`,
`service`, `correlation_id`, then the line's own fields, `exception`, `exception_name` and
`stack_trace` for an exception, and `xray_trace_id` in a traced Lambda. It is the standard
library's logging with a formatter of our own: importing Powertools' Logger cost every cold
start about 5% (bench/, issue 12) for what these few lines do.

Nothing should log personal data in the first place; the formatter is the second line:
it blanks any run of digits that reads as an Egyptian national ID or mobile number, in any
digits and with whatever spaces, dashes or marks people put between them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import traceback
from typing import Any

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
# What people put between digits: spaces, any dash, brackets and invisible direction marks.
_SEPARATOR = "\\s\\-.\u2010-\u2015\u2212()\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
# A whole run of digits and separators (possessive, so it is never cut short to fit), even
# glued to letters: Arabic text often runs straight into a number.
_DIGIT_RUN = re.compile(rf"(?<![{_DIGIT}])\+?[{_DIGIT}](?:[{_SEPARATOR}]*+[{_DIGIT}])*+")
_TO_ASCII = str.maketrans({chr(zero + value): str(value) for zero in (0x0660, 0x06F0) for value in range(10)})
_NATIONAL_ID = re.compile(r"[23][0-9]{13}")
# With its 0, 20 or 0020: a bare ten digits is too like the many ordinary figures logs carry.
_MOBILE = re.compile(r"(?:0020|20|0)1[0125][0-9]{8}")
# Values the service itself makes, which hold no personal data but may hold digit runs.
_OWN_KEYS = frozenset({"correlation_id", "timestamp", "xray_trace_id", "function_request_id", "function_arn"})
REDACTED = "[redacted]"
# The fewest digits either can be written with (a mobile: 0, then ten), wherever they stand in a
# text. Most values a line carries (a method, a route, a status) have far fewer, and are passed
# over at the cost of one match: every request writes a line.
_FEWEST_DIGITS = 11
_HAS_FEWEST_DIGITS = re.compile(rf"(?:[^{_DIGIT}]*+[{_DIGIT}]){{{_FEWEST_DIGITS}}}")
_INT_FEWER_DIGITS = 10 ** (_FEWEST_DIGITS - 1)


def redact(text: str) -> str:
    if not _HAS_FEWEST_DIGITS.match(text):
        return text
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
        if -_INT_FEWER_DIGITS < value < _INT_FEWER_DIGITS:
            return value
        return value if redact(str(value)) == str(value) else REDACTED
    if isinstance(value, dict):
        return {key: item if key in _OWN_KEYS else _redacted(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(item) for item in value]
    if value is None or isinstance(value, (bool, float)):
        return value
    # Anything else (an exception in a stack trace, say) would be written as its str().
    return redact(str(value))


# What a LogRecord carries of its own; anything else on it came as `extra` and is logged as a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}
# Levels of Lambda's Advanced Logging Controls, as the logging module names them.
_LAMBDA_LEVELS = {
    "TRACE": "DEBUG", "DEBUG": "DEBUG", "INFO": "INFO", "WARN": "WARNING", "ERROR": "ERROR", "FATAL": "CRITICAL",
}  # fmt: skip


class RedactingFormatter(logging.Formatter):
    """One redacted JSON object per record, with the service's name and the current correlation id."""

    def __init__(self, service: str = "shobbak") -> None:
        super().__init__()
        self.service = service
        self.correlation_id: str | None = None

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "level": record.levelname,
            "location": f"{record.funcName}:{record.lineno}",
            "message": record.getMessage(),
            "timestamp": _timestamp(record),
            "service": self.service,
            "correlation_id": self.correlation_id,
        }
        line.update((key, value) for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES)
        if record.exc_info and record.exc_info[0] is not None:
            kind, error, trace = record.exc_info
            line["exception"] = self.formatException(record.exc_info)
            line["exception_name"] = kind.__name__
            line["stack_trace"] = {
                "type": kind.__name__,
                "value": error,
                "module": type(error).__module__,
                "frames": [
                    {"file": frame.filename, "line": frame.lineno, "function": frame.name, "statement": frame.line}
                    for frame in traceback.extract_tb(trace)
                ],
            }
        line["xray_trace_id"] = _xray_trace_id()
        present = {key: value for key, value in line.items() if value is not None}
        return json.dumps(_redacted(present), ensure_ascii=False, separators=(",", ":"), default=str)


def _timestamp(record: logging.LogRecord) -> str:
    """As Powertools wrote it: "2026-11-30 09:20:57,688+0000" (Lambda's clock is UTC)."""
    return time.strftime(f"%Y-%m-%d %H:%M:%S,{int(record.msecs):03d}%z", time.localtime(record.created))


def _xray_trace_id() -> str | None:
    """The trace's root id, which Lambda puts in the environment for each traced invocation."""
    header = os.environ.get("_X_AMZN_TRACE_ID")
    return header.split(";")[0].replace("Root=", "") if header else None


class Logger:
    """A logger of the service's: JSON lines on stdout through a RedactingFormatter, and a
    correlation id set per request (observability/http.py) and cleared before the next."""

    def __init__(self, service: str, level: str | None = None) -> None:
        self.name = service
        self.registered_formatter = RedactingFormatter(service)
        self._logger = logging.getLogger(service)
        self._logger.propagate = False
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(self.registered_formatter)
        self._logger.addHandler(handler)
        self.setLevel(level)

    def setLevel(self, level: str | int | None) -> None:  # as the logging module names it
        """Lambda's Advanced Logging Controls, when set, outrank any level: the runtime drops lines
        below theirs anyway. Else `level`, else POWERTOOLS_LOG_LEVEL (the stages' configuration
        still names it so), else INFO."""
        lambda_level = _LAMBDA_LEVELS.get(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper())
        chosen = lambda_level or level or os.environ.get("POWERTOOLS_LOG_LEVEL") or os.environ.get("LOG_LEVEL")
        self._logger.setLevel(chosen.upper() if isinstance(chosen, str) else chosen or logging.INFO)

    @property
    def log_level(self) -> int:
        return self._logger.level

    def set_correlation_id(self, correlation_id: str | None) -> None:
        self.registered_formatter.correlation_id = correlation_id

    def clear_state(self) -> None:
        self.registered_formatter.correlation_id = None

    # stacklevel=2: the location logged is the caller's, not this class's.
    def debug(self, message: str, *args: object, **options: Any) -> None:
        self._logger.debug(message, *args, stacklevel=2, **options)

    def info(self, message: str, *args: object, **options: Any) -> None:
        self._logger.info(message, *args, stacklevel=2, **options)

    def warning(self, message: str, *args: object, **options: Any) -> None:
        self._logger.warning(message, *args, stacklevel=2, **options)

    def error(self, message: str, *args: object, **options: Any) -> None:
        self._logger.error(message, *args, stacklevel=2, **options)

    def exception(self, message: str, *args: object, **options: Any) -> None:
        self._logger.exception(message, *args, stacklevel=2, **options)


logger = Logger(service="shobbak")
