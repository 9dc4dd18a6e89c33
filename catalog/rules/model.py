"""A query rule as editors send it (Algolia's query-rule model as the guide), checked at the edge.

Invariants:
- Unknown fields are rejected at every level (typos never vanish silently).
- Every list and text is bounded: a rule set of `MAX_RULES` rules stays cheap
  to load and to evaluate per search (see read_api/rules/matching.py).
- A validity window ends after it starts; no two pins share a position;
  `userData` serialises to at most `MAX_USER_DATA_BYTES`.
- Whether pinned ids exist is checked by the write API against the catalog
  (it needs the store); everything else is checked here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)

from catalog.products.model import ID_PATTERN, ProductId
from catalog.rules.patterns import Anchoring, words

MAX_RULES = 1000
MAX_CONDITIONS = 25
MAX_PATTERN_CHARS = 200
MAX_PATTERN_WORDS = 10
MAX_WINDOWS = 10
MAX_PINS = 50
MAX_HIDDEN = 100
MAX_BOOSTS = 10
MAX_RULE_FILTERS = 10
MAX_REFINEMENTS = 10
MAX_EDITS = 10
MAX_FILTER_VALUES = 50
MAX_POSITION = 999
MAX_SCORE = 100.0
MAX_USER_DATA_BYTES = 10_000
MAX_FACET_NAMES = 50
CONTEXT_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"
FIELD_PATTERN = r"^[a-z][a-z0-9_]{0,63}(\.[a-z0-9][a-z0-9_]{0,63})?$"

RuleId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Context = Annotated[str, StringConstraints(pattern=CONTEXT_PATTERN)]
FieldName = Annotated[str, StringConstraints(pattern=FIELD_PATTERN)]
Word = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Value = StrictBool | float | Annotated[str, StringConstraints(min_length=1, max_length=1000)]
FacetName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
FacetValue = Annotated[str, StringConstraints(max_length=200)]


class Strict(BaseModel):
    """A part of a rule: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleFilter(Strict):
    """Products whose field holds one of `values`, or lies within the bounds (`exclude`: not)."""

    field: FieldName
    values: Annotated[list[Value], Field(min_length=1, max_length=MAX_FILTER_VALUES)] | None = None
    gte: float | None = None
    lte: float | None = None
    exclude: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> RuleFilter:
        ranged = self.gte is not None or self.lte is not None
        if ranged == (self.values is not None):
            raise ValueError("give either values or a range (gte and/or lte)")
        if self.gte is not None and self.lte is not None and self.gte > self.lte:
            raise ValueError("gte must not exceed lte")
        return self


class Refinement(Strict):
    """A value the shopper has already chosen: a positive filter of the search holds it."""

    field: FieldName
    value: Value


class Condition(Strict):
    """When a rule fires: the query matches the pattern, the context is set, the refinements hold.

    Every part given must hold; a condition without a pattern matches any query.
    """

    pattern: Annotated[str, StringConstraints(max_length=MAX_PATTERN_CHARS)] | None = None
    anchoring: Anchoring = "is"
    context: Context | None = None
    refinements: Annotated[list[Refinement], Field(max_length=MAX_REFINEMENTS)] = []

    @field_validator("pattern")
    @classmethod
    def _few_words(cls, value: str | None) -> str | None:
        if value is not None and len(words(value)) > MAX_PATTERN_WORDS:
            raise ValueError(f"a pattern has at most {MAX_PATTERN_WORDS} words")
        return value

    @model_validator(mode="after")
    def _matches_something(self) -> Condition:
        if self.pattern is not None and not words(self.pattern) and self.anchoring != "is":
            raise ValueError("an empty pattern can only be anchored with 'is' (the empty query)")
        return self


class TimeRange(Strict):
    """A window in which the rule is active: from `from` (inclusive) until `until` (exclusive)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: AwareDatetime = Field(alias="from")
    until: AwareDatetime

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.until <= self.from_:
            raise ValueError("the window must end after it starts (until > from)")
        return self


class Promote(Strict):
    """Product ids pinned at a 0-based position (several ids: consecutive positions).

    Fields carry Algolia's names (objectID, userData, ...) so rules read as in its docs.
    """

    objectID: ProductId | None = None
    objectIDs: Annotated[list[ProductId], Field(min_length=1, max_length=MAX_PINS)] | None = None
    position: Annotated[int, Field(ge=0, le=MAX_POSITION)]

    @model_validator(mode="after")
    def _one_form(self) -> Promote:
        if (self.objectID is None) == (self.objectIDs is None):
            raise ValueError("give either objectID or objectIDs")
        return self

    def ids(self) -> list[str]:
        """The pinned ids, in order."""
        return [self.objectID] if self.objectID is not None else list(self.objectIDs or [])


class Hide(Strict):
    """A product id never shown for the rule's queries."""

    objectID: ProductId


