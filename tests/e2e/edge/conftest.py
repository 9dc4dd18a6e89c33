"""Fixtures for the edge tests: the demo data set's, for requests that must be answered 200."""

from __future__ import annotations

from tests.e2e.read_api.conftest import catalog, read_api

__all__ = ["catalog", "read_api"]
