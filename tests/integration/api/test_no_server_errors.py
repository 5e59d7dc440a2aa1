"""No 5xx where the contract promises none (issue 23, items 6 and 7): cursors nested deep enough
to exhaust Python's recursion, Open311 dates at the ends of the calendar, parameters that would
reach a DynamoDB key out of its bounds (tests/dynamodb_limits.py holds every call to DynamoDB's
real limits, which moto does not), and Open311's XML, valid XML 1.0 whatever the input."""

from __future__ import annotations

import base64
from urllib.parse import quote, urlencode

import pytest
from chalice.test import Client

from tests.factories import free_service_code, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.routes.test_open311 import API_KEY, parse_xml

# base64 of 5,000 nested "[": json.loads recurses once a level.
DEEP_CURSOR = base64.urlsafe_b64encode(b"[" * 5000).decode().rstrip("=")
LONG = "x" * 3000  # over a partition key's 2,048 bytes


@pytest.mark.parametrize(
    "path",
    [
        f"/v1/office/requests?status=submitted&cursor={DEEP_CURSOR}",
        f"/v1/office/performance/overdue?district=dokki&cursor={DEEP_CURSOR}",
        f"/v1/office/requests?status=submitted&cursor={'[' * 5000}",
    ],
    ids=["queue", "overdue", "unencoded"],
)
def test_a_cursor_nested_five_thousand_deep_is_a_400(client: Client, staff: StaffHeaders, path: str) -> None:
    answer = client.http.get(path, headers=staff("manager", "dokki"))

    assert answer.status_code == 400, answer.body
    assert "cursor" in answer.json_body["error"]["fields"]


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "0001-01-01T00:00:00+14:00"},
        {"end_date": "9999-12-31T23:59:59-14:00"},
        {"start_date": "0001-01-01T00:00:00+14:00", "end_date": "0001-01-02T00:00:00+14:00"},
        {"end_date": "9999-12-31T23:59:59Z"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_dates_at_the_ends_of_the_calendar_are_a_400(client: Client, query: dict[str, str], fmt: str) -> None:
    answer = client.http.get(f"/open311/v2/requests.{fmt}?{urlencode({'api_key': API_KEY, **query})}")

    assert answer.status_code == 400, answer.body


@pytest.mark.parametrize(
    ("path", "office"),
    [
        ("/v1/requests/{tracking}/documents/" + LONG + "/uploaded", False),
        ("/v1/requests/{tracking}/documents//uploaded", False),
        ("/v1/office/requests/{tracking}/documents/" + LONG, True),
        ("/v1/office/requests?status=submitted&department=" + LONG, True),
        ("/v1/office/requests?status=submitted&district=" + LONG, True),
        ("/v1/office/performance?district=" + LONG, True),
        ("/v1/office/performance/overdue?district=" + LONG, True),
        ("/open311/v2/services/" + LONG + ".json", False),
        (f"/open311/v2/requests.json?api_key={API_KEY}&service_code=" + LONG, False),
    ],
    ids=["uploaded", "uploaded-empty", "office-document", "department", "district", "figures", "overdue",
         "open311-service", "open311-listing"],
)  # fmt: skip
def test_a_parameter_too_long_for_a_dynamodb_key_is_refused_before_dynamodb_sees_it(
    client: Client, staff: StaffHeaders, path: str, office: bool
) -> None:
    tracking = post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]

    answer = client.http.get(path.format(tracking=tracking), headers=staff("hq") if office else {})

    assert answer.status_code < 500, answer.body
    assert answer.status_code in (200, 400, 404), answer.body  # a listing filters; nothing reaches a key


@pytest.mark.parametrize("name", ["attribute[\x01]", "attribute[a\x0bb]", "\x1f", "attribute[\ufffe]"])
def test_open311_xml_is_valid_xml_whatever_a_field_name_holds(client: Client, name: str) -> None:
    form = {"service_code": free_service_code(), "first_name": "منى", name: "x"}

    answer = client.http.post(
        f"/open311/v2/requests.xml?api_key={API_KEY}",
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert answer.status_code == 400, answer.body
    parse_xml(answer.body)  # raises on anything XML 1.0 does not allow


def test_open311_xml_of_a_request_id_holding_control_characters_is_valid(client: Client) -> None:
    answer = client.http.get(f"/open311/v2/requests.xml?api_key={API_KEY}&service_request_id={quote(chr(1) + '1')}")

    assert answer.status_code < 500
    parse_xml(answer.body)
