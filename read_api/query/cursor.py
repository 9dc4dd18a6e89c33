"""Opaque cursors for deep paging: the last hit's sort values, bound to the query (pure).

A cursor is base64url of a small JSON object: its format version, the sort order,
a fingerprint of the query it belongs to, and Elasticsearch's `search_after`
values. Using it with another query or sort is refused rather than answered wrongly.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

import orjson

from read_api.query.canonical import canonical_filters
from read_api.query.model import CursorValue, SearchQuery, Sort

VERSION = 1
MAX_CURSOR_CHARS = 2048


class InvalidCursor(ValueError):
    """A cursor that is malformed, or belongs to another query or sort."""


def fingerprint(query: SearchQuery) -> str:
    """What must stay the same between pages: text, scope, filters and sort."""
    basis = query.model_dump(mode="json", include={"text", "category", "sort", "typo_tolerance"})
    # in canonical form: equal filters written in another order share cached answers, and cursors
    basis["filters"] = canonical_filters(query.filters)
    return hashlib.sha256(orjson.dumps(basis, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def encode_cursor(query: SearchQuery, after: list[CursorValue]) -> str:
    """The cursor that continues `query` after the hit whose sort values are `after`."""
    payload = {"v": VERSION, "s": query.sort, "q": fingerprint(query), "a": after}
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def _payload(cursor: str) -> dict[str, Any]:
    if len(cursor) > MAX_CURSOR_CHARS:
        raise InvalidCursor("the cursor is too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = orjson.loads(raw)
    except (binascii.Error, ValueError):
        raise InvalidCursor("not a cursor this API issued") from None
    if not isinstance(payload, dict) or payload.get("v") != VERSION:
        raise InvalidCursor("not a cursor this API issued")
    return payload


def decode_cursor(cursor: str, sort: Sort) -> tuple[str, list[CursorValue]]:
    """The query fingerprint and `search_after` values of a cursor made for `sort`."""
    payload = _payload(cursor)
    after, key = payload.get("a"), payload.get("q")
    if (
        not isinstance(after, list)
        or not 1 <= len(after) <= 4
        or not all(v is None or isinstance(v, str | int | float) for v in after)
        or not isinstance(key, str)
    ):
        raise InvalidCursor("not a cursor this API issued")
    if payload.get("s") != sort:
        raise InvalidCursor("the cursor belongs to another sort order")
    return key, after


def check_cursor(query: SearchQuery, key: str) -> None:
    """Refuse a cursor issued for a different query."""
    if key != fingerprint(query):
        raise InvalidCursor("the cursor belongs to another query")
