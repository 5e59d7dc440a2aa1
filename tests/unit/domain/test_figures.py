"""District figures in plain Python: what a change adds, medians, months and suppression."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chalicelib.domain.calendar import add_working_days
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.figures import (
    DayFigures,
    LiveFigures,
    RequestFacts,
    changes_between,
    days_overdue,
    district_summary,
    monthly_rows,
    months_back,
    months_between,
    open_data_csv,
    read_figures_query,
    working_days_taken,
)
from chalicelib.domain.statuses import Status

NO_HOLIDAYS: frozenset[date] = frozenset()


def facts(status: Status, changed: datetime, district: str = "dokki", due: date = date(2026, 11, 10)) -> RequestFacts:
    return RequestFacts(
        tracking_number="1234567890128",
        district_code=district,
        department="shops",
        service_code="shop_licence",
        status=status,
        submitted_at=datetime(2026, 11, 1, 21, 30, tzinfo=UTC),  # 23:30 in Cairo: still 1 November
        sla_due_date=due,
        changed_at=changed,
    )


def test_a_submission_is_received_on_its_cairo_day_and_opens() -> None:
    new = facts(Status.SUBMITTED, datetime(2026, 11, 1, 21, 30, tzinfo=UTC))
    changes = changes_between(None, new, NO_HOLIDAYS)
    assert [(c.key.day, c.received) for c in changes.days] == [(date(2026, 11, 1), 1)]
    assert [(c.key.service_code, c.open, c.overdue_due_date) for c in changes.live] == [("shop_licence", 1, None)]


def test_a_move_between_open_statuses_changes_nothing() -> None:
    at = datetime(2026, 11, 3, 9, tzinfo=UTC)
    changes = changes_between(facts(Status.SUBMITTED, at), facts(Status.IN_REVIEW, at), NO_HOLIDAYS)
    assert (changes.days, changes.live) == ([], [])


def test_closing_late_completes_the_request_off_time_and_leaves_the_overdue() -> None:
    at = datetime(2026, 11, 12, 9, tzinfo=UTC)  # Thursday 12 November, after the due date
    changes = changes_between(facts(Status.READY, at), facts(Status.CLOSED, at), NO_HOLIDAYS)
    [day] = changes.days
    assert (day.key.day, day.completed, day.completed_on_time) == (date(2026, 11, 12), 1, 0)
    assert day.working_days == [working_days_taken(date(2026, 11, 1), date(2026, 11, 12), NO_HOLIDAYS)]
    [live] = changes.live
    assert (live.open, live.overdue_due_date) == (-1, date(2026, 11, 10))


def test_closing_on_the_due_day_is_on_time_and_cancelling_completes_nothing() -> None:
    due_day = datetime(2026, 11, 10, 12, tzinfo=UTC)
    closed = changes_between(facts(Status.READY, due_day), facts(Status.CLOSED, due_day), NO_HOLIDAYS)
    cancelled = changes_between(facts(Status.SUBMITTED, due_day), facts(Status.CANCELLED, due_day), NO_HOLIDAYS)
    assert closed.days[0].completed_on_time == 1
    assert cancelled.days == []
    assert [live.open for live in cancelled.live] == [-1]


def test_a_request_moved_to_another_district_takes_its_figures_along() -> None:
    at = datetime(2026, 11, 3, 9, tzinfo=UTC)
    changes = changes_between(facts(Status.IN_REVIEW, at), facts(Status.IN_REVIEW, at, "warraq"), NO_HOLIDAYS)
    assert sorted((c.key.district_code, c.received) for c in changes.days) == [("dokki", -1), ("warraq", 1)]
    assert sorted((c.key.district_code, c.open) for c in changes.live) == [("dokki", -1), ("warraq", 1)]


@pytest.mark.parametrize("days", [0, 1, 5, 22, 60])
def test_working_days_taken_undoes_the_due_date(days: int) -> None:
    holidays = frozenset({date(2026, 10, 6), date(2026, 11, 4)})
    start = date(2026, 9, 30)
    assert working_days_taken(start, add_working_days(start, days, holidays), holidays) == days


def day_figures(day: date, service: str, received: int, on_time: int, late: int, taken: tuple[int, ...]) -> DayFigures:
    return DayFigures("dokki", "shops", service, day, received, on_time + late, on_time, taken)


def test_a_district_summary_adds_days_and_takes_the_median_of_every_request() -> None:
    days = [
        day_figures(date(2026, 11, 2), "shop_licence", 3, 1, 1, (2, 9)),
        day_figures(date(2026, 11, 3), "shop_licence", 1, 1, 0, (4,)),
    ]
    live = [LiveFigures("dokki", "shops", "shop_licence", open=4, overdue=2, overdue_as_of=date(2026, 11, 30))]
    summary = district_summary("dokki", days, live)
    figures = summary.figures
    assert figures.received == 4
    assert (figures.completed, figures.completed_on_time, figures.on_time_rate) == (3, 2, 0.6667)
    assert figures.median_working_days == 4.0
    assert (figures.open, figures.overdue, summary.overdue_as_of) == (4, 2, date(2026, 11, 30))
    assert summary.by_service[0].code == "shop_licence"
    assert (summary.by_service[0].department, summary.by_department[0].code) == ("shops", "shops")


def test_nothing_completed_has_no_rate_and_no_median() -> None:
    summary = district_summary("dokki", [day_figures(date(2026, 11, 2), "shop_licence", 7, 0, 0, ())], [])
    assert (summary.figures.on_time_rate, summary.figures.median_working_days) == (None, None)


def test_small_counts_are_suppressed_with_the_one_that_would_give_them_away() -> None:
    days = [
        day_figures(date(2026, 11, 2), "shop_licence", 12, 6, 2, (1,) * 8),
        day_figures(date(2026, 11, 2), "road_occupancy_new", 7, 5, 0, (2,) * 5),
        day_figures(date(2026, 11, 2), "demolition_licence", 3, 0, 0, ()),
    ]
    rows = {row["service"]: row for row in monthly_rows("dokki", days, ["2026-11"])}
    assert rows["all"]["received"] == 22
    assert rows["demolition_licence"]["received"] is None  # 3 < 5
    assert rows["road_occupancy_new"]["received"] is None  # 22 - 12 - 7 would give the 3 away
    assert rows["shop_licence"]["received"] == 12
    assert rows["demolition_licence"]["on_time_rate"] is None
    published = [value for row in rows.values() for key, value in row.items() if key in ("received", "completed")]
    assert all(value is None or value >= 5 for value in published)


def test_the_csv_leaves_suppressed_cells_empty() -> None:
    rows = monthly_rows("dokki", [day_figures(date(2026, 11, 2), "shop_licence", 3, 0, 0, ())], ["2026-11"])
    text = open_data_csv({"rows": rows})
    assert text.splitlines()[0].startswith("month,district,service,received")
    assert text.splitlines()[1] == "2026-11,dokki,all,,,,,"


def test_months() -> None:
    assert months_back(date(2026, 2, 1), 3) == date(2025, 11, 1)
    assert months_between(date(2025, 11, 1), date(2026, 2, 14)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert days_overdue(date(2026, 11, 10), date(2026, 11, 30)) == 20


def test_the_query_defaults_to_this_month_and_refuses_nonsense() -> None:
    today = date(2026, 11, 30)
    assert read_figures_query({}, today).first == date(2026, 11, 1)
    with pytest.raises(InvalidInput) as refused:
        read_figures_query({"from": "2026-11-30", "to": "2026-11-01"}, today)
    assert set(refused.value.fields) == {"from"}
