"""Time as the stores keep it: UTC, truncated to milliseconds (BSON dates hold no more)."""

from __future__ import annotations

from datetime import UTC, datetime


def now_ms() -> datetime:
    """The current UTC time, truncated to whole milliseconds."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
