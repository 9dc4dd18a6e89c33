"""The official Algolia Python client reads rule answers: userData, appliedRules, facet order."""

from __future__ import annotations

from collections.abc import Callable

from algoliasearch.http.hosts import Host, HostsCollection
from algoliasearch.search.client import SearchClientSync
from algoliasearch.search.config import SearchConfig

from catalog.settings import Settings
from tests.e2e.conftest import Keys
from tests.e2e.merchandising.conftest import IN_DATASET, WORD, eventually

BANNER = {"banner": "Black Friday", "url": "/bf"}


def test_the_official_client_reads_rule_answers(
    settings: Settings,
    keys: Keys,
    merch_catalog: list[str],
    rules: Callable[..., str],
    context: str,
) -> None:
    rule_id = rules(
        {
            "conditions": [{"pattern": WORD, "anchoring": "is", "context": context}],
            "consequence": {
                "promote": [{"objectID": merch_catalog[5], "position": 0}],
                "userData": BANNER,
                "renderingContent": {"facetOrdering": {"facets": {"order": ["brand", "price"]}}},
            },
        }
    )
    config = SearchConfig("catalog-search", keys.search)
    config.hosts = HostsCollection([Host("127.0.0.1", scheme="http", port=settings.read_api_port)])
    with SearchClientSync.create_with_config(config) as client:
        params = {
            "query": WORD,
            "ruleContexts": [context],
            "getRankingInfo": True,
            "facets": ["brand"],
            "facetFilters": [IN_DATASET],
        }
        answer = eventually(
            lambda: (
                (a := client.search_single_index("products", params))
                and isinstance(a.user_data, list)
                and BANNER in a.user_data
                and a
            )
        )
    assert isinstance(answer.user_data, list)
    assert answer.user_data[0] == BANNER
    assert answer.applied_rules is not None
    assert answer.applied_rules[0] == {"objectID": rule_id}
    assert answer.hits[0].object_id == merch_catalog[5]
    assert answer.rendering_content is not None
    ordering = answer.rendering_content.facet_ordering
    assert ordering is not None
    assert ordering.facets is not None
    assert ordering.facets.order == ["brand", "price"]
