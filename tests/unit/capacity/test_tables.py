"""The capacity model's tables and indexes, read from infra/resources.yaml (capacity/tables.py)."""

from __future__ import annotations

from capacity.tables import tables


def test_the_tables_and_indexes_are_read_from_the_template() -> None:
    definitions = tables()
    assert {"requests", "applicants", "idempotency", "payments", "outbox"} <= set(definitions)
    # The queues at least; other issues add their own indexes, which the recorder charges too.
    assert {"queue", "department_queue"} <= {index.name for index in definitions["requests"].indexes}
