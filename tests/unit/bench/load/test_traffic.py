"""What the load test's runner and its locustfile share: the districts and services on offer,
fresh Idempotency-Keys and the offices' staff tokens (bench/load/traffic.py)."""

from __future__ import annotations

import pytest

from bench.load.traffic import active_districts, idempotency_key, offered_services, service_named, staff_token
from chalicelib.adapters.staff_tokens import verify_staff_token
from chalicelib.config import staff_token_settings
from chalicelib.domain.staff import Role
from chalicelib.services.catalogue import current_catalogue


def test_the_load_goes_to_the_active_districts_and_the_services_they_offer_today() -> None:
    districts = active_districts()

    assert set(districts) == {district.code for district in current_catalogue().districts() if district.active}
    assert "agouza" not in districts  # not online yet
    for district in districts:
        services = offered_services(district)
        assert services
        assert all(service.offered_in(district) for service in services)


def test_a_service_is_named_as_a_request_names_it_and_an_unknown_one_stops_the_run() -> None:
    assert service_named("shop_licence").code == "shop_licence"
    with pytest.raises(RuntimeError, match="does not offer today"):
        service_named("no_such_service")


def test_every_idempotency_key_is_fresh_and_says_it_is_the_loads() -> None:
    keys = {idempotency_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(key.startswith("load-") and len(key) == len("load-") + 24 for key in keys)


def test_an_offices_token_is_the_one_make_token_prints_for_it() -> None:
    staff = verify_staff_token(staff_token(Role.OFFICER, "dokki"), staff_token_settings())
    assert (staff.role, staff.district_code) == (Role.OFFICER, "dokki")
