"""A request's proof and what it opens: the one item a citizen's inquiry reads.

requests table, `item = "proof"` (RequestProof), in the request's own partition:
  - `check`: the keyed check of the national ID's last four digits (domain/inquiry.py),
    removed by an erasure;
  - `attempts_hour` and `attempts`: the failed attempts at the proof in that clock hour (UTC);
  - the request as its citizen may see it, in the JSON the inquiry answers with
    (domain/inquiry.py): `shown` (status, dates, payment status) and `history` (each change of
    status with what the citizen was told, appended to). Every transaction that changes the
    request rewrites them (`show_in`), so they never lag the request they copy. Text, not maps:
    the inquiry reads the item on every call, and JSON text is the cheapest thing to read.
A number never issued gets a proof item too, holding attempts only, the first time someone
guesses at it, so that it locks after exactly the same count as an issued one; it expires (TTL)
an hour after the end of its last window (as does the proof of an erased identity, which
nothing opens any more, once someone guesses at it).

  * an attempt (`judge_attempt`): one UpdateItem, `ADD attempts 1` on condition that the hour is
    this one, fewer than the limit failed in it, and the check is not the guess (its expressions
    are written out below, as DynamoDB reads them: it is the inquiry's one call). When the
    condition fails, DynamoDB answers with the item as it stood
    (ReturnValuesOnConditionCheckFailure), which says which of three things it was: a right
    guess (answered from that item: one call in all), a number locked for the hour, or a new
    hour, which a second UpdateItem starts with this failed attempt.
DynamoDB applies the writes of one item one at a time, so however many attempts arrive
together, a right guess is answered only while fewer than the limit have failed before it,
and no more than the limit are ever answered "wrong" in an hour (issue 10).
Each attempt's writes also set `last_attempt`, a random id of the attempt, on condition that it
is not already this one: an update sent again after its answer was lost (botocore and
retry_transient both resend a timed-out call) finds its own id and counts nothing twice.
"""

from __future__ import annotations

import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError
from pynamodb.attributes import ListAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.domain.errors import Busy
from chalicelib.domain.inquiry import citizen_entry, citizen_view
from chalicelib.store.connection import dynamodb_client
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.partition import RequestPartitionItem
from chalicelib.store.requests.request import RequestRecord
from chalicelib.store.retries import retry_transient

# Rounds of an attempt: each round but the last ends only when another attempt changed the item
# between this one's two calls (it started the hour first), so a few are plenty.
ROUNDS = 4


class RequestProof(RequestPartitionItem, discriminator="proof"):
    ITEM = "proof"

    check = UnicodeAttribute(null=True)  # None: a number never issued, or its identity erased
    attempts_hour = UnicodeAttribute(null=True)  # "YYYY-MM-DDTHH", UTC
    attempts = NumberAttribute(null=True)
    last_attempt = UnicodeAttribute(null=True)  # the id of the attempt last counted
    expires_at = TTLAttribute(null=True)  # a number never issued only
    # The request as its citizen may see it (None on a number never issued).
    shown = UnicodeAttribute(null=True)  # JSON of domain/inquiry.py's citizen_view
    history = ListAttribute[str](of=UnicodeAttribute, null=True)  # JSON of each citizen_entry


@dataclass(frozen=True)
class StoodProof:
    """A proof as DynamoDB answered a refused attempt with it: what judging the attempt needs,
    and what a right one opens. Read straight from the item's attributes (PynamoDB's model
    would take several times as long to build, on every inquiry)."""

    check: str | None
    attempts_hour: str | None
    attempts: int
    shown: str | None
    history: list[str]
    last_attempt: str | None = None

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StoodProof:
        return cls(
            check=item["check"]["S"] if "check" in item else None,
            attempts_hour=item["attempts_hour"]["S"] if "attempts_hour" in item else None,
            attempts=int(item["attempts"]["N"]) if "attempts" in item else 0,
            shown=item["shown"]["S"] if "shown" in item else None,
            history=[entry["S"] for entry in item["history"]["L"]] if "history" in item else [],
            last_attempt=item["last_attempt"]["S"] if "last_attempt" in item else None,
        )

    def citizen_view(self) -> dict[str, Any]:
        """The request as its citizen may see it, with each change of status (domain/inquiry.py)."""
        return {**json.loads(self.shown or "{}"), "history": [json.loads(entry) for entry in self.history]}


