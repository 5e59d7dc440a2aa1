"""The hot-key simulation runs the real services and finds the keys they build."""

from __future__ import annotations

import pytest

from capacity import assumptions
from capacity.footprints import Recording, record_footprints
from capacity.hotkeys import simulate_day


@pytest.fixture(scope="module")
def recording() -> Recording:
    # One unit keeps the test fast; `make capacity` records all twenty.
    return record_footprints(["dokki"])


def test_every_kind_of_operation_is_recorded_through_the_real_services(recording: Recording) -> None:
    kinds = {footprint.kind for footprint in recording.footprints}
    assert {"submit", "inquiry", "payment", "payment_repeat", "queue_page", "view", "deliver", "sweep"} <= kinds
    assert {"move_to_in_review", "move_to_approved", "move_to_needs_info", "move_to_rejected"} <= kinds
    submit = next(footprint for footprint in recording.footprints if footprint.kind == "submit")
    assert submit.calls["dynamodb:TransactWriteItems"] == 1
    assert any(footprint.sms_parts for footprint in recording.footprints if footprint.kind == "deliver")
    assert any(footprint.voice_calls for footprint in recording.footprints if footprint.kind == "deliver")


def test_keys_that_many_requests_touch_are_told_from_a_requests_own(recording: Recording) -> None:
    shared = recording.shared_keys()
    targets = {target for target, _ in shared}
    assert {"requests/queue", "requests/department_queue", "outbox/due", "payments/ledger"} <= targets
    # A request's own partition, applicant and messages are never shared.
    assert not {target for target, _ in shared} & {"requests", "applicants", "outbox", "idempotency"}


def test_the_simulated_day_ranks_every_shared_key_by_its_busiest_second(recording: Recording) -> None:
    report = simulate_day(recording)
    assert report.operations > 1000
    assert report.keys == sorted(report.keys, key=lambda key: -key.load)
    assert report.hottest.load > 0
    assert {(key.target, key.key) for key in report.keys} >= recording.shared_keys() - {
        key for key in recording.shared_keys() if key[0] == "payments/ledger"
    }
    assert report.hot == [key for key in report.keys if key.load > assumptions.HOT_SHARE.value]
    assert simulate_day(recording).keys == report.keys  # a fixed seed: the same day again


def test_a_key_above_half_of_a_partitions_limit_is_reported_hot(
    recording: Recording, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Partitions a thousand times smaller stand in for a load a thousand times larger.
    monkeypatch.setattr(assumptions, "PARTITION_WRITE_UNITS", assumptions.sourced(1, "write units / s", "a test"))
    report = simulate_day(recording)
    assert ("outbox/due", "pending") in {(key.target, key.key) for key in report.hot}
