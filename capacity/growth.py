"""What grows with the work: each route's DynamoDB calls, items and units as a district's
history grows from 10^3 to 10^6 requests.

Measured with the real services against the recorder (recorder.py) for histories it holds
in memory (10^3 and 10^4 requests in one district, filed as the office leaves them: most
closed, a working backlog open); computed for 10^5 and 10^6 from the same access patterns
(every route is a key lookup or a query bounded by a page; nothing is read in proportion to
the history). Latency is computed: DynamoDB answers key lookups and bounded queries in
single-digit milliseconds whatever the table's size (assumptions.DYNAMODB_CALL_MS per call);
moto's own latency grows with its table (DOMAIN.md) and would measure moto, not the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from capacity import assumptions as a
from capacity.footprints import Workbench, simulation_environment
from capacity.recorder import RecordingDynamoDB, Usage
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services.inquiry import inquire
from chalicelib.services.office_queue import view_queue
from chalicelib.services.office_view import view_request
from chalicelib.services.reconciliation import reconcile_day
from chalicelib.store.requests.request import RequestRecord

MEASURED_HISTORIES = (1_000, 10_000)
COMPUTED_HISTORIES = (100_000, 1_000_000)
OPEN_SHARE = 0.05  # of a district's history still in the office's hands (a guess)
PAYMENTS_A_DAY = 40  # a district's notices on a busy day (the reconciliation's read grows with these)


@dataclass(frozen=True)
class RouteAtSize:
    route: str
    history: int
    dynamodb_calls: int
    items_read: int
    read_units: float
    write_units: float
    latency_ms: float
    measured: bool


def _usage_of(recorder: RecordingDynamoDB, call: Callable[[], object]) -> tuple[Usage, int, object]:
    recorder.current = Usage()
    calls_before = sum(count for name, count in recorder.calls.items() if name.startswith("dynamodb:"))
    answer = call()
    usage = recorder.current
    calls = sum(count for name, count in recorder.calls.items() if name.startswith("dynamodb:")) - calls_before
    recorder.current = Usage()
    return usage, calls, answer


def measure(history: int, district: str = "imbaba", payments_a_day: int | None = None) -> list[RouteAtSize]:
    """The routes against one district holding `history` requests, through the real services."""
    with simulation_environment():
        recorder = RecordingDynamoDB()
        start = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
        bench = Workbench(recorder, start)
        with recorder.installed():
            for _ in range(payments_a_day or PAYMENTS_A_DAY):
                bench.file_and_work(district, "shop_licence", "approved")
            template = next(
                item for (_, sort_key), item in recorder.items["requests"].items() if sort_key == RequestRecord.ITEM
            )
            open_requests = int(history * OPEN_SHARE)
            for number in range(history):
                clone = RequestRecord.from_raw_data(template)
                clone.tracking_number = f"history{number:08d}"
                clone.status = "in_review" if number < open_requests else "closed"
                clone.place_in_queues()
                recorder.seed("requests", clone.serialize())
            officer = StaffMember(principal="manager", role=Role.MANAGER, district_code=district)
            tracking_number = next(key[0] for key in recorder.items["requests"] if not key[0].startswith("history"))

            last4 = recorder.items["applicants"][(tracking_number, "")]["national_id"]["S"][-4:]

            def inquiry() -> None:
                # The citizen's own digits: one update of the request's proof, refused, whose answer
                # carries the item (store/requests/proof.py), whatever the district's history. A wrong guess
                # is one update too, or two when it is the first failure of its hour.
                inquire({"tracking_number": tracking_number, "national_id_last4": last4}, start)

            routes = {
                "POST /v1/inquiries": inquiry,
                "GET /v1/office/requests (in_review, first page)": lambda: view_queue(
                    officer, {"status": "in_review"}, start
                ),
                "GET /v1/office/requests (closed, first page)": lambda: view_queue(
                    officer, {"status": "closed"}, start
                ),
                "GET /v1/office/requests/{tracking_number}": lambda: view_request(officer, tracking_number, start),
                "reconcile_payments (one day)": lambda: reconcile_day(start.date(), start),
            }
            results = []
            for route, call in routes.items():
                usage, calls, _ = _usage_of(recorder, call)
                results.append(_at_size(route, history, usage, calls, measured=True))
        return results


def _at_size(route: str, history: int, usage: Usage, calls: int, measured: bool) -> RouteAtSize:
    return RouteAtSize(
        route,
        history,
        calls,
        usage.items_read,
        sum(usage.reads.values()),
        sum(usage.writes.values()),
        calls * a.DYNAMODB_CALL_MS.value,
        measured,
    )


def growth_table(histories: tuple[int, ...] | None = None, payments_a_day: int | None = None) -> list[RouteAtSize]:
    """Measured at `histories` (MEASURED_HISTORIES), and carried to COMPUTED_HISTORIES: each route's
    figures at the largest measured size, since none of them depends on the history's length."""
    histories = histories or MEASURED_HISTORIES
    measured = [row for history in histories for row in measure(history, payments_a_day=payments_a_day)]
    largest = [row for row in measured if row.history == histories[-1]]
    computed = [
        RouteAtSize(
            row.route,
            history,
            row.dynamodb_calls,
            row.items_read,
            row.read_units,
            row.write_units,
            row.latency_ms,
            measured=False,
        )
        for history in COMPUTED_HISTORIES
        for row in largest
    ]
    return measured + computed
