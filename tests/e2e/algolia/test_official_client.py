"""The official Algolia Python client (algoliasearch v4), pointed at this host, works unchanged.

Its typed answers are pydantic models: that they parse is the check that our
answers carry the fields, in the types, that Algolia clients rely on.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from algoliasearch.http.hosts import Host, HostsCollection
from algoliasearch.search.client import SearchClientSync
from algoliasearch.search.config import SearchConfig
from algoliasearch.search.models.search_for_facet_values_response import (
    SearchForFacetValuesResponse,
)
from algoliasearch.search.models.search_method_params import SearchMethodParams
from algoliasearch.search.models.search_response import SearchResponse

from catalog.settings import Settings
from tests.e2e.algolia.conftest import IN_DATASET
from tests.e2e.conftest import Keys
from tests.e2e.read_api.conftest import Catalog


@pytest.fixture(scope="module")
def client(settings: Settings, catalog: Catalog, keys: Keys) -> Iterator[SearchClientSync]:
    """The official client with a search key, its only host this read API over plain HTTP."""
    config = SearchConfig("catalog-search", keys.search)
    # set before the client exists, so it never falls back to Algolia's own hosts
    config.hosts = HostsCollection([Host("127.0.0.1", scheme="http", port=settings.read_api_port)])
    with SearchClientSync.create_with_config(config) as search_client:
        yield search_client


def test_search_single_index(client: SearchClientSync) -> None:
    answer = client.search_single_index(
        "products",
        {
            "query": "hülle",
            "hitsPerPage": 3,
            "facets": ["brand", "price"],
            "facetFilters": [IN_DATASET],
            "clickAnalytics": True,
        },
    )
    assert answer.nb_hits is not None
    assert answer.nb_hits > 3
    assert len(answer.hits) == 3
    assert answer.hits[0].object_id
    assert answer.hits[0].highlight_result is not None
    assert answer.facets is not None
    assert sum(answer.facets["brand"].values()) == answer.nb_hits
    assert answer.facets_stats is not None
    assert answer.facets_stats["price"].min is not None
    assert answer.query_id is not None
    assert len(answer.query_id) == 32


def test_search_several_indices(client: SearchClientSync) -> None:
    params = SearchMethodParams.from_dict(
        {
            "requests": [
                {
                    "indexName": "products_price_asc",
                    "query": "kabel",
                    "hitsPerPage": 5,
                    "facetFilters": [IN_DATASET],
                },
                {
                    "indexName": "products",
                    "type": "facet",
                    "facet": "brand",
                    "facetQuery": "sp",
                    "facetFilters": [IN_DATASET],
                },
            ]
        }
    )
    assert params is not None
    answer = client.search(params)
    hits_result, facet_result = (result.actual_instance for result in answer.results)
    assert isinstance(hits_result, SearchResponse)
    prices = [hit.to_dict()["effective_price"] for hit in hits_result.hits]
    assert prices == sorted(prices)
    assert isinstance(facet_result, SearchForFacetValuesResponse)
    assert [hit.value for hit in facet_result.facet_hits] == ["Spigen"]


def test_search_for_facet_values(client: SearchClientSync) -> None:
    answer = client.search_for_facet_values(
        "products",
        "attributes.color",
        {"facetQuery": "sch", "maxFacetHits": 5, "params": f"filters={IN_DATASET}"},
    )
    values = [hit.value for hit in answer.facet_hits]
    assert "schwarz" in values
    assert all(hit.count > 0 for hit in answer.facet_hits)
    assert all("<em>" in hit.highlighted for hit in answer.facet_hits)


def test_get_object(client: SearchClientSync, catalog: Catalog) -> None:
    product = catalog.active[0]
    record = client.get_object("products", product["id"], ["title", "brand"])
    assert record == {
        "objectID": product["id"],
        "title": product["title"],
        "brand": product["brand"],
    }


def test_distinct_groups_variants(client: SearchClientSync) -> None:
    filters = [IN_DATASET, "categories.lvl1:Handyzubehör > Hüllen"]
    plain = client.search_single_index("products", {"facetFilters": filters, "hitsPerPage": 40})
    grouped = client.search_single_index(
        "products",
        {
            "facetFilters": filters,
            "hitsPerPage": 40,
            "distinct": 1,
            "facets": ["brand"],
            "facetingAfterDistinct": True,
        },
    )
    assert plain.nb_hits is not None
    assert grouped.nb_hits is not None
    assert grouped.nb_hits < plain.nb_hits
    groups = [hit.to_dict()["group_id"] for hit in grouped.hits]
    assert len(groups) == len(set(groups)) == 40
    assert any(hit.to_dict()["variants"] > 1 for hit in grouped.hits)
    assert grouped.facets is not None
    assert sum(grouped.facets["brand"].values()) == grouped.nb_hits  # one brand per group
