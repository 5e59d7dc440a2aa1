"""The daily reconciliation, invoked as the scheduled handler it is (chalice.test's lambda_.invoke).

A day of mixed notices is posted through the callbacks; the expected totals are kept here,
notice by notice, from what each one is (money in, money back, nothing), never read from the
code's own tables; the handler's summary must equal them, flag what needs a look, and be the
same when run again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.domain.calendar import CAIRO, cairo_today
from chalicelib.domain.payments import GatewayNotice, NoticeKind
from chalicelib.services.payment_notices import apply_notice
from chalicelib.store.payments import DaySummary
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.gateway_notices import (
    PAYMENTS_TABLE,
    fawry_notice,
    paymob_callback,
    paymob_obj,
    post_fawry,
    post_paymob,
    register_card_order,
    submit,
    table_items,
)

HANDLER = "reconcile_payments"
NEVER_ISSUED = "123456789012301"  # shaped as this service's references (a valid check digit), never issued


def scheduled_event(client: Client, day: str | None = None, fired_at: str | None = None) -> dict[str, Any]:
    event = client.events.generate_cw_event(
        source="aws.events",
        detail_type="Scheduled Event",
        detail={} if day is None else {"day": day},
        resources=["arn:aws:events:eu-central-1:123456789012:rule/shobbak-local-reconcile_payments"],
        region="eu-central-1",
    )
    if fired_at is not None:
        event["time"] = fired_at
    return event


def reconcile(client: Client, day: str | None = None, fired_at: str | None = None) -> dict[str, Any]:
    return client.lambda_.invoke(HANDLER, scheduled_event(client, day, fired_at)).payload


def cairo_day() -> str:
    return cairo_today(datetime.now(UTC)).isoformat()


@dataclass
class Ledger:
    """What the test itself expects the day's reconciliation to say."""

    lines: dict[tuple[str, str], dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: {"received_piasters": 0, "refunded_piasters": 0, "payments": 0})
    )
    flags: list[tuple[str, str, int]] = field(default_factory=list)
    notices: int = 0

    def money_in(self, district: str, service: str, piasters: int, flag: str | None = None, ref: str = "") -> None:
        self.notices += 1
        self.lines[(district, service)]["received_piasters"] += piasters
        self.lines[(district, service)]["payments"] += 1
        if flag:
            self.flags.append((flag, ref, piasters))

    def money_back(self, district: str, service: str, piasters: int) -> None:
        self.notices += 1
        self.lines[(district, service)]["refunded_piasters"] += piasters

    def nothing(self, district: str, service: str, piasters: int = 0, flag: str | None = None, ref: str = "") -> None:
        self.notices += 1
        self.lines[(district, service)]["payments"] += 0  # its line is there, with zeros
        if flag:
            self.flags.append((flag, ref, piasters))

    def summary_lines(self) -> list[dict[str, Any]]:
        return [
            {"district_code": district, "service_code": service, **figures}
            for (district, service), figures in sorted(self.lines.items())
        ]


def flags_of(summary: dict[str, Any]) -> list[tuple[str, str, int]]:
    return sorted((flag["outcome"], flag["reference"], flag["amount_piasters"]) for flag in summary["flags"])


