"""District staff: who they are, and what each role may do (the permission matrix).

A district sees only its own work; headquarters sees every district, changes no status,
and alone moves a misrouted request to another district. Any window serves the whole
governorate: a clerk or manager files for any active district, and the request belongs to
the district it names. The back office (officers) never sees who the applicant is; a
manager may reveal it for one request, for a stated reason, and that reveal is recorded;
a copy of an identity document opens, and who asked may be corrected, only for a manager of the
request's district who made that reveal there, and only for a while after it (revealed_lately).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
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
    TRANSFER = "transfer"
    RECORD_DOCUMENTS = "record_documents"  # paper handed in at the window
    OPEN_DOCUMENT = "open_document"
    VIEW_PERFORMANCE = "view_performance"  # figures and overdue lists: the district's head, headquarters


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.CLERK: frozenset({Action.INTAKE, Action.VIEW_REQUEST, Action.TRANSITION, Action.RECORD_DOCUMENTS}),
    Role.OFFICER: frozenset({Action.VIEW_REQUEST, Action.VIEW_QUEUE, Action.TRANSITION, Action.OPEN_DOCUMENT}),
    Role.MANAGER: frozenset(
        {
            Action.INTAKE,
            Action.VIEW_REQUEST,
            Action.VIEW_QUEUE,
            Action.TRANSITION,
            Action.REVEAL_IDENTITY,
            Action.ERASE_IDENTITY,
            Action.RECORD_DOCUMENTS,
            Action.OPEN_DOCUMENT,
            Action.VIEW_PERFORMANCE,
        }
    ),
    Role.HQ: frozenset(
        {Action.VIEW_REQUEST, Action.VIEW_QUEUE, Action.TRANSFER, Action.OPEN_DOCUMENT, Action.VIEW_PERFORMANCE}
    ),
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

    @property
    def office_code(self) -> str:
        """The office the member works at, as history and receipts name it."""
        return self.district_code or "hq"

    def sees_district(self, district_code: str) -> bool:
        return self.role is Role.HQ or district_code == self.district_code

    @property
    def works_queues(self) -> bool:
        """Who may hold work: those who both read the queues and move requests (officers and
        managers; not the window's clerk, nor headquarters, which moves nothing)."""
        return self.may(Action.VIEW_QUEUE) and self.may(Action.TRANSITION)

    def may_assign_to(self, principal: str) -> bool:
        """A manager hands work to any officer of the district; an officer takes it for themself."""
        return self.works_queues and (self.role is Role.MANAGER or principal == self.principal)

    def may_move(self, current: Status, target: Status) -> bool:
        return (current, target) in MOVES_BY_ROLE[self.role]


# How long a reveal lasts for the manager who made it: the request's identity documents open,
# and its applicant's name and phone may be corrected.
REVEAL_LASTS = timedelta(hours=1)


@dataclass(frozen=True)
class Reveal:
    """An identity reveal as the request's history records it: who, from which office, when."""

    principal: str | None
    office_code: str | None
    at: datetime


def revealed_lately(staff: StaffMember, reveals: Iterable[Reveal], district_code: str, now: datetime) -> bool:
    """Whether `staff` holds a reveal of a request of `district_code` that still lasts: what opens
    a copy of its identity documents, and lets its applicant's name and phone be corrected.

    Only the token's role and district now count, never who someone was when they revealed:
    Cognito keeps a user's `sub` when the user moves to another group. So the caller must be
    allowed to reveal now, work at the request's district now, and have revealed the applicant
    from that district within REVEAL_LASTS (a request transferred since is
    another district's to reveal)."""
    if not staff.may(Action.REVEAL_IDENTITY) or staff.district_code != district_code:
        return False
    return any(
        reveal.principal == staff.principal
        and reveal.office_code == district_code
        and now - REVEAL_LASTS <= reveal.at <= now
        for reveal in reveals
    )
