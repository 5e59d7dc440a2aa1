"""A stand-in for Paymob's accept API on a local port, for card checkouts in tests: it
registers orders (numbering them), hands out payment keys, and can be made slow."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakePaymob(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay_s = 0.0  # how long each call takes to answer
        self.orders: list[dict[str, Any]] = []  # what each order was registered with, in order
        self._next_order = 880_000
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def merchant_order_ids(self) -> list[str]:
        return [order["merchant_order_id"] for order in self.orders]

    def register(self, order: dict[str, Any]) -> int:
        with self._lock:
            self._next_order += 1
            self.orders.append(order)
            return self._next_order


class _Handler(BaseHTTPRequestHandler):
    server: FakePaymob

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(self.server.delay_s)
        answer: dict[str, Any]
        if self.path == "/api/auth/tokens":
            answer = {"token": "auth-token"}
        elif self.path == "/api/ecommerce/orders":
            answer = {"id": self.server.register(body)}
        elif self.path == "/api/acceptance/payment_keys":
            answer = {"token": f"payment-key-{body['order_id']}"}
        else:
            self.send_error(404)
            return
        payload = json.dumps(answer).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""
