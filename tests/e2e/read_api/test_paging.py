"""Paging by number and by cursor: every hit exactly once, in the same order."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from catalog.settings import Settings
from tests.e2e.read_api.conftest import IN_DATASET, Catalog, es_count, in_dataset_query, search

QUERY: dict[str, Any] = {"filter": ["categories:Handyzubehör > Kabel"]}


def _by_cursor(client: httpx.Client, sort: str, size: int) -> list[str]:
    ids: list[str] = []
    params: dict[str, Any] = {**QUERY, "sort": sort, "page_size": size}
    while True:
        answer = search(client, **params)
        ids += [hit["id"] for hit in answer["hits"]]
        if answer["next_cursor"] is None:
            return ids
        params["cursor"] = answer["next_cursor"]


@pytest.mark.parametrize("sort", ["relevance", "price_asc", "price_desc", "newest", "rating"])
def test_the_cursor_visits_every_hit_once(
    read_api: httpx.Client, catalog: Catalog, es: httpx.Client, settings: Settings, sort: str
) -> None:
    ids = _by_cursor(read_api, sort, 37)
    assert len(ids) == len(set(ids)), "duplicates"
    cables = {"term": {"categories.lvl1": "Handyzubehör > Kabel"}}
    assert len(ids) == es_count(es, settings, in_dataset_query(cables)) > 37
    pages: list[str] = []
    for page in range(1, len(ids) // 37 + 2):
        pages += [
            h["id"] for h in search(read_api, **QUERY, sort=sort, page=page, page_size=37)["hits"]
        ]
    assert pages == ids


def test_the_cursor_continues_only_its_own_query(read_api: httpx.Client, catalog: Catalog) -> None:
    first = search(read_api, **QUERY, sort="price_asc", page_size=5)
    other = read_api.get(
        "/v1/search",
        params={"filter": [IN_DATASET], "sort": "price_asc", "cursor": first["next_cursor"]},
    )
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["query", "cursor"]
    resorted = read_api.get(
        "/v1/search",
        params={**QUERY, "filter": [IN_DATASET, *QUERY["filter"]], "cursor": first["next_cursor"]},
    )
    assert resorted.status_code == 422


def test_page_depth_is_bounded(read_api: httpx.Client, catalog: Catalog) -> None:
    response = read_api.get("/v1/search", params={"page": 101, "page_size": 100})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]
    answer = search(read_api, page_size=100)
    assert answer["pages"] == -(-answer["total"] // 100)
