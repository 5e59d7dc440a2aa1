"""The storm: many gateway notices at once, repeated, shuffled, forged, tampered, stale and
mismatched, posted concurrently over HTTP to `chalice local` (which answers each in a thread
of its own, against the AWS emulation in a process of its own), and what must hold after.

Every genuine payment is applied exactly once; nothing forged or tampered is applied or even
recorded; a mismatched payment is recorded and never applied; no answer is a 5xx; and the
day's reconciliation receives exactly the genuine amounts plus the mismatched ones (MONEY_IN
counts a wrong amount as money in). Every expectation is kept here, from what the test sent.
"""

from __future__ import annotations

import json
import logging
import random
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.calendar import cairo_today
from tests.factories import national_id
from tests.integration.api.calls import post_json
from tests.integration.api.gateway_notices import (
    REQUESTS_TABLE,
    fawry_notice,
    paymob_callback,
    paymob_obj,
    post_fawry,
    post_paymob,
    recorded_notices,
    submit,
    table_items,
)
from tests.integration.concurrency.conftest import Stack, StackClient

SEED = 20261127
INVOICES = 30
UNPAID_WITH_MISMATCH = 6  # further invoices that only ever get a wrong amount
PAID_WITH_MISMATCH = 6  # paid invoices that also get a second, wrong-amount transaction
WORKERS = 8
DISTRICTS = ("dokki", "omraniya", "warraq")
SERVICES = (
    "building_violation_reconciliation",
    "shop_licence",
    "road_occupancy_new",
    "road_occupancy_renewal",
    "utility_connection",
    "building_permit",
)

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)


@dataclass(frozen=True)
class Post:
    """One callback to post, what it is, and what the test expects of it."""

    category: str  # genuine, repeat, forged, tampered, mismatched, mismatched_repeat, stale, late_repeat
    gateway: str
    body: dict[str, Any]
    offered_hmac: str | None = None
    key: str | None = None  # the notice's key when it is genuine (recorded once, whatever the copies)

    def send(self, client: StackClient) -> Any:
        if self.gateway == "fawry":
            return post_fawry(client, self.body)
        return post_paymob(client, self.body, self.offered_hmac)


@dataclass
class Invoice:
    tracking_number: str
    reference: str
    district: str
    service: str
    fee_piasters: int
    gateway: str = ""
    order_id: str = ""
    transaction_id: str = ""

    @property
    def paid_key(self) -> str:
        return f"{self.gateway}#{self.transaction_id}#paid"


def storm(client: StackClient, posts: list[Post]) -> list[tuple[Post, Any]]:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = list(pool.map(lambda post: post.send(client), posts))
    return list(zip(posts, answers, strict=True))


def cairo_day() -> str:
    return cairo_today(datetime.now(UTC)).isoformat()


def reconcile(stack: Stack, day: str) -> dict[str, Any]:
    """The scheduled reconciliation, run as Lambda would: in a process of its own."""
    code = (
        "import json, sys; from datetime import UTC, date, datetime;"
        "from chalicelib.api.http.payment_views import reconciliation_view;"
        "from chalicelib.services.reconciliation import reconcile_day;"
        "print(json.dumps(reconciliation_view(reconcile_day(date.fromisoformat(sys.argv[1]), datetime.now(UTC)))))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code, day], env=stack.environment, capture_output=True, text=True, check=True
    )
    return json.loads(ran.stdout.strip().splitlines()[-1])


def start_card_order(client: StackClient, tracking_number: str) -> str:
    """A card checkout started as the citizen starts it: the Paymob order id it registered."""
    body = {"national_id_last4": national_id()[-4:]}
    answer = post_json(client, f"/v1/requests/{tracking_number}/card-payments", body)
    assert answer.status_code == 201, answer.body
    return answer.json_body["redirect_url"].rsplit("payment-key-", 1)[1]


