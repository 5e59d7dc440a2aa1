"""PynamoDB models of the tables in infra/resources.yaml, and the ways they are read.

Access patterns (every one a key lookup or a query; nothing on a request path scans):

requests table (`tracking_number`, `item`): a partition per request holding
  - `item = "request"`: the request itself (RequestRecord);
  - `item = "history#<version>#<at>"`: one immutable entry per event (HistoryEntry): a change
    of status, keyed by the version it produced, or a record such as an identity reveal,
    under the version it happened at; sorted, the entries read in the order they happened;
  - `item = "card_order#<invoice reference>#<attempt>"`: a card checkout started for the
    invoice (CardAttempt, store/card_orders.py), never part of the request item itself;
  - `item = "proof"`: the keyed check an inquiry must match, the failed attempts at it this
    hour, and the request as its citizen may see it (RequestProof, store/proofs.py), rewritten
    in every transaction that changes the request.
  * citizen inquiry: one UpdateItem of the proof (store/proofs.py) judges and counts the
    attempt, and a right one is answered from the item it returns.
  * the request with everything in its partition (an office view, a card payment): one Query.
  * submission: one TransactWriteItems puts the request, its first history entry, the
    applicant and the idempotency record, each on condition that it does not exist yet, and
    writes the request's proof.
  * district queue: Query on the `queue` index (`queue = "<district>#<status>"`), ordered by
    `queue_order = "<sla_due_date>#<tracking_number>"`, so the most urgent work comes first;
    one page per query.
  * department queue: the same on the `department_queue` index
    (`department_queue = "<district>#<department>#<status>"`).
  * Open311 listing by date: Query on the `opened` index (`opened_month = "<YYYY-MM>"`, UTC),
    `opened_order = "<submitted_at>#<tracking_number>"` between two moments; one query a month.

applicants table (`tracking_number`): who asked. Apart from the request so that the back
office's reads cannot include it, and so that its retention can be set on its own: when the
request closes, `expires_at` (TTL) is set in the closing move's transaction; a manager's
erasure deletes the item in a transaction with its history entry.
  * GetItem by tracking number, only where the applicant must be reached or revealed.

outbox table (`key` = "<tracking number>#<version>#<event>"): one OutboxMessage per intent
to tell a citizen something, written in the transaction of the change it is about (so it
exists if and only if the change does), delivered once.
  * the stream: every new intent, at once.
  * the sweeper: Query on the `due` index (`due_queue = "pending"`, present only while the
    message waits), `due_order = "<due_at>#<key>"` up to now.

payments table (`key`): `notice#<gateway>#<transaction>#<kind>`, one immutable PaymentNotice
per genuine gateway notice, written in the same transaction as what it does to the request,
on condition that it does not exist: a repeated notice changes nothing.
  * callback: GetItem of the request (by the tracking number inside the invoice reference),
    then one TransactWriteItems.
  `order#paymob#<order id>`: a CardOrder, the invoice a Paymob order was registered for, so
  that a card callback finds its invoice by the order id Paymob signs.
  * reconciliation: Query on the `ledger` index (`ledger_day = "<YYYY-MM-DD>"` in Cairo),
    ordered by `ledger_order = "<district>#<service>#<key>"`.

idempotency table (`key`): a submission's Idempotency-Key, a digest of the body it came
with, and the answer given, so that a retry gets the same answer and creates nothing.
  * written in the submission's transaction; GetItem only when that transaction finds the
    key already taken.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection

from chalicelib.store.base import StoredModel, TableMeta

if TYPE_CHECKING:
    from chalicelib.domain.staff import StaffMember


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


class RequestPartitionItem(StoredModel):
    """Anything stored in a request's partition; `kind` tells a request from its history."""

    class Meta(TableMeta):
        table = "requests"

    tracking_number = UnicodeAttribute(hash_key=True)
    item = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()


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
    # The card orders registered for the invoice are items of their own (store/card_orders.py):
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


class HistoryEntry(RequestPartitionItem, discriminator="history"):
    ITEM_PREFIX = "history#"
    STATUS_CHANGE = "status_change"
    IDENTITY_REVEALED = "identity_revealed"
    IDENTITY_ERASED = "identity_erased"
    PAYMENT_REFUNDED = "payment_refunded"
    TRANSFERRED = "transferred"
    DOCUMENTS_RECEIVED = "documents_received"
    DOCUMENT_OPENED = "document_opened"

    event = UnicodeAttribute(default=STATUS_CHANGE)
    version = NumberAttribute()
    at = UTCDateTimeAttribute()
    from_status = UnicodeAttribute(null=True)
    to_status = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    actor = UnicodeAttribute(null=True)
    # Where the actor works: a district's code, or "hq" (None for the citizen and the system).
    office = UnicodeAttribute(null=True)
    # A transfer's districts, from and to.
    from_district = UnicodeAttribute(null=True)
    to_district = UnicodeAttribute(null=True)
    # The office's own note: never shown to the citizen.
    note = UnicodeAttribute(null=True)
    # What the citizen is told with this change (what is missing, why it was refused).
    citizen_message = UnicodeAttribute(null=True)

    @classmethod
    def item_for(cls, version: int, at: datetime) -> str:
        return f"{cls.ITEM_PREFIX}{version:06d}#{at.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}"

    @classmethod
    def on(cls, request: RequestRecord, event: str, at: datetime, **details: Any) -> HistoryEntry:
        """`event` on `request` as it now stands: its version, and unless `details` say otherwise
        the status it stays in."""
        fields = {"from_status": request.status, "to_status": request.status, **details}
        return cls(request.tracking_number, cls.item_for(request.version, at), event=event, version=request.version,
                   at=at, **fields)  # fmt: skip

    @classmethod
    def by_staff(
        cls, request: RequestRecord, event: str, staff: StaffMember, at: datetime, **details: Any
    ) -> HistoryEntry:
        """`event` done by a member of staff, named with their role and the office they work at."""
        return cls.on(request, event, at, actor_role=staff.role.value, actor=staff.principal, office=staff.office_code,
                      **details)  # fmt: skip


