"""Double clicks and racing officers, really at the same time: threads sending HTTP to
`chalice local`, whose threads call the AWS emulation (a process of its own) concurrently."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.domain.staff import Role
from tests.factories import free_service_code, national_id, submission
from tests.integration.api.calls import post_json
from tests.integration.concurrency.conftest import Stack
from tools.local.staff_token import SigningKey, mint_token

REQUESTS_TABLE = "shobbak-local-requests"


def items_of(stack: Stack, tracking_number: str) -> list[dict[str, Any]]:
    return stack.aws("dynamodb").query(
        TableName=REQUESTS_TABLE,
        KeyConditionExpression="tracking_number = :t",
        ExpressionAttributeValues={":t": {"S": tracking_number}},
        ConsistentRead=True,
    )["Items"]


def test_a_double_click_racing_itself_makes_one_request(stack: Stack) -> None:
    client = stack.client
    headers = {"Idempotency-Key": "double-click-0001"}

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: post_json(client, "/v1/requests", submission(), headers), range(6)))

    assert [answer.status_code for answer in answers] == [201] * 6, [a.body for a in answers]
    [tracking_number] = {answer.json_body["tracking_number"] for answer in answers}
    # The request, its first entry and its proof.
    assert stack.aws("dynamodb").scan(TableName=REQUESTS_TABLE)["Count"] == 3
    assert len(items_of(stack, tracking_number)) == 3


def test_two_officers_racing_on_one_request_never_overwrite_each_other(stack: Stack, signing_key: SigningKey) -> None:
    client = stack.client

    def officer(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_token(signing_key, Role.OFFICER, 'dokki', principal=name)}"}

    tracking_number = post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]
    path = f"/v1/office/requests/{tracking_number}/transitions"
    assert post_json(client, path, {"to": "in_review", "note": "فحص", "version": 1}, officer("a")).status_code == 200
    decisions = [(officer("officer-amal"), "approved"), (officer("officer-karim"), "rejected")] * 4

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(lambda d: post_json(client, path, {"to": d[1], "note": "قرار", "version": 2}, d[0]), decisions)
        )

    assert sorted(answer.status_code for answer in answers) == [200] + [409] * 7, [a.body for a in answers]
    winner = next(answer for answer in answers if answer.status_code == 200).json_body
    items = items_of(stack, tracking_number)
    [request] = [item for item in items if item["item"]["S"] == "request"]
    assert (request["status"]["S"], request["version"]["N"]) == (winner["status"], "3")
    history = sorted((item for item in items if item["item"]["S"].startswith("history#")), key=lambda i: i["item"]["S"])
    assert [entry["to_status"]["S"] for entry in history] == ["submitted", "in_review", winner["status"]]


def test_card_checkouts_clicked_at_once_register_distinct_orders_up_to_the_cap(stack: Stack) -> None:
    client = stack.client
    answer = post_json(client, "/v1/requests", submission())
    tracking_number, reference = answer.json_body["tracking_number"], answer.json_body["payment"]["reference"]
    path = f"/v1/requests/{tracking_number}/card-payments"
    body = {"national_id_last4": national_id()[-4:]}

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: post_json(client, path, body), range(8)))

    cap = 5  # CARD_ORDERS_PER_INVOICE's default
    assert sorted(answer.status_code for answer in answers) == [201] * cap + [429] * 3, [a.body for a in answers]
    sent_to_paymob = [order for order in stack.paymob.merchant_order_ids if order.startswith(reference)]
    assert sorted(sent_to_paymob) == [f"{reference}-{attempt}" for attempt in range(1, cap + 1)]
    attempts = [item for item in items_of(stack, tracking_number) if item["item"]["S"].startswith("card_order#")]
    assert len({item["order_id"]["S"] for item in attempts}) == cap
