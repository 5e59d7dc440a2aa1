"""Errors the domain raises, each carrying the Arabic and English words a citizen will read.

They are dataclasses but never frozen: Python assigns `__traceback__` to an exception that
leaves a `with` block of a generator-based context manager, which a frozen one refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FieldProblem(Exception):
    """One field's value is unacceptable; the caller knows which field it was."""

    message_ar: str
    message_en: str


@dataclass
class InvalidInput(Exception):
    """A request that cannot be accepted as sent; nothing has been written.

    `fields` maps a dotted field name (``applicant.national_id``) to its Arabic message, and
    `fields_en` to its English one, where known (interfaces such as Open311 show both).
    """

    code: str
    message_ar: str
    message_en: str
    fields: dict[str, str] = field(default_factory=dict)
    fields_en: dict[str, str] = field(default_factory=dict)


def invalid_fields(problems: dict[str, FieldProblem]) -> InvalidInput:
    """The one error for a form with field problems, listing each field's Arabic message."""
    return InvalidInput(
        code="invalid_fields",
        message_ar="بعض البيانات غير صحيحة، راجع الحقول المشار إليها.",
        message_en="Some fields are invalid; see the fields listed.",
        fields={name: problem.message_ar for name, problem in problems.items()},
        fields_en={name: problem.message_en for name, problem in problems.items()},
    )


@dataclass
class NotFound(Exception):
    """Nothing the caller may see answers to what was asked.

    One message for "no such request" and "not yours", so that an answer tells no one
    whether a tracking number exists (or, to district staff, in which district).
    """

    message_ar: str = "لم نجد طلبًا بهذه البيانات. تأكد من رقم المتابعة وآخر أربعة أرقام من الرقم القومي."
    message_en: str = (
        "No request matches these details. Check the tracking number and the national ID's last four digits."
    )


def no_such_request() -> NotFound:
    """NotFound as district staff read it."""
    return NotFound("لا يوجد طلب بهذا الرقم.", "There is no request with this tracking number.")


class Forbidden(Exception):
    """The caller is who they say, but their role may not do this."""

    message_ar = "ليست لديك صلاحية لهذا الإجراء."
    message_en = "Your role is not allowed to do this."


class RevealFirst(Forbidden):
    """A copy of an identity document opens only for whoever has revealed the applicant."""

    message_ar = "هذا المستند يكشف هوية مقدم الطلب: لا يُفتح إلا بعد كشف الهوية المسجَّل بسبب."
    message_en = "This document reveals the applicant's identity: it opens only after a recorded identity reveal."


class CorrectAfterReveal(Forbidden):
    """Who asked is corrected only by a manager who has revealed them a short while ago."""

    message_ar = "لا تُصحَّح بيانات مقدم الطلب إلا بعد كشف هويته المسجَّل بسبب، وخلال ساعة منه."
    message_en = "The applicant's details are corrected only within an hour of a recorded identity reveal."


@dataclass
class Conflict(Exception):
    """The request is not in the state the caller thought; `current` is how it stands now: a plain
    mapping, or the service's value of the request, which the API shapes (api/http/errors.py)."""

    code: str
    message_ar: str
    message_en: str
    current: object = field(default_factory=dict)


@dataclass
class Unavailable(Exception):
    """A service we depend on (a payment gateway, Parameter Store) cannot be reached now; nothing was written."""

    code: str
    message_ar: str
    message_en: str


@dataclass
class Busy(Exception):
    """The data store stayed busy through every retry; nothing was written, and trying again
    shortly will work. `contended`: other writes of the same request kept winning (a conflict),
    rather than the store being slow or throttled."""

    contended: bool
    message_ar: str = "النظام مشغول الآن ولم يُحفظ شيء. حاول مرة أخرى بعد لحظات."
    message_en: str = "The system is busy right now and nothing was saved. Please try again in a moment."


@dataclass
class TooManyRequests(Exception):
    """A limit is reached (429): nothing was checked or written; try again at `retry_after`."""

    code: str
    message_ar: str
    message_en: str
    retry_after: datetime
