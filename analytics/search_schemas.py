"""The answers of the search and click analytics endpoints (response models, in OpenAPI)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class QueryStats(BaseModel):
    """How often one (normalised) query was searched."""

    query: str
    searches: int
    no_results: int = Field(description="searches of it that found nothing")
    avg_hits: float | None
    last_searched_at: datetime | None
    tracked_searches: int = Field(
        0, description="searches of it answered with a queryID (`clickAnalytics`)"
    )
    clicked_searches: int = Field(0, description="tracked searches with at least one click")
    click_through_rate: float | None = Field(
        None, description="clicked_searches / tracked_searches (null: none tracked)"
    )
    converted_searches: int = Field(0, description="tracked searches with a conversion")
    conversion_rate: float | None = Field(
        None, description="converted_searches / tracked_searches (null: none tracked)"
    )


class TopQueries(BaseModel):
    """The most searched queries of a period, most frequent first."""

    since: datetime
    searches: int = Field(description="searches with words in the period (all queries)")
    queries: list[QueryStats]


class VolumeBucket(BaseModel):
    """Searches that started in [at, at + interval)."""

    at: datetime
    searches: int
    no_results: int


class SearchVolume(BaseModel):
    """Searches per interval over a period, empty intervals included."""

    since: datetime
    interval: str
    searches: int
    no_results: int
    buckets: list[VolumeBucket]


class PositionClicks(BaseModel):
    """Clicks after a search on the result at one position (1: the first)."""

    position: int
    clicks: int


class UnmergedEvents(BaseModel):
    """Clicks and conversions kept out of the rates and positions, by reason."""

    unknown_query: int = Field(description="their queryID names no search we logged")
    not_in_hits: int = Field(description="they name an object their search did not answer")


class ClickAnalytics(BaseModel):
    """What shoppers did after searches answered with a queryID (`clickAnalytics=true`).

    Rates count searches by their own time; clicks, positions and conversions
    count the Insights events (`POST /1/events`) by theirs, one per object.
    """

    since: datetime
    query: str | None = Field(description="the (normalised) query counted, null: all")
    tracked_searches: int = Field(description="searches answered with a queryID")
    clicked_searches: int = Field(description="tracked searches with at least one click")
    click_through_rate: float | None = Field(
        description="clicked_searches / tracked_searches (null: none tracked)"
    )
    converted_searches: int = Field(description="tracked searches with at least one conversion")
    conversion_rate: float | None = Field(
        description="converted_searches / tracked_searches (null: none tracked)"
    )
    clicks: int = Field(
        description="clicks merged with their search (queryID), one per clicked object"
    )
    click_positions: list[PositionClicks] = Field(description="clicks per position 1..20")
    clicks_beyond_20: int = Field(description="clicks on positions after the 20th")
    average_click_position: float | None = Field(description="mean position of all clicks")
    conversions: int = Field(description="conversions merged with their search, one per object")
    unmerged: UnmergedEvents = Field(
        description="clicks and conversions naming a queryID that were counted but merged "
        "with no search, one per object, whatever the query"
    )
