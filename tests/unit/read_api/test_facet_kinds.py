"""Facet kinds: each writes its aggregation and reads the answer shaped like it, alone."""

from __future__ import annotations

from typing import Any

import pytest

from read_api.query.facet_kinds import (
    ATTRIBUTE,
    HIERARCHICAL,
    NUMERIC,
    TERMS,
    FacetContext,
    FacetKind,
    SearchableFacet,
)
from read_api.query.facet_results import facet_results
from read_api.query.facet_values import facet_values_body, searchable_facet
from read_api.query.facets import facet_aggs
from read_api.query.fields import FIELDS, FieldSpec, UnknownField, resolve
from read_api.query.model import FacetRequest, SearchQuery
from read_api.schemas import Facet, FacetValue


def _facet(field: str, **context: Any) -> FacetContext:
    return FacetContext(FacetRequest(field=field, size=5), resolve(field), **context)


def _bucket(key: Any, count: int, **extra: Any) -> dict[str, Any]:
    return {"key": key, "doc_count": count, **extra}


def _pairs(*buckets: dict[str, Any]) -> dict[str, Any]:
    return {"named": {"values": {"buckets": list(buckets)}}}


def _keyword(folded: str, products: int, spelling: str | None) -> dict[str, Any]:
    raw = [] if spelling is None else [_bucket(spelling, products)]
    return _bucket(folded, products * 2, products={"doc_count": products}, raw={"buckets": raw})


def _stats(count: int, low: float | None = None, high: float | None = None) -> dict[str, Any]:
    avg = None if low is None or high is None else (low + high) / 2
    return {"count": count, "min": low, "max": high, "avg": avg, "sum": avg or 0}


def test_every_facet_field_names_a_kind_object_never_a_string() -> None:
    kinds = {spec.facet for spec in FIELDS.values() if spec.facet is not None}
    assert kinds == {TERMS, NUMERIC, HIERARCHICAL}
    assert all(isinstance(kind, FacetKind) for kind in kinds)
    assert resolve("attributes.color").facet is ATTRIBUTE


def test_terms_read_what_they_wrote_with_the_chosen_values_marked() -> None:
    facet = _facet("brand", selected=frozenset({"Hama"}))
    aggs = TERMS.aggregation(facet)
    assert aggs == {"values": {"terms": {"field": "brand", "size": 5}}}
    answer = {"values": {"buckets": [_bucket("Acme", 5), _bucket("Hama", 2)]}}
    assert TERMS.result(facet, answer) == Facet(
        kind="terms",
        values=[
            FacetValue(value="Acme", label="Acme", count=5),
            FacetValue(value="Hama", label="Hama", count=2, selected=True),
        ],
    )


def test_terms_read_booleans_and_numbers_as_shoppers_write_them() -> None:
    facet = _facet("in_stock")
    answer = {"values": {"buckets": [_bucket(1, 4, key_as_string="true"), _bucket(20.0, 1)]}}
    assert [v.value for v in TERMS.result(facet, answer).values] == ["true", "20"]


def test_numeric_counts_stats_and_default_ranges_read_back_with_their_filters() -> None:
    facet = _facet("price")
    aggs = NUMERIC.aggregation(facet)
    assert aggs["stats"] == {"stats": {"field": "price"}}
    buckets = aggs["ranges"]["range"]["ranges"]
    assert buckets[0] == {"to": 10.0}
    assert buckets[-1] == {"from": 250.0}
    answer = {
        "stats": _stats(3, 5.0, 30.0),
        "ranges": {
            "buckets": [
                {"to": 10.0, "doc_count": 1},
                {"from": 10.0, "to": 25.0, "doc_count": 0},
                {"from": 25.0, "doc_count": 2},
            ]
        },
    }
    result = NUMERIC.result(facet, answer)
    assert result.kind == "numeric"
    assert result.stats is not None
    assert (result.stats.min, result.stats.max) == (5.0, 30.0)
    assert [(r.filter, r.count) for r in result.ranges] == [
        ("price:[,10)", 1),
        ("price:[10,25)", 0),
        ("price:[25,)", 2),
    ]


def test_numeric_values_for_algolia_undo_the_float_widening() -> None:
    facet = _facet("rating", numeric_values=True)
    aggs = NUMERIC.aggregation(facet)
    assert aggs == {
        "stats": {"stats": {"field": "rating"}},
        "values": {"terms": {"field": "rating", "size": 5}},
    }
    answer = {
        "stats": _stats(2, 4.699999809265137, 5.0),
        "values": {"buckets": [_bucket(4.699999809265137, 3), _bucket(5.0, 1)]},
    }
    result = NUMERIC.result(facet, answer)
    assert [v.value for v in result.values] == ["4.7", "5"]
    assert result.stats is not None
    assert result.stats.min == 4.7


