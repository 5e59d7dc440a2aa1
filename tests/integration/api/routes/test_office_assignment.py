"""Taking and assigning work through the office API (issue 21, section 3): an officer takes a
request, a manager assigns it to an officer of the district (the staff pool's register), each on
the version read, recorded in the history and audited."""

from __future__ import annotations

from typing import Any

import pytest
from chalice.test import Client

from tests.factories import free_service_code, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders


@pytest.fixture
def tracking_number(client: Client) -> str:
    return post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]


def assign(client: Client, headers: dict[str, str], tracking_number: str, **body: Any) -> Any:
    return post_json(client, f"/v1/office/requests/{tracking_number}/assignment", body, headers)


def test_an_officer_takes_a_request_on_its_version(
    client: Client, staff: StaffHeaders, officers: dict[str, str], tracking_number: str
) -> None:
    me = officers["officer.dokki@staff.shobbak.local"]
    officer = staff("officer", "dokki", principal=me)

    taken = assign(client, officer, tracking_number, officer=me, version=1)

    assert taken.status_code == 200, taken.body
    assert taken.json_body["version"] == 2
    assert taken.json_body["assignee"] == {"officer": me, "email": "officer.dokki@staff.shobbak.local"}
    entry = taken.json_body["history"][-1]
    assert (entry["event"], entry["actor"], entry["assignee"]) == ("assigned", me, "officer.dokki@staff.shobbak.local")
    again = assign(client, officer, tracking_number, officer=me, version=1)
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "stale_version"


def test_an_officer_may_assign_only_to_themself(
    client: Client, staff: StaffHeaders, officers: dict[str, str], tracking_number: str
) -> None:
    officer = staff("officer", "dokki", principal="someone-else")

    refused = assign(client, officer, tracking_number, officer="officer.dokki@staff.shobbak.local", version=1)

    assert refused.status_code == 403
    assert client.http.get(f"/v1/office/requests/{tracking_number}", headers=officer).json_body["version"] == 1


def test_a_manager_assigns_to_an_officer_of_the_district_by_email(
    client: Client, staff: StaffHeaders, officers: dict[str, str], tracking_number: str
) -> None:
    manager = staff("manager", "dokki")

    given = assign(client, manager, tracking_number, officer="OFFICER.dokki@staff.shobbak.local", version=1)
    elsewhere = assign(client, manager, tracking_number, officer="officer.warraq@staff.shobbak.local", version=2)

    assert given.status_code == 200, given.body
    assert given.json_body["assignee"]["officer"] == officers["officer.dokki@staff.shobbak.local"]
    assert elsewhere.status_code == 400
    assert "officer" in elsewhere.json_body["error"]["fields"]


def test_another_district_and_other_roles_cannot_assign(
    client: Client, staff: StaffHeaders, officers: dict[str, str], tracking_number: str
) -> None:
    body = {"officer": "officer.dokki@staff.shobbak.local", "version": 1}

    assert assign(client, staff("manager", "warraq"), tracking_number, **body).status_code == 404
    assert assign(client, staff("clerk", "dokki"), tracking_number, **body).status_code == 403
    assert assign(client, staff("hq"), tracking_number, **body).status_code == 403


def test_a_finished_request_is_not_assigned(
    client: Client, staff: StaffHeaders, officers: dict[str, str], tracking_number: str
) -> None:
    manager = staff("manager", "dokki")
    post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
              {"to": "cancelled", "note": "سحب الطلب", "version": 1}, manager)  # fmt: skip

    refused = assign(client, manager, tracking_number, officer="officer.dokki@staff.shobbak.local", version=2)

    assert refused.status_code == 409
    assert refused.json_body["error"]["code"] == "assignment_not_allowed"
