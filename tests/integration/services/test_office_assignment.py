"""Who holds an open request, through the service: an officer takes it, a manager assigns it to an
officer of its district; refused, with nothing written, when finished, stale or out of the district."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services.office_assignment import assign_request
from chalicelib.services.office_moves import move_request
from chalicelib.store.requests.changes import load_request
from tests.integration.services.conftest import MANAGER, Records, file_free_request

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=1)
DOKKI, WARRAQ = "officer.dokki@staff.shobbak.local", "officer.warraq@staff.shobbak.local"


def held(tracking_number: str) -> tuple[str | None, int, int]:
    stored = load_request(tracking_number)
    assert stored is not None
    return stored.request.assignee, stored.request.version, len(stored.history)


def test_an_officer_takes_a_request_on_its_version_recorded_and_audited(
    officers: dict[str, str], raw_records: Records
) -> None:
    tracking_number = file_free_request(NOW)
    me = StaffMember(officers[DOKKI], Role.OFFICER, "dokki")

    view = assign_request(me, tracking_number, {"officer": me.principal, "version": 1}, LATER)

    assert (view.request.assignee, view.request.version) == (me.principal, 2)
    assert held(tracking_number) == (me.principal, 2, 2)
    assert (view.history[-1].event, view.history[-1].assignee) == ("assigned", DOKKI)
    audited = [record.__dict__ for record in raw_records.records if "audit" in record.__dict__]
    assert [(line["audit"], line["assignee"]) for line in audited] == [("request_assigned", me.principal)]


@pytest.mark.parametrize(
    ("body", "error", "code"),
    [
        ({"officer": WARRAQ, "version": 1}, InvalidInput, "invalid_fields"),  # not of the request's district
        ({"officer": DOKKI, "version": 5}, Conflict, "stale_version"),
    ],
)
def test_an_officer_of_another_district_or_a_stale_version_is_refused_and_writes_nothing(
    officers: dict[str, str], body: dict, error: type[Exception], code: str
) -> None:
    tracking_number = file_free_request(NOW)

    with pytest.raises(error) as refused:
        assign_request(MANAGER, tracking_number, body, LATER)

    assert refused.value.code == code
    assert refused.value.message_ar
    assert refused.value.message_en
    assert held(tracking_number) == (None, 1, 1)


def test_a_finished_request_is_assigned_to_no_one(officers: dict[str, str]) -> None:
    tracking_number = file_free_request(NOW)
    move_request(MANAGER, tracking_number, {"to": "cancelled", "note": "طلب المواطن الإلغاء", "version": 1}, NOW)

    with pytest.raises(Conflict) as refused:
        assign_request(MANAGER, tracking_number, {"officer": DOKKI, "version": 2}, LATER)

    assert refused.value.code == "assignment_not_allowed"
    assert refused.value.message_en == "A finished request is not assigned to anyone."
    assert held(tracking_number) == (None, 2, 2)
