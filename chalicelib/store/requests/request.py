"""The request itself (RequestRecord, `item = "request"`), its three indexes, and the reads of
the request items alone: by key, the office queues, the overdue requests, and Open311's.

  * by key (GetItem): what a payment callback or a message needs to know of the request.
  * district queue: Query on the `queue` index (`queue = "<district>#<status>"`), ordered by
    `queue_order = "<sla_due_date>#<tracking_number>"`, so the most urgent work comes first;
    one page per query.
  * department queue: the same on the `department_queue` index
    (`department_queue = "<district>#<department>#<status>"`).
  * overdue requests (the figures' daily recount, the office's overdue list): the open requests
    of a district due before a day are a range of each open status's partition of the `queue`
    index, most overdue first.
  * Open311: by tracking numbers, one BatchGetItem; by date, a Query on the `opened` index
    (`opened_month = "<YYYY-MM>"`, UTC, `opened_order = "<submitted_at>#<tracking_number>"`)
    between two moments, one query a month.
Writes of the request item go with its history entry and its proof, in changes.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection

from chalicelib.domain.statuses import FINAL_STATUSES, Status
from chalicelib.store.requests.partition import RequestPartitionItem
from chalicelib.store.retries import retry_transient

OPEN_STATUSES = tuple(status for status in Status if status not in FINAL_STATUSES)
_ORDER_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class QueueIndex(GlobalSecondaryIndex["RequestRecord"]):
    class Meta:
        index_name = "queue"
        projection = AllProjection()

    queue = UnicodeAttribute(hash_key=True)
    queue_order = UnicodeAttribute(range_key=True)


class DepartmentQueueIndex(GlobalSecondaryIndex["RequestRecord"]):
    class Meta:
        index_name = "department_queue"
        projection = AllProjection()

    department_queue = UnicodeAttribute(hash_key=True)
    queue_order = UnicodeAttribute(range_key=True)


class OpenedIndex(GlobalSecondaryIndex["RequestRecord"]):
    """Requests by the month they were filed (Open311's listing by date); public fields only."""

    class Meta:
        index_name = "opened"
        # `kind` too: PynamoDB tells a request from a history entry by it.
        projection = IncludeProjection(
            ["kind", "status", "service_code", "district_code", "submitted_at", "updated_at", "sla_due_date"]
        )

    opened_month = UnicodeAttribute(hash_key=True)
    opened_order = UnicodeAttribute(range_key=True)


class PaymentTerms(MapAttribute[str, Any]):
    """The request's invoice."""

    reference = UnicodeAttribute()
    amount_egp = NumberAttribute()
    status = UnicodeAttribute()  # unpaid, paid or refunded
    expires_at = UTCDateTimeAttribute()
    paid_by = UnicodeAttribute(null=True)  # the key of the notice that paid it
    paid_with = UnicodeAttribute(null=True)  # the payment that notice was about (what a refund names)
    paid_at = UTCDateTimeAttribute(null=True)
    refunded_piasters = NumberAttribute(default=0)  # given back so far, by refunds naming that payment
    # The card checkouts started for the invoice are items of their own (checkout_attempts.py):
    # a list here would be overwritten by any write of the request that read it earlier.


class RequestRecord(RequestPartitionItem, discriminator="request"):
    ITEM = "request"

    service_code = UnicodeAttribute()
    district_code = UnicodeAttribute()
    department = UnicodeAttribute()
    channel = UnicodeAttribute()
    status = UnicodeAttribute()
    version = NumberAttribute()
    fee_egp = NumberAttribute()
    payment = PaymentTerms(null=True)
    details = MapAttribute[str, Any]()
    # Documents handed in at the one window, by name, as printed on the receipt.
    documents_received = ListAttribute[str](of=UnicodeAttribute, null=True)
    # The district office whose window filed it (any window serves the whole governorate);
    # None for the portal.
    filed_at_office = UnicodeAttribute(null=True)
    submitted_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    sla_due_date = UnicodeAttribute()
    # True when the due date was counted past the last known public holiday (domain/calendar.py).
    sla_provisional = BooleanAttribute(null=True)
    # Set when a manager erased the applicant's identity at their request (the request stays).
    identity_erased = BooleanAttribute(null=True)
    # The officer who holds the request (taken, or assigned by a manager): their principal (the
    # token's `sub`, what "my work" filters on) and their email (what pages show).
    assignee = UnicodeAttribute(null=True)
    assignee_email = UnicodeAttribute(null=True)
    # What the citizen uploaded that passed its checks (document codes), and when the last one
    # did: the queues show the document state and "uploaded since the last move" from the item
    # alone, keeping a queue page one Query (docs/interfaces.md#office-console).
    documents_uploaded = UnicodeSetAttribute(null=True)
    citizen_uploaded_at = UTCDateTimeAttribute(null=True)
    queue = UnicodeAttribute()
    department_queue = UnicodeAttribute()
    queue_order = UnicodeAttribute()
    # Open311's listing by date: "<YYYY-MM>" and "<submitted_at>#<tracking_number>", in UTC.
    opened_month = UnicodeAttribute(null=True)
    opened_order = UnicodeAttribute(null=True)
    queue_index = QueueIndex()
    department_queue_index = DepartmentQueueIndex()
    opened_index = OpenedIndex()

    def place_in_queues(self) -> None:
        """Sets the index keys that file the request under its district, department and status,
        and under the month it was filed."""
        self.queue = f"{self.district_code}#{self.status}"
        self.department_queue = f"{self.district_code}#{self.department}#{self.status}"
        self.queue_order = f"{self.sla_due_date}#{self.tracking_number}"
        submitted = self.submitted_at.astimezone(UTC)
        self.opened_month = f"{submitted:%Y-%m}"
        self.opened_order = f"{submitted:%Y-%m-%dT%H:%M:%S.%fZ}#{self.tracking_number}"


def note_citizen_upload(tracking_number: str, document_code: str, at: datetime) -> None:
    """An upload that passed its checks, on the request item, for the queues. It leaves the version
    alone: an officer's page read before a citizen's upload still moves the request (the upload is
    the citizen's, not a change of the request's state). A move saved from a copy read before this
    update writes the copy's values back, so the signal can be lost in that narrow race; the
    documents themselves are never affected (they live in the documents table)."""
    retry_transient(lambda: RequestRecord(tracking_number, RequestRecord.ITEM).update(
        actions=[
            RequestRecord.documents_uploaded.add({document_code}),
            RequestRecord.citizen_uploaded_at.set(at),
        ],
        condition=RequestRecord.tracking_number.exists(),
    ))  # fmt: skip


def load_request_record(tracking_number: str) -> RequestRecord | None:
    """The request alone, by key: what a payment callback needs to judge a notice."""
    try:
        return retry_transient(lambda: RequestRecord.get(tracking_number, RequestRecord.ITEM, consistent_read=True))
    except RequestRecord.DoesNotExist:
        return None


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue."""

    requests: list[RequestRecord]
    last_queue_order: str | None  # set when more may follow


def queue_page(district_code: str, status: str, department: str | None, page_size: int, after: str | None) -> QueuePage:
    """One page of a district's (or one department's) queue, most urgent first: one query."""
    if department is None:
        index, key_name, key = RequestRecord.queue_index, "queue", f"{district_code}#{status}"
    else:
        index, key_name = RequestRecord.department_queue_index, "department_queue"
        key = f"{district_code}#{department}#{status}"
    start = None
    if after is not None:
        start = {
            key_name: {"S": key},
            "queue_order": {"S": after},
            "tracking_number": {"S": after.rsplit("#", 1)[1]},
            "item": {"S": RequestRecord.ITEM},
        }
    results = index.query(key, limit=page_size, last_evaluated_key=start, page_size=page_size)
    requests = list(results)
    last = results.last_evaluated_key
    return QueuePage(requests=requests, last_queue_order=last["queue_order"]["S"] if last else None)


def open_requests_due_before(district_code: str, status: Status, before: date) -> Iterator[RequestRecord]:
    """Every open request of a district in `status` due before `before`, most overdue first."""
    yield from RequestRecord.queue_index.query(
        f"{district_code}#{status.value}", range_key_condition=RequestRecord.queue_order < before.isoformat()
    )


@dataclass(frozen=True)
class OverduePage:
    requests: list[RequestRecord]
    last_queue_order: str | None  # set when more may follow


def overdue_page(district_code: str, today: date, after: str | None, page_size: int) -> OverduePage:
    """One page of a district's overdue requests, most overdue first: a query of each open
    status's partition of the `queue` index from `after` on, merged by `queue_order`."""
    lower = after if after is not None else "0"
    found: list[RequestRecord] = []
    more = False
    for status in OPEN_STATUSES:
        results = RequestRecord.queue_index.query(
            f"{district_code}#{status.value}",
            range_key_condition=RequestRecord.queue_order.between(lower, today.isoformat()),
            limit=page_size + 1,
            page_size=page_size + 1,
        )
        rows = [request for request in results if request.queue_order != after]
        found.extend(rows[: page_size + 1])
        more = more or results.last_evaluated_key is not None
    found.sort(key=lambda request: request.queue_order)
    page = found[:page_size]
    more = more or len(found) > page_size
    return OverduePage(requests=page, last_queue_order=page[-1].queue_order if page and more else None)


