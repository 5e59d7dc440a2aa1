"""Logs are JSON, carry a correlation id, and never a national ID, phone number or name."""

from __future__ import annotations

import io
import json

from chalice.test import Client

from tests.factories import national_id, submission

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_a_submission_and_inquiry_leave_no_personal_data_in_the_logs(client: Client, log_lines: io.StringIO) -> None:
    body = submission()
    body["applicant"]["phone"] = "+20 101 234 5678".translate(ARABIC_INDIC)
    headers = {"Content-Type": "application/json", "X-Correlation-Id": "journey-42-abcdef"}
    tracking = client.http.post("/v1/requests", body=json.dumps(body), headers=headers).json_body["tracking_number"]
    client.http.post(
        "/v1/inquiries",
        headers=headers,
        body=json.dumps({"tracking_number": tracking, "national_id_last4": national_id()[-4:]}),
    )
    refused = submission()
    refused["applicant"]["phone"] = "0233345678"
    client.http.post("/v1/requests", body=json.dumps(refused), headers=headers)

    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]

    assert len(lines) >= 5
    assert {line["correlation_id"] for line in lines} == {"journey-42-abcdef"}
    assert any(line.get("tracking_number") == tracking for line in lines)
    everything = json.dumps(lines, ensure_ascii=False)
    secrets = [
        national_id(),
        national_id().translate(ARABIC_INDIC),
        "1012345678",
        "١٠١٢٣٤٥٦٧٨",
        "233345678",
        "منى",
        "Mona",
    ]
    for secret in secrets:
        assert secret not in everything


def test_the_response_carries_the_correlation_id(client: Client) -> None:
    response = client.http.get("/v1/districts", headers={"X-Correlation-Id": "trace-me-123456"})

    assert response.headers["X-Correlation-Id"] == "trace-me-123456"
