"""Shobbak's benchmarks: `python -m bench.run` writes bench/results.json (docs/interfaces.md#benchmark-results)."""