class Boost(Strict):
    """Products matching a filter rank higher (score > 0) or lower (score < 0)."""

    filter: RuleFilter
    score: Annotated[float, Field(ge=-MAX_SCORE, le=MAX_SCORE)]

    @field_validator("score")
    @classmethod
    def _not_zero(cls, value: float) -> float:
        if value == 0:
            raise ValueError("a score of 0 changes nothing")
        return value


class Edit(Strict):
    """A query word removed, or replaced by `insert`."""

    type: Literal["remove", "replace"]
    delete: Word
    insert: Word | None = None

    @model_validator(mode="after")
    def _insert_for_replace(self) -> Edit:
        if (self.type == "replace") != (self.insert is not None):
            raise ValueError("'replace' needs insert; 'remove' takes none")
        return self


class ValuesOrder(Strict):
    """The order of one facet's values."""

    order: Annotated[list[FacetValue], Field(max_length=100)] = []
    sortRemainingBy: Literal["count", "alpha", "hidden"] = "count"


class FacetsOrder(Strict):
    """The order of the facets themselves."""

    order: Annotated[list[FacetName], Field(max_length=MAX_FACET_NAMES)] = []


class FacetOrdering(Strict):
    """Algolia's `renderingContent.facetOrdering`, as InstantSearch's dynamicWidgets read it."""

    facets: FacetsOrder = FacetsOrder()
    values: Annotated[dict[FacetName, ValuesOrder], Field(max_length=MAX_FACET_NAMES)] = {}


class RenderingContent(Strict):
    """What the storefront renders around the hits."""

    facetOrdering: FacetOrdering | None = None


class Consequence(Strict):
    """What a rule does to the search it fires on."""

    promote: Annotated[list[Promote], Field(max_length=MAX_PINS)] = []
    hide: Annotated[list[Hide], Field(max_length=MAX_HIDDEN)] = []
    boosts: Annotated[list[Boost], Field(max_length=MAX_BOOSTS)] = []
    filters: Annotated[list[RuleFilter], Field(max_length=MAX_RULE_FILTERS)] = []
    edits: Annotated[list[Edit], Field(max_length=MAX_EDITS)] = []
    userData: Any = None
    renderingContent: RenderingContent | None = None

    @field_validator("userData")
    @classmethod
    def _bounded(cls, value: Any) -> Any:
        try:
            size = len(orjson.dumps(value))
        except TypeError as exc:
            raise ValueError(f"userData must be JSON: {exc}") from None
        if size > MAX_USER_DATA_BYTES:
            raise ValueError(f"userData is {size} bytes; at most {MAX_USER_DATA_BYTES}")
        return value

    @model_validator(mode="after")
    def _distinct_positions(self) -> Consequence:
        pinned = sum(len(p.ids()) for p in self.promote)
        if pinned > MAX_PINS:
            raise ValueError(f"at most {MAX_PINS} pinned ids per rule")
        return self

    def pins(self) -> list[tuple[str, int]]:
        """(id, position) of every pinned id."""
        return [(pid, p.position + i) for p in self.promote for i, pid in enumerate(p.ids())]


class RuleFields(Strict):
    """Everything of a rule but its id and server-managed fields."""

    conditions: Annotated[list[Condition], Field(max_length=MAX_CONDITIONS)] = []
    consequence: Consequence
    validity: Annotated[list[TimeRange], Field(max_length=MAX_WINDOWS)] = []
    enabled: bool = True
    description: Annotated[str, StringConstraints(max_length=500)] = ""

    @model_validator(mode="after")
    def _one_id_per_position(self) -> RuleFields:
        seen: dict[int, str] = {}
        for pid, position in self.consequence.pins():
            if position in seen:
                raise ValueError(
                    f"position {position} is pinned twice ({seen[position]!r} and {pid!r})"
                )
            seen[position] = pid
        return self

    @model_validator(mode="after")
    def _storable(self) -> RuleFields:
        # JSON may escape lone surrogates ("\ud800"): no store can encode them
        try:
            orjson.dumps(self.model_dump(mode="json"))
        except TypeError:
            raise ValueError("texts must be valid Unicode (lone surrogate found)") from None
        return self

    def active_at(self, now: datetime) -> bool:
        """Whether the rule is enabled and inside a validity window (none given: always)."""
        if not self.enabled:
            return False
        return not self.validity or any(w.from_ <= now < w.until for w in self.validity)


class RuleIn(RuleFields):
    """A rule as created (POST) or replaced (PUT; the id comes from the path)."""

    objectID: RuleId | None = None