class ApplicantRecord(StoredModel):
    class Meta(TableMeta):
        table = "applicants"

    tracking_number = UnicodeAttribute(hash_key=True)
    full_name = UnicodeAttribute()
    national_id = UnicodeAttribute()
    phone = UnicodeAttribute()
    # How the citizen wants to hear about the request: sms, voice or none (an opt-out).
    notify_by = UnicodeAttribute(default="sms")
    # Set when the request closes: DynamoDB's TTL deletes who asked a configured time later.
    expires_at = TTLAttribute(null=True)


class IdempotencyRecord(StoredModel):
    class Meta(TableMeta):
        table = "idempotency"

    key = UnicodeAttribute(hash_key=True)
    body_digest = UnicodeAttribute()
    tracking_number = UnicodeAttribute()
    answer = UnicodeAttribute()
    expires_at = TTLAttribute()


class LedgerIndex(GlobalSecondaryIndex["PaymentNotice"]):
    class Meta:
        index_name = "ledger"
        projection = AllProjection()

    ledger_day = UnicodeAttribute(hash_key=True)
    ledger_order = UnicodeAttribute(range_key=True)


class PaymentNotice(StoredModel):
    class Meta(TableMeta):
        table = "payments"

    key = UnicodeAttribute(hash_key=True)
    gateway = UnicodeAttribute()
    transaction_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    reference = UnicodeAttribute()
    tracking_number = UnicodeAttribute(null=True)
    district_code = UnicodeAttribute(null=True)
    service_code = UnicodeAttribute(null=True)
    amount_piasters = NumberAttribute()
    currency = UnicodeAttribute()
    method = UnicodeAttribute()
    outcome = UnicodeAttribute()
    received_at = UTCDateTimeAttribute()
    ledger_day = UnicodeAttribute()
    ledger_order = UnicodeAttribute()
    ledger_index = LedgerIndex()


class DaySummary(StoredModel):
    """The reconciliation of one Cairo day, under `key = "ledger#<YYYY-MM-DD>"`."""

    class Meta(TableMeta):
        table = "payments"

    key = UnicodeAttribute(hash_key=True)
    summary = UnicodeAttribute()
    computed_at = UTCDateTimeAttribute()


class CardOrder(StoredModel):
    """A Paymob order registered for an invoice, under `key = "order#paymob#<order id>"`."""

    class Meta(TableMeta):
        table = "payments"

    key = UnicodeAttribute(hash_key=True)
    tracking_number = UnicodeAttribute()
    reference = UnicodeAttribute()
    registered_at = UTCDateTimeAttribute()

    @staticmethod
    def key_for(order_id: str) -> str:
        return f"order#paymob#{order_id}"


class DueIndex(GlobalSecondaryIndex["OutboxMessage"]):
    class Meta:
        index_name = "due"
        projection = AllProjection()

    due_queue = UnicodeAttribute(hash_key=True)
    due_order = UnicodeAttribute(range_key=True)


class OutboxMessage(StoredModel):
    PENDING, SENDING, SENT, SKIPPED, FAILED = "pending", "sending", "sent", "skipped", "failed"
    WAITING = "pending"  # the due index's only partition

    class Meta(TableMeta):
        table = "outbox"

    key = UnicodeAttribute(hash_key=True)
    tracking_number = UnicodeAttribute()
    event = UnicodeAttribute()
    # What the text needs besides the tracking number (reference, amount, day, district name).
    values = MapAttribute[str, Any]()
    status = UnicodeAttribute()
    due_at = UTCDateTimeAttribute()
    attempts = NumberAttribute(default=0)
    # How it went out: sms, voice or whatsapp; "whatsapp" on a pending message: sent on WhatsApp,
    # waiting for its receipt, and due for the SMS fallback when the wait is over.
    channel = UnicodeAttribute(null=True)
    provider_message_id = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    due_queue = UnicodeAttribute(null=True)
    due_order = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    due_index = DueIndex()

    @staticmethod
    def key_for(tracking_number: str, version: int, event: str) -> str:
        return f"{tracking_number}#{version:06d}#{event}"

    def wait_until(self, moment: datetime) -> None:
        """Files the message as pending until `moment` (the sweeper's index)."""
        self.status = self.PENDING
        self.due_at = moment
        self.due_queue = self.WAITING
        self.due_order = f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}#{self.key}"
