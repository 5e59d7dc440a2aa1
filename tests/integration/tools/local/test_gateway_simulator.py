"""The local payment gateways (tools/local/gateway_simulator.py): a Fawry reference paid, and
Paymob's accept API and card page, each ending in the gateway's own signed callback to Shobbak's
API, which a stand-in on a thread of its own receives here."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from chalicelib.adapters.fawry import read_fawry_notice
from chalicelib.adapters.paymob import paymob_hmac
from chalicelib.adapters.secrets import LOCAL_DEFAULTS
from tools.local.gateway_simulator import Simulator


class _StandInApi(BaseHTTPRequestHandler):
    """Keeps each callback it receives and answers 200, as Shobbak's API answers a good one."""

    received: ClassVar[list[tuple[str, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.received.append((self.path, json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        pass


def _running(server: ThreadingHTTPServer) -> str:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def gateways() -> Iterator[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    api = ThreadingHTTPServer(("127.0.0.1", 0), _StandInApi)
    _StandInApi.received = []
    simulator = Simulator(("127.0.0.1", 0), _running(api), "http://portal.example")
    try:
        yield _running(simulator), _StandInApi.received
    finally:
        for server in (simulator, api):
            server.shutdown()
            server.server_close()


def call(url: str, form: dict[str, str] | None = None, body: Any = None) -> tuple[int, str]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    headers = {}
    if body is not None:
        data, headers = json.dumps(body).encode(), {"Content-Type": "application/json"}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refusal:
        return refusal.code, refusal.read().decode()


def test_a_fawry_reference_paid_is_notified_to_shobbak_signed_as_fawry_signs(gateways: Any) -> None:
    url, received = gateways
    assert call(f"{url}/")[0] == 200

    status, page = call(f"{url}/fawry/pay", {"reference": "1234 5678 9012 301", "amount": "1000"})

    assert status == 200
    assert "http://portal.example/" in page
    [(path, notice)] = received
    assert path == "/v1/payments/fawry/callback"
    assert (notice["merchantRefNumber"], notice["paymentAmount"], notice["orderStatus"]) == (
        "123456789012301", "1000.00", "PAID",
    )  # fmt: skip
    assert read_fawry_notice(notice, LOCAL_DEFAULTS["FAWRY_SECURE_KEY"]).reference == "123456789012301"


def test_a_card_checkout_goes_through_paymobs_api_and_its_callback_carries_paymobs_hmac(gateways: Any) -> None:
    url, received = gateways
    assert call(f"{url}/paymob/api/auth/tokens", body={"api_key": "wrong"})[0] == 403
    status, token = call(f"{url}/paymob/api/auth/tokens", body={"api_key": LOCAL_DEFAULTS["PAYMOB_API_KEY"]})
    assert (status, bool(json.loads(token)["token"])) == (201, True)
    _, order = call(f"{url}/paymob/api/ecommerce/orders", body={"amount_cents": 100000, "merchant_order_id": "m-1"})
    order_id = json.loads(order)["id"]
    _, key = call(f"{url}/paymob/api/acceptance/payment_keys", body={"order_id": order_id})
    payment_token = json.loads(key)["token"]

    status, card_page = call(f"{url}/paymob/api/acceptance/iframes/1?payment_token={payment_token}")
    assert status == 200
    assert "1000.00" in card_page
    assert call(f"{url}/paymob/pay", {"payment_token": payment_token, "decision": "approve"})[0] == 200

    [(path, callback)] = received
    hmac = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["hmac"][0]
    assert hmac == paymob_hmac(callback["obj"], LOCAL_DEFAULTS["PAYMOB_HMAC_SECRET"])
    assert (callback["obj"]["success"], callback["obj"]["order"]["merchant_order_id"]) == (True, "m-1")


def test_an_unknown_payment_link_or_path_is_not_found(gateways: Any) -> None:
    url, received = gateways
    assert call(f"{url}/paymob/api/acceptance/iframes/1?payment_token=never-issued")[0] == 404
    assert call(f"{url}/paymob/pay", {"payment_token": "never-issued", "decision": "approve"})[0] == 404
    assert call(f"{url}/elsewhere")[0] == 404
    assert received == []
