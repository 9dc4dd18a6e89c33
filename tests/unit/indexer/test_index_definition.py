"""The index definition: names, settings, and a mapping that covers every document field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given

from catalog.products.storage import to_storage
from indexer.documents import build_document
from indexer.index_definition import (
    DEFAULT_SYNONYMS,
    INDEX_VERSION,
    alias_name,
    index_body,
    index_name,
)
from indexer.read_model import load_synonyms, new_index_body
from tests.strategies.products import products
from tests.unit.indexer.test_documents import stored

# filters Elasticsearch 7.10 OSS knows without a definition in the index settings
BUILTIN_FILTERS = {"lowercase", "asciifolding", "german_normalization"}


def unmapped(doc: dict[str, Any], properties: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Paths of `doc` that the mapping `properties` does not declare."""
    for name, value in doc.items():
        path = f"{prefix}{name}"
        field = properties.get(name)
        if field is None:
            yield path
        elif field.get("enabled") is False or "properties" not in field:
            continue  # a leaf, or an object Elasticsearch keeps without parsing
        else:
            for item in value if isinstance(value, list) else [value]:
                yield from unmapped(item, field["properties"], f"{path}.")


def field_settings(properties: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every field definition in a mapping, subfields and nested properties included."""
    for field in properties.values():
        yield field
        yield from field_settings(field.get("fields", {}))
        yield from field_settings(field.get("properties", {}))


def test_names() -> None:
    assert alias_name("catalog") == "catalog-products"
    assert index_name("catalog", "abc123") == f"catalog-products-v{INDEX_VERSION}-abc123"


def test_settings() -> None:
    index = index_body(shards=3, replicas=0)["settings"]["index"]
    assert (index["number_of_shards"], index["number_of_replicas"]) == (3, 0)
    assert index["max_result_window"] == 10_000
    assert index["refresh_interval"] == "1s"


def test_mapping_is_strict() -> None:
    assert index_body()["mappings"]["dynamic"] == "strict"


def test_rich_product_is_fully_mapped() -> None:
    doc = build_document(stored())
    assert doc is not None
    assert list(unmapped(doc, index_body()["mappings"]["properties"])) == []


@given(product=products())
def test_any_product_is_fully_mapped(product: dict[str, Any]) -> None:
    public = dict(product)
    source = {"_id": public.pop("id"), **to_storage(public), "version": 1}
    doc = build_document(source)
    assert doc is not None
    assert list(unmapped(doc, index_body()["mappings"]["properties"])) == []


def test_unmapped_finds_strays() -> None:
    properties = index_body()["mappings"]["properties"]
    doc = {"id": "x", "typo": 1, "attrs_kw": [{"name": "a", "valu": "b"}], "categories": {}}
    assert list(unmapped(doc, properties)) == ["typo", "attrs_kw.valu"]


def test_referenced_analysis_is_defined() -> None:
    body = index_body()
    analysis = body["settings"]["analysis"]
    fields = list(field_settings(body["mappings"]["properties"]))
    analyzers = {f[key] for f in fields for key in ("analyzer", "search_analyzer") if key in f}
    normalizers = {f["normalizer"] for f in fields if "normalizer" in f}
    assert analyzers <= set(analysis["analyzer"])
    assert normalizers <= set(analysis["normalizer"])
    chains = [*analysis["analyzer"].values(), *analysis["normalizer"].values()]
    used_filters = {name for chain in chains for name in chain["filter"]}
    assert used_filters <= set(analysis["filter"]) | BUILTIN_FILTERS


def test_synonyms_only_at_search_time() -> None:
    analyzers = index_body()["settings"]["analysis"]["analyzer"]
    with_synonyms = {name for name, a in analyzers.items() if "synonyms" in a["filter"]}
    assert with_synonyms == {"text_de_search", "text_en_search"}


def test_synonyms_are_configurable() -> None:
    default = index_body()["settings"]["analysis"]["filter"]["synonyms"]
    assert default == {"type": "synonym_graph", "synonyms": list(DEFAULT_SYNONYMS)}
    custom = index_body(synonyms=["tv, fernseher"])["settings"]["analysis"]["filter"]
    assert custom["synonyms"]["synonyms"] == ["tv, fernseher"]


def test_bodies_are_independent() -> None:
    first = index_body()
    first["mappings"]["properties"]["id"]["type"] = "text"
    first["settings"]["analysis"]["analyzer"]["text_de"]["filter"].clear()
    second = index_body()
    assert second["mappings"]["properties"]["id"] == {"type": "keyword"}
    assert second["settings"]["analysis"]["analyzer"]["text_de"]["filter"]


def test_synonyms_come_from_a_file_when_one_is_configured(tmp_path: Path) -> None:
    rules = tmp_path / "synonyms.txt"
    rules.write_text("# phone cases\nhandyhülle, case\n\n  akku, powerbank  \n", encoding="utf-8")
    loaded = load_synonyms(rules)
    assert loaded == ("handyhülle, case", "akku, powerbank")
    body = new_index_body(replicas=0, synonyms=loaded)
    assert body["settings"]["analysis"]["filter"]["synonyms"]["synonyms"] == list(loaded)
    assert load_synonyms(None) == DEFAULT_SYNONYMS
