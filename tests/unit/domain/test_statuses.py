from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.statuses import (
    ALLOWED_MOVES,
    FINAL_STATUSES,
    STATUS_NAMES_AR,
    Status,
    can_move,
    initial_status,
)

ARABIC_LETTER = re.compile("[\u0621-\u064a]")

# docs/interfaces.md#request-statuses.
INTERFACE_STATUSES = [
    "submitted",
    "awaiting_payment",
    "in_review",
    "needs_info",
    "approved",
    "rejected",
    "ready",
    "closed",
    "cancelled",
]
INITIAL_STATUSES = {initial_status(0), initial_status(1)}
NON_FINAL = [status for status in Status if status not in FINAL_STATUSES]


def reachable_from(starts: Iterable[Status]) -> set[Status]:
    """Every status some sequence of allowed moves leads to, the starting ones included."""
    seen = set(starts)
    frontier = list(seen)
    while frontier:
        for target in ALLOWED_MOVES[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def test_the_statuses_are_exactly_those_of_the_contract() -> None:
    assert [status.value for status in Status] == INTERFACE_STATUSES


@pytest.mark.parametrize("value", INTERFACE_STATUSES)
def test_each_contract_status_exists_and_has_an_arabic_name(value: str) -> None:
    status = Status(value)
    assert status == value
    assert str(status) == value
    assert ARABIC_LETTER.search(STATUS_NAMES_AR[status])


def test_arabic_names_are_all_different() -> None:
    assert set(STATUS_NAMES_AR) == set(Status)
    assert len(set(STATUS_NAMES_AR.values())) == len(Status)


def test_every_status_has_its_moves_and_moves_only_to_statuses() -> None:
    assert set(ALLOWED_MOVES) == set(Status)
    for moves in ALLOWED_MOVES.values():
        assert moves <= set(Status)


def test_closed_and_cancelled_are_the_final_statuses() -> None:
    assert {Status.CLOSED, Status.CANCELLED} == FINAL_STATUSES


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
def test_a_final_status_has_no_moves(status: Status) -> None:
    assert ALLOWED_MOVES[status] == frozenset()
    assert not any(can_move(status, target) for target in Status)


def test_no_status_moves_to_itself() -> None:
    for status in Status:
        assert not can_move(status, status)


@pytest.mark.parametrize("status", NON_FINAL)
def test_every_non_final_status_is_reachable_from_an_initial_one(status: Status) -> None:
    assert status in reachable_from(INITIAL_STATUSES)


@pytest.mark.parametrize("start", sorted(INITIAL_STATUSES))
def test_from_either_initial_status_a_request_can_reach_review_and_both_endings(start: Status) -> None:
    assert {Status.IN_REVIEW, Status.CLOSED, Status.CANCELLED} <= reachable_from([start])


@pytest.mark.parametrize("status", NON_FINAL)
def test_no_request_gets_stuck(status: Status) -> None:
    assert reachable_from([status]) & FINAL_STATUSES


def test_a_request_waiting_on_the_citizen_can_be_cancelled() -> None:
    for status in (Status.SUBMITTED, Status.AWAITING_PAYMENT, Status.NEEDS_INFO):
        assert can_move(status, Status.CANCELLED)


@pytest.mark.parametrize(
    ("fee_egp", "expected"),
    [(0, Status.SUBMITTED), (1, Status.AWAITING_PAYMENT), (5000, Status.AWAITING_PAYMENT)],
)
def test_the_initial_status_depends_on_the_fee(fee_egp: int, expected: Status) -> None:
    assert initial_status(fee_egp) == expected


def test_initial_statuses_are_not_final() -> None:
    assert not INITIAL_STATUSES & FINAL_STATUSES
    assert {Status.SUBMITTED, Status.AWAITING_PAYMENT} == INITIAL_STATUSES


@given(st.integers(min_value=0, max_value=10**9))
def test_any_fee_gives_one_of_the_two_initial_statuses(fee_egp: int) -> None:
    assert initial_status(fee_egp) == (Status.AWAITING_PAYMENT if fee_egp > 0 else Status.SUBMITTED)


@given(st.sampled_from(Status), st.sampled_from(Status))
def test_can_move_follows_the_table(current: Status, target: Status) -> None:
    assert can_move(current, target) == (target in ALLOWED_MOVES[current])
