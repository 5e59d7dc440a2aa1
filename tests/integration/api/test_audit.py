"""Audit events survive production's log level, and many reveals by one person raise an alert.

Production runs with POWERTOOLS_LOG_LEVEL=WARNING (.chalice/config.json), which silences INFO:
an audit trail written at INFO would be empty exactly where it matters.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.observability.logs import logger
from tests.conftest import PROJECT
from tests.factories import national_id, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders

REASON = "المواطن يطلب تصحيح رقم هاتفه عبر الشباك"
AUDIT_LOGGER = "shobbak-audit"


@pytest.fixture
def production_log_lines() -> Iterator[io.StringIO]:
    """Every line the service writes while its logger is at production's level, WARNING."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    names = (logger.name, AUDIT_LOGGER)
    for name in names:
        logging.getLogger(name).addHandler(handler)
    level = logging.getLogger(logger.name).level
    logger.setLevel("WARNING")
    yield stream
    logger.setLevel(level)
    for name in names:
        logging.getLogger(name).removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def file_request(client: Client) -> str:
    return post_json(client, "/v1/requests", submission()).json_body["tracking_number"]


def reveal(client: Client, headers: dict[str, str], tracking_number: str) -> Any:
    return post_json(client, f"/v1/office/requests/{tracking_number}/identity", {"reason": REASON}, headers)


def test_reveals_refused_tokens_and_preference_changes_are_kept_at_production_level(
    client: Client, staff: StaffHeaders, production_log_lines: io.StringIO
) -> None:
    tracking = file_request(client)
    assert reveal(client, staff("manager", "dokki", principal="manager-hoda"), tracking).status_code == 200
    forged = {"Authorization": "Bearer not.a.token", "Content-Type": "application/json"}
    assert client.http.get(f"/v1/office/requests/{tracking}", headers=forged).status_code == 401
    body = {"national_id_last4": national_id()[-4:], "notify_by": "voice"}
    assert post_json(client, f"/v1/requests/{tracking}/notifications", body).status_code == 200

    audited = {line["audit"]: line for line in lines(production_log_lines) if "audit" in line}

    assert set(audited) >= {"identity_revealed", "staff_token_refused", "notification_choice_changed"}
    assert audited["identity_revealed"]["tracking_number"] == tracking
    assert audited["identity_revealed"]["actor"] == "manager-hoda"
    assert audited["notification_choice_changed"]["notify_by"] == "voice"
    assert national_id() not in production_log_lines.getvalue()


def test_many_reveals_by_one_person_in_an_hour_raise_an_alert(
    client: Client, staff: StaffHeaders, production_log_lines: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVEALS_PER_HOUR_BEFORE_ALERT", "3")
    hoda, karim = (
        staff("manager", "dokki", principal="manager-hoda"),
        staff("manager", "dokki", principal="manager-karim"),
    )
    requests = [file_request(client) for _ in range(4)]
    for tracking in requests[:3]:
        reveal(client, hoda, tracking)
        reveal(client, karim, tracking)
    assert not [line for line in lines(production_log_lines) if "alert" in line]

    reveal(client, hoda, requests[3])

    alerts = [line for line in lines(production_log_lines) if "alert" in line]
    assert [(alert["alert"], alert["actor"], alert["reveals_this_hour"]) for alert in alerts] == [
        ("many_identity_reveals", "manager-hoda", 4)
    ]
    assert alerts[0]["level"] in {"WARNING", "ERROR", "CRITICAL"}


def test_audit_lines_are_written_when_the_process_starts_at_warning_level() -> None:
    """In a fresh interpreter configured as production is, the audit logger still writes."""
    script = (
        "from chalicelib.observability.audit import audit\n"
        "from chalicelib.observability.logs import logger\n"
        "logger.info('ordinary line')\n"
        "audit('identity_revealed', tracking_number='1234567890128')\n"
    )
    environment = {**os.environ, "POWERTOOLS_LOG_LEVEL": "WARNING"}
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=60,
        check=True,
    )  # fmt: skip

    written = [json.loads(line) for line in ran.stdout.splitlines()]
    assert [line.get("audit") for line in written] == ["identity_revealed"]
