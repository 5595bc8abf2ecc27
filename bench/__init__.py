"""Benchmarks and evaluations: scripts that print figures (never timed tests)."""
