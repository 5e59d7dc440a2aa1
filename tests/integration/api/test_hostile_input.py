"""Every route, driven with hostile path, query and body values, never answers 5xx (issue 23).

Hypothesis picks a route of the application (all of them, from Chalice's own table), fills its
path with hostile text or a request that exists, adds hostile query arguments (the names the
routes read, and others) and a hostile JSON or form body, and sends it as a member of staff of
the request's district. Every DynamoDB call meets the service's real key limits
(tests/dynamodb_limits.py, through tests/faults.py), so a value that would reach a key unchecked
shows here as the 500 it would be in AWS. The cases issue 23 found are explicit examples. The same
cases run twice: under the local stage, and under the packaged stage's settings (each route with
the environment the packaged template gives its function, tests/integration/api/packaged_stage.py).
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from chalice.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app import app
from tests.factories import free_service_code, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.packaged_stage import PackagedStage, issue
from tests.integration.api.routes.test_open311 import API_KEY

ROUTES = sorted((method, path) for path, methods in app.routes.items() for method in methods)
ISSUED = "<issued>"  # stands for the tracking number of a request that exists
DEEP_CURSOR = base64.urlsafe_b64encode(b"[" * 5000).decode().rstrip("=")
CALENDAR_ENDS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]

HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=8),
    st.sampled_from(
        [
            "",
            "[" * 5000,
            DEEP_CURSOR,
            "x" * 3000,
            "٠١٢٣٤٥٦٧٨٩٠١٢٣",
            "\x00",
            "\ud800",
            "../..",
            "%00",
            "NaN",
            "-1",
            "1e999",
            "9" * 40,
            "true",
            "dokki",
            "submitted",
            "in_review",
            "2026-02-30",
            *CALENDAR_ENDS,
        ]
    ),
)
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), HOSTILE_TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(HOSTILE_TEXT, inner, max_size=3)),
    max_leaves=6,
)
FIELD_NAMES = [
    "tracking_number", "national_id_last4", "document", "documents", "file_name", "content_type", "size_bytes",
    "to", "note", "version", "reason", "to_district", "message_to_citizen", "notify_by", "service_code",
    "district_code", "applicant", "details", "consent", "first_name", "attribute[\x01]", "fawryRefNumber",
    "merchantRefNumber", "obj",
]  # fmt: skip
QUERY_NAMES = [
    "status", "cursor", "district", "department", "page_size", "from", "to", "start_date", "end_date",
    "service_code", "service_request_id", "jurisdiction_id", "api_key", "hmac", "key", "bucket", "etag",
]  # fmt: skip


def _path(template: str, values: list[str], tracking_number: str) -> str:
    for value in values:
        if "{" not in template:
            break
        start, end = template.index("{"), template.index("}")
        value = tracking_number if value == ISSUED else value
        if template[start + 1 : end] in ("request_file", "service_file") and value != tracking_number:
            value += ".xml"
        elif value == tracking_number and template[start + 1 : end] == "request_file":
            value += ".json"
        template = template[:start] + quote(value.encode("utf-8", "surrogatepass"), safe="") + template[end + 1 :]
    return template


@pytest.fixture
def issued(client: Client) -> str:
    return post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]


@pytest.fixture
def packaged_issued(packaged_stage: PackagedStage) -> str:
    return issue(packaged_stage)


def hostile_cases(test: Any) -> Any:
    """Hypothesis's hostile routes, paths, queries and bodies, with the cases issue 23 found."""
    for decorate in reversed(
        [
            settings(
                max_examples=120,
                deadline=None,
                suppress_health_check=[
                    HealthCheck.function_scoped_fixture,
                    HealthCheck.too_slow,
                    HealthCheck.data_too_large,
                ],
            ),
            given(
                route=st.sampled_from(ROUTES),
                path_values=st.lists(st.one_of(st.just(ISSUED), HOSTILE_TEXT), min_size=2, max_size=2),
                query=st.dictionaries(st.one_of(st.sampled_from(QUERY_NAMES), HOSTILE_TEXT), HOSTILE_TEXT, max_size=4),
                body=st.one_of(
                    st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), HOSTILE_TEXT), JSON_VALUE, max_size=5),
                    JSON_VALUE,
                ),
                as_form=st.booleans(),
            ),
            example(
                route=("GET", "/v1/office/requests"),
                path_values=[ISSUED, ISSUED],
                query={"status": "submitted", "cursor": DEEP_CURSOR},
                body={},
                as_form=False,
            ),
            example(
                route=("GET", "/v1/office/performance/overdue"),
                path_values=[ISSUED, ISSUED],
                query={"district": "dokki", "cursor": DEEP_CURSOR},
                body={},
                as_form=False,
            ),
            example(
                route=("GET", "/open311/v2/requests.json"),
                path_values=[ISSUED, ISSUED],
                query={"api_key": API_KEY, "start_date": CALENDAR_ENDS[0]},
                body={},
                as_form=False,
            ),
            example(
                route=("GET", "/open311/v2/requests.xml"),
                path_values=[ISSUED, ISSUED],
                query={"api_key": API_KEY, "end_date": CALENDAR_ENDS[1]},
                body={},
                as_form=False,
            ),
            example(
                route=("GET", "/v1/requests/{tracking_number}/documents/{document_id}/uploaded"),
                path_values=[ISSUED, "x" * 3000],
                query={},
                body={},
                as_form=False,
            ),
            example(
                route=("POST", "/open311/v2/requests.xml"),
                path_values=[ISSUED, ISSUED],
                query={"api_key": API_KEY},
                body={"service_code": "shop_licence", "attribute[\x01]": "x"},
                as_form=True,
            ),
        ]
    ):
        test = decorate(test)
    return test


