"""What the read API logs of a search: its filters described, and never a failed search."""

from __future__ import annotations

from analytics.search_log import SearchLog, StreamEvent
from read_api.analytics.filter_description import describe_filter
from read_api.analytics.search_logging import log_search
from read_api.query.model import RangeFilter, SearchQuery, TermsFilter


class RecordingLog(SearchLog):
    """A search log that keeps what it is given (no queue, no Redis)."""

    def __init__(self) -> None:
        super().__init__(None, capacity=1, stream_maxlen=1)
        self.events: list[StreamEvent] = []

    def record(self, event: StreamEvent) -> None:
        self.events.append(event)


def test_filters_are_described_in_the_filter_syntax() -> None:
    assert describe_filter(TermsFilter(field="brand", values=["Spigen", "Hama"])) == (
        "brand:Spigen|Hama"
    )
    assert describe_filter(TermsFilter(field="in_stock", values=[True], exclude=True)) == (
        "-in_stock:true"
    )
    assert describe_filter(RangeFilter(field="price", gte=10.0, lt=25.5)) == "price:[10,25.5)"
    assert describe_filter(RangeFilter(field="rating", gt=4.0)) == "rating:(4,)"


def test_a_search_logs_its_event_with_the_filters_described() -> None:
    filters = [TermsFilter(field="brand", values=["Spigen"]), RangeFilter(field="price", lte=9.0)]
    query = SearchQuery(text=" Hülle ", category="Audio > Kopfhörer", filters=filters)
    log = RecordingLog()
    log_search(log, "search", query, 7, query_id="a" * 32, hits=["RA-1", "RA-2"])
    [event] = log.events
    assert event.stream_fields() | {"at": b""} == {
        "at": b"",
        "kind": b"search",
        "q": "hülle".encode(),
        "category": "Audio > Kopfhörer".encode(),
        "filters": b'["brand:Spigen","price:(,9]"]',
        "total": b"7",
        "qid": b"a" * 32,
        "hits": b'["RA-1","RA-2"]',
    }


def test_an_event_that_cannot_be_built_is_not_logged_and_the_search_goes_on() -> None:
    broken = SearchQuery.model_construct(text="x", filters=[object()])  # describing it fails
    log = RecordingLog()
    log_search(log, "search", broken, 1)
    assert log.events == []
