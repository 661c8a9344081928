"""Castwright's benchmarks (issue #2): `make bench` runs them and rewrites docs/benchmarks.md."""
