"""What the query rules that fired ask of one search, as part of the internal query (pure).

`SearchQuery.merchandising` holds it, so the cache key (the canonical query)
covers it: a rule change that changes a search's pins, hides, boosts or
userData changes that search's key, and only that search's. Filters and
query edits of rules are applied to `filters` and `text` themselves.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from read_api.query.model import Member

MAX_PINNED = 100  # Elasticsearch's default max_inner_result_window bounds top_hits
MAX_HIDDEN = 1000
MAX_BOOSTED = 100


class Pin(BaseModel):
    """A product shown at a 0-based position of the results, if it matches the search."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    position: Annotated[int, Field(ge=0)]


class Boosted(BaseModel):
    """Products matching `filter` have their relevance multiplied by `weight` (< 1: buried)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    filter: Member
    weight: Annotated[float, Field(gt=0)]


class Merchandising(BaseModel):
    """The merged consequences of the rules that fired, and which rules they were."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pins: Annotated[list[Pin], Field(max_length=MAX_PINNED)] = []
    hidden: Annotated[list[str], Field(max_length=MAX_HIDDEN)] = []
    boosts: Annotated[list[Boosted], Field(max_length=MAX_BOOSTED)] = []
    applied: list[str] = []
    user_data: list[Any] = []
    facet_ordering: dict[str, Any] | None = None

    def pinned_ids(self) -> list[str]:
        """The pinned ids, by position."""
        return [pin.id for pin in sorted(self.pins, key=lambda p: p.position)]
