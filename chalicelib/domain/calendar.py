"""Cairo's calendar: today's date in Giza, working days and service-level due dates."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CAIRO = zoneinfo.ZoneInfo("Africa/Cairo")

# Friday and Saturday are the government's weekly rest days (date.weekday(): Monday is 0).
WEEKEND = frozenset({4, 5})


def cairo_today(now: datetime) -> date:
    """The calendar date in Cairo at the instant `now`, which must carry its timezone.

    A naive datetime is refused rather than guessed at: Lambda's clock is UTC, a developer's is not,
    and near midnight the guess would change which day a request was submitted on.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got the naive datetime {now.isoformat()}")
    return now.astimezone(CAIRO).date()


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    """True when district offices are open on `day`: not a Friday, a Saturday or a public holiday."""
    _require_plain_date(day)
    return day.weekday() not in WEEKEND and day not in holidays


def add_working_days(start: date, days: int, holidays: frozenset[date]) -> date:
    """The due date `days` working days after `start`.

    The submission day itself never counts, whatever day it is, so a request made on a Thursday
    with one working day to go is due on Sunday. Zero days is the start date itself.
    """
    _require_plain_date(start)
    if days < 0:
        raise ValueError(f"days must be zero or more, got {days}")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


@dataclass(frozen=True)
class Deadline:
    """A due date, and whether it was counted past the holidays known today (so that days the
    Cabinet will later declare holidays were counted as working days: the date may move)."""

    day: date
    provisional: bool


def holidays_known_until(holidays: frozenset[date]) -> date | None:
    """The last day the holiday list speaks for: its last holiday. Nothing is known past it."""
    return max(holidays, default=None)


def working_day_deadline(start: date, days: int, holidays: frozenset[date]) -> Deadline:
    """add_working_days, marked provisional when it runs past the last known holiday."""
    day = add_working_days(start, days, holidays)
    known_until = holidays_known_until(holidays)
    return Deadline(day=day, provisional=known_until is None or day > known_until)


def _require_plain_date(day: date) -> None:
    # datetime is a subclass of date, but a datetime never equals a date: a holiday lookup with one
    # would silently find nothing and count the holiday as a working day.
    if isinstance(day, datetime):
        raise TypeError(f"expected a date, got the datetime {day.isoformat()}; use cairo_today() first")


def iso_utc(moment: datetime) -> str:
    """A moment as the API writes it: UTC, to the second, with a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso_utc(written: str) -> datetime:
    """A moment iso_utc wrote, read back (iso_utc writes it again the same)."""
    return datetime.fromisoformat(written.replace("Z", "+00:00"))


ARABIC_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip


def arabic_date(day: date) -> str:
    """A day as citizens read it on a receipt or a page: "27 نوفمبر 2026"."""
    return f"{day.day} {ARABIC_MONTHS[day.month - 1]} {day.year}"


def working_days_left(today: date, due: date, holidays: frozenset[date]) -> int:
    """Working days from `today` to `due`: 0 when due today (or today is the last working day
    before it), negative when overdue (the working days since `due`)."""
    _require_plain_date(today)
    _require_plain_date(due)
    step, sign = (timedelta(days=1), 1) if due >= today else (timedelta(days=-1), -1)
    count, day = 0, today
    while day != due:
        day += step
        if is_working_day(day, holidays):
            count += 1
    return sign * count
