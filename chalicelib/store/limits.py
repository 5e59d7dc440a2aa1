"""Counters that say "enough": what one phone number may ask for in a Cairo day, and a member
of staff's identity reveals in an hour (chalicelib/services/limits.py decides the limits).
Failed guesses at a request's proof are counted on the proof itself (store/requests/proof.py).

limits table (`key`): one LimitCounter per subject and window, e.g.
  `submissions#<hmac of the phone>#<Cairo day>` or `reveals#<staff id>#<UTC hour>`.
The key names a fixed window, so a new window starts from zero without any reset; the
item expires (TTL) once its window is over. Keys are HMACs: the table names no tracking
number and no phone.
  * taking one: a single conditional UpdateItem (ADD 1 while below the limit), which is
    atomic, so parallel callers can never take more than the limit between them;
  * giving one back (a message that did not go out): UpdateItem ADD -1;
  * counting without a limit (identity reveals per member of staff and hour, for an alert):
    UpdateItem ADD 1, which answers with the new count;
  * a submission takes its phone's slot inside its own transaction (`add_to_transaction`),
    so a refused or replayed submission takes nothing.
Transient refusals are retried (store/retries.py). A counter's ADD is not conditional on being
new, so a retry after a timeout that did commit counts one more: the limit errs on the strict side.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.store.base import StoredModel, TableMeta
from chalicelib.store.retries import retry_transient


class LimitCounter(StoredModel):
    class Meta(TableMeta):
        table = "limits"

    key = UnicodeAttribute(hash_key=True)
    count = NumberAttribute(default=0)
    expires_at = TTLAttribute()


def _below(limit: int) -> Condition:
    return LimitCounter.key.does_not_exist() | (LimitCounter.count < limit)


def _one_more(expires_at: datetime) -> list[Action]:
    return [LimitCounter.count.add(1), LimitCounter.expires_at.set(expires_at)]


def take_one(key: str, limit: int, expires_at: datetime) -> bool:
    """Counts one more in the window `key`, unless `limit` are counted already (then False)."""
    try:
        retry_transient(lambda: LimitCounter(key).update(actions=_one_more(expires_at), condition=_below(limit)))
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def count_one(key: str, expires_at: datetime) -> int:
    """Counts one more in the window `key`, whatever the count; returns the new count."""
    counter = LimitCounter(key)
    retry_transient(lambda: counter.update(actions=_one_more(expires_at)))
    return int(counter.count)


def give_back(key: str) -> None:
    """Uncounts one taken with take_one (a message that did not go out after all)."""
    try:
        retry_transient(
            lambda: LimitCounter(key).update(actions=[LimitCounter.count.add(-1)], condition=LimitCounter.count > 0)
        )
    except UpdateError as error:
        # Nothing left to give back: the window expired and its item went with it.
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def add_to_transaction(transaction: TransactWrite, key: str, limit: int, expires_at: datetime) -> None:
    """take_one, as part of a transaction: the transaction is cancelled if the limit is reached."""
    transaction.update(LimitCounter(key), actions=_one_more(expires_at), condition=_below(limit))
