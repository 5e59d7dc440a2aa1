"""Demand, derived from the assumptions: applications per district and service, per day and
at the peak hour, and the operations each application brings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from capacity import assumptions as a
from chalicelib.domain.catalogue import Service, load_catalogue

CATALOGUE_DAY = date(2026, 11, 30)


def all_units() -> list[str]:
    return [unit.code for unit in load_catalogue(rollout_phase=99).districts()]


def services_in(district: str) -> list[Service]:
    return load_catalogue(rollout_phase=99).services(on=CATALOGUE_DAY, district_code=district)


@dataclass(frozen=True)
class Demand:
    """Applications on an average working day, by (district, service)."""

    per_day: dict[tuple[str, str], float]

    def total(self) -> float:
        return sum(self.per_day.values())

    def in_district(self, district: str) -> float:
        return sum(count for (unit, _), count in self.per_day.items() if unit == district)

    def fee_share(self, district: str | None = None) -> float:
        fees = {service.code: service.fee_egp for unit in all_units() for service in services_in(unit)}
        chosen = {key: count for key, count in self.per_day.items() if district is None or key[0] == district}
        paying = sum(count for (_, service), count in chosen.items() if fees[service] > 0)
        return paying / max(sum(chosen.values()), 1e-9)


def average_day() -> Demand:
    per_day = {}
    for district in all_units():
        residents = a.GOVERNORATE_POPULATION.value * a.UNIT_POPULATION_SHARE[district].value
        for service in services_in(district):
            yearly = residents / 1000 * a.APPLICATIONS_PER_1000_A_YEAR[service.code].value
            per_day[(district, service.code)] = yearly / a.WORKING_DAYS_A_YEAR.value
    return Demand(per_day)


def peak_hour_share() -> float:
    return max(share.value for share in a.HOURLY_SHARE.values())


def moves_per_application(fee_share: float) -> dict[str, float]:
    """Office moves of each kind per application, from the outcome shares."""
    approved, needs_info, rejected = (a.OUTCOMES[name].value for name in ("approved", "needs_info", "rejected"))
    return {
        # A free application is picked up from `submitted`; one that needed information goes back.
        "move_to_in_review": (1 - fee_share) + needs_info,
        "move_to_needs_info": needs_info,
        "move_to_approved": approved + needs_info,
        "move_to_rejected": rejected,
        "move_to_ready": approved + needs_info,
        "move_to_closed": 1.0,
    }


def operations_per_application(fee_share: float, deliveries: float) -> dict[str, float]:
    """Every operation an application brings, by the footprint kinds of footprints.py."""
    per = a.PER_APPLICATION
    moves = moves_per_application(fee_share)
    total_moves = sum(moves.values())
    notices = per["payment_notices"].value
    return {
        "submit": 1.0,
        "inquiry": per["inquiries"].value,
        "payment": fee_share,
        "payment_repeat": fee_share * (notices - 1),
        "queue_page": total_moves * per["queue_pages"].value,
        "view": total_moves * per["request_views"].value,
        **moves,
        "deliver": deliveries,
        "deliver_reminder": fee_share,
    }
