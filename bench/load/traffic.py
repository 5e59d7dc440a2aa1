"""What the load test's runner (which seeds the stack before the run) and its locustfile (which
makes the run's traffic) both need: the districts and services on offer, fresh Idempotency-Keys,
and the staff tokens of the offices. The applications, documents and Fawry notices themselves
come from tools/testing/synthetic.py, as the demo's and the tests' do."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import Service
from chalicelib.domain.staff import Role
from chalicelib.services.catalogue import current_catalogue
from tools.local.staff_token import local_signing_key, mint_token


def active_districts() -> list[str]:
    return [district.code for district in current_catalogue().districts() if district.active]


def offered_services(district_code: str) -> list[Service]:
    return current_catalogue().services(on=cairo_today(datetime.now(UTC)), district_code=district_code)


def service_named(code: str) -> Service:
    """A service of today's catalogue, by the code a request names."""
    service = current_catalogue().service(code, on=cairo_today(datetime.now(UTC)))
    if service is None:
        raise RuntimeError(f"a request names the service {code}, which the catalogue does not offer today")
    return service


def idempotency_key() -> str:
    return f"load-{secrets.token_hex(12)}"


def staff_token(role: Role, district_code: str) -> str:
    """What `make token ROLE=<role> DISTRICT=<code>` prints."""
    return mint_token(local_signing_key(), role, district_code)