def test_the_category_menu_unfolds_the_selected_path_and_marks_its_names() -> None:
    facet = _facet("categories", category="A > B")
    aggs = HIERARCHICAL.aggregation(facet)
    assert list(aggs) == ["lvl0", "lvl1", "lvl2"]
    assert aggs["lvl0"] == {"terms": {"field": "categories.lvl0", "size": 5}}
    assert aggs["lvl2"]["terms"]["include"] == "A\\ \\>\\ B\\ \\>\\ .*"
    answer = {
        "lvl0": {"buckets": [_bucket("A", 4), _bucket("C", 1)]},
        "lvl1": {"buckets": [_bucket("A > B", 3)]},
        "lvl2": {"buckets": [_bucket("A > B > D", 2)]},
    }
    levels = HIERARCHICAL.result(facet, answer).levels
    assert [[(v.label, v.selected) for v in level] for level in levels] == [
        [("A", True), ("C", False)],
        [("B", True)],
        [("D", False)],
    ]


def test_attribute_values_merge_text_and_numbers_and_show_the_commonest_spelling() -> None:
    facet = _facet("attributes.weight_g", selected=frozenset({"weiss"}))
    aggs = ATTRIBUTE.aggregation(facet)
    assert aggs["kw"]["nested"] == {"path": "attrs_kw"}
    assert aggs["num"]["aggs"]["named"]["filter"] == {"term": {"attrs_num.name": "weight_g"}}
    answer = {
        "kw": _pairs(_keyword("weiss", 2, "Weiß"), _keyword("35", 1, None)),
        "num": {
            "named": {
                "values": {"buckets": [_bucket(35.0, 4, products={"doc_count": 4})]},
                "stats": _stats(4, 35.0, 35.0),
            }
        },
    }
    result = ATTRIBUTE.result(facet, answer)
    assert result.kind == "numeric"
    assert [(v.value, v.count, v.selected) for v in result.values] == [
        ("35", 5, False),
        ("Weiß", 2, True),
    ]


def test_an_attribute_without_numbers_reads_as_terms() -> None:
    facet = _facet("attributes.color")
    answer = {
        "kw": _pairs(),
        "num": {"named": {"values": {"buckets": []}, "stats": _stats(0)}},
    }
    assert ATTRIBUTE.result(facet, answer) == Facet(kind="terms")


@pytest.mark.parametrize(
    ("kind", "field", "answer", "counted"),
    [
        (TERMS, "brand", {"values": {"buckets": [_bucket("Acme", 2)]}}, [("Acme", 2)]),
        (
            HIERARCHICAL,
            "categories",
            {f"lvl{i}": {"buckets": [_bucket("A" + " > A" * i, 6 - i)]} for i in range(6)},
            [("A" + " > A" * i, 6 - i) for i in range(6)],
        ),
        (
            ATTRIBUTE,
            "attributes.color",
            {"attribute": _pairs(_keyword("weiss", 3, "Weiß"))},
            [("Weiß", 3)],
        ),
    ],
)
def test_a_value_search_reads_what_it_asked_for(
    kind: SearchableFacet, field: str, answer: dict[str, Any], counted: list[tuple[str, int]]
) -> None:
    spec = resolve(field)
    assert set(kind.value_search_aggs(spec, "a", 5)) == set(answer)
    assert kind.value_search_counts(spec, answer) == counted


def test_a_value_search_folds_attribute_values_but_not_keywords() -> None:
    attribute = ATTRIBUTE.value_search_aggs(resolve("attributes.color"), "Wei", 5)
    values = attribute["attribute"]["aggs"]["named"]["aggs"]["values"]["terms"]
    brand = TERMS.value_search_aggs(resolve("brand"), "Wei", 5)["values"]["terms"]
    assert values["include"] != brand["include"]
    assert TERMS.value_search_aggs(resolve("in_stock"), "t", 5) == {
        "values": {"terms": {"field": "in_stock", "size": 2}}
    }


def test_numeric_values_cannot_be_searched() -> None:
    assert not isinstance(NUMERIC, SearchableFacet)
    with pytest.raises(UnknownField, match="price is numeric"):
        searchable_facet("price")
    with pytest.raises(UnknownField, match="has no facet"):
        facet_values_body(SearchQuery(), "title", "", 5)


class _Histogram(FacetKind):
    """A kind these tests add: one class, and the builders use it unchanged."""

    name = "histogram"

    def aggregation(self, facet: FacetContext) -> dict[str, Any]:
        return {"histogram": {"histogram": {"field": facet.spec.path, "interval": 10}}}

    def result(self, facet: FacetContext, agg: Any) -> Facet:
        buckets = agg["histogram"]["buckets"]
        values = [FacetValue(value=str(b["key"]), label="", count=b["doc_count"]) for b in buckets]
        return Facet(kind="numeric", values=values)


def test_a_new_kind_is_one_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        FIELDS, "stock", FieldSpec("stock", "number", "stock", _Histogram(), "stock")
    )
    query = SearchQuery.model_validate({"facets": [{"field": "stock"}]})
    aggs = facet_aggs(query.facets, {}, None)
    assert aggs["facet_0"]["aggs"] == {
        "histogram": {"histogram": {"field": "stock", "interval": 10}}
    }
    answer = {"facet_0": {"histogram": {"buckets": [_bucket(10, 3)]}}}
    assert facet_results(query, answer, None)["stock"].values[0].count == 3
