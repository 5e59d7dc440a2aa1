"""The capacity model's pricing parts that need no recording: the channel mixes, the load test's
CPU per route, and a bill's totals (capacity/costs.py). The bill made from the real services'
footprints is in tests/integration/capacity/test_costs.py."""

from __future__ import annotations

import json
import math
from pathlib import Path

from capacity.costs import MESSAGE_LINES, TODAYS_MIX, Bill, channel_mixes, route_cpu_ms


def test_every_channel_mix_shares_out_all_citizens() -> None:
    mixes = channel_mixes()

    assert TODAYS_MIX in mixes
    assert mixes["all SMS"] == {"sms": 1.0}
    for name, shares in mixes.items():
        assert math.isclose(sum(shares.values()), 1.0), name
        assert all(share >= 0 for share in shares.values()), name
    assert any("whatsapp" in shares for shares in mixes.values())


def test_the_cpu_per_route_is_the_load_tests_median_and_nothing_without_a_load_run(tmp_path: Path) -> None:
    results = tmp_path / "load.json"
    results.write_text(json.dumps({"routes": {
        "POST /v1/requests": {"app_cpu_ms": {"p50": 12.5, "p95": 30.0}},
        "GET /v1/services": {"app_cpu_ms": {"p50": 2.0}},
        "GET /v1/unmeasured": {},
    }}))  # fmt: skip

    assert route_cpu_ms(results) == {"POST /v1/requests": 12.5, "GET /v1/services": 2.0}
    assert route_cpu_ms(tmp_path / "never-run.json") == {}


def bill(**lines: float) -> Bill:
    return Bill(
        factor=1, applications_a_month=1000, citizen_requests_a_month=20_000, api_requests_a_month=30_000,
        lines=lines, peak_requests_per_second=1, peak_concurrency=1, gb_seconds_a_month=1, write_units_a_month=1,
        read_units_a_month=1, sms_parts_a_month=1, voice_calls_a_month=1, whatsapp_messages_a_month=1,
        storage_gb_after_a_year=1,
    )  # fmt: skip


def test_a_bill_totals_its_lines_and_divides_them_per_request_and_application() -> None:
    lines = dict.fromkeys(MESSAGE_LINES, 10.0) | {"Lambda": 50.0, "API Gateway": 20.0, "WAF": 5.0}
    monthly = bill(**lines)

    assert monthly.total == 105.0
    assert math.isclose(monthly.per_1000_citizen_requests, 1000 * 105 / 20_000)
    assert math.isclose(monthly.per_1000_without_messages, 1000 * 75 / 20_000)
    assert math.isclose(monthly.per_application, 105 / 1000)
    assert monthly.largest() == [("Lambda", 50.0), ("API Gateway", 20.0), (MESSAGE_LINES[0], 10.0)]
