"""The requests table: a partition per request, holding four kinds of item.

A package rather than one module because each kind of item has its own model and its own
writes, and the proof's alone (the inquiry's hand-written UpdateItem) is as long as the rest
of a table module: together they would make one module of about 850 lines. One module per
kind of item, and one for what changes several of them at once:

  partition.py          RequestPartitionItem, what every item of the partition shares
  request.py            `item = "request"`: the request itself (RequestRecord), its indexes,
                        and the reads of them (the office queues, Open311, the overdue lists)
  history.py            `item = "history#<version>#<at>"`: one immutable entry per event
  proof.py              `item = "proof"`: what a citizen's inquiry reads
  checkout_attempts.py  `item = "card_order#<invoice reference>#<attempt>"`: a card checkout
  changes.py            the request read whole, and the transactions that change it

Access patterns (every one a key lookup or a query; nothing on a request path scans):

requests table (`tracking_number`, `item`): a partition per request holding
  - `item = "request"`: the request itself (RequestRecord);
  - `item = "history#<version>#<at>"`: one immutable entry per event (HistoryEntry): a change
    of status, keyed by the version it produced, or a record such as an identity reveal,
    under the version it happened at; sorted, the entries read in the order they happened;
  - `item = "card_order#<invoice reference>#<attempt>"`: a card checkout started for the
    invoice (CheckoutAttempt), never part of the request item itself;
  - `item = "proof"`: the keyed check an inquiry must match, the failed attempts at it this
    hour, and the request as its citizen may see it (RequestProof), rewritten in every
    transaction that changes the request.
  * citizen inquiry: one UpdateItem of the proof (proof.py) judges and counts the attempt, and
    a right one is answered from the item it returns.
  * the request with everything in its partition (an office view, a card payment): one Query
    (changes.py, load_request).
  * submission: one TransactWriteItems puts the request, its first history entry, the
    applicant and the idempotency record, each on condition that it does not exist yet, and
    writes the request's proof (changes.py).
  * district queue: Query on the `queue` index (`queue = "<district>#<status>"`), ordered by
    `queue_order = "<sla_due_date>#<tracking_number>"`, so the most urgent work comes first;
    one page per query.
  * department queue: the same on the `department_queue` index
    (`department_queue = "<district>#<department>#<status>"`).
  * overdue requests (the figures' daily recount and the overdue list): the open requests of a
    district due before a day are a range of each open status's partition of the `queue`
    index, most overdue first (a page per query of each open status, merged by `queue_order`).
  * Open311 listing by date: Query on the `opened` index (`opened_month = "<YYYY-MM>"`, UTC),
    `opened_order = "<submitted_at>#<tracking_number>"` between two moments; one query a month.
    Open311 by tracking numbers: one BatchGetItem of the request items.
"""
