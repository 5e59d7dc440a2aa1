"""The monthly bill from the footprints the real services left (capacity/costs.py; its pure parts
are in tests/unit/capacity/test_costs.py)."""

from __future__ import annotations

import math

from capacity.costs import SMS_LINE, VOICE_LINE, WHATSAPP_LINE, channel_mixes, kind_costs, monthly_bill
from capacity.demand import average_day
from capacity.footprints import Recording

STORED_BYTES = 5_000
CPU = {"POST /v1/requests": 10.0}


def test_every_kind_the_services_were_recorded_doing_is_priced(recording: Recording) -> None:
    costs = kind_costs(recording, average_day(), CPU, 1.0)

    assert {"submit", "inquiry", "payment", "deliver", "catalogue", "card_checkout"} <= set(costs)
    assert costs["submit"].behind_api
    assert not costs["deliver"].behind_api
    assert costs["submit"].write_units > 0
    assert costs["submit"].duration_ms > CPU["POST /v1/requests"]  # its DynamoDB calls add to its own CPU


def test_a_load_ten_times_larger_costs_more_but_less_per_request(recording: Recording) -> None:
    today, tenfold = (monthly_bill(recording, factor, STORED_BYTES, cpu=CPU) for factor in (1, 10))

    assert math.isclose(tenfold.applications_a_month, 10 * today.applications_a_month)
    assert math.isclose(tenfold.citizen_requests_a_month, 10 * today.citizen_requests_a_month)
    assert tenfold.total > today.total
    # The web ACL's monthly fee is shared by more requests.
    assert tenfold.per_1000_citizen_requests < today.per_1000_citizen_requests
    assert math.isclose(today.total, sum(today.lines.values()))


def test_the_channel_mix_moves_the_message_lines_only(recording: Recording) -> None:
    mixes = channel_mixes()
    all_sms = monthly_bill(recording, 1, STORED_BYTES, cpu=CPU, mix=mixes["all SMS"])
    [whatsapp_mix] = [shares for name, shares in mixes.items() if "WhatsApp" in name]
    some_whatsapp = monthly_bill(recording, 1, STORED_BYTES, cpu=CPU, mix=whatsapp_mix)

    assert (all_sms.lines[VOICE_LINE], all_sms.lines[WHATSAPP_LINE]) == (0.0, 0.0)
    assert some_whatsapp.lines[WHATSAPP_LINE] > 0
    assert some_whatsapp.lines[SMS_LINE] < all_sms.lines[SMS_LINE]
    assert some_whatsapp.lines["Lambda"] == all_sms.lines["Lambda"]