def stored_request(tracking_number: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The request item and its history entries (oldest first), as stored."""
    items = sorted(
        (item for item in table_items(REQUESTS_TABLE) if item["tracking_number"]["S"] == tracking_number),
        key=lambda item: item["item"]["S"],
    )
    [request] = [item for item in items if item["item"]["S"] == "request"]
    return request, [item for item in items if item["item"]["S"].startswith("history#")]


def fawry_post(category: str, invoice: Invoice, amount_piasters: int, fawry_ref: str, **changes: Any) -> Post:
    status = changes.pop("status", "PAID")
    body = fawry_notice(invoice.reference, amount_piasters / 100, status=status, fawry_ref=fawry_ref)
    return Post(category, "fawry", {**body, **changes}, key=f"fawry#{fawry_ref}#{status.lower()}")


def paymob_post(
    category: str, invoice: Invoice, amount_cents: int, order_id: str, transaction_id: int, **flags: Any
) -> Post:
    obj = paymob_obj(f"{invoice.reference}-1", amount_cents, int(order_id), transaction_id=transaction_id, **flags)
    body, offered = paymob_callback(obj)
    kind = "pending" if flags.get("pending") else "paid"
    return Post(category, "paymob", body, offered, key=f"paymob#{transaction_id}#{kind}")


def genuine_post(invoice: Invoice) -> Post:
    if invoice.gateway == "fawry":
        return fawry_post("genuine", invoice, invoice.fee_piasters, invoice.transaction_id)
    return paymob_post("genuine", invoice, invoice.fee_piasters, invoice.order_id, int(invoice.transaction_id))


def copy_as(post: Post, category: str) -> Post:
    return Post(category, post.gateway, post.body, post.offered_hmac, post.key)


def forged(invoice: Invoice, rng: random.Random) -> Post:
    """A payment no gateway sent: a signature of random hex, under a transaction id of its own."""
    if rng.random() < 0.5:
        body = fawry_notice(invoice.reference, invoice.fee_piasters / 100, fawry_ref=f"FORGED{rng.randrange(10**6)}")
        return Post("forged", "fawry", {**body, "messageSignature": rng.randbytes(32).hex()})
    obj = paymob_obj(f"{invoice.reference}-1", invoice.fee_piasters, 1, transaction_id=rng.randrange(10**9, 2 * 10**9))
    return Post("forged", "paymob", {"type": "TRANSACTION", "obj": obj}, rng.randbytes(64).hex())


def tampered(genuine: Post, other: Invoice, rng: random.Random) -> Post:
    """The genuine notice with its signature kept and a signed field changed: the amount, or the
    invoice (Fawry's merchantRefNumber, Paymob's order.id) swapped for another invoice's."""
    change_amount = rng.random() < 0.5
    if genuine.gateway == "fawry":
        changed = {"paymentAmount": 1.0} if change_amount else {"merchantRefNumber": other.reference}
        return Post("tampered", "fawry", {**genuine.body, **changed})
    obj = dict(genuine.body["obj"])
    if change_amount:
        obj["amount_cents"] = 100
    else:
        obj["order"] = {**obj["order"], "id": int(other.order_id or 1), "merchant_order_id": f"{other.reference}-1"}
    return Post("tampered", "paymob", {**genuine.body, "obj": obj}, genuine.offered_hmac)


def stale(invoice: Invoice) -> Post:
    """A genuine notice that moves no money, for an invoice already paid."""
    if invoice.gateway == "fawry":
        return fawry_post("stale", invoice, invoice.fee_piasters, invoice.transaction_id, status="EXPIRED")
    transaction_id = int(invoice.transaction_id)
    return paymob_post(
        "stale", invoice, invoice.fee_piasters, invoice.order_id, transaction_id, pending=True, success=False
    )


def test_a_storm_of_notices_applies_every_genuine_payment_exactly_once(
    stack: Stack, record_property: Callable[[str, Any], None]
) -> None:
    client = stack.client
    rng = random.Random(SEED)
    first_day = cairo_day()

    # Invoices, submitted one by one.
    invoices: list[Invoice] = []
    for number in range(INVOICES + UNPAID_WITH_MISMATCH):
        district, service = DISTRICTS[number % len(DISTRICTS)], SERVICES[number % len(SERVICES)]
        answer = submit(client, service, district)
        invoice = Invoice(
            answer["tracking_number"], answer["payment"]["reference"], district, service, answer["fee_egp"] * 100
        )
        invoice.gateway = rng.choice(("fawry", "paymob"))
        if invoice.gateway == "paymob":
            invoice.order_id = start_card_order(client, invoice.tracking_number)
            invoice.transaction_id = str(800_000 + number)
        else:
            invoice.transaction_id = f"9{number:09d}"
        invoices.append(invoice)
    paid, unpaid = invoices[:INVOICES], invoices[INVOICES:]

    # Phase one: the genuine payments, each several times, with forgeries, tampered copies and
    # wrong amounts, all shuffled.
    posts: list[Post] = []
    genuine_by_tracking: dict[str, Post] = {}
    for invoice in paid:
        genuine = genuine_post(invoice)
        genuine_by_tracking[invoice.tracking_number] = genuine
        copies = rng.randint(3, 5)
        posts += [genuine] + [copy_as(genuine, "repeat") for _ in range(copies - 1)]
        posts.append(forged(invoice, rng))
        posts.append(tampered(genuine, rng.choice([i for i in invoices if i is not invoice]), rng))
    mismatched: list[tuple[Invoice, Post, int]] = []
    for number, invoice in enumerate(unpaid + rng.sample(paid, PAID_WITH_MISMATCH)):
        wrong = invoice.fee_piasters - 100 * rng.randint(1, 50)  # underpaid by 1 to 50 EGP
        if invoice.gateway == "paymob":
            post = paymob_post("mismatched", invoice, wrong, invoice.order_id, 900_000 + number)
        else:
            post = fawry_post("mismatched", invoice, wrong, f"8{number:09d}")
        mismatched.append((invoice, post, wrong))
        posts += [post, copy_as(post, "mismatched_repeat")]
    rng.shuffle(posts)
    phase_one = storm(client, posts)
    requests_after_phase_one = sorted(table_items(REQUESTS_TABLE), key=repr)

    # Phase two: stale notices for invoices now paid, late repeats of the genuine ones, and
    # more forgeries, shuffled again.
    late: list[Post] = []
    for invoice in paid:
        late += [stale(invoice), copy_as(genuine_by_tracking[invoice.tracking_number], "late_repeat")]
        if rng.random() < 0.3:
            late.append(forged(invoice, rng))
    rng.shuffle(late)
    phase_two = storm(client, late)
    answers = phase_one + phase_two

    # No answer is a 5xx; forged and tampered ones are refused.
    assert [(p.category, a.status_code, a.body) for p, a in answers if a.status_code >= 500] == []
    refused = {p.category for p, a in answers if a.status_code == 401}
    assert refused <= {"forged", "tampered"}
    assert {a.status_code for p, a in answers if p.category in ("forged", "tampered")} == {401}
    assert {a.status_code for p, a in answers if p.category not in ("forged", "tampered")} == {200}

    # Every genuine payment was applied exactly once, by exactly one of its copies.
    applied_answers = Counter(p.key for p, a in answers if a.json_body.get("outcome") in ("paid", "paid_after_expiry"))
    assert applied_answers == Counter({invoice.paid_key: 1 for invoice in paid})
    for invoice in paid:
        request, history = stored_request(invoice.tracking_number)
        assert (request["status"]["S"], request["version"]["N"]) == ("in_review", "2"), invoice
        payment = request["payment"]["M"]
        assert (payment["status"]["S"], payment["paid_by"]["S"]) == ("paid", invoice.paid_key), invoice
        assert [(entry.get("from_status", {}).get("S"), entry["to_status"]["S"]) for entry in history] == [
            (None, "awaiting_payment"),
            ("awaiting_payment", "in_review"),
        ]
    for invoice in unpaid:
        request, _ = stored_request(invoice.tracking_number)
        assert (request["status"]["S"], request["version"]["N"], request["payment"]["M"]["status"]["S"]) == (
            "awaiting_payment",
            "1",
            "unpaid",
        )

    # What was recorded is exactly the genuine notices: nothing forged or tampered.
    notices = {notice["key"].removeprefix("notice#"): notice for notice in recorded_notices()}
    expected_keys = (
        {invoice.paid_key for invoice in paid}
        | {post.key for _, post, _ in mismatched}
        | {p.key for p, _ in phase_two if p.category == "stale"}
    )
    assert set(notices) == expected_keys
    paid_notices = [n for n in notices.values() if n["outcome"] in ("paid", "paid_after_expiry")]
    assert sorted(n["tracking_number"] for n in paid_notices) == sorted(i.tracking_number for i in paid)
    assert {n["outcome"] for n in paid_notices} == {"paid"}
    for invoice, post, wrong in mismatched:
        notice = notices[post.key]
        assert int(notice["amount_piasters"]) == wrong
        # before the genuine payment it is a wrong amount; after it, a second payment: never applied
        allowed = {"amount_mismatch"} if invoice in unpaid else {"amount_mismatch", "paid_twice"}
        assert notice["outcome"] in allowed, (invoice, notice)
    assert {notices[p.key]["outcome"] for p, _ in phase_two if p.category == "stale"} == {"no_money"}

    # Phase two changed no request.
    assert sorted(table_items(REQUESTS_TABLE), key=repr) == requests_after_phase_one

    # The ledger: received is the genuine amounts plus the mismatched ones, per district and service.
    expected_lines: dict[tuple[str, str], int] = defaultdict(int)
    for invoice in paid:
        expected_lines[(invoice.district, invoice.service)] += invoice.fee_piasters
    for invoice, _, wrong in mismatched:
        expected_lines[(invoice.district, invoice.service)] += wrong
    days = sorted({first_day, cairo_day()})
    summaries = [reconcile(stack, day) for day in days]
    received: dict[tuple[str, str], int] = defaultdict(int)
    for summary in summaries:
        for line in summary["lines"]:
            received[(line["district_code"], line["service_code"])] += line["received_piasters"]
    genuine_total = sum(invoice.fee_piasters for invoice in paid)
    mismatched_total = sum(wrong for _, _, wrong in mismatched)
    assert sum(s["received_piasters"] for s in summaries) == genuine_total + mismatched_total
    assert dict(received) == dict(expected_lines)
    assert sum(s["refunded_piasters"] for s in summaries) == 0
    assert sum(s["notices"] for s in summaries) == len(expected_keys)

    categories = Counter(p.category for p, _ in answers)
    counts = {
        "invoices": len(invoices),
        "posted": len(answers),
        "genuine": len(paid),
        "repeats": categories["repeat"] + categories["late_repeat"],
        "forged": categories["forged"],
        "tampered": categories["tampered"],
        "stale": categories["stale"],
        "mismatched": len(mismatched),
        "mismatched_posts": categories["mismatched"] + categories["mismatched_repeat"],
        "applied": sum(applied_answers.values()),
        "refused_401": sum(1 for _, a in answers if a.status_code == 401),
        "received_piasters": genuine_total + mismatched_total,
    }
    record_property("storm", counts)
    log.info("payment storm: %s", " ".join(f"{name}={value}" for name, value in counts.items()))


def test_two_gateways_paying_one_invoice_at_once_apply_exactly_one_of_them(stack: Stack) -> None:
    client = stack.client
    rng = random.Random(SEED + 1)
    posts: list[Post] = []
    invoices: list[Invoice] = []
    for number in range(10):
        answer = submit(client, SERVICES[number % len(SERVICES)], DISTRICTS[number % len(DISTRICTS)])
        invoice = Invoice(
            answer["tracking_number"],
            answer["payment"]["reference"],
            DISTRICTS[number % len(DISTRICTS)],
            SERVICES[number % len(SERVICES)],
            answer["fee_egp"] * 100,
        )
        invoice.order_id = start_card_order(client, invoice.tracking_number)
        invoices.append(invoice)
        by_fawry = fawry_post("genuine", invoice, invoice.fee_piasters, f"7{number:09d}")
        by_card = paymob_post("genuine", invoice, invoice.fee_piasters, invoice.order_id, 500_000 + number)
        posts += [by_fawry, by_card] * 3
    rng.shuffle(posts)

    answers = storm(client, posts)

    assert {a.status_code for _, a in answers} == {200}
    notices = {notice["key"].removeprefix("notice#"): notice for notice in recorded_notices()}
    assert len(notices) == 2 * len(invoices)
    for invoice in invoices:
        request, history = stored_request(invoice.tracking_number)
        outcomes = sorted(n["outcome"] for n in notices.values() if n["tracking_number"] == invoice.tracking_number)
        assert outcomes == ["paid", "paid_twice"], invoice
        winner = next(
            key
            for key, n in notices.items()
            if (n["tracking_number"], n["outcome"]) == (invoice.tracking_number, "paid")
        )
        assert (request["version"]["N"], request["payment"]["M"]["paid_by"]["S"]) == ("2", winner)
        assert len(history) == 2
    summary = reconcile(stack, cairo_day())
    assert summary["received_piasters"] == 2 * sum(invoice.fee_piasters for invoice in invoices)
    assert sorted(flag["outcome"] for flag in summary["flags"]) == ["paid_twice"] * len(invoices)
