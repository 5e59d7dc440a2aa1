"""A request's history: one immutable HistoryEntry per event, in the request's partition.

requests table, `item = "history#<version>#<at>"`: a change of status, keyed by the version it
produced, or a record such as an identity reveal, under the version it happened at; sorted,
the entries read in the order they happened. A change's entry is written in the change's own
transaction (changes.py); an event that changes nothing else is appended on its own.
`item = "history#message#<outbox key>"`: a message handed to its channel (what kind, which
channel; never its text nor the number), one per outbox message, written by the deliverer, which
knows no version: these sort after the versioned entries, and are placed by `at` when shown.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError

from chalicelib.store.requests.partition import RequestPartitionItem
from chalicelib.store.retries import retry_transient

if TYPE_CHECKING:
    from chalicelib.domain.staff import StaffMember
    from chalicelib.store.requests.request import RequestRecord


class HistoryEntry(RequestPartitionItem, discriminator="history"):
    ITEM_PREFIX = "history#"
    STATUS_CHANGE = "status_change"
    IDENTITY_REVEALED = "identity_revealed"
    IDENTITY_ERASED = "identity_erased"
    PAYMENT_REFUNDED = "payment_refunded"
    TRANSFERRED = "transferred"
    DOCUMENTS_RECEIVED = "documents_received"
    DOCUMENT_OPENED = "document_opened"
    ASSIGNED = "assigned"
    MESSAGE_SENT = "message_sent"
    APPLICANT_CORRECTED = "applicant_corrected"

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
    # An assignment's officer, by email (the principal is the request's own `assignee`).
    assignee = UnicodeAttribute(null=True)
    # A message's kind (its outbox event) and the channel it went by: nothing of what it said.
    message_kind = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(null=True)
    # A correction of who asked: the fields corrected, by name ("full_name phone"), never their values.
    corrected = UnicodeAttribute(null=True)

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
    def message_sent(cls, tracking_number: str, outbox_key: str, kind: str, channel: str, at: datetime) -> HistoryEntry:
        """A message handed to `channel`; keyed by its outbox message, so a retried write finds itself."""
        return cls(tracking_number, f"{cls.ITEM_PREFIX}message#{outbox_key}", event=cls.MESSAGE_SENT, version=0, at=at,
                   to_status="", actor_role="system", message_kind=kind, channel=channel)  # fmt: skip

    @classmethod
    def by_staff(
        cls, request: RequestRecord, event: str, staff: StaffMember, at: datetime, **details: Any
    ) -> HistoryEntry:
        """`event` done by a member of staff, named with their role and the office they work at."""
        return cls.on(request, event, at, actor_role=staff.role.value, actor=staff.principal, office=staff.office_code,
                      **details)  # fmt: skip


def record_event(entry: HistoryEntry) -> None:
    """Appends an entry that changes nothing else (an identity reveal, say). A save resent after
    its answer was lost finds its own entry under the key (version and microsecond): that is
    success, not a clash; any other entry there is one."""
    try:
        retry_transient(lambda: entry.save(condition=HistoryEntry.tracking_number.does_not_exist()))
    except PutError as error:
        if error.cause_response_code != "ConditionalCheckFailedException" or not _already_saved(entry):
            raise


def _already_saved(entry: HistoryEntry) -> bool:
    try:
        found = HistoryEntry.get(entry.tracking_number, entry.item, consistent_read=True)
    except HistoryEntry.DoesNotExist:
        return False
    return found.attribute_values == entry.attribute_values
