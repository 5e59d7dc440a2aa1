"""The district figures' table: what each district received and completed, day by day, and
what it has open now, kept as requests change (services/figures.py).

Access patterns (no scan anywhere):

figures table (`scope`, `figure`): one partition per district, `scope = "district#<code>"`:
  - `figure = "day#<YYYY-MM-DD>#<service>"`: DayFigureRecord, what a service received and
    completed on one Cairo day;
  - `figure = "live#<service>"`: LiveFigureRecord, a service's open requests now, and the
    overdue ones as the last daily recount found them (less those closed since).
  * a district's figures from one day on: one Query, `figure >= "day#<from>"` (the live items
    sort after every day), the days after the last one asked for filtered out.
  * the stream handler: one conditional UpdateItem per item a change touches. Each item keeps
    the stream records it has applied (`seen`, tagged with the Cairo day of the change) and
    refuses one it has seen, so a batch delivered twice, or a run that died half-way, adds
    every record exactly once to every figure.
  * the daily recount: a district's live items (one Query, `figure` beginning "live#"), then
    one UpdateItem per service to set what it found, and one per item to forget the stream
    records too old to come again. The overdue requests it counts are read from the requests
    table's `queue` index (requests/request.py).
The table holds nothing that is not derived from the requests table: it can be rebuilt from it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from pynamodb.attributes import (
    DiscriminatorAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.domain.figures import DayChange, DayFigures, LiveChange, LiveFigures
from chalicelib.store.base import StoredModel, TableMeta

# Lambda retries a stream batch for at most a day (MaximumRecordAgeInSeconds in
# infra/wiring.yaml): what a live item has seen is kept two days, then pruned by the recount.
SEEN_KEPT_DAYS = 2


class FigureItem(StoredModel):
    """Anything in a district's partition of the figures table."""

    class Meta(TableMeta):
        table = "figures"

    scope = UnicodeAttribute(hash_key=True)
    figure = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
    district_code = UnicodeAttribute()
    department = UnicodeAttribute()
    service_code = UnicodeAttribute()
    # Stream records already applied, as "<YYYYMMDD recorded>#<event id>" (seen_tag).
    seen = UnicodeSetAttribute(null=True)

    @staticmethod
    def scope_of(district_code: str) -> str:
        return f"district#{district_code}"


class DayFigureRecord(FigureItem, discriminator="day"):
    day = UnicodeAttribute()
    received = NumberAttribute(default=0)
    completed = NumberAttribute(default=0)
    completed_on_time = NumberAttribute(default=0)
    # The working days each request completed that day took (the median needs them all).
    working_days = ListAttribute[int](of=NumberAttribute, default=list)

    @staticmethod
    def figure_of(day: date, service_code: str) -> str:
        return f"day#{day.isoformat()}#{service_code}"


class LiveFigureRecord(FigureItem, discriminator="live"):
    open = NumberAttribute(default=0)
    overdue = NumberAttribute(default=0)
    overdue_as_of = UnicodeAttribute(null=True)  # the Cairo day the recount counted for
    overdue_counted_at = UnicodeAttribute(null=True)  # when it read the index (UTC, ISO)

    @staticmethod
    def figure_of(service_code: str) -> str:
        return f"live#{service_code}"


def seen_tag(event_id: str, recorded_at: datetime) -> str:
    """A stream record's mark on the items it changed: its id, under the day the stream
    recorded it (a simulated clock's changes are recorded today, whatever day they name)."""
    return f"{recorded_at.astimezone(UTC):%Y%m%d}#{event_id}"


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _kind(model: type[FigureItem]) -> Action:
    """Sets what the item is, for an update that may be the one creating it."""
    return FigureItem.kind.set(model)  # type: ignore[arg-type]