def open_requests(district_code: str, assignee: str | None = None) -> list[RequestRecord]:
    """Every open request of a district, most urgent first: a query of each open status's partition
    of the `queue` index; with `assignee`, only those that officer holds.

    "My work" is this filter rather than an index of its own: an index keyed by assignee would be
    one query, but a new index of the requests table (infra/resources.yaml, its role's grants, the
    capacity model) is more than a district's open work needs: a few hundred requests at most,
    read in one query per open status (five), each filtered on the server."""
    condition = RequestRecord.assignee == assignee if assignee is not None else None
    found: list[RequestRecord] = []
    for status in OPEN_STATUSES:
        found += retry_transient(
            lambda status=status: list(
                RequestRecord.queue_index.query(f"{district_code}#{status.value}", filter_condition=condition)
            )
        )
    found.sort(key=lambda request: request.queue_order)
    return found


def requests_by_number(tracking_numbers: Iterable[str]) -> list[RequestRecord]:
    """Open311: the requests that exist among these numbers, in the order asked: one BatchGetItem."""
    wanted = list(dict.fromkeys(tracking_numbers))
    if not wanted:
        return []
    found = {
        record.tracking_number: record
        for record in RequestRecord.batch_get([(number, RequestRecord.ITEM) for number in wanted])
        if isinstance(record, RequestRecord)
    }
    return [found[number] for number in wanted if number in found]


def requests_filed_between(months: list[str], start: datetime, end: datetime, limit: int) -> list[RequestRecord]:
    """Open311: up to `limit` requests filed from `start` to `end`, newest first: one query a
    month, in the order of `months` (newest first), until `limit` is reached."""
    low = start.astimezone(UTC).strftime(_ORDER_FORMAT)
    high = end.astimezone(UTC).strftime(_ORDER_FORMAT) + "#~"  # "~" sorts after every digit
    found: list[RequestRecord] = []
    for month in months:
        if len(found) >= limit:
            break
        found += RequestRecord.opened_index.query(
            month,
            RequestRecord.opened_order.between(low, high),
            scan_index_forward=False,
            limit=limit - len(found),
        )
    return found
