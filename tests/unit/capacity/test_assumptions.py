"""Every number the capacity model starts from says how far to trust it and where it comes from
(capacity/assumptions.py)."""

from __future__ import annotations

import math

import pytest

from capacity import assumptions as a
from capacity.assumptions import Assumption, guess, recalled, sourced


def every_assumption() -> list[tuple[str, Assumption]]:
    found = []
    for name, value in vars(a).items():
        if isinstance(value, Assumption):
            found.append((name, value))
        elif isinstance(value, dict):
            found += [(f"{name}[{key}]", item) for key, item in value.items() if isinstance(item, Assumption)]
    return found


def test_each_kind_of_basis_is_named_as_such() -> None:
    assert guess(1, "u", "why").basis == "guess"
    assert recalled(1, "u", "where").basis == "recalled"
    assert sourced(1, "u", "where") == Assumption(1, "u", "source", "where")


def test_there_are_assumptions_to_check() -> None:
    assert len(every_assumption()) > 30


@pytest.mark.parametrize(("name", "assumption"), every_assumption())
def test_every_assumption_has_a_basis_a_unit_a_source_and_a_usable_value(name: str, assumption: Assumption) -> None:
    assert assumption.basis in {"source", "recalled", "guess"}, name
    assert assumption.unit.strip(), name
    assert assumption.source.strip(), name
    assert math.isfinite(assumption.value), name
    assert assumption.value >= 0, name


def test_the_units_shares_of_the_population_add_up_to_the_whole() -> None:
    assert math.isclose(sum(share.value for share in a.UNIT_POPULATION_SHARE.values()), 1.0)
    assert len(a.UNIT_POPULATION_SHARE) == 20


def test_the_outcomes_and_the_hours_each_add_up_to_one_day() -> None:
    assert math.isclose(sum(share.value for share in a.OUTCOMES.values()), 1.0, abs_tol=1e-9)
    assert math.isclose(sum(share.value for share in a.HOURLY_SHARE.values()), 1.0, abs_tol=1e-9)
