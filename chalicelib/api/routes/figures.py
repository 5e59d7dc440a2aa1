"""Performance: the office API's figures and overdue list, the handler on the requests
table's stream that keeps the figures, and the daily recount and open-data publication.

Each view and handler imports its service when it first runs (see chalicelib/api/routes/citizen.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalice import Cron, Response
from chalice.app import CloudWatchEvent, DynamoDBEvent, DynamoDBRecord

from chalicelib.api.http.responses import json_response
from chalicelib.api.routes.staff_access import staff_route
from chalicelib.api.routes.startup import GuardedBlueprint
from chalicelib.domain.staff import StaffMember

if TYPE_CHECKING:
    from chalicelib.services.figures import StreamChange

figures_api = GuardedBlueprint(__name__)  # its functions start without app.py

# As for the outbox (deliveries.py): the stream exists only once deployed, and `make package`
# wires the real one in (infra/wiring.yaml). This ARN is never used to reach anything.
REQUESTS_STREAM = "arn:aws:dynamodb:eu-central-1:000000000000:table/shobbak-requests/stream/wired-at-package-time"


@staff_route(figures_api, "/v1/office/performance", methods=["GET"])
def performance(staff: StaffMember) -> Response:
    from chalicelib.api.http.figures_views import report_view
    from chalicelib.services.figures import figures_report

    params = figures_api.current_request.query_params or {}
    return json_response(report_view(figures_report(staff, params, datetime.now(UTC))))


@staff_route(figures_api, "/v1/office/performance/overdue", methods=["GET"])
def overdue(staff: StaffMember) -> Response:
    from chalicelib.api.http.figures_views import overdue_view
    from chalicelib.services.figures import overdue_list

    params = figures_api.current_request.query_params or {}
    return json_response(overdue_view(overdue_list(staff, params, datetime.now(UTC))))


def stream_changes(records: Iterable[DynamoDBRecord]) -> list[StreamChange]:
    from chalicelib.services.figures import StreamChange

    # Chalice gives the record's ApproximateCreationDateTime as a naive UTC datetime.
    return [
        StreamChange(record.event_id, record.timestamp.replace(tzinfo=UTC), record.old_image, record.new_image)
        for record in records
    ]


@figures_api.on_dynamodb_record(stream_arn=REQUESTS_STREAM, batch_size=100, name="keep_performance_figures")
def keep_performance_figures(event: DynamoDBEvent) -> dict[str, int]:
    """Every change of a request, into the figures. Each record is applied once however often
    the batch comes (the store refuses a record an item has seen), so Lambda may retry it whole."""
    from chalicelib.services.figures import keep_figures

    return dict(keep_figures(stream_changes(event)))


# 22:05 UTC is just past midnight in Cairo, winter or summer time: a new day's overdue requests.
@figures_api.schedule(Cron(5, 22, "*", "*", "?", "*"), name="recount_overdue_requests")
def recount_overdue_requests(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.services.figures import recount_overdue

    return dict(recount_overdue(datetime.now(UTC)).overdue)  # by district: Lambda answers JSON


# After the recount: the public page and open data as of the day that just ended.
@figures_api.schedule(Cron(20, 22, "*", "*", "?", "*"), name="publish_performance")
def publish_performance(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.services.open_data import publish_open_data

    published = publish_open_data(datetime.now(UTC))
    return {"rows": published.rows, "to": published.to}  # Lambda answers JSON