def _update_once(item: FigureItem, actions: list[Action], tag: str, condition: Condition | None = None) -> bool:
    """Applies `actions` unless the item has seen `tag` (or `condition` fails): True if applied."""
    unseen = ~FigureItem.seen.contains(tag)
    try:
        item.update(
            actions=[*actions, FigureItem.seen.add({tag})],
            condition=unseen if condition is None else unseen & condition,
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _identity(change_key: Any, department: str) -> list[Action]:
    return [
        FigureItem.district_code.set(change_key.district_code),
        FigureItem.department.set(department),
        FigureItem.service_code.set(change_key.service_code),
    ]


def apply_day_change(change: DayChange, tag: str) -> bool:
    key = change.key
    item = DayFigureRecord(FigureItem.scope_of(key.district_code), DayFigureRecord.figure_of(key.day, key.service_code))
    actions = [
        _kind(DayFigureRecord),
        *_identity(key, change.department),
        DayFigureRecord.day.set(key.day.isoformat()),
        DayFigureRecord.received.add(change.received),
        DayFigureRecord.completed.add(change.completed),
        DayFigureRecord.completed_on_time.add(change.completed_on_time),
    ]
    if change.working_days:
        actions.append(
            DayFigureRecord.working_days.set((DayFigureRecord.working_days | []).append(change.working_days))
        )
    return _update_once(item, actions, tag)


def apply_live_change(change: LiveChange, tag: str, changed_at: datetime) -> bool:
    """Adds to the open requests; and to the overdue ones when the request was counted as
    overdue by a recount made before this change, on a day after its due date."""
    key = change.key
    item = LiveFigureRecord(FigureItem.scope_of(key.district_code), LiveFigureRecord.figure_of(key.service_code))
    actions = [_kind(LiveFigureRecord), *_identity(key, change.department), LiveFigureRecord.open.add(change.open)]
    if change.overdue_due_date is not None:
        counted_before = (LiveFigureRecord.overdue_as_of > change.overdue_due_date.isoformat()) & (
            LiveFigureRecord.overdue_counted_at < _moment(changed_at)
        )
        if _update_once(item, [*actions, LiveFigureRecord.overdue.add(change.open)], tag, counted_before):
            return True
    return _update_once(item, actions, tag)


def district_figures(district_code: str, first: date, last: date) -> tuple[list[DayFigures], list[LiveFigures]]:
    """A district's kept figures for the days `first` to `last`, and what is open now: one Query."""
    days: list[DayFigures] = []
    live: list[LiveFigures] = []
    results = FigureItem.query(
        FigureItem.scope_of(district_code),
        range_key_condition=FigureItem.figure >= DayFigureRecord.figure_of(first, ""),
        filter_condition=DayFigureRecord.day.does_not_exist() | (DayFigureRecord.day <= last.isoformat()),
    )
    for item in results:
        if isinstance(item, DayFigureRecord):
            days.append(_day_figures(item))
        elif isinstance(item, LiveFigureRecord):
            live.append(_live_figures(item))
    return days, live


def _day_figures(item: DayFigureRecord) -> DayFigures:
    return DayFigures(
        district_code=item.district_code,
        department=item.department,
        service_code=item.service_code,
        day=date.fromisoformat(item.day),
        received=int(item.received),
        completed=int(item.completed),
        completed_on_time=int(item.completed_on_time),
        working_days=tuple(int(days) for days in item.working_days),
    )


def _live_figures(item: LiveFigureRecord) -> LiveFigures:
    return LiveFigures(
        district_code=item.district_code,
        department=item.department,
        service_code=item.service_code,
        open=int(item.open),
        overdue=int(item.overdue),
        overdue_as_of=date.fromisoformat(item.overdue_as_of) if item.overdue_as_of else None,
    )


def live_items(district_code: str) -> list[LiveFigureRecord]:
    results = FigureItem.query(
        FigureItem.scope_of(district_code), range_key_condition=FigureItem.figure.startswith("live#")
    )
    return [item for item in results if isinstance(item, LiveFigureRecord)]


def record_overdue_count(
    district_code: str, service_code: str, department: str, overdue: int, as_of: date, counted_at: datetime
) -> None:
    """Sets what a recount found, and forgets the stream records too old to come again."""
    item = LiveFigureRecord(FigureItem.scope_of(district_code), LiveFigureRecord.figure_of(service_code))
    actions = [
        _kind(LiveFigureRecord),
        FigureItem.district_code.set(district_code),
        FigureItem.department.set(department),
        FigureItem.service_code.set(service_code),
        LiveFigureRecord.open.set(LiveFigureRecord.open | 0),
        LiveFigureRecord.overdue.set(overdue),
        LiveFigureRecord.overdue_as_of.set(as_of.isoformat()),
        LiveFigureRecord.overdue_counted_at.set(_moment(counted_at)),
    ]
    item.update(actions=actions)


def forget_old_records(item: LiveFigureRecord, now: datetime) -> None:
    oldest_kept = f"{(now - timedelta(days=SEEN_KEPT_DAYS)).astimezone(UTC):%Y%m%d}"
    stale = {tag for tag in (item.seen or set()) if tag[:8] < oldest_kept}
    if stale:
        item.update(actions=[FigureItem.seen.delete(stale)])
