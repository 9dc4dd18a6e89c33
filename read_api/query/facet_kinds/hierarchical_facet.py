"""The hierarchical category facet: a menu that unfolds the selected path level by level (pure).

Invariants:
- The menu shows the top level, then the children of each name of the
  selected path; aggregation `lvl{depth}` counts level `depth`.
- Values are full paths (`A > B`); a label is the path's last name; a value is
  selected when it is the selected path or one of its ancestors.
- Algolia clients count the menu through the level fields (`categories.lvl0`..),
  which are terms facets, not through this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog.index_fields import CATEGORY_SEPARATOR, category_level_field
from catalog.products.model import MAX_CATEGORY_DEPTH
from read_api.query.facet_kinds.facet_kind import (
    Agg,
    Clause,
    FacetContext,
    SearchableFacet,
    prefix_terms,
)
from read_api.query.prefixes import regex_escape
from read_api.schemas import Facet, FacetValue

if TYPE_CHECKING:
    from read_api.query.fields import FieldSpec


def _level(depth: int) -> str:
    return f"lvl{depth}"  # the aggregation counting one level


def category_levels_shown(selected: str | None) -> list[tuple[int, str | None]]:
    """The levels a category facet shows: the top level, then the children of each selected name."""
    levels: list[tuple[int, str | None]] = [(0, None)]
    if selected is None:
        return levels
    names = selected.split(CATEGORY_SEPARATOR)
    for depth in range(1, min(len(names), MAX_CATEGORY_DEPTH - 1) + 1):
        levels.append((depth, CATEGORY_SEPARATOR.join(names[:depth])))
    return levels


def _menu_value(bucket: Agg, unfolded: str | None) -> FacetValue:
    path = str(bucket["key"])
    chosen = unfolded is not None and (
        unfolded == path or unfolded.startswith(path + CATEGORY_SEPARATOR)
    )
    label = path.rsplit(CATEGORY_SEPARATOR, 1)[-1]
    return FacetValue(value=path, label=label, count=bucket["doc_count"], selected=chosen)


class HierarchicalFacet(SearchableFacet):
    """The category menu: each shown level's paths, the selected path unfolded."""

    name = "hierarchical"
    algolia = False

    def aggregation(self, facet: FacetContext) -> dict[str, Clause]:
        """One `terms` per shown level; below the top, only the children of the selected name."""
        aggs: dict[str, Clause] = {}
        for depth, parent in category_levels_shown(facet.category):
            terms: Clause = {"field": category_level_field(depth), "size": facet.request.size}
            if parent is not None:
                terms["include"] = regex_escape(parent + CATEGORY_SEPARATOR) + ".*"
            aggs[_level(depth)] = {"terms": terms}
        return aggs

    def result(self, facet: FacetContext, agg: Agg) -> Facet:
        """The shown levels, top first, the unfolded path's names marked."""
        levels = []
        depth = 0
        while _level(depth) in agg:
            levels.append([_menu_value(b, facet.category) for b in agg[_level(depth)]["buckets"]])
            depth += 1
        return Facet(kind="hierarchical", levels=levels)

    def value_search_aggs(self, spec: FieldSpec, typed: str, size: int) -> dict[str, Clause]:
        """The paths of every level whose names start as typed."""
        return {
            _level(depth): {
                "terms": prefix_terms(category_level_field(depth), typed, size, folded=False)
            }
            for depth in range(MAX_CATEGORY_DEPTH)
        }

    def value_search_counts(self, spec: FieldSpec, aggs: Agg) -> list[tuple[str, int]]:
        """Each path of every level with its count, top level first."""
        return [
            (str(b["key"]), int(b["doc_count"]))
            for depth in range(MAX_CATEGORY_DEPTH)
            for b in aggs[_level(depth)]["buckets"]
        ]