class AttemptsExhausted(Exception):
    """The hour's failed attempts at this proof reached the limit: nothing is judged until it ends."""


# The attempt's two updates. `#check` is not optional: CHECK is one of DynamoDB's reserved words.
_ATTEMPT_NAMES = {"#hour": "attempts_hour", "#attempts": "attempts", "#check": "check", "#last": "last_attempt"}
_NOT_PROVED_BY_GUESS = "(attribute_not_exists(#check) OR #check <> :guess)"
_NOT_THIS_ATTEMPT = "(attribute_not_exists(#last) OR #last <> :attempt)"
_COUNT_IN_HOUR = {
    "UpdateExpression": "ADD #attempts :one SET #last = :attempt",
    "ConditionExpression": f"#hour = :hour AND #attempts < :limit AND {_NOT_PROVED_BY_GUESS} AND {_NOT_THIS_ATTEMPT}",
    "ExpressionAttributeNames": _ATTEMPT_NAMES,
}
_BEFORE_HOUR = "(attribute_not_exists(#hour) OR #hour < :hour)"
_START_HOUR_OF_ISSUED = {
    "UpdateExpression": "SET #hour = :hour, #attempts = :one, #last = :attempt",
    "ConditionExpression": f"{_BEFORE_HOUR} AND {_NOT_PROVED_BY_GUESS} AND {_NOT_THIS_ATTEMPT}",
    "ExpressionAttributeNames": _ATTEMPT_NAMES,
}
_START_HOUR_OF_NEVER_ISSUED = {
    "UpdateExpression": "SET #hour = :hour, #attempts = :one, #last = :attempt, #kind = :kind, #expires = :expires",
    "ConditionExpression": f"{_BEFORE_HOUR} AND attribute_not_exists(#check) AND {_NOT_THIS_ATTEMPT}",
    "ExpressionAttributeNames": {**_ATTEMPT_NAMES, "#kind": "kind", "#expires": "expires_at"},
}


def judge_attempt(tracking_number: str, guess: str, hour: str, limit: int, expires_at: datetime) -> StoodProof | None:
    """One attempt at a request's proof, in the clock hour `hour`: the proof, with the request as
    its citizen may see it, when `guess` is its check; None when it is not, and the attempt is
    counted. AttemptsExhausted once `limit` attempts failed in the hour, right guess or wrong.
    `expires_at`: when the item of a number never issued may go."""
    attempt = uuid.uuid4().hex
    for _ in range(ROUNDS):
        values = {":one": {"N": "1"}, ":hour": {"S": hour}, ":limit": {"N": str(limit)}, ":guess": {"S": guess}}
        counted, proof = _update_or_read(tracking_number, attempt, _COUNT_IN_HOUR, values)
        if counted:
            return None
        if proof is not None and proof.attempts_hour is not None and proof.attempts_hour > hour:
            hour = proof.attempts_hour  # a clock a few seconds ahead of ours has started the next hour
            continue
        failed = proof.attempts if proof is not None and proof.attempts_hour == hour else 0
        if failed >= limit:
            raise AttemptsExhausted
        if proof is not None and proof.check is not None and hmac.compare_digest(proof.check, guess):
            return proof
        new_hour = proof is None or proof.attempts_hour != hour
        if new_hour and _start_hour(tracking_number, attempt, guess, hour, None if _issued(proof) else expires_at):
            return None
    raise Busy(contended=True)


