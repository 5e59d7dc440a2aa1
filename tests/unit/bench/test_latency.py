"""The latency benchmark's arithmetic (bench/latency.py): a timed action, the two sides sampled in
alternating order, and the figures reported from given samples (no timing is asserted here)."""

from __future__ import annotations

from collections.abc import Callable

from bench.latency import interleaved, latency_figures, timed


def test_a_timed_action_gives_back_what_it_returned() -> None:
    seconds, answer = timed(lambda: "answered")
    assert answer == "answered"
    assert seconds >= 0


def test_the_side_sampled_first_alternates_from_round_to_round() -> None:
    order: list[str] = []

    def side(name: str, seconds: float) -> Callable[[], float]:
        def sample() -> float:
            order.append(name)
            return seconds

        return sample

    for round_number in range(4):
        assert interleaved(round_number, side("project", 1.0), side("baseline", 2.0)) == (1.0, 2.0)

    assert order == ["project", "baseline", "baseline", "project", "project", "baseline", "baseline", "project"]


def test_the_figures_are_medians_and_nearest_rank_p95_in_milliseconds_with_their_ratio() -> None:
    project = [0.010, 0.012, 0.011, 0.050]
    baseline = [0.008, 0.010, 0.009, 0.020]

    figures = latency_figures((project, baseline))

    assert figures == {
        "p50_ms": 11.5,
        "baseline_p50_ms": 9.5,
        "ratio": round(11.5 / 9.5, 3),
        "p95_ms": 50.0,
        "baseline_p95_ms": 20.0,
    }
