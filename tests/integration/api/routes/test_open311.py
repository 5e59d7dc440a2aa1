"""Open311 GeoReport v2 through Chalice's test client, on moto: services, definitions, filing
through the citizen's own submission service, and reading requests without personal data."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

import boto3
import pytest
from chalice.test import Client

from chalicelib.domain.open311 import JURISDICTION_ID
from tests.factories import details_for, free_service_code, national_id, paid_service_code

API_KEY = "local-open311-api-key"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def filing(service_code: str | None = None, **overrides: str) -> dict[str, str]:
    code = service_code or paid_service_code()
    form = {
        "service_code": code,
        "first_name": "منى",
        "last_name": "أحمد عبد الله",
        "phone": "01012345678",
        "lat": "30.0385",
        "long": "31.2123",
        "attribute[district_code]": "dokki",
        "attribute[national_id]": national_id(),
        "attribute[consent]": "true",
        **{f"attribute[{name}]": str(value) for name, value in details_for(code).items()},
    }
    form.update(overrides)
    return form


def post_form(client: Client, path: str, form: dict[str, str], query: str = f"api_key={API_KEY}") -> Any:
    return client.http.post(
        f"{path}?{query}" if query else path,
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def parse_xml(body: bytes | str) -> ElementTree.Element:
    return ElementTree.fromstring(body)  # noqa: S314 - the answer of the service under test, not untrusted input


def stored_requests() -> int:
    return boto3.client("dynamodb").scan(TableName="shobbak-local-requests", Select="COUNT")["Count"]


def test_services_list_the_catalogue_s_services_with_the_open311_fields(client: Client) -> None:
    response = client.http.get("/open311/v2/services.json")

    assert response.status_code == 200
    services = response.json_body
    assert {service["service_code"] for service in services} >= {"shop_licence", "building_permit"}
    for service in services:
        assert set(service) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
        assert service["metadata"] is True
        assert service["type"] == "realtime"


def test_services_xml_carries_the_same_services(client: Client) -> None:
    as_json = client.http.get("/open311/v2/services.json").json_body
    response = client.http.get(f"/open311/v2/services.xml?jurisdiction_id={JURISDICTION_ID}")

    assert response.headers["Content-Type"].startswith("text/xml")
    root = parse_xml(response.body)
    assert root.tag == "services"
    assert [service.findtext("service_code") for service in root.findall("service")] == [
        service["service_code"] for service in as_json
    ]
    assert root.find("service/metadata").text == "true"


def test_a_definition_lists_where_who_and_the_service_s_fields_as_ordered_attributes(client: Client) -> None:
    response = client.http.get("/open311/v2/services/shop_licence.json")

    assert response.status_code == 200
    definition = response.json_body
    attributes = definition["attributes"]
    codes = [attribute["code"] for attribute in attributes]
    assert codes[:4] == ["district_code", "national_id", "consent", "notify_by"]
    assert set(details_for("shop_licence")) <= set(codes)
    assert [attribute["order"] for attribute in attributes] == list(range(1, len(attributes) + 1))
    districts = next(attribute for attribute in attributes if attribute["code"] == "district_code")
    assert districts["datatype"] == "singlevaluelist"
    assert districts["required"] is True
    assert {value["key"] for value in districts["values"]} == {"dokki", "omraniya", "warraq"}
    tenure = next(attribute for attribute in attributes if attribute["code"] == "tenure")
    assert tenure["datatype"] == "singlevaluelist"
    assert tenure["values"]
    area = next(attribute for attribute in attributes if attribute["code"] == "area_m2")
    assert (area["datatype"], area["required"]) == ("number", True)


def test_a_definition_in_xml_nests_values_under_each_attribute(client: Client) -> None:
    root = parse_xml(client.http.get("/open311/v2/services/shop_licence.xml").body)

    assert root.tag == "service_definition"
    district = root.find("attributes/attribute")
    assert district.findtext("code") == "district_code"
    assert [value.findtext("key") for value in district.findall("values/value")] == ["dokki", "omraniya", "warraq"]


@pytest.mark.parametrize("path", ["/open311/v2/services/no_such_service.json", "/open311/v2/services/shop_licence.csv"])
def test_an_unknown_service_or_format_is_an_open311_404(client: Client, path: str) -> None:
    response = client.http.get(path)

    assert response.status_code == 404
    assert response.json_body[0]["code"] == 404


def test_another_jurisdiction_is_refused(client: Client) -> None:
    response = client.http.get("/open311/v2/services.json?jurisdiction_id=cairo.gov.eg")

    assert response.status_code == 404
    assert JURISDICTION_ID in response.json_body[0]["description"]


@pytest.mark.parametrize("query", ["", "api_key=wrong-key"])
def test_filing_without_the_api_key_is_refused_and_writes_nothing(client: Client, query: str) -> None:
    response = post_form(client, "/open311/v2/requests.json", filing(), query=query)

    assert response.status_code == 403
    assert response.json_body[0]["code"] == 403
    assert stored_requests() == 0


def test_filing_goes_through_the_submission_service_and_reads_back_without_personal_data(client: Client) -> None:
    form = filing()
    response = post_form(client, "/open311/v2/requests.json", form)

    assert response.status_code == 201
    [filed] = response.json_body
    tracking_number = filed["service_request_id"]
    assert "فوري" in filed["service_notice"]
    assert "Fawry" in filed["service_notice"]
    inquiry = client.http.post(
        "/v1/inquiries",
        body=json.dumps({"tracking_number": tracking_number, "national_id_last4": form["attribute[national_id]"][-4:]}),
        headers={"Content-Type": "application/json"},
    )
    assert inquiry.json_body["status"] == "awaiting_payment"

    read = client.http.get(f"/open311/v2/requests/{tracking_number}.json")
    assert read.status_code == 200
    [request] = read.json_body
    assert request["service_request_id"] == tracking_number
    assert request["status"] == "open"
    assert request["service_code"] == form["service_code"]
    assert request["agency_responsible"].startswith("الدقي")
    assert request["requested_datetime"].endswith("Z")
    assert request["expected_datetime"] > request["requested_datetime"]
    assert "في انتظار سداد الرسوم" in request["status_notes"]
    personal = [form["first_name"], form["last_name"], form["phone"], form["attribute[national_id]"]]
    personal += [value for key, value in form.items() if key.startswith("attribute[") and len(value) > 4]
    personal += [form["attribute[national_id]"][-4:], "1234 5678", "shop_address", "address"]
    for body in (read.body, client.http.get(f"/open311/v2/requests/{tracking_number}.xml").body):
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        assert not [value for value in personal if value in text]


def test_the_same_filing_twice_files_once(client: Client) -> None:
    form = filing(free_service_code())
    first = post_form(client, "/open311/v2/requests.json", form)
    again = post_form(client, "/open311/v2/requests.xml", form)

    assert first.status_code == again.status_code == 201
    number = parse_xml(again.body).findtext("request/service_request_id")
    assert number == first.json_body[0]["service_request_id"]
    assert stored_requests() == 3  # the request, its one history entry and its proof


def test_an_invalid_filing_lists_each_problem_in_arabic_and_english_and_writes_nothing(client: Client) -> None:
    form = filing(**{"attribute[national_id]": "123", "phone": "", "attribute[consent]": "no", "attribute[x]": "y"})
    response = post_form(client, "/open311/v2/requests.json", form)

    assert response.status_code == 400
    errors = response.json_body
    assert all(error["code"] == 400 for error in errors)
    by_name = {error["description"].split(":")[0]: error["description"] for error in errors[1:]}
    assert set(by_name) == {"attribute[national_id]", "phone", "attribute[consent]", "attribute[x]"}
    for description in by_name.values():
        arabic, english = description.split(" — ")
        assert any("\u0621" <= letter <= "\u064a" for letter in arabic)
        assert english.isascii()
    assert stored_requests() == 0


def test_arabic_indic_digits_in_a_filing_are_read_as_digits(client: Client) -> None:
    form = filing(**{"attribute[national_id]": national_id().translate(ARABIC_INDIC), "phone": "٠١٠١٢٣٤٥٦٧٨"})

    assert post_form(client, "/open311/v2/requests.json", form).status_code == 201


def test_requests_by_ids_and_by_date_and_status(client: Client) -> None:
    numbers = [
        post_form(client, "/open311/v2/requests.json", filing(free_service_code(), phone=phone)).json_body[0][
            "service_request_id"
        ]
        for phone in ("01012345678", "01112345678")
    ]

    by_ids = client.http.get(f"/open311/v2/requests.json?service_request_id={','.join(numbers)},1234")
    assert [request["service_request_id"] for request in by_ids.json_body] == numbers

    listed = client.http.get(f"/open311/v2/requests.json?api_key={API_KEY}&status=open")
    assert {request["service_request_id"] for request in listed.json_body} == set(numbers)
    assert client.http.get(f"/open311/v2/requests.json?api_key={API_KEY}&status=closed").json_body == []
    other_service = client.http.get(f"/open311/v2/requests.json?api_key={API_KEY}&service_code=building_permit")
    assert other_service.json_body == []
    long_ago = client.http.get(
        f"/open311/v2/requests.json?api_key={API_KEY}&start_date=2025-01-01T00:00:00Z&end_date=2025-02-01T00:00:00Z"
    )
    assert long_ago.json_body == []
    as_xml = parse_xml(client.http.get(f"/open311/v2/requests.xml?api_key={API_KEY}").body)
    assert {request.findtext("service_request_id") for request in as_xml.findall("request")} == set(numbers)


def test_a_listing_by_date_needs_the_api_key(client: Client) -> None:
    response = client.http.get("/open311/v2/requests.json?status=open")

    assert response.status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "start_date=yesterday",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
        "status=pending",
    ],
)
def test_an_invalid_listing_is_an_open311_400(client: Client, query: str) -> None:
    response = client.http.get(f"/open311/v2/requests.json?api_key={API_KEY}&{query}")

    assert response.status_code == 400
    assert " — " in response.json_body[0]["description"]


def test_an_unknown_request_is_an_open311_404_in_its_format(client: Client) -> None:
    assert client.http.get("/open311/v2/requests/1234567890123.json").status_code == 404
    response = client.http.get("/open311/v2/requests/1234567890123.xml")
    assert response.status_code == 404
    assert parse_xml(response.body).findtext("error/code") == "404"


@pytest.mark.parametrize("headers", [{}, {"Content-Type": "application/json"}])
def test_a_filing_that_is_not_a_form_is_refused_in_open311_s_words(client: Client, headers: dict[str, str]) -> None:
    # Found by Schemathesis: a post without a Content-Type (read as JSON) got Chalice's own 415 shape.
    response = client.http.post(f"/open311/v2/requests.json?api_key={API_KEY}", body="{}", headers=headers)

    assert response.status_code == 415
    assert response.json_body[0]["code"] == 415
    assert stored_requests() == 0


@pytest.mark.parametrize(("contended", "status"), [(True, 409), (False, 503)])
def test_a_busy_store_is_an_open311_error_to_retry_and_writes_nothing(
    client: Client, monkeypatch: pytest.MonkeyPatch, contended: bool, status: int
) -> None:
    from chalicelib.domain.errors import Busy
    from chalicelib.services import open311

    def busy(*_: Any) -> None:
        raise Busy(contended=contended)

    monkeypatch.setattr(open311, "submit_request", busy)
    response = post_form(client, "/open311/v2/requests.json", filing())

    assert response.status_code == status
    assert response.json_body[0]["code"] == status
    assert response.headers["Retry-After"]
    assert stored_requests() == 0
