"""Benchmarks against the running system (`make up`); not part of the test suite."""
