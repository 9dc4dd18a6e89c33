"""Query suggestions (pure): which popular queries, their records, their search and highlight."""

from __future__ import annotations

from datetime import UTC, datetime

from analytics.query_suggestions import (
    Candidate,
    candidates_of,
    chosen,
    counted,
    counting_body,
    excluded_words,
    popular_queries_body,
    suggestion_record,
)
from read_api.suggestions.search import highlight_query, suggestion_hits, suggestions_body


def _chosen(*pairs: tuple[str, int], **options: object) -> list[str]:
    settings: dict[str, object] = {
        "min_count": 3, "min_letters": 3, "excluded": frozenset(), "limit": 100, **options
    }  # fmt: skip
    return [c.query for c in chosen([Candidate(q, n) for q, n in pairs], **settings)]  # type: ignore[arg-type]


def test_popular_queries_come_from_searches_with_words_since_a_day() -> None:
    body = popular_queries_body(datetime(2026, 12, 1, tzinfo=UTC), 50)
    assert body["aggs"]["queries"]["terms"]["size"] == 50
    assert {"range": {"at": {"gte": "2026-12-01T00:00:00+00:00"}}} in body["query"]["bool"][
        "filter"
    ]
    answer = {"aggregations": {"queries": {"buckets": [{"key": "hülle", "doc_count": 9}]}}}
    assert candidates_of(answer) == [Candidate("hülle", 9)]


def test_counts_letters_and_excluded_words_decide() -> None:
    assert _chosen(
        ("hülle", 9), ("kabel", 2), ("a b", 5), ("sex toy", 8), excluded=excluded_words(" Sex, ,x")
    ) == ["hülle"]


def test_keystrokes_on_the_way_to_a_query_are_not_suggested() -> None:
    assert _chosen(("hül", 6), ("hülle", 4), ("hülle schwarz", 3)) == ["hülle", "hülle schwarz"]
    # a shorter query searched far more often than its continuation is a query of its own
    assert _chosen(("akku", 40), ("akkus", 3)) == ["akku", "akkus"]
    # a next word is not a keystroke: "iphone" stays beside "iphone 15"
    assert _chosen(("iphone", 5), ("iphone 15", 9)) == ["iphone 15", "iphone"]


def test_the_most_searched_first_and_at_most_the_limit() -> None:
    assert _chosen(("bbb", 5), ("aaa", 5), ("ccc", 7), limit=2) == ["ccc", "aaa"]


def test_a_record_has_algolias_query_suggestions_shape() -> None:
    record = suggestion_record(Candidate("anker powerbank", 12), 40, {"brand": [("Anker", 40)]})
    assert record == {
        "objectID": "anker powerbank",
        "query": "anker powerbank",
        "popularity": 12,
        "nb_words": 2,
        "products": {
            "exact_nb_hits": 40,
            "facets": {"exact_matches": {"brand": [{"value": "Anker", "count": 40}]}},
        },
    }


def test_the_search_matches_every_word_the_last_as_a_prefix_by_popularity() -> None:
    body = suggestions_body("anker po", 20, 10)
    match = body["query"]["bool"]["filter"][0]["multi_match"]
    assert (match["type"], match["operator"], match["query"]) == ("bool_prefix", "and", "anker po")
    assert body["sort"][0] == {"popularity": "desc"}
    assert (body["from"], body["size"]) == (20, 10)
    assert suggestions_body("  ", 0, 5)["query"]["bool"]["filter"] == [{"match_all": {}}]


def test_the_typed_prefixes_are_highlighted_folded() -> None:
    marked = highlight_query("hülle schwarz", "hul", "<b>", "</b>")
    assert marked["value"] == "<b>hül</b>le schwarz"
    assert marked["matchLevel"] == "full"
    assert marked["matchedWords"] == ["hul"]
    partial = highlight_query("hülle schwarz", "hul rot", "<b>", "</b>")
    assert partial["matchLevel"] == "partial"
    assert highlight_query("kabel", "", "<b>", "</b>")["matchLevel"] == "none"
    response = {"hits": {"hits": [{"_source": {"objectID": "kabel", "query": "kabel"}}]}}
    (hit,) = suggestion_hits(response, "ka", "<em>", "</em>")
    assert hit["_highlightResult"]["query"]["value"] == "<em>ka</em>bel"


def test_a_candidate_is_counted_with_all_its_words_among_active_products() -> None:
    body = counting_body("anker powerbank")
    match = body["query"]["bool"]["must"][0]["multi_match"]
    assert (match["type"], match["operator"]) == ("cross_fields", "and")
    assert "title" in match["fields"]
    assert body["query"]["bool"]["filter"] == [{"term": {"status": "active"}}]
    assert body["aggs"]["categories.lvl0"]["terms"]["field"] == "categories.lvl0"
    answer = {
        "hits": {"total": {"value": 7}},
        "aggregations": {
            "brand": {"buckets": [{"key": "Anker", "doc_count": 7}]},
            "categories.lvl0": {"buckets": []},
        },
    }
    assert counted(answer) == (7, {"brand": [("Anker", 7)], "categories.lvl0": []})
