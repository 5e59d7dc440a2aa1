"""Demand derived from the assumptions: applications per district and service, the peak hour,
and the operations each application brings (capacity/demand.py)."""

from __future__ import annotations

import math

from capacity import assumptions as a
from capacity.demand import (
    Demand,
    all_units,
    average_day,
    moves_per_application,
    operations_per_application,
    peak_hour_share,
    services_in,
)


def test_every_unit_of_the_governorate_is_modelled_with_the_services_it_will_offer() -> None:
    units = all_units()
    assert len(units) == 20
    assert set(units) == set(a.UNIT_POPULATION_SHARE)
    assert all(services_in(unit) for unit in units)


def test_a_day_of_applications_follows_each_units_people_and_each_services_rate() -> None:
    day = average_day()

    (service, *_) = services_in("dokki")
    residents = a.GOVERNORATE_POPULATION.value * a.UNIT_POPULATION_SHARE["dokki"].value
    expected = residents / 1000 * a.APPLICATIONS_PER_1000_A_YEAR[service.code].value / a.WORKING_DAYS_A_YEAR.value
    assert math.isclose(day.per_day[("dokki", service.code)], expected)
    assert math.isclose(day.total(), sum(day.in_district(unit) for unit in all_units()))
    # Bulaq Dakrur is ten times Dokki's size: so is its demand.
    assert math.isclose(day.in_district("bulaq_dakrur") / day.in_district("dokki"), 10, rel_tol=0.01)


def test_the_fee_share_counts_the_applications_that_pay() -> None:
    # A demolition licence for a building liable to collapse is free; a shop licence is not.
    demand = Demand(
        {("dokki", "shop_licence"): 3.0, ("dokki", "demolition_licence"): 1.0, ("warraq", "shop_licence"): 4.0}
    )

    assert math.isclose(demand.fee_share("dokki"), 0.75)
    assert math.isclose(demand.fee_share("warraq"), 1.0)
    assert math.isclose(demand.fee_share(), 7 / 8)
    assert Demand({}).fee_share() == 0.0


def test_the_peak_hour_is_the_busiest_hours_share() -> None:
    assert peak_hour_share() == max(share.value for share in a.HOURLY_SHARE.values())
    assert 0 < peak_hour_share() < 1


def test_every_application_is_closed_once_and_a_free_one_is_picked_up_from_submitted() -> None:
    paying, free = moves_per_application(1.0), moves_per_application(0.0)

    assert paying["move_to_closed"] == free["move_to_closed"] == 1.0
    assert math.isclose(free["move_to_in_review"] - paying["move_to_in_review"], 1.0)
    assert paying["move_to_approved"] == paying["move_to_ready"]


def test_the_operations_of_an_application_scale_with_its_moves_and_fees() -> None:
    operations = operations_per_application(fee_share=0.5, deliveries=3.0)
    moves = moves_per_application(0.5)

    assert operations["submit"] == 1.0
    assert operations["payment"] == operations["deliver_reminder"] == 0.5
    assert operations["deliver"] == 3.0
    assert math.isclose(operations["queue_page"], sum(moves.values()) * a.PER_APPLICATION["queue_pages"].value)
    assert {kind: operations[kind] for kind in moves} == moves