@hostile_cases
def test_no_route_answers_5xx_to_hostile_values(
    client: Client,
    staff: StaffHeaders,
    issued: str,
    route: tuple[str, str],
    path_values: list[str],
    query: dict[str, str],
    body: Any,
    as_form: bool,
) -> None:
    def send(method: str, template: str, url: str, headers: dict[str, str], content: bytes) -> Any:
        return client.http.request(method, url, headers=headers, body=content)

    drive(send, lambda: staff("manager", "dokki"), issued, route, path_values, query, body, as_form)


@hostile_cases
def test_no_route_answers_5xx_to_hostile_values_under_the_packaged_stage(
    packaged_stage: PackagedStage,
    packaged_issued: str,
    route: tuple[str, str],
    path_values: list[str],
    query: dict[str, str],
    body: Any,
    as_form: bool,
) -> None:
    """The same, each route under the environment the packaged template gives its function
    (tests/integration/api/packaged_stage.py): the stage's Open311 key stands for the local one."""
    query = {name: packaged_stage.open311_api_key if value == API_KEY else value for name, value in query.items()}
    staff = lambda: packaged_stage.staff("manager", "dokki")  # noqa: E731 - one line, read once per example
    drive(packaged_stage.request, staff, packaged_issued, route, path_values, query, body, as_form)


def drive(
    send: Any,
    staff: Any,
    issued: str,
    route: tuple[str, str],
    path_values: list[str],
    query: dict[str, str],
    body: Any,
    as_form: bool,
) -> None:
    method, template = route
    path = _path(template, path_values, issued)
    arguments = urlencode({name.encode("utf-8", "surrogatepass"): value.encode("utf-8", "surrogatepass")
                           for name, value in query.items()})  # fmt: skip
    headers = staff() if template.startswith("/v1/office/") else {}
    if as_form and isinstance(body, dict):
        content = urlencode({str(name).encode("utf-8", "surrogatepass"): str(value).encode("utf-8", "surrogatepass")
                             for name, value in body.items()})  # fmt: skip
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    else:
        content = json.dumps(body)
        headers = {**headers, "Content-Type": "application/json"}

    answer = send(method, template, f"{path}?{arguments}" if arguments else path, headers, content.encode())

    assert answer.status_code < 500, (method, path, arguments, content[:300], answer.body[:500])
