"""Shobbak's tools, by job: `local/` is the stack on this machine (`make run`, `make demo`,
`make token`, and `local/emulation/`, the patches that make moto behave as AWS does), `build/`
builds, checks and publishes what is deployed (`make package`, `make publish`, `make lint`),
`testing/` helps the tests and benchmarks measure (AWS calls counted, Lighthouse)."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
