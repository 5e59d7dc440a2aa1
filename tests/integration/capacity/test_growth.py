"""What grows with a district's history: each route measured through the real services at two
small sizes and carried to the large ones (capacity/growth.py)."""

from __future__ import annotations

import pytest

from capacity import assumptions as a
from capacity.growth import COMPUTED_HISTORIES, RouteAtSize, growth_table

SMALL, LARGER = 100, 300


@pytest.fixture(scope="module")
def table() -> list[RouteAtSize]:
    return growth_table((SMALL, LARGER), payments_a_day=2)


def rows(table: list[RouteAtSize], history: int) -> dict[str, RouteAtSize]:
    return {row.route: row for row in table if row.history == history}


def test_every_route_is_measured_at_each_small_size_and_computed_at_the_large_ones(table: list[RouteAtSize]) -> None:
    routes = set(rows(table, SMALL))
    assert routes
    for history in (LARGER, *COMPUTED_HISTORIES):
        assert set(rows(table, history)) == routes
    assert all(row.measured for row in table if row.history in (SMALL, LARGER))
    assert not any(row.measured for row in table if row.history in COMPUTED_HISTORIES)


def test_no_route_reads_in_proportion_to_the_history(table: list[RouteAtSize]) -> None:
    small, larger = rows(table, SMALL), rows(table, LARGER)
    for route, row in small.items():
        assert larger[route].dynamodb_calls == row.dynamodb_calls, route
        assert larger[route].items_read < 3 * max(row.items_read, 1), route  # three times the history


def test_the_large_sizes_carry_the_largest_measured_figures_and_latency_is_per_call(table: list[RouteAtSize]) -> None:
    larger = rows(table, LARGER)
    for history in COMPUTED_HISTORIES:
        for route, row in rows(table, history).items():
            measured = larger[route]
            assert (row.dynamodb_calls, row.items_read, row.read_units) == (
                measured.dynamodb_calls, measured.items_read, measured.read_units,
            )  # fmt: skip
            assert row.latency_ms == row.dynamodb_calls * a.DYNAMODB_CALL_MS.value
