"""The life of a request: its statuses, their Arabic names and the moves between them."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"
    AWAITING_PAYMENT = "awaiting_payment"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    APPROVED = "approved"
    REJECTED = "rejected"
    READY = "ready"
    CLOSED = "closed"
    CANCELLED = "cancelled"


STATUS_NAMES_AR: dict[Status, str] = {
    Status.SUBMITTED: "تم تقديم الطلب",
    Status.AWAITING_PAYMENT: "في انتظار سداد الرسوم",
    Status.IN_REVIEW: "قيد الفحص",
    Status.NEEDS_INFO: "مطلوب استكمال بيانات",
    Status.APPROVED: "تمت الموافقة",
    Status.REJECTED: "مرفوض",
    Status.READY: "جاهز للاستلام",
    Status.CLOSED: "مغلق",
    Status.CANCELLED: "ملغى",
}

# Each status and the statuses it may move to. A fee-bearing request waits for its payment;
# a free one starts as submitted and is picked up by the back office.
ALLOWED_MOVES: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.IN_REVIEW, Status.CANCELLED}),
    Status.AWAITING_PAYMENT: frozenset({Status.IN_REVIEW, Status.CANCELLED}),
    Status.IN_REVIEW: frozenset({Status.NEEDS_INFO, Status.APPROVED, Status.REJECTED}),
    Status.NEEDS_INFO: frozenset({Status.IN_REVIEW, Status.CANCELLED}),
    Status.APPROVED: frozenset({Status.READY}),
    Status.REJECTED: frozenset({Status.CLOSED}),
    Status.READY: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.CANCELLED: frozenset(),
}

FINAL_STATUSES = frozenset(status for status, moves in ALLOWED_MOVES.items() if not moves)


def initial_status(fee_egp: int) -> Status:
    return Status.AWAITING_PAYMENT if fee_egp > 0 else Status.SUBMITTED


def can_move(current: Status, target: Status) -> bool:
    return target in ALLOWED_MOVES[current]
