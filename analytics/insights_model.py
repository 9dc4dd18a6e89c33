"""The body of `POST /1/events`, validated by the rules of Algolia's Insights API.

One shape covers Algolia's event variants (clicked/converted/viewed, objectIDs
or filters, after a search or not): the rules between fields are checked by
field validators in declaration order, so each error carries the path of the
field at fault (`events[3].positions`). A batch is accepted whole or not at all.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

MAX_EVENTS = 1000
MAX_ITEMS = 20  # objectIDs, positions, filters per event
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_EVENT_AGE = timedelta(days=4)  # what Algolia accepts; older events are refused
MAX_CLOCK_SKEW = timedelta(hours=1)  # a browser's clock may run a little ahead
_MAX_ERRORS_SHOWN = 5

EventType = Literal["click", "conversion", "view"]
EventSubtype = Literal["addToCart", "purchase"]
Token = Annotated[str, Field(min_length=1, max_length=129, pattern=r"^[a-zA-Z0-9_=/+-]+$")]
QueryId = Annotated[str, Field(min_length=32, max_length=32, pattern=r"^[0-9a-f]{32}$")]
ObjectId = Annotated[str, Field(min_length=1, max_length=512)]
FacetFilter = Annotated[str, Field(min_length=3, max_length=1024, pattern=r"^[^:]+:.+$")]
Amount = float | Annotated[str, Field(max_length=32, pattern=r"^-?[0-9]+(\.[0-9]+)?$")]


class ObjectData(BaseModel):
    """Price, quantity and discount of one converted object (and the search it came from)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    queryID: QueryId | None = None
    price: Amount | None = None
    quantity: int | None = None
    discount: Amount | None = None


class InsightsEventIn(BaseModel):
    """One click, conversion or view, as an Algolia Insights client sends it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    eventType: EventType
    eventSubtype: EventSubtype | None = None
    eventName: str = Field(min_length=1, max_length=64, pattern=r"^[\x20-\x7e]+$")
    index: str = Field(min_length=1, max_length=256)
    authenticatedUserToken: Token | None = None
    userToken: Token | None = Field(None, validate_default=True)
    timestamp: int | None = None
    objectIDs: list[ObjectId] | None = Field(None, min_length=1, max_length=MAX_ITEMS)
    filters: list[FacetFilter] | None = Field(
        None, min_length=1, max_length=MAX_ITEMS, validate_default=True
    )
    queryID: QueryId | None = None
    positions: list[Annotated[int, Field(ge=1)]] | None = Field(  # 1-based
        None, min_length=1, max_length=MAX_ITEMS, validate_default=True
    )
    objectData: list[ObjectData] | None = Field(None, min_length=1, max_length=MAX_ITEMS)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    value: Amount | None = None

    @field_validator("eventSubtype")
    @classmethod
    def _subtype_of_conversions(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("eventType") != "conversion":
            raise ValueError("only a conversion has an eventSubtype")
        return value

    @field_validator("userToken")
    @classmethod
    def _someone(cls, value: str | None, info: ValidationInfo) -> str | None:
        # an authenticatedUserToken that failed its own check is reported there, not twice
        if value is None and info.data.get("authenticatedUserToken", "") is None:
            raise ValueError("required (or an authenticatedUserToken)")
        return value

    @field_validator("timestamp")
    @classmethod
    def _recent(cls, value: int | None) -> int | None:
        if value is None:
            return value
        now_ms = time.time_ns() // 1_000_000
        if value < now_ms - MAX_EVENT_AGE // timedelta(milliseconds=1):
            raise ValueError("milliseconds since the epoch, at most 4 days back")
        if value > now_ms + MAX_CLOCK_SKEW // timedelta(milliseconds=1):
            raise ValueError("milliseconds since the epoch, not in the future")
        return value

    @field_validator("filters")
    @classmethod
    def _objects_or_filters(cls, value: list[str] | None, info: ValidationInfo) -> Any:
        has_objects = info.data.get("objectIDs") is not None
        if value is not None and has_objects:
            raise ValueError("an event is on objectIDs or on filters, not both")
        if value is None and not has_objects and "objectIDs" in info.data:
            raise ValueError("required when there are no objectIDs")
        return value

    @field_validator("queryID")
    @classmethod
    def _after_search(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        if info.data.get("eventType") == "view":
            raise ValueError("a view is not tied to a search: no queryID")
        if info.data.get("filters") is not None:
            raise ValueError("an event on filters is not tied to a search: no queryID")
        return value

    @field_validator("positions")
    @classmethod
    def _one_per_object(cls, value: list[int] | None, info: ValidationInfo) -> Any:
        data = info.data
        after_search = data.get("queryID") is not None
        is_click = data.get("eventType") == "click"
        if value is None:
            if is_click and after_search:
                raise ValueError("required for a click after a search (one per objectID)")
            return value
        if not (is_click and after_search):
            raise ValueError("only a click with a queryID has positions")
        objects = data.get("objectIDs")
        if objects is not None and len(value) != len(objects):
            raise ValueError(f"one position per objectID: {len(objects)}, not {len(value)}")
        return value

    @field_validator("objectData")
    @classmethod
    def _data_per_object(cls, value: list[ObjectData] | None, info: ValidationInfo) -> Any:
        if value is None:
            return value
        if info.data.get("eventType") != "conversion":
            raise ValueError("only a conversion has objectData")
        objects = info.data.get("objectIDs")
        if objects is None or len(objects) != len(value):
            raise ValueError("one objectData entry per objectID")
        return value


class InsightsBatch(BaseModel):
    """`{"events": [...]}`: 1 to 1000 events, all valid or none taken."""

    model_config = ConfigDict(extra="forbid", strict=True)

    events: list[InsightsEventIn] = Field(min_length=1, max_length=MAX_EVENTS)


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def error_message(exc: ValidationError) -> str:
    """What is wrong, field path first: `events[3].positions: one position per objectID …`."""
    errors = exc.errors(include_url=False, include_input=False)
    shown = [f"{_path(tuple(e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in errors]
    text = "; ".join(shown[:_MAX_ERRORS_SHOWN])
    hidden = len(shown) - _MAX_ERRORS_SHOWN
    return f"{text} (and {hidden} more)" if hidden > 0 else text


def is_malformed(exc: ValidationError) -> bool:
    """True when the body is not a JSON object at all (a 400), not merely invalid events."""
    return any(e["type"] in ("json_invalid", "model_type") and not e["loc"] for e in exc.errors())
