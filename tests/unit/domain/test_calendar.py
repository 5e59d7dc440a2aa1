from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.calendar import (
    CAIRO,
    Deadline,
    add_working_days,
    cairo_today,
    from_iso_utc,
    holidays_known_until,
    is_working_day,
    iso_utc,
    working_day_deadline,
)

ARMED_FORCES_DAY = date(2026, 10, 6)  # a Tuesday
HOLIDAYS = frozenset({ARMED_FORCES_DAY})
NO_HOLIDAYS: frozenset[date] = frozenset()

THURSDAY = date(2026, 11, 26)
FRIDAY = date(2026, 11, 27)
SATURDAY = date(2026, 11, 28)
SUNDAY = date(2026, 11, 29)

starts = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30))
any_days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
holiday_sets = st.frozensets(any_days, max_size=60)
day_counts = st.integers(min_value=0, max_value=60)


def working_days_between(start: date, end: date, holidays: frozenset[date]) -> int:
    """Working days in (start, end], counted one by one as a reference."""
    days_after = (start + timedelta(days=offset) for offset in range(1, (end - start).days + 1))
    return sum(is_working_day(day, holidays) for day in days_after)


class TestCairoToday:
    def test_late_evening_utc_is_already_tomorrow_in_cairo_in_winter(self) -> None:
        # Cairo is UTC+2 in November.
        assert cairo_today(datetime(2026, 11, 26, 22, 30, tzinfo=UTC)) == FRIDAY
        assert cairo_today(datetime(2026, 11, 26, 21, 59, tzinfo=UTC)) == THURSDAY

    def test_summer_time_is_utc_plus_three(self) -> None:
        assert cairo_today(datetime(2026, 7, 1, 21, 30, tzinfo=UTC)) == date(2026, 7, 2)
        assert cairo_today(datetime(2026, 7, 1, 20, 59, tzinfo=UTC)) == date(2026, 7, 1)

    def test_a_cairo_datetime_keeps_its_date(self) -> None:
        assert cairo_today(datetime(2026, 11, 27, 0, 5, tzinfo=CAIRO)) == FRIDAY

    def test_naive_datetime_is_refused(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            cairo_today(datetime(2026, 11, 27, 12, 0))

    @given(st.datetimes(timezones=st.just(UTC)))
    def test_cairo_is_never_behind_utc(self, now: datetime) -> None:
        assert cairo_today(now) - now.date() in (timedelta(0), timedelta(days=1))


class TestIsWorkingDay:
    def test_friday_and_saturday_are_off(self) -> None:
        assert not is_working_day(FRIDAY, NO_HOLIDAYS)
        assert not is_working_day(SATURDAY, NO_HOLIDAYS)

    def test_sunday_to_thursday_are_working_days(self) -> None:
        assert all(is_working_day(SUNDAY + timedelta(days=offset), NO_HOLIDAYS) for offset in range(5))

    def test_a_holiday_is_off(self) -> None:
        assert not is_working_day(ARMED_FORCES_DAY, HOLIDAYS)
        assert is_working_day(ARMED_FORCES_DAY, NO_HOLIDAYS)

    def test_a_datetime_is_refused_because_it_never_matches_a_holiday(self) -> None:
        with pytest.raises(TypeError):
            is_working_day(datetime(2026, 10, 6), HOLIDAYS)


class TestAddWorkingDays:
    @pytest.mark.parametrize(
        ("start", "days", "due"),
        [
            pytest.param(THURSDAY, 1, SUNDAY, id="thursday-skips-the-weekend"),
            pytest.param(FRIDAY, 1, SUNDAY, id="friday-submission-does-not-count"),
            pytest.param(SATURDAY, 1, SUNDAY, id="saturday-submission-does-not-count"),
            pytest.param(SUNDAY, 1, date(2026, 11, 30), id="sunday-to-monday"),
            pytest.param(SUNDAY, 4, date(2026, 12, 3), id="sunday-to-thursday"),
            pytest.param(SUNDAY, 5, date(2026, 12, 6), id="five-days-from-sunday-is-the-next-sunday"),
            pytest.param(THURSDAY, 6, date(2026, 12, 6), id="six-days-cross-two-weekends"),
            pytest.param(date(2026, 10, 5), 1, date(2026, 10, 7), id="monday-skips-the-holiday"),
            pytest.param(date(2026, 10, 1), 3, date(2026, 10, 7), id="weekend-and-holiday"),
            pytest.param(ARMED_FORCES_DAY, 1, date(2026, 10, 7), id="submitted-on-the-holiday"),
        ],
    )
    def test_examples(self, start: date, days: int, due: date) -> None:
        assert add_working_days(start, days, HOLIDAYS) == due

    @pytest.mark.parametrize("start", [THURSDAY, FRIDAY, ARMED_FORCES_DAY])
    def test_zero_days_is_the_start_even_on_a_day_off(self, start: date) -> None:
        assert add_working_days(start, 0, HOLIDAYS) == start

    def test_eid_al_adha_and_the_weekend_run_together(self) -> None:
        eid = frozenset({date(2026, 5, 26), date(2026, 5, 27), date(2026, 5, 28), date(2026, 5, 29)})
        assert add_working_days(date(2026, 5, 25), 1, eid) == date(2026, 5, 31)

    def test_negative_days_are_refused(self) -> None:
        with pytest.raises(ValueError, match="zero or more"):
            add_working_days(SUNDAY, -1, NO_HOLIDAYS)

    def test_a_datetime_start_is_refused(self) -> None:
        with pytest.raises(TypeError):
            add_working_days(datetime(2026, 10, 5, 9, 0), 1, HOLIDAYS)

    @given(starts, st.integers(min_value=1, max_value=60), holiday_sets)
    def test_the_due_date_is_a_working_day(self, start: date, days: int, holidays: frozenset[date]) -> None:
        assert is_working_day(add_working_days(start, days, holidays), holidays)

    @given(starts, day_counts, holiday_sets)
    def test_exactly_that_many_working_days_follow_the_start(
        self, start: date, days: int, holidays: frozenset[date]
    ) -> None:
        due = add_working_days(start, days, holidays)
        assert due >= start
        assert working_days_between(start, due, holidays) == days

    @given(starts, day_counts, holiday_sets)
    def test_one_more_day_is_always_later(self, start: date, days: int, holidays: frozenset[date]) -> None:
        assert add_working_days(start, days, holidays) < add_working_days(start, days + 1, holidays)

    @given(starts, day_counts, holiday_sets, any_days)
    def test_an_extra_holiday_never_brings_the_due_date_forward(
        self, start: date, days: int, holidays: frozenset[date], extra: date
    ) -> None:
        assert add_working_days(start, days, holidays) <= add_working_days(start, days, holidays | {extra})


class TestDeadlinesPastTheKnownCalendar:
    """Holidays are listed only so far ahead: past the last one, a deadline counts unknown
    holidays as working days, and says so."""

    def test_a_deadline_within_the_known_holidays_is_firm(self) -> None:
        deadline = working_day_deadline(date(2027, 9, 1), 10, HOLIDAYS | {date(2027, 10, 6)})

        assert deadline == Deadline(date(2027, 9, 15), provisional=False)

    def test_a_deadline_past_the_last_known_holiday_is_provisional(self) -> None:
        deadline = working_day_deadline(date(2027, 9, 26), 22, HOLIDAYS | {date(2027, 10, 6)})

        assert deadline.provisional
        assert deadline.day > date(2027, 10, 6)

    def test_the_last_known_holiday_itself_is_still_known(self) -> None:
        known = frozenset({date(2027, 10, 6)})

        assert holidays_known_until(known) == date(2027, 10, 6)
        assert not working_day_deadline(date(2027, 10, 5), 0, known).provisional

    def test_no_holidays_at_all_makes_every_deadline_provisional(self) -> None:
        assert working_day_deadline(SUNDAY, 1, NO_HOLIDAYS).provisional


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2999, 1, 1), timezones=st.just(UTC)))
def test_a_moment_written_by_iso_utc_reads_back_to_the_second_and_writes_again_the_same(moment: datetime) -> None:
    written = iso_utc(moment)

    assert from_iso_utc(written) == moment.replace(microsecond=0)
    assert iso_utc(from_iso_utc(written)) == written
