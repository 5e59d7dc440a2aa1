"""Open311 driven by real client libraries from PyPI against the real local stack: civicbot's
Open311Client (JSON: list services, read a definition, file a request checked against that
definition, read it back and list it) and georeport's GeoReport (the same reads in XML).
The session is written to test-artifacts/open311/session.txt."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport

from chalicelib.domain.open311 import JURISDICTION_ID
from tests.e2e.stack import LocalStack
from tests.factories import national_id

pytestmark = pytest.mark.e2e

API_KEY = "local-open311-api-key"
SESSION = Path(__file__).resolve().parents[2] / "test-artifacts" / "open311" / "session.txt"
APPLICANT = {"first_name": "منى", "last_name": "أحمد عبد الله", "phone": "010 1234 5678"}


class RecordingTransport(HttpTransport):
    """civicbot's own transport, writing down each exchange (the api_key masked)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(rate_limiter=RateLimiter(min_interval=0))
        self.lines = lines

    def _open(self, req: urllib.request.Request) -> bytes:
        sent = req.data.decode("utf-8") if isinstance(req.data, bytes) else ""
        answer = super()._open(req)
        self.lines.append(f"> {req.get_method()} {req.full_url.replace(API_KEY, '***')}")
        if sent:
            self.lines.append(f">   {sent.replace(API_KEY, '***')}")
        self.lines.append(f"< {answer.decode('utf-8')[:1500]}")
        return answer


@pytest.fixture(scope="module")
def session() -> list[str]:
    lines: list[str] = []
    yield lines
    SESSION.parent.mkdir(parents=True, exist_ok=True)
    SESSION.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def began() -> str:
    """When the module's first test began (Open311's start_date): on the stack it shares with the
    modules before it (tests/e2e/conftest.py), the requests filed since are this module's. Each test
    asks for it, so that it is taken before the first files anything."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_civicbot_lists_defines_files_and_reads_back(local_stack: LocalStack, session: list[str], began: str) -> None:
    endpoint = Endpoint(id="giza", name="Giza Governorate", base_url=f"{local_stack.api_url}/open311/v2", write=True)
    client = Open311Client(endpoint, transport=RecordingTransport(session), jurisdiction_id=JURISDICTION_ID)

    services = client.list_services()
    assert "shop_licence" in {service["service_code"] for service in services}

    definition = client.get_service_definition("shop_licence")
    required = {attribute["code"] for attribute in definition["attributes"] if attribute["required"]}
    assert required == {"district_code", "national_id", "consent", "shop_address", "activity", "area_m2", "tenure"}

    attributes = {
        "district_code": "dokki",
        "national_id": national_id(),
        "consent": "true",
        "shop_address": "١٢ شارع التحرير، الدقي",
        "activity": "بقالة",
        "area_m2": "45",
        "tenure": "leased",
    }
    # The client checks the attributes against the definition it reads (validate_remote), and
    # insists on a location, which a personal application does not need: the office's is given.
    filed = client.create_request(
        "shop_licence", dry_run=False, confirm="SEND", api_key=API_KEY, validate_remote=True,
        lat=30.0385, lng=31.2123, attributes=attributes, **APPLICANT,
    )  # fmt: skip
    [answer] = filed.response
    tracking_number = answer["service_request_id"]
    assert tracking_number.isdigit()
    assert "Fawry" in answer["service_notice"]

    again = client.create_request(
        "shop_licence", dry_run=False, confirm="SEND", api_key=API_KEY,
        lat=30.0385, lng=31.2123, attributes=attributes, **APPLICANT,
    )  # fmt: skip
    assert again.response[0]["service_request_id"] == tracking_number

    read_back = client.get_request(tracking_number)
    assert read_back["service_request_id"] == tracking_number
    assert read_back["status"] == "open"
    assert read_back["service_code"] == "shop_licence"
    assert read_back["agency_responsible"].startswith("الدقي")
    assert not {"first_name", "last_name", "phone", "address", "attributes"} & set(read_back)
    text = json.dumps(read_back, ensure_ascii=False)
    assert not [value for value in (*APPLICANT.values(), *attributes.values()) if len(value) > 4 and value in text]

    listed = client.list_requests(service_request_ids=[tracking_number])
    assert [request["service_request_id"] for request in listed] == [tracking_number]


def test_georeport_reads_the_same_in_xml(local_stack: LocalStack, session: list[str], began: str) -> None:
    client = GeoReport(f"{local_stack.api_url}/open311/v2", jurisdiction=JURISDICTION_ID, output_format="xml")

    services = client.get_service_list()
    session.append(f"georeport (XML) services: {[service['service_code'] for service in services]}")
    assert "building_permit" in {service["service_code"] for service in services}

    definition = client.get_service_definition("building_permit")
    session.append(f"georeport (XML) building_permit attributes: {len(definition['attributes']['attribute'])}")
    codes = [attribute["code"] for attribute in definition["attributes"]["attribute"]]
    assert codes[:2] == ["district_code", "national_id"]

    [latest] = json.loads(
        urllib.request.urlopen(
            f"{local_stack.api_url}/open311/v2/requests.json?api_key={API_KEY}&service_code=shop_licence"
            f"&start_date={began}",
            timeout=30,
        ).read()
    )[:1]
    request = client.get_service_request(latest["service_request_id"])
    session.append(f"georeport (XML) request: {request}")
    assert request["service_request_id"] == latest["service_request_id"]
    assert request["status"] == "open"
