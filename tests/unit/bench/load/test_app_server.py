"""The load test's meter of the app's own CPU per route (bench/load/app_server.py's CpuMeter):
one sample per request, the serving thread's CPU time only."""

from __future__ import annotations

import threading
import time

from chalice.app import Request, Response

from bench.load.app_server import CpuMeter


def request(method: str, resource: str) -> Request:
    event = {
        "headers": {}, "multiValueQueryStringParameters": None, "pathParameters": None, "stageVariables": None,
        "body": None, "isBase64Encoded": False, "requestContext": {"httpMethod": method, "resourcePath": resource},
    }  # fmt: skip
    return Request(event)


def busy(seconds: float) -> Response:
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass
    return Response(body="{}", status_code=200)


def test_each_request_is_one_sample_of_its_route_and_its_answer_is_passed_on() -> None:
    meter = CpuMeter()

    answer = meter.middleware(request("GET", "/v1/services"), lambda _: busy(0.02))
    meter.middleware(request("GET", "/v1/services"), lambda _: busy(0.0))
    meter.middleware(request("POST", "/v1/inquiries"), lambda _: busy(0.0))

    assert answer.status_code == 200
    samples = meter.snapshot()
    assert {route: len(times) for route, times in samples.items()} == {
        "GET /v1/services": 2, "POST /v1/inquiries": 1,
    }  # fmt: skip
    assert samples["GET /v1/services"][0] >= 0.02


def test_time_spent_waiting_is_not_counted_as_the_apps_cpu() -> None:
    meter = CpuMeter()

    def waiting(_: Request) -> Response:
        threading.Event().wait(0.1)  # as the app waits for moto's answer in another process
        return Response(body="{}", status_code=200)

    meter.middleware(request("GET", "/v1/office/requests"), waiting)

    [spent] = meter.snapshot()["GET /v1/office/requests"]
    assert spent < 0.05


def test_a_snapshot_is_a_copy() -> None:
    meter = CpuMeter()
    meter.middleware(request("GET", "/v1/services"), lambda _: busy(0.0))
    snapshot = meter.snapshot()
    snapshot["GET /v1/services"].clear()
    assert len(meter.snapshot()["GET /v1/services"]) == 1
