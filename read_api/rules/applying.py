"""A search with the consequences of the rules that fire (pure).

Rules apply most specific first (a condition with a context before one
without; then `is`, `startsWith`/`endsWith`, `contains`, no pattern), then in
objectID order; where two conflict the first wins: a position
or an id already pinned stays, the first `renderingContent` is used. At most
`MAX_APPLIED` rules apply to one search (the first in that order), and at
most `MAX_PINNED` pins, `MAX_HIDDEN` hidden ids and `MAX_BOOSTED` boosts are
kept: an answer's size stays bounded whatever the rule set.
Hidden ids win over pins. Filters of every rule must all hold (ANDed with
the shopper's), query edits apply in order, every `userData` is returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from catalog.rules.model import Edit
from catalog.rules.patterns import normalised
from read_api.query.merchandising import (
    MAX_BOOSTED,
    MAX_HIDDEN,
    MAX_PINNED,
    Merchandising,
    Pin,
)
from read_api.query.model import Filter, SearchQuery, conjunction
from read_api.rules.compiled import CompiledRule
from read_api.rules.matching import RuleIndex, refinements_of

MAX_APPLIED = 10


def edited(text: str, edits: Iterable[Edit]) -> str:
    """The query text with words removed or replaced (compared normalised)."""
    parts = text.split()
    for edit in edits:
        target = normalised(edit.delete)
        changed: list[str] = []
        for part in parts:
            if normalised(part) != target:
                changed.append(part)
            elif edit.insert is not None:
                changed.append(edit.insert)
        parts = changed
    return " ".join(parts)


def merged(fired: Sequence[CompiledRule]) -> tuple[Merchandising, list[Filter], list[Edit]]:
    """The consequences of the fired rules as one merchandising, its filters and edits."""
    hidden: dict[str, None] = {}
    for rule in fired:
        hidden |= dict.fromkeys(rule.hidden)
    pins: list[Pin] = []
    positions: set[int] = set()
    ids: set[str] = set()
    filters: list[Filter] = []
    edits: list[Edit] = []
    user_data: list[Any] = []
    ordering: dict[str, Any] | None = None
    for rule in fired:
        for pin in rule.pins:
            if len(pins) == MAX_PINNED:
                break
            if pin.position not in positions and pin.id not in ids and pin.id not in hidden:
                pins.append(pin)
                positions.add(pin.position)
                ids.add(pin.id)
        filters += rule.filters
        consequence = rule.fields.consequence
        edits += consequence.edits
        if consequence.userData is not None:
            user_data.append(consequence.userData)
        rendering = consequence.renderingContent
        if ordering is None and rendering is not None and rendering.facetOrdering is not None:
            ordering = rendering.facetOrdering.model_dump(mode="json")
    merch = Merchandising(
        pins=pins,
        hidden=list(hidden)[:MAX_HIDDEN],
        boosts=[boost for rule in fired for boost in rule.boosts][:MAX_BOOSTED],
        applied=[rule.id for rule in fired],
        user_data=user_data,
        facet_ordering=ordering,
    )
    return merch, filters, edits


def with_rules(
    query: SearchQuery, index: RuleIndex, contexts: Iterable[str], now: datetime
) -> SearchQuery:
    """The query as the rules that fire for it change it (itself when none fires)."""
    fired = index.matching(query.text, contexts, refinements_of(query.filters), now)[:MAX_APPLIED]
    if not fired:
        return query
    merch, filters, edits = merged(fired)
    update: dict[str, Any] = {"merchandising": merch}
    if filters:
        update["filters"] = conjunction([*query.filters, *filters])
    if edits:
        update["text"] = edited(query.text, edits)
    return query.model_copy(update=update)
