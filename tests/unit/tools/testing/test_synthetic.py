"""The synthetic applications and gateway notices the demo, the load test, the capacity model and
the tests all draw (tools/testing/synthetic.py): each one the API accepts as it would a citizen's."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bench.load.traffic import active_districts, offered_services
from chalicelib.adapters.fawry import read_fawry_notice
from chalicelib.adapters.secrets import LOCAL_DEFAULTS
from chalicelib.domain.application import read_application
from chalicelib.domain.calendar import cairo_today
from chalicelib.services.catalogue import current_catalogue
from tools.testing.synthetic import drawn_application, fawry_paid_notice


def test_every_application_the_load_sends_is_one_the_api_accepts() -> None:
    rng = random.Random(15)
    today = cairo_today(datetime.now(UTC))
    for district in active_districts():
        for service in offered_services(district):
            for _ in range(20):
                body, last4 = drawn_application(service, district, rng)
                read = read_application(body, current_catalogue(), today)
                assert read.applicant.national_id.last4 == last4


def test_the_gateway_notices_carry_fawrys_signature() -> None:
    reference = "123456789012301"  # shaped as this service issues them (the only ones Fawry accepts)
    notice = fawry_paid_notice(reference, 750, "0000000001")
    assert read_fawry_notice(notice, LOCAL_DEFAULTS["FAWRY_SECURE_KEY"]).reference == reference
