"""District staff: who they are, and what each role may do (the permission matrix).

A district sees only its own work; headquarters sees every district but changes nothing.
The back office (officers) never sees who the applicant is; a manager may reveal it for
one request, for a stated reason, and that reveal is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.statuses import ALLOWED_MOVES, Status


class Role(StrEnum):
    CLERK = "clerk"  # one-window intake, face to face with the citizen
    OFFICER = "officer"  # back-office processing, blind to the applicant's identity
    MANAGER = "manager"  # head of a district
    HQ = "hq"  # governorate headquarters, every district, read only


class Action(StrEnum):
    INTAKE = "intake"
    VIEW_REQUEST = "view_request"
    VIEW_QUEUE = "view_queue"
    TRANSITION = "transition"
    REVEAL_IDENTITY = "reveal_identity"
    ERASE_IDENTITY = "erase_identity"  # a data subject's request (Law 151/2020)
    VIEW_PERFORMANCE = "view_performance"  # figures and overdue lists: the district's head, headquarters


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.CLERK: frozenset({Action.INTAKE, Action.VIEW_REQUEST, Action.TRANSITION}),
    Role.OFFICER: frozenset({Action.VIEW_REQUEST, Action.VIEW_QUEUE, Action.TRANSITION}),
    Role.MANAGER: frozenset(
        {
            Action.INTAKE,
            Action.VIEW_REQUEST,
            Action.VIEW_QUEUE,
            Action.TRANSITION,
            Action.REVEAL_IDENTITY,
            Action.ERASE_IDENTITY,
            Action.VIEW_PERFORMANCE,
        }
    ),
    Role.HQ: frozenset({Action.VIEW_REQUEST, Action.VIEW_QUEUE, Action.VIEW_PERFORMANCE}),
}

_PAYMENT_ONLY = {(Status.AWAITING_PAYMENT, Status.IN_REVIEW)}
_STAFF_MOVES = {(current, target) for current, targets in ALLOWED_MOVES.items() for target in targets} - _PAYMENT_ONLY

# Which moves each role may make. Leaving awaiting_payment for review is the payment's
# doing, never a person's; cancelling is the manager's decision; the clerk only hands a
# ready document over at the window.
MOVES_BY_ROLE: dict[Role, frozenset[tuple[Status, Status]]] = {
    Role.CLERK: frozenset({(Status.READY, Status.CLOSED)}),
    Role.OFFICER: frozenset(move for move in _STAFF_MOVES if move[1] != Status.CANCELLED),
    Role.MANAGER: frozenset(_STAFF_MOVES),
    Role.HQ: frozenset(),
}


@dataclass(frozen=True)
class StaffMember:
    """Whoever a verified token says is calling."""

    principal: str
    role: Role
    district_code: str | None  # None for headquarters, which belongs to no district

    def may(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]

    def sees_district(self, district_code: str) -> bool:
        return self.role is Role.HQ or district_code == self.district_code

    def may_move(self, current: Status, target: Status) -> bool:
        return (current, target) in MOVES_BY_ROLE[self.role]
