"""The load test's traffic (`make load` runs it through run.py, headless).

A realistic mix: citizens inquire most, read the catalogue, and submit (each with its own
Idempotency-Key, and now and then a double click that sends it again); the payment gateway
posts signed Fawry notices for invoices the citizens were given (and sometimes repeats one,
as gateways do); one officer per active district pages through the queues, opens requests
and moves them on, approving a request once the district's window has recorded the paper
documents the citizen handed in. Anything but the answer docs/interfaces.md promises counts as a failure.
"""

from __future__ import annotations

import json
import os
import random
import secrets
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, task
from locust.contrib.fasthttp import ResponseContextManager

from bench.load.traffic import active_districts, idempotency_key, offered_services, service_named, staff_token
from chalicelib.domain.staff import Role
from tools.testing.synthetic import drawn_application, fawry_paid_notice, paper_documents

JSON = {"Content-Type": "application/json"}
# The runner's seed: requests filed before the run, so that inquiries and payments have
# something to find from the first second.
_SEED: dict[str, Any] = json.loads(Path(os.environ["SHOBBAK_LOAD_SEED"]).read_text(encoding="utf-8"))
INQUIRABLE: list[tuple[str, str]] = [(tracking, last4) for tracking, last4 in _SEED["inquirable"]]
UNPAID: list[tuple[str, float]] = [(reference, amount) for reference, amount in _SEED["unpaid"]]
SENT_NOTICES: list[dict[str, Any]] = []
DISTRICTS = active_districts()
SERVICES = {district: offered_services(district) for district in DISTRICTS}
UNASSIGNED_DISTRICTS = list(DISTRICTS)


def expect(response: ResponseContextManager, status: int) -> dict[str, Any] | None:
    """Marks anything but `status` a failure, naming the status (the runner counts 5xx)."""
    if response.status_code != status:
        response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")
        return None
    response.success()
    return response.json()


class Citizen(FastHttpUser):
    weight = 20
    wait_time = between(0.5, 2.5)

    def on_start(self) -> None:
        self.rng = random.Random()

    @task(10)
    def inquire(self) -> None:
        tracking_number, last4 = self.rng.choice(INQUIRABLE)
        body = {"tracking_number": tracking_number, "national_id_last4": last4}
        with self.client.post(
            "/v1/inquiries", json=body, headers=JSON, name="POST /v1/inquiries", catch_response=True
        ) as response:
            expect(response, 200)

    @task(2)
    def read_districts(self) -> None:
        with self.client.get("/v1/districts", name="GET /v1/districts", catch_response=True) as response:
            expect(response, 200)

    @task(3)
    def read_services(self) -> None:
        district = self.rng.choice(DISTRICTS)
        with self.client.get(
            f"/v1/services?district={district}", name="GET /v1/services", catch_response=True
        ) as response:
            expect(response, 200)

    @task(2)
    def submit(self) -> None:
        district = self.rng.choice(DISTRICTS)
        body, last4 = drawn_application(self.rng.choice(SERVICES[district]), district, self.rng)
        headers = {**JSON, "Idempotency-Key": idempotency_key()}
        with self.client.post(
            "/v1/requests", json=body, headers=headers, name="POST /v1/requests", catch_response=True
        ) as response:
            answer = expect(response, 201)
        if answer is None:
            return
        if self.rng.random() < 0.1:  # a double click: the same key and body, answered the same, filing nothing
            with self.client.post(
                "/v1/requests", json=body, headers=headers, name="POST /v1/requests (repeated)", catch_response=True
            ) as response:
                again = expect(response, 201)
                if again is not None and again["tracking_number"] != answer["tracking_number"]:
                    response.failure("a repeated submission filed another request")
        INQUIRABLE.append((answer["tracking_number"], last4))
        if answer["payment"] is not None:
            UNPAID.append((answer["payment"]["reference"], answer["payment"]["amount_egp"]))


class PaymentGateway(FastHttpUser):
    fixed_count = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.rng = random.Random()

    @task
    def notify(self) -> None:
        if SENT_NOTICES and (not UNPAID or self.rng.random() < 0.1):
            notice = self.rng.choice(SENT_NOTICES)  # gateways repeat themselves: answered 200, changes nothing
        elif UNPAID:
            reference, amount = UNPAID.pop(self.rng.randrange(len(UNPAID)))
            notice = fawry_paid_notice(reference, amount, f"{secrets.randbelow(10**10):010d}")
            SENT_NOTICES.append(notice)
        else:
            return
        with self.client.post(
            "/v1/payments/fawry/callback",
            json=notice,
            headers=JSON,
            name="POST /v1/payments/fawry/callback",
            catch_response=True,
        ) as response:
            expect(response, 200)


class Officer(FastHttpUser):
    """One per active district, so that no two officers move the same request at once. The
    district's window clerk works beside the officer: the paper goes on record before approval."""

    fixed_count = len(DISTRICTS)
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.district = UNASSIGNED_DISTRICTS.pop()
        self.headers = {**JSON, "Authorization": f"Bearer {staff_token(Role.OFFICER, self.district)}"}
        self.clerk_headers = {**JSON, "Authorization": f"Bearer {staff_token(Role.CLERK, self.district)}"}

    def _queue(self, status: str) -> list[dict[str, Any]]:
        with self.client.get(
            f"/v1/office/requests?status={status}&page_size=25",
            headers=self.headers,
            name="GET /v1/office/requests",
            catch_response=True,
        ) as response:
            page = expect(response, 200)
        return page["requests"] if page else []

    @task(3)
    def look_at_queues(self) -> None:
        self._queue(self.rng.choice(("submitted", "awaiting_payment", "in_review", "approved")))

    @task(2)
    def review_next(self) -> None:
        self._move_one("in_review", self.rng.choice(("approved", "approved", "needs_info")))

    @task(1)
    def hand_over_next(self) -> None:
        self._move_one("approved", "ready")

    def _move_one(self, status: str, target: str) -> None:
        waiting = self._queue(status)
        if not waiting:
            return
        tracking_number = self.rng.choice(waiting)["tracking_number"]
        with self.client.get(
            f"/v1/office/requests/{tracking_number}",
            headers=self.headers,
            name="GET /v1/office/requests/{tracking_number}",
            catch_response=True,
        ) as response:
            request = expect(response, 200)
        if request is None:
            return
        if target == "approved":
            request = self._paper_recorded(request)  # a change like any other: the version moves on
            if request is None:
                return
        move = {"to": target, "note": "تمت المراجعة", "version": request["version"]}
        if target == "needs_info":
            move["message_to_citizen"] = "يرجى إرفاق صورة عقد الإيجار."
        with self.client.post(
            f"/v1/office/requests/{tracking_number}/transitions",
            json=move,
            headers=self.headers,
            name="POST /v1/office/requests/{tracking_number}/transitions",
            catch_response=True,
        ) as response:
            expect(response, 200)

    def _paper_recorded(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The window records every document the service lists (a second time records nothing): the
        request as it then stands, or None when the window's answer was not a 200."""
        paper = paper_documents(service_named(request["service_code"]), request["version"])
        with self.client.post(
            f"/v1/office/requests/{request['tracking_number']}/documents/received",
            json=paper,
            headers=self.clerk_headers,
            name="POST /v1/office/requests/{tracking_number}/documents/received",
            catch_response=True,
        ) as response:
            return expect(response, 200)
