"""Fixtures shared by every test: the settings of the stack the run started."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalog.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

# The fault matrix (tests/faults/test_import_faults.py) runs with `make faults`,
# on a test stack of its own, where it passes; inside the whole suite its cases
# failed on 2026-12-03 and 2026-12-04 with "the import ended before the fault"
# (issue 16), so `make test` keeps the worker-crash test and leaves the matrix
# to `make faults` until its trigger is shown to hold there.
FAULT_MATRIX = "CATALOG_FAULT_MATRIX"
collect_ignore = [] if os.environ.get(FAULT_MATRIX) else ["faults/test_import_faults.py"]


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The settings of the test stack (`make test` exports them)."""
    return Settings()


@pytest.fixture(scope="session")
def devstack_dir() -> Path:
    """The folder holding the test stack's pid files, logs and data."""
    return Path(os.environ.get("DEVSTACK_DIR", ROOT / ".devstack"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `last` run after all others: what they load cannot change what others see."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)
