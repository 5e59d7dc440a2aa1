"""The audit trail: who saw or changed what about a citizen, kept whatever the log level.

Production logs at WARNING (.chalice/config.json), which silences INFO. Audit events are
not warnings, and they must never be lost to a level chosen for noise: they go through a
logger of their own (`"service": "shobbak-audit"`), pinned at INFO, with the same redacting
formatter, and each line carries `"audit": <event>` for CloudWatch Logs Insights and filters.
(Lambda's Advanced Logging Controls, if ever set, outrank any logger: keep them at INFO.)
"""

from __future__ import annotations

from typing import Any

from chalicelib.observability.logs import Logger

AUDIT_SERVICE = "shobbak-audit"

audit_logger = Logger(service=AUDIT_SERVICE, level="INFO")


def audit(event: str, **fields: Any) -> None:
    """One audit event: what happened (`event`), to which request, by whom. Never personal data."""
    audit_logger.info(event.replace("_", " "), extra={"audit": event, **fields})
