"""Limits on guessing and flooding: the windows they count in, and what a refused caller reads.

Failed attempts at a request's proof (tracking number + the national ID's last four digits)
count per tracking number in clock hours (UTC), on the request's proof (store/requests/proof.py); a
number never issued counts exactly like one that was, so a refusal tells nothing about whether
a number exists. Online submissions and messages count per phone number per Cairo day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from chalicelib.domain.calendar import CAIRO, arabic_date, cairo_today
from chalicelib.domain.errors import TooManyRequests
from chalicelib.domain.inquiry import keyed_digest

ATTEMPT_WINDOW = timedelta(hours=1)
LOOKUP_WINDOW = timedelta(minutes=1)
# A counter outlives its window a little, so that a clock a few seconds apart never restarts one.
KEPT_AFTER_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Window:
    """One counter: its key in the limits table, when it ends, and when its item may go."""

    key: str
    ends_at: datetime

    @property
    def expires_at(self) -> datetime:
        return self.ends_at + KEPT_AFTER_WINDOW


@dataclass(frozen=True)
class AttemptsHour:
    """The clock hour in which failed attempts at a request's proof count (store/requests/proof.py)."""

    label: str  # "YYYY-MM-DDTHH", UTC: labels sort as the hours do
    ends_at: datetime

    @property
    def expires_at(self) -> datetime:
        """When the attempts at a number never issued may be forgotten."""
        return self.ends_at + KEPT_AFTER_WINDOW


def attempts_hour(now: datetime) -> AttemptsHour:
    hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return AttemptsHour(label=f"{hour:%Y-%m-%dT%H}", ends_at=hour + ATTEMPT_WINDOW)


def reveals_window(principal: str, now: datetime) -> Window:
    """A member of staff's identity reveals in this clock hour (staff ids are not secret)."""
    hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return Window(key=f"reveals#{principal}#{hour:%Y-%m-%dT%H}", ends_at=hour + ATTEMPT_WINDOW)


def lookups_window(principal: str, now: datetime) -> Window:
    """A member of staff's lookups by national ID at the counter in this clock minute (UTC)."""
    minute = now.astimezone(UTC).replace(second=0, microsecond=0)
    return Window(key=f"lookups#{principal}#{minute:%Y-%m-%dT%H:%M}", ends_at=minute + LOOKUP_WINDOW)


def phone_day_window(kind: str, phone: str, hmac_key: str, now: datetime) -> Window:
    """`kind` is "submissions" or "messages"; the window is the Cairo day of `now`."""
    day = cairo_today(now)
    next_midnight = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=CAIRO)
    subject = keyed_digest(hmac_key, kind, phone)
    return Window(key=f"{kind}#{subject}#{day.isoformat()}", ends_at=next_midnight)


def too_many_attempts(hour: AttemptsHour) -> TooManyRequests:
    at = hour.ends_at.astimezone(CAIRO)
    return TooManyRequests(
        code="too_many_attempts",
        message_ar=(
            "تكررت المحاولات غير الصحيحة لهذا الرقم، فأوقفنا التحقق منه مؤقتًا حمايةً لبيانات صاحبه. "
            f"حاول مرة أخرى بعد الساعة {at:%H:%M} بتوقيت القاهرة."
        ),
        message_en=(
            "Too many wrong attempts for this tracking number; checking it is paused to protect its owner. "
            f"Try again after {at:%H:%M} Cairo time."
        ),
        retry_after=hour.ends_at,
    )


def too_many_submissions(window: Window, limit: int) -> TooManyRequests:
    tomorrow = window.ends_at.astimezone(CAIRO).date()
    return TooManyRequests(
        code="too_many_submissions",
        message_ar=(
            f"قُدّم اليوم عبر البوابة {limit} طلبات باسم رقم الهاتف هذا، وهو الحد اليومي. "
            f"يمكنك التقديم عبر البوابة مرة أخرى من يوم {arabic_date(tomorrow)}، "
            "أو في أي وقت من شباك مركز الخدمات في الحي أو المركز. لم يُحفظ هذا الطلب ولم تُرسل أي رسالة."
        ),
        message_en=(
            f"{limit} online requests were filed for this phone number today, the daily limit. "
            f"Apply online again from {tomorrow.isoformat()} (Cairo), or at any time at a service centre's window. "
            "This request was not saved and no message was sent."
        ),
        retry_after=window.ends_at,
    )


def too_many_lookups(window: Window, limit: int) -> TooManyRequests:
    at = window.ends_at.astimezone(CAIRO)
    return TooManyRequests(
        code="too_many_lookups",
        message_ar=(
            f"بحثت بالرقم القومي {limit} مرات في هذه الدقيقة، وهو الحد المسموح لكل موظف حمايةً لبيانات المواطنين. "
            f"يمكنك البحث مرة أخرى بعد الساعة {at:%H:%M} بتوقيت القاهرة. لم يُبحث هذه المرة ولم يُسجَّل أي بحث."
        ),
        message_en=(
            f"You looked up {limit} national IDs this minute, the limit per member of staff "
            f"that protects citizens' data. Look up again after {at:%H:%M} Cairo time. Nothing was looked up this time."
        ),
        retry_after=window.ends_at,
    )