def show_in(transaction: TransactWrite, request: RequestRecord, entry: HistoryEntry) -> None:
    """Rewrites, in `transaction`, what the request's citizen may see of it as `request` now
    stands, with `entry` (the change's history entry) added when it is a change of status."""
    transaction.update(RequestProof(request.tracking_number, RequestProof.ITEM), actions=_view_of(request, entry))


def issue_in(transaction: TransactWrite, request: RequestRecord, entry: HistoryEntry, check: str) -> None:
    """A new request's proof, in its submission's transaction: the check and the citizen's view.
    Attempts already made at the number before it was issued still count; it no longer expires."""
    actions = [*_view_of(request, entry), RequestProof.check.set(check), RequestProof.expires_at.remove()]
    transaction.update(RequestProof(request.tracking_number, RequestProof.ITEM), actions=actions)


def erase_check_in(transaction: TransactWrite, request: RequestRecord, entry: HistoryEntry) -> None:
    """An erasure, in its transaction: the check goes, so no proof opens the request any more."""
    actions = [*_view_of(request, entry), RequestProof.check.remove()]
    transaction.update(RequestProof(request.tracking_number, RequestProof.ITEM), actions=actions)


def _view_of(request: RequestRecord, entry: HistoryEntry) -> list[Action]:
    shown = citizen_view(
        status=request.status,
        service_code=request.service_code,
        district_code=request.district_code,
        submitted_at=request.submitted_at,
        sla_due_date=request.sla_due_date,
        payment_status=None if request.payment is None else request.payment.status,
    )
    actions = [RequestProof.kind.set(RequestProof), RequestProof.shown.set(json.dumps(shown, ensure_ascii=False))]
    if entry.event == HistoryEntry.STATUS_CHANGE:
        change = json.dumps(citizen_entry(entry.to_status, entry.at, entry.citizen_message), ensure_ascii=False)
        actions.append(RequestProof.history.set((RequestProof.history | []).append([change])))
    return actions


def _issued(proof: StoodProof | None) -> bool:
    return proof is not None and proof.check is not None


def _start_hour(tracking_number: str, attempt: str, guess: str, hour: str, expires_at: datetime | None) -> bool:
    """Starts `hour` with one failed attempt, on condition that no attempt started it first.
    With `expires_at` (a number never issued), only while it is still not issued."""
    values: dict[str, Any] = {":one": {"N": "1"}, ":hour": {"S": hour}}
    if expires_at is None:
        expression, values[":guess"] = _START_HOUR_OF_ISSUED, {"S": guess}
    else:
        expression = _START_HOUR_OF_NEVER_ISSUED
        values[":kind"], values[":expires"] = {"S": RequestProof.ITEM}, {"N": str(int(expires_at.timestamp()))}
    counted, _ = _update_or_read(tracking_number, attempt, expression, values)
    return counted


def _update_or_read(
    tracking_number: str, attempt: str, expression: dict[str, Any], values: dict[str, Any]
) -> tuple[bool, StoodProof | None]:
    """One conditional UpdateItem of the proof for the attempt `attempt`: (True, None) when it was
    written, by this call or by an earlier sending of it whose answer was lost; (False, the item
    as it stood, None if there was none) when its condition failed.

    Sent through the process's one botocore client rather than PynamoDB's Model.update, which
    neither asks for ReturnValuesOnConditionCheckFailure nor keeps the item DynamoDB sends back.
    """
    operation = {
        "TableName": RequestProof.Meta.table_name,
        "Key": {"tracking_number": {"S": tracking_number}, "item": {"S": RequestProof.ITEM}},
        **expression,
        "ExpressionAttributeValues": {**values, ":attempt": {"S": attempt}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }

    def send() -> tuple[bool, StoodProof | None]:
        try:
            dynamodb_client().update_item(**operation)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise UpdateError("Failed to update a request's proof", error) from error
            stood = StoodProof.from_item(error.response["Item"]) if error.response.get("Item") else None
            if stood is not None and stood.last_attempt == attempt:
                return True, None  # this very update was made before, and its answer lost
            return False, stood
        return True, None

    return retry_transient(send)
