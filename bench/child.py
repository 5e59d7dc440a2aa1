"""One fresh interpreter of the cold-start benchmark: `python -m bench.child <side> <spec.json>`.

`app`: imports the Lambda handler (app.py) and answers the spec's API Gateway events, as a
fresh Lambda container does with its first request. `baseline`: imports boto3, makes one
DynamoDB client and sends the spec's DynamoDB calls, the very calls the handler made for the
same request. Both read their spec before the clock starts and import nothing else before it;
the last line printed is the timings and the resident set, as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


class LambdaContext:
    """What the Lambda runtime passes a handler, as far as Chalice and the handler read it."""

    function_name = "shobbak-local-api_handler"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-central-1:000000000000:function:shobbak-local-api_handler"
    memory_limit_in_mb = 512
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    log_group_name = "/aws/lambda/shobbak-local-api_handler"
    log_stream_name = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 15_000


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def app_side(events: list[dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    from app import app

    ready = time.perf_counter()
    answers = [app(event, LambdaContext()) for event in events]
    answered = time.perf_counter()
    return {
        "ready_ms": (ready - started) * 1000,
        "answered_ms": (answered - started) * 1000,
        "statuses": [answer["statusCode"] for answer in answers],
        "bodies": [answer["body"] for answer in answers],
    }


def baseline_side(calls: list[list[Any]], region: str) -> dict[str, Any]:
    started = time.perf_counter()
    import boto3
    from botocore import xform_name

    dynamodb = boto3.client("dynamodb", region_name=region)
    ready = time.perf_counter()
    for operation, parameters in calls:
        try:
            getattr(dynamodb, xform_name(operation))(**parameters)
        except dynamodb.exceptions.ConditionalCheckFailedException as refused:
            # A right inquiry is answered from the item its refused update returns
            # (chalicelib/store/requests/proof.py): the baseline reads it from the refusal as well.
            if "ReturnValuesOnConditionCheckFailure" not in parameters or "Item" not in refused.response:
                raise
    answered = time.perf_counter()
    return {
        "ready_ms": (ready - started) * 1000,
        "answered_ms": (answered - started) * 1000,
        "statuses": [],
        "bodies": [],
    }


def main() -> None:
    side, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as spec_file:
        spec = json.load(spec_file)
    figures = app_side(spec["events"]) if side == "app" else baseline_side(spec["calls"], spec["region"])
    figures["rss_mb"] = resident_mb()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
