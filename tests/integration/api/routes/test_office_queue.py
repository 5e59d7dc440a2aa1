"""District queues: by status (and department), most urgent first, overdue marked, one query a page."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from chalice.test import Client

from chalicelib.services.submission import ONLINE, submit_request
from tests.factories import submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tools.testing.aws_calls import counted_aws_calls

FREE_AND_FAST = "demolition_licence"


def file(client: Client, service_code: str, district_code: str = "dokki") -> str:
    return post_json(client, "/v1/requests", submission(service_code, district_code)).json_body["tracking_number"]


def queue(client: Client, headers: dict[str, str], query: str) -> dict:
    response = client.http.get(f"/v1/office/requests?{query}", headers=headers)
    assert response.status_code == 200, response.body
    return response.json_body


def test_the_most_urgent_request_comes_first(client: Client, staff: StaffHeaders) -> None:
    slow = file(client, "building_violation_reconciliation")
    fast = file(client, "road_occupancy_renewal")
    middle = file(client, "utility_connection")

    page = queue(client, staff("officer", "dokki"), "status=awaiting_payment")

    assert [entry["tracking_number"] for entry in page["requests"]] == [fast, middle, slow]
    dues = [entry["sla_due_date"] for entry in page["requests"]]
    assert dues == sorted(dues)
    assert page["next_cursor"] is None


def test_overdue_requests_are_marked(aws: None, client: Client, staff: StaffHeaders) -> None:
    march = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    late = submit_request(submission(FREE_AND_FAST), None, ONLINE, march).tracking_number
    on_time = file(client, FREE_AND_FAST)

    page = queue(client, staff("officer", "dokki"), "status=submitted")

    overdue = {entry["tracking_number"]: entry["overdue"] for entry in page["requests"]}
    assert overdue == {late: True, on_time: False}
    assert page["requests"][0]["tracking_number"] == late


def test_pages_follow_each_other_with_an_opaque_cursor_one_query_each(client: Client, staff: StaffHeaders) -> None:
    filed = {file(client, FREE_AND_FAST) for _ in range(5)}
    officer = staff("officer", "dokki")

    seen, cursor, calls_per_page = [], None, []
    while True:
        query = "status=submitted&page_size=2" + (f"&cursor={cursor}" if cursor else "")
        with counted_aws_calls() as calls:
            page = queue(client, officer, query)
        calls_per_page.append(dict(calls))
        seen += [entry["tracking_number"] for entry in page["requests"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert set(seen) == filed
    assert len(seen) == len(filed)
    assert seen == [entry["tracking_number"] for entry in queue(client, officer, "status=submitted")["requests"]]
    assert all(calls == {"dynamodb:Query": 1} for calls in calls_per_page)


def test_a_department_sees_only_its_own_work(client: Client, staff: StaffHeaders) -> None:
    occupancies = file(client, "road_occupancy_new")
    file(client, "building_violation_reconciliation")

    page = queue(client, staff("officer", "dokki"), "status=awaiting_payment&department=occupancies")

    assert [entry["tracking_number"] for entry in page["requests"]] == [occupancies]
    assert page["department"] == "occupancies"


def test_a_district_queue_holds_only_that_districts_requests(client: Client, staff: StaffHeaders) -> None:
    dokki = file(client, FREE_AND_FAST, "dokki")
    warraq = file(client, FREE_AND_FAST, "warraq")

    assert [e["tracking_number"] for e in queue(client, staff("officer", "dokki"), "status=submitted")["requests"]] == [
        dokki
    ]
    headquarters = staff("hq")
    assert [
        e["tracking_number"] for e in queue(client, headquarters, "status=submitted&district=warraq")["requests"]
    ] == [warraq]


def test_bad_queue_questions_get_clear_errors(client: Client, staff: StaffHeaders) -> None:
    officer = staff("officer", "dokki")
    forged = base64.urlsafe_b64encode(b'{"after": "x"}').decode()
    cases = {
        "": "status",
        "status=lost": "status",
        "status=submitted&page_size=0": "page_size",
        "status=submitted&page_size=101": "page_size",
        "status=submitted&page_size=٣": "page_size",
        "status=submitted&cursor=!!!": "cursor",
        f"status=submitted&cursor={forged}": "cursor",
    }
    for query, field in cases.items():
        response = client.http.get(f"/v1/office/requests?{query}", headers=officer)
        assert response.status_code == 400, query
        assert field in response.json_body["error"]["fields"], query

    headquarters_without_district = client.http.get("/v1/office/requests?status=submitted", headers=staff("hq"))
    assert headquarters_without_district.status_code == 400
    assert "district" in headquarters_without_district.json_body["error"]["fields"]
