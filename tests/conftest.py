"""Fixtures shared by every test: the settings of the stack the run started."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalog.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

# `make test` runs the fault matrix (tests/faults/test_import_faults.py) in its
# short form, imports of CATALOG_FAULT_IMPORT_COUNT products; its worker-kill
# case covers what tests/faults/test_worker_crash.py shows at 20,000 products,
# so that one runs with the full matrix only (`make faults`).
FAULTS_IN_FULL = "CATALOG_FAULTS_IN_FULL"
collect_ignore = [] if os.environ.get(FAULTS_IN_FULL) else ["faults/test_worker_crash.py"]


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
