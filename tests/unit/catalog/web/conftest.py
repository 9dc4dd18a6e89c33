"""Fixtures of the web layer's unit tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from catalog.web.access_log import LOGGER_NAME


@pytest.fixture
def access_lines_on() -> Iterator[None]:
    """Access lines on at INFO, as the services configure logging."""
    logger = logging.getLogger(LOGGER_NAME)
    before = logger.level
    logger.setLevel(logging.INFO)
    yield
    logger.setLevel(before)
