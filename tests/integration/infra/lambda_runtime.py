"""Lambda's Python runtime, as far as a handler can tell: run as a script by a fresh interpreter
with no site-packages (`python -S`), it puts the unpacked deployment package first on the path,
imports the handler string as Lambda's init does, and invokes it once with the event given.

    python -S lambda_runtime.py TASK_ROOT HANDLER EVENT_JSON

Prints one JSON line: {"init_error": ...} when the import failed (Lambda's init fails), else
{"result": ...} or {"error": ...} from the invocation.
"""

import importlib
import json
import os
import sys


def answer(outcome: dict) -> None:
    sys.stdout.write(json.dumps(outcome, default=str) + "\n")


class LambdaContext:
    """The attributes of Lambda's context object that a handler reads."""

    def __init__(self) -> None:
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:eu-central-1:123456789012:function:{self.function_name}"
        self.memory_limit_in_mb = 512
        self.aws_request_id = "00000000-0000-4000-8000-000000000000"
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "stand-in"

    def get_remaining_time_in_millis(self) -> int:
        return 15_000


def main() -> None:
    task_root, handler, event = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    sys.path.insert(0, task_root)
    module_name, _, attribute = handler.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), attribute)
    except Exception as error:  # Lambda reports any failure of init
        answer({"init_error": type(error).__name__, "message": str(error)})
        return
    try:
        result = function(event, LambdaContext())
        answer({"result": result})
    except Exception as error:  # the invocation's own outcome is not what is tested
        answer({"error": type(error).__name__, "message": str(error)[:300]})


if __name__ == "__main__":
    main()