@pytest.fixture
def day_of_notices(client: Client, staff: StaffHeaders, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    """A day: paid, paid twice, underpaid, overpaid, wrong currency, paid after expiry, refunded,
    refunded without payment, paid after cancellation, unknown, expired and pending, with repeats
    and forgeries that must count for nothing."""
    ledger = Ledger()

    def fawry(answer: dict[str, Any], amount_egp: float, ref: str, status: str = "PAID") -> dict[str, Any]:
        response = post_fawry(client, fawry_notice(answer["payment"]["reference"], amount_egp, status, fawry_ref=ref))
        assert response.status_code == 200, response.body
        return response.json_body

    def card(answer: dict[str, Any], cents: int, txn: int, order: str, **flags: Any) -> dict[str, Any]:
        obj = paymob_obj(f"{answer['payment']['reference']}-1", cents, int(order), transaction_id=txn, **flags)
        response = post_paymob(client, *paymob_callback(obj))
        assert response.status_code == 200, response.body
        return response.json_body

    # dokki, building_violation_reconciliation (5000 EGP): paid once, repeated, and a forged copy
    a = submit(client, "building_violation_reconciliation", "dokki")
    assert fawry(a, 5000, "1000000001")["outcome"] == "paid"
    assert fawry(a, 5000, "1000000001")["outcome"] == "already_applied"
    forged = {**fawry_notice(a["payment"]["reference"], 5000, fawry_ref="1000000012"), "messageSignature": "0" * 64}
    assert post_fawry(client, forged).status_code == 401
    ledger.money_in("dokki", "building_violation_reconciliation", 500_000)

    # dokki, shop_licence (1000 EGP): paid by card, then again by Fawry
    b = submit(client, "shop_licence", "dokki")
    register_card_order(b["tracking_number"], "7001")
    assert card(b, 100_000, 8001, "7001")["outcome"] == "paid"
    assert fawry(b, 1000, "1000000002")["outcome"] == "paid_twice"
    ledger.money_in("dokki", "shop_licence", 100_000)
    ledger.money_in("dokki", "shop_licence", 100_000, "paid_twice", b["payment"]["reference"])

    # dokki, shop_licence: paid, then refunded
    c = submit(client, "shop_licence", "dokki")
    assert fawry(c, 1000, "1000000003")["outcome"] == "paid"
    assert fawry(c, 1000, "1000000003", "REFUNDED")["outcome"] == "refunded"
    ledger.money_in("dokki", "shop_licence", 100_000)
    ledger.money_back("dokki", "shop_licence", 100_000)

    # omraniya, road_occupancy_new (300 EGP): underpaid, an expired notice, then overpaid by card in USD
    d = submit(client, "road_occupancy_new", "omraniya")
    register_card_order(d["tracking_number"], "7002")
    assert fawry(d, 200, "1000000004")["outcome"] == "amount_mismatch"
    assert fawry(d, 300, "1000000042", "EXPIRED")["outcome"] == "no_money"
    assert card(d, 30_000, 8002, "7002", currency="USD")["outcome"] == "amount_mismatch"
    # Only pounds are added up: the 30,000 US cents are flagged, never counted as piasters.
    ledger.money_in("omraniya", "road_occupancy_new", 20_000, "amount_mismatch", d["payment"]["reference"])
    ledger.nothing("omraniya", "road_occupancy_new")
    ledger.nothing("omraniya", "road_occupancy_new", 30_000, "amount_mismatch", d["payment"]["reference"])

    # omraniya, building_permit (1000 EGP): a refund of what was never paid, and a pending card notice
    e = submit(client, "building_permit", "omraniya")
    register_card_order(e["tracking_number"], "7003")
    assert fawry(e, 1000, "1000000005", "REFUNDED")["outcome"] == "refund_without_payment"
    assert card(e, 100_000, 8003, "7003", pending=True, success=False)["outcome"] == "no_money"
    # Genuine money going back, though it names no payment: counted as refunded, and flagged.
    ledger.money_back("omraniya", "building_permit", 100_000)
    ledger.flags.append(("refund_without_payment", e["payment"]["reference"], 100_000))
    ledger.nothing("omraniya", "building_permit")

    # warraq, utility_connection (500 EGP): an invoice already expired when paid
    monkeypatch.setenv("INVOICE_VALIDITY_HOURS", "0")
    f = submit(client, "utility_connection", "warraq")
    monkeypatch.delenv("INVOICE_VALIDITY_HOURS")
    assert fawry(f, 500, "1000000006")["outcome"] == "paid_after_expiry"
    ledger.money_in("warraq", "utility_connection", 50_000, "paid_after_expiry", f["payment"]["reference"])

    # warraq, road_occupancy_renewal (200 EGP): cancelled by the manager, then paid
    g = submit(client, "road_occupancy_renewal", "warraq")
    cancelled = post_json(
        client,
        f"/v1/office/requests/{g['tracking_number']}/transitions",
        {"to": "cancelled", "note": "ألغى المواطن الطلب", "version": 1},
        staff("manager", "warraq"),
    )
    assert cancelled.status_code == 200, cancelled.body
    assert fawry(g, 200, "1000000007")["outcome"] == "paid_when_closed"
    ledger.money_in("warraq", "road_occupancy_renewal", 20_000, "paid_when_closed", g["payment"]["reference"])

    # money naming no invoice of ours
    response = post_fawry(client, fawry_notice(NEVER_ISSUED, 75.5, fawry_ref="1000000099"))
    assert response.json_body["outcome"] == "unknown_invoice"
    ledger.money_in("unknown", "unknown", 7_550, "unknown_invoice", NEVER_ISSUED)
    return ledger


def test_the_day_is_totalled_per_district_and_service(client: Client, day_of_notices: Ledger) -> None:
    summary = reconcile(client, day=cairo_day())

    assert summary["day"] == cairo_day()
    assert summary["notices"] == day_of_notices.notices
    assert summary["lines"] == day_of_notices.summary_lines()
    assert summary["received_piasters"] == 500_000 + 3 * 100_000 + 20_000 + 50_000 + 20_000 + 7_550
    assert summary["refunded_piasters"] == 100_000 + 100_000


def test_what_needs_a_look_is_flagged(client: Client, day_of_notices: Ledger) -> None:
    summary = reconcile(client, day=cairo_day())

    assert flags_of(summary) == sorted(day_of_notices.flags)
    assert {flag["outcome"] for flag in summary["flags"]} == {
        "paid_twice",
        "amount_mismatch",
        "paid_after_expiry",
        "paid_when_closed",
        "refund_without_payment",
        "unknown_invoice",
    }
    twice = next(flag for flag in summary["flags"] if flag["outcome"] == "paid_twice")
    assert (twice["gateway"], twice["transaction_id"]) == ("fawry", "1000000002")
    assert twice["tracking_number"] == twice["reference"][:-2]


def test_the_summary_is_kept_and_a_rerun_gives_the_same(client: Client, day_of_notices: Ledger) -> None:
    first = reconcile(client, day=cairo_day())
    items_after_first = len(table_items(PAYMENTS_TABLE))

    second = reconcile(client, day=cairo_day())

    assert second == first
    assert len(table_items(PAYMENTS_TABLE)) == items_after_first
    kept = DaySummary.get(f"ledger#{cairo_day()}")
    assert json.loads(kept.summary) == first


def test_without_a_day_it_reconciles_the_cairo_day_before_the_event(client: Client, day_of_notices: Ledger) -> None:
    today = date.fromisoformat(cairo_day())
    just_after_midnight = datetime.combine(today + timedelta(days=1), time(0, 30), tzinfo=CAIRO).astimezone(UTC)
    fired_tonight = just_after_midnight.strftime("%Y-%m-%dT%H:%M:%SZ")
    fired_this_morning = (
        datetime.combine(today, time(0, 30), tzinfo=CAIRO).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )

    tonight = reconcile(client, fired_at=fired_tonight)
    this_morning = reconcile(client, fired_at=fired_this_morning)

    assert tonight == reconcile(client, day=today.isoformat())
    assert this_morning["day"] == (today - timedelta(days=1)).isoformat()
    assert (this_morning["notices"], this_morning["lines"], this_morning["flags"]) == (0, [], [])


@pytest.mark.parametrize(
    ("fired_at", "day"),
    [
        ("2015-11-11T21:29:54Z", "2015-11-10"),  # chalice's generated event: 23:29 in Cairo
        ("2026-11-26T22:30:00Z", "2026-11-26"),  # the schedule in winter: 00:30 in Cairo, on the 27th
        ("2026-07-01T22:30:00Z", "2026-07-01"),  # the schedule in summer time: 01:30 in Cairo
        ("2026-07-01T20:59:00Z", "2026-06-30"),  # 23:59 in Cairo, summer time
        ("2026-07-01T21:00:00Z", "2026-07-01"),  # midnight in Cairo, summer time
    ],
)
def test_the_day_reconciled_by_default_follows_cairos_calendar(client: Client, fired_at: str, day: str) -> None:
    summary = reconcile(client, fired_at=fired_at)

    assert summary["day"] == day
    assert DaySummary.get(f"ledger#{day}").summary == json.dumps(summary, ensure_ascii=False)


def test_a_notice_belongs_to_the_cairo_day_it_arrived_on(client: Client) -> None:
    def unknown(transaction_id: str, piasters: int) -> GatewayNotice:
        return GatewayNotice("fawry", transaction_id, NoticeKind.PAID, piasters, "EGP", "PAYATFAWRY", "UNKNOWN-REF")

    apply_notice(unknown("late-evening", 100), datetime(2026, 10, 1, 20, 59, tzinfo=UTC))  # 23:59 Cairo (+03)
    apply_notice(unknown("after-midnight", 200), datetime(2026, 10, 1, 21, 0, tzinfo=UTC))  # 00:00 on the 2nd
    apply_notice(unknown("winter-evening", 400), datetime(2026, 11, 1, 21, 59, tzinfo=UTC))  # 23:59 Cairo (+02)

    first, second, november = (reconcile(client, day=d) for d in ("2026-10-01", "2026-10-02", "2026-11-01"))

    assert (first["received_piasters"], second["received_piasters"], november["received_piasters"]) == (100, 200, 400)
    assert [f["transaction_id"] for f in first["flags"]] == ["late-evening"]


def test_an_empty_day_reconciles_to_zeros(client: Client) -> None:
    summary = reconcile(client, day="2026-01-01")

    assert summary == {
        "day": "2026-01-01",
        "notices": 0,
        "lines": [],
        "received_piasters": 0,
        "refunded_piasters": 0,
        "flags": [],
    }
