"""The DynamoDB tables of infra/resources.yaml: one module per table, named after it, holding its
models, indexes, reads and writes and their exceptions, with its access patterns at the top:
applicants, documents, figures, idempotency, limits, outbox, payments, and requests (a package,
one module per kind of item in a request's partition). Shared by all of them: base.py (the
models' Meta), connection.py (the process's one DynamoDB client) and retries.py (transient
refusals retried)."""
