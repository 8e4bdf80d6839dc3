"""Benchmarks and fault drills for Stretch Break (issue 6). Not part of the pytest run.

Each script prints a table and exits 0; see `docs/benchmarks.md` for the commands and results.
"""
