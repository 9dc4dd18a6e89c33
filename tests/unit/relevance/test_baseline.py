"""The BM25 baseline's bodies: three default text fields, one default multi_match, the top 10."""

from __future__ import annotations

import orjson

from tests.relevance.baseline import (
    baseline_index,
    bulk_body,
    index_body,
    query_body,
    source,
)
from tests.relevance.judged_set import Document
from tests.relevance.system_search import algolia_body

DOC = Document("42", "Logitech MX Master 3", "Wireless mouse", "Logitech")


def test_the_scratch_index_is_named_after_the_prefix_and_the_set() -> None:
    assert baseline_index("catalog", "chorus") == "catalog-relevance-bm25-chorus"


def test_the_fields_are_plain_text_with_the_default_analyzer() -> None:
    properties = index_body()["mappings"]["properties"]
    assert properties == {f: {"type": "text"} for f in ("title", "description", "brand")}


def test_the_query_is_one_multi_match_with_default_settings() -> None:
    body = query_body("wireless mouse")
    assert body["query"] == {
        "multi_match": {"query": "wireless mouse", "fields": ["title", "description", "brand"]}
    }
    assert body["size"] == 10


def test_documents_hold_only_the_three_fields_and_skip_missing_ones() -> None:
    assert source(DOC) == {
        "title": "Logitech MX Master 3",
        "description": "Wireless mouse",
        "brand": "Logitech",
    }
    assert source(Document("1", "Cable", None, "")) == {"title": "Cable"}
    lines = bulk_body([DOC]).splitlines()
    assert orjson.loads(lines[0]) == {"index": {"_id": "42"}}
    assert orjson.loads(lines[1]) == source(DOC)


def test_a_product_of_the_write_api_becomes_a_document() -> None:
    product = {"id": "7", "title": "T", "brand": "B", "price": 1.0, "attributes": {}}
    assert Document.from_product(product) == Document("7", "T", None, "B")


def test_the_system_is_asked_for_ten_ids_inside_the_data_set_without_analytics() -> None:
    assert algolia_body("laptop", "chorus") == {
        "query": "laptop",
        "hitsPerPage": 10,
        "facetFilters": ["attributes.dataset:chorus"],
        "attributesToRetrieve": ["objectID"],
        "analytics": False,
    }
