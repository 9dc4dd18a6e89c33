"""The Algolia settings and rule reads (pure parts): settings per index, rule search matching."""

from __future__ import annotations

from typing import Any

from catalog.rules.model import RuleFields
from catalog.search_settings.model import SearchSettings
from read_api.algolia.index_settings import index_settings
from read_api.algolia.rules import RuleSearch, matches, rule_record
from read_api.rules.compiled import compile_rule


def _rule(rule_id: str, **fields: Any) -> Any:
    compiled = compile_rule(rule_id, RuleFields.model_validate(fields))
    assert compiled is not None
    return compiled


def test_the_primary_names_its_replicas_and_a_replica_its_primary_and_sort() -> None:
    primary = index_settings("products", SearchSettings())
    assert "products_price_asc" in primary["replicas"]
    assert "primary" not in primary
    assert primary["attributeForDistinct"] == "group_id"
    assert "searchable(brand)" in primary["attributesForFaceting"]
    assert "renderingContent" not in primary
    assert primary["removeStopWords"] is False
    replica = index_settings("products_price_asc", SearchSettings())
    assert replica["primary"] == "products"
    assert replica["ranking"][0] == "asc(effective_price)"


def test_the_editors_settings_show() -> None:
    editable = SearchSettings.model_validate(
        {"stopWords": {"de": ["günstig"], "en": []}, "renderingContent": {"facetOrdering": {}}}
    )
    shown = index_settings("products", editable)
    assert shown["removeStopWords"] == ["de"]
    assert shown["renderingContent"] == {"facetOrdering": {"facets": {"order": []}, "values": {}}}


def test_rule_search_by_text_anchoring_context_and_state() -> None:
    launch = _rule(
        "iphone-launch",
        description="Launch week",
        conditions=[{"pattern": "Hülle", "anchoring": "contains", "context": "mobile"}],
        consequence={"userData": 1},
    )
    off = _rule(
        "off", enabled=False, conditions=[{"pattern": "kabel"}], consequence={"userData": 2}
    )

    def found(**params: Any) -> list[str]:
        search = RuleSearch.model_validate(params)
        return [r.id for r in (launch, off) if matches(r, search)]

    assert found() == ["iphone-launch", "off"]
    assert found(query="hülle") == ["iphone-launch"]
    assert found(query="LAUNCH") == ["iphone-launch"]  # the description
    assert found(query="off") == ["off"]  # the objectID
    assert found(anchoring="contains") == ["iphone-launch"]
    assert found(anchoring="is") == ["off"]
    assert found(context="mobile") == ["iphone-launch"]
    assert found(context="desktop") == []
    assert found(enabled=False) == ["off"]
    record = rule_record(launch.id, launch.fields)
    assert record["objectID"] == "iphone-launch"
    assert record["conditions"][0]["context"] == "mobile"
