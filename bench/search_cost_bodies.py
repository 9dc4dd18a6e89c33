"""The plain BM25 twins of a system search body (pure): the same request but for its ranking.

- `bm25`: the system body with only `query` replaced by one plain
  `multi_match` over title, description and brand inside the system query's
  own filter clauses; aggregations, post_filter, sort, paging, highlight,
  `_source` and `track_total_hits` stay the system body's, so what differs
  between the two is the cost of the ranking alone;
- `bm25-noaggs`: that query with the same paging and sort, no aggregations
  and no highlight; the post_filter's clauses join its filter, so it finds
  the hits `bm25` finds.

Neither changes the system body it is made from.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

Body = dict[str, Any]
BM25_FIELDS = ("title", "description", "brand.text")
# what `bm25` keeps beside the query and `bm25-noaggs` leaves out
NOT_FOR_NOAGGS = ("aggs", "highlight", "post_filter")


def filter_clauses(query: Mapping[str, Any]) -> list[Any]:
    """The filter clauses of a system query: inside its function_score, in its bool."""
    inner: Mapping[str, Any] = query
    while "function_score" in inner:
        inner = inner["function_score"]["query"]
    if "bool" not in inner:
        raise ValueError(f"no bool query inside the system query: {sorted(inner)}")
    found = inner["bool"].get("filter", [])
    return copy.deepcopy(found if isinstance(found, list) else [found])


def bm25_query(text: str, filters: list[Any]) -> Body:
    """One plain multi_match (default settings) inside the filters."""
    match = {"multi_match": {"query": text, "fields": list(BM25_FIELDS)}}
    return {"bool": {"must": [match], "filter": filters}}


def bm25_body(system: Mapping[str, Any], text: str) -> Body:
    """The system body with a plain BM25 query in the same filters; everything else as it is."""
    body = copy.deepcopy(dict(system))
    body["query"] = bm25_query(text, filter_clauses(system["query"]))
    return body


def noaggs_body(system: Mapping[str, Any], text: str) -> Body:
    """The plain BM25 query alone: same filters (post_filter's too), paging and sort, no aggs."""
    body = {k: copy.deepcopy(v) for k, v in system.items() if k not in NOT_FOR_NOAGGS}
    filters = filter_clauses(system["query"])
    if "post_filter" in system:
        filters.append(copy.deepcopy(system["post_filter"]))
    body["query"] = bm25_query(text, filters)
    return body
