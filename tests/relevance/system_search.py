"""The system's search as a shop's InstantSearch front end sends it: the Algolia endpoint.

One `POST /1/indexes/products/query` per query, restricted to the data set
by a facet filter, the top K object ids only. `Cache-Control: no-cache` with
an editor's key makes the read API compute every answer from the index (only
editors and admins may ask for that, see read_api.cache.http.fresh_requested),
and `analytics: false` keeps the harness's searches out of the shoppers'
search analytics.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.relevance.metrics import Ranking
from tests.relevance.ndcg import K

QUERY_PATH = "/1/indexes/products/query"
RATE_LIMITED_ATTEMPTS = 5


def algolia_body(query: str, dataset: str, k: int = K) -> dict[str, Any]:
    """The Algolia search parameters of one judged query inside one data set."""
    return {
        "query": query,
        "hitsPerPage": k,
        "facetFilters": [f"attributes.dataset:{dataset}"],
        "attributesToRetrieve": ["objectID"],
        "analytics": False,
    }


def system_search(
    read_api: httpx.Client, query: str, dataset: str, *, key: str, k: int = K
) -> Ranking:
    """The system's top k ids for the query inside the data set, and its total hits.

    `key`: an editor's or admin's, so that no-cache is honoured.
    """
    headers = {"Cache-Control": "no-cache", "Authorization": f"Bearer {key}"}
    for _ in range(RATE_LIMITED_ATTEMPTS):
        response = read_api.post(QUERY_PATH, json=algolia_body(query, dataset, k), headers=headers)
        if response.status_code != 429:  # the read API's per-client limit: wait our turn
            break
        time.sleep(float(response.headers.get("Retry-After", 1)))
    response.raise_for_status()
    answer = response.json()
    return Ranking(tuple(str(hit["objectID"]) for hit in answer["hits"]), int(answer["nbHits"]))
