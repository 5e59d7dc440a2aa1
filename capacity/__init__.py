"""Capacity and cost at governorate scale: the hot-key simulation and docs/capacity.md."""
