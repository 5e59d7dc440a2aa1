"""Secrets: from the environment when set; from SSM Parameter Store when deployed; and a
documented default for the local stage only, so that `make run` needs no setup.

The same two sources serve the one deployment value the stack itself writes to SSM rather than
to the functions' environment (the portal's public address, see `deployed_value`)."""

from __future__ import annotations

import os
import threading
import time

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.aws_clients import aws_client
from chalicelib.config import running_in_lambda, stage
from chalicelib.domain.errors import Unavailable
from chalicelib.observability.logs import logger

# The local stage's defaults (docs/interfaces.md#local-secrets); never used by any other stage.
LOCAL_DEFAULTS = {
    "PAYMOB_HMAC_SECRET": "local-paymob-hmac-secret",
    "PAYMOB_API_KEY": "local-paymob-api-key",
    "FAWRY_SECURE_KEY": "local-fawry-secure-key",
    "OPEN311_API_KEY": "local-open311-api-key",
    # Keys the stored inquiry checks and the limits table's keys (HMAC), so that a copy of
    # the tables gives away neither the national ID's last four digits nor phone numbers.
    "LOOKUP_HMAC_KEY": "local-lookup-hmac-key",
}
CACHE_SECONDS = 300
_SETTINGS_DOWN_AR = "تعذّر إتمام طلبك الآن بسبب عطل مؤقت، ولم يُحفظ شيء. حاول مرة أخرى بعد دقائق."
_SETTINGS_DOWN_EN = (
    "Your request cannot be completed right now because of a temporary fault; nothing was saved. "
    "Try again in a few minutes."
)

# Parameter name -> (value, monotonic time it was read). A rotated secret is seen within
# CACHE_SECONDS; a lock keeps `chalice local`'s threads from reading one parameter twice.
_cached: dict[str, tuple[str, float]] = {}
_cache_lock = threading.Lock()


class MissingSecret(Exception):
    pass


def deployed_value(name: str) -> str | None:
    """$NAME, else the SSM parameter named by $NAME_PARAMETER (read when first asked for, then
    cached a few minutes per container), else None."""
    value = os.environ.get(name)
    if value:
        return value
    parameter = os.environ.get(f"{name}_PARAMETER")
    if parameter:
        return _parameter(parameter)
    return None


def secret(name: str) -> str:
    """The secret `name`: $NAME, else the SecureString parameter named by $NAME_PARAMETER
    (cached a few minutes per container), else the local default on the local stage."""
    value = deployed_value(name)
    if value is not None:
        return value
    # stage() refuses an unknown stage in Lambda; the second test is the belt to its braces.
    if stage() == "local" and not running_in_lambda() and name in LOCAL_DEFAULTS:
        return LOCAL_DEFAULTS[name]
    raise MissingSecret(f"{name} is not configured")


def _parameter(parameter: str) -> str:
    # WithDecryption is ignored for a plain String parameter, so both kinds are read alike.
    with _cache_lock:
        cached = _cached.get(parameter)
        if cached is not None and time.monotonic() - cached[1] < CACHE_SECONDS:
            return cached[0]
        try:
            answer = aws_client("ssm").get_parameter(Name=parameter, WithDecryption=True)
        except (BotoCoreError, ClientError) as failure:
            # Throttled, denied or missing: nothing is cached, so the next request asks again.
            logger.error("parameter unreadable", extra={"parameter": parameter, "error": type(failure).__name__})
            raise Unavailable("temporarily_unavailable", _SETTINGS_DOWN_AR, _SETTINGS_DOWN_EN) from failure
        value = str(answer["Parameter"]["Value"])
        _cached[parameter] = (value, time.monotonic())
        return value
