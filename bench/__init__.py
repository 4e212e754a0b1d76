"""Benchmarks: `make bench` runs them and writes docs/BENCHMARKS.md (ratios against baselines)."""
