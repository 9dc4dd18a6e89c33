"""Query ids: what a search answered with `clickAnalytics` hands out for its clicks (pure).

Like Algolia's `queryID`, an id is 32 lower-case hex characters. Ours start with
the search's time (48 bits of Unix milliseconds, as in UUIDv7), so a click that
names the id also names the day of the search: the roll-up finds the search's
daily index without a lookup, whatever order the events arrive in.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, datetime

_QUERY_ID = re.compile(r"^[0-9a-f]{32}$")
_TIME_DIGITS = 12  # 48 bits of milliseconds: good until the year 10889
_RANDOM_BYTES = 10  # 80 random bits: no two searches share an id


def new_query_id(now_ms: int | None = None) -> str:
    """A fresh query id: 32 lower-case hex characters, the time first."""
    millis = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    return f"{millis:0{_TIME_DIGITS}x}{secrets.token_hex(_RANDOM_BYTES)}"


def query_id_time(query_id: str) -> datetime | None:
    """When the search behind one of our query ids ran; None for an id of another shape."""
    if not _QUERY_ID.match(query_id):
        return None
    try:
        return datetime.fromtimestamp(int(query_id[:_TIME_DIGITS], 16) / 1000, UTC)
    except (ValueError, OverflowError, OSError):  # beyond what a datetime holds
        return None
