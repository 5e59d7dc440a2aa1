"""Builds the template `chalice package --merge-template` takes: infra/resources.yaml with
infra/wiring.yaml merged over it, intrinsic functions kept, written as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

INFRA = Path(__file__).resolve().parent.parent / "infra"


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    arguments = parser.parse_args()
    resources = cfn_yaml.load(str(INFRA / "resources.yaml"))
    wiring = cfn_yaml.load(str(INFRA / "wiring.yaml"))
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(merged(resources, wiring), indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
