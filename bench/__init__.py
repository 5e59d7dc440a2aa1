"""Shobbak's benchmarks: `python -m bench.run` writes bench/results.json (CONTRACT.md)."""
