"""A product as an Algolia record (pure): `objectID`, public fields, hierarchical category levels.

Records are built from the native public hit, so nothing internal can reach
them. Categories become `{"lvl0": ["A"], "lvl1": ["A > B"], …}`, read by
InstantSearch's hierarchicalMenu as `categories.lvl0`, …; attributes stay one
object, so `attributes.color` names both a record value and a facet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from indexer.documents import category_levels
from read_api.schemas import Hit

Record = dict[str, Any]
OBJECT_ID = "objectID"


def record_of(hit: Hit) -> Record:
    """The Algolia record of a public hit."""
    fields = hit.model_dump(mode="json", exclude={"highlights", "categories"}, exclude_none=True)
    return {OBJECT_ID: hit.id, **fields, "categories": category_levels(hit.categories)}


def _pick(record: Mapping[str, Any], path: str) -> tuple[str, Any] | None:
    head, _, rest = path.partition(".")
    if head not in record:
        return None
    if not rest:
        return head, record[head]
    inner = record[head]
    if not isinstance(inner, Mapping) or rest not in inner:
        return None
    return head, {rest: inner[rest]}


def retrieved(record: Record, attributes: Iterable[str] | None) -> Record:
    """The attributes asked for (`*`: all, `-name`: all but it); `objectID` always."""
    names = None if attributes is None else list(attributes)
    if names is None or "*" in names:
        excluded = {n[1:] for n in names or [] if n.startswith("-")}
        return {k: v for k, v in record.items() if k not in excluded or k == OBJECT_ID}
    kept: Record = {}
    for name in names:
        picked = _pick(record, name)
        if picked is None:
            continue
        key, value = picked
        if isinstance(value, dict) and isinstance(kept.get(key), dict) and "." in name:
            kept[key] = {**kept[key], **value}
        else:
            kept[key] = value
    return {OBJECT_ID: record[OBJECT_ID], **kept}
