"""Who a member of staff is and what they may do (chalicelib/domain/staff.py). The whole matrix, cell by
cell through the API, is tests/integration/api/test_office_permissions.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.staff import REVEAL_LASTS, Action, Reveal, Role, StaffMember, revealed_lately
from chalicelib.domain.statuses import ALLOWED_MOVES, Status

NOW = datetime(2026, 3, 10, 9, tzinfo=UTC)
MANAGER = StaffMember("manager-1", Role.MANAGER, "dokki")
OFFICER = StaffMember("officer-1", Role.OFFICER, "dokki")
CLERK = StaffMember("clerk-1", Role.CLERK, "dokki")
HQ = StaffMember("hq-1", Role.HQ, None)


def test_headquarters_sees_every_district_and_the_others_their_own() -> None:
    assert HQ.sees_district("warraq")
    assert OFFICER.sees_district("dokki")
    assert not OFFICER.sees_district("warraq")
    assert (HQ.office_code, OFFICER.office_code) == ("hq", "dokki")


def test_only_officers_and_managers_work_queues() -> None:
    assert [member.works_queues for member in (CLERK, OFFICER, MANAGER, HQ)] == [False, True, True, False]


def test_a_manager_assigns_to_anyone_and_an_officer_only_to_themself() -> None:
    assert MANAGER.may_assign_to("officer-2")
    assert OFFICER.may_assign_to("officer-1")
    assert not OFFICER.may_assign_to("officer-2")
    assert not CLERK.may_assign_to("clerk-1")


@pytest.mark.parametrize("role", list(Role))
def test_no_one_moves_a_request_out_of_awaiting_payment_into_review_the_payment_does(role: Role) -> None:
    assert not StaffMember("x", role, "dokki").may_move(Status.AWAITING_PAYMENT, Status.IN_REVIEW)


def test_only_a_manager_cancels_the_clerk_only_closes_and_headquarters_moves_nothing() -> None:
    cancels = [(current, target) for current, target in _moves() if target is Status.CANCELLED]

    assert cancels
    assert all(MANAGER.may_move(*move) and not OFFICER.may_move(*move) for move in cancels)
    assert [move for move in _moves() if CLERK.may_move(*move)] == [(Status.READY, Status.CLOSED)]
    assert not any(HQ.may_move(*move) for move in _moves())


def _moves() -> list[tuple[Status, Status]]:
    """Every move the statuses allow at all."""
    return [(current, target) for current, targets in ALLOWED_MOVES.items() for target in targets]


def test_a_reveal_lasts_an_hour_for_the_manager_who_made_it_from_the_requests_district() -> None:
    reveal = Reveal("manager-1", "dokki", NOW - REVEAL_LASTS)

    assert revealed_lately(MANAGER, [reveal], "dokki", NOW)
    assert not revealed_lately(MANAGER, [reveal], "dokki", NOW + timedelta(seconds=1))
    assert not revealed_lately(MANAGER, [Reveal("manager-1", "dokki", NOW + timedelta(minutes=1))], "dokki", NOW)


def test_a_reveal_counts_for_no_one_else_nowhere_else_and_no_role_that_may_not_reveal() -> None:
    reveal = Reveal("manager-1", "dokki", NOW)

    assert not revealed_lately(StaffMember("manager-2", Role.MANAGER, "dokki"), [reveal], "dokki", NOW)
    assert not revealed_lately(MANAGER, [Reveal("manager-1", "warraq", NOW)], "dokki", NOW)
    assert not revealed_lately(StaffMember("manager-1", Role.MANAGER, "warraq"), [reveal], "dokki", NOW)
    assert not revealed_lately(StaffMember("manager-1", Role.OFFICER, "dokki"), [reveal], "dokki", NOW)
    assert MANAGER.may(Action.REVEAL_IDENTITY)
