"""The hot-key simulation runs the real services and finds the keys they build."""

from __future__ import annotations

import pytest

from capacity import assumptions
from capacity.footprints import Recording
from capacity.hotkeys import simulate_day


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
