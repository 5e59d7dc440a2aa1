"""app.py wires the routes and nothing else: importing it, as every function's cold start does,
loads no store, AWS SDK or template engine. Each view loads what its route needs on first use
(api/routes/citizen.py), so a route's first request pays only for its own code (make bench)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
# What one route needs and another does not: loaded at import, each would be paid by every function.
LOADED_ON_FIRST_USE = ("pynamodb", "botocore", "boto3", "urllib3", "jinja2")
IN_PACKAGES = ("chalicelib.store.", "chalicelib.services.")


def test_importing_the_app_loads_no_store_sdk_or_templates() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import json, sys, app; print(json.dumps(sorted(sys.modules)))"],
        cwd=PROJECT, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    modules = json.loads(loaded.stdout)
    assert "chalicelib.api.routes.console" in modules  # the app itself was imported
    early = [name for name in modules if name.partition(".")[0] in LOADED_ON_FIRST_USE or name.startswith(IN_PACKAGES)]
    assert early == []
