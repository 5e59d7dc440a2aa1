"""Working days left before a due date, as the console's queues show them."""

from __future__ import annotations

from datetime import date

from chalicelib.domain.calendar import working_days_left

THURSDAY, SUNDAY, MONDAY = date(2026, 3, 5), date(2026, 3, 8), date(2026, 3, 9)


def test_the_weekend_does_not_count() -> None:
    assert working_days_left(THURSDAY, SUNDAY, frozenset()) == 1
    assert working_days_left(THURSDAY, MONDAY, frozenset()) == 2


def test_due_today_is_zero_and_past_due_is_negative() -> None:
    assert working_days_left(SUNDAY, SUNDAY, frozenset()) == 0
    assert working_days_left(MONDAY, THURSDAY, frozenset()) == -2


def test_a_holiday_does_not_count() -> None:
    assert working_days_left(THURSDAY, MONDAY, frozenset({SUNDAY})) == 1
