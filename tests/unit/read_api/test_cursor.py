"""Cursors are opaque, bound to their query and sort, and refuse anything else."""

from __future__ import annotations

import base64

import pytest

from read_api.query.cursor import InvalidCursor, check_cursor, decode_cursor, encode_cursor
from read_api.query.model import Paging, SearchQuery, TermsFilter


def _query(**fields: object) -> SearchQuery:
    return SearchQuery.model_validate({"text": "hülle", "sort": "price_asc", **fields})


def test_a_cursor_round_trips() -> None:
    query = _query()
    cursor = encode_cursor(query, [19.99, "ACME-1"])
    key, after = decode_cursor(cursor, "price_asc")
    assert after == [19.99, "ACME-1"]
    check_cursor(query, key)
    assert "=" not in cursor
    assert "+" not in cursor
    assert "/" not in cursor


def test_paging_and_facets_do_not_change_the_query_a_cursor_belongs_to() -> None:
    query = _query()
    key, _ = decode_cursor(encode_cursor(query, ["-Infinity", 0, "X"]), "price_asc")
    check_cursor(_query(paging=Paging(size=50), facets=[{"field": "brand"}]), key)


def test_a_cursor_of_another_query_or_sort_is_refused() -> None:
    cursor = encode_cursor(_query(), [1.0, "A"])
    with pytest.raises(InvalidCursor, match="sort"):
        decode_cursor(cursor, "newest")
    key, _ = decode_cursor(cursor, "price_asc")
    other = _query(filters=[TermsFilter(field="brand", values=["Hama"])])
    with pytest.raises(InvalidCursor, match="another query"):
        check_cursor(other, key)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64 !",
        base64.urlsafe_b64encode(b"[1,2]").decode(),
        base64.urlsafe_b64encode(b'{"v":2,"s":"price_asc","q":"x","a":[1]}').decode(),
        base64.urlsafe_b64encode(b'{"v":1,"s":"price_asc","q":"x","a":[{"x":1}]}').decode(),
        base64.urlsafe_b64encode(b'{"v":1,"s":"price_asc","q":"x","a":[]}').decode(),
        "A" * 5000,
    ],
)
def test_anything_else_is_not_a_cursor(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, "price_asc")
