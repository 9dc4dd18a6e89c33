"""Scores of one ranking and their means: unrated is 0, all-zero queries stay out of the means."""

from __future__ import annotations

import pytest

from tests.relevance.metrics import Ranking, precision, score, summarize
from tests.relevance.ndcg import ndcg

RATINGS = {"a": 3, "b": 1, "c": 0, "d": 2}


def test_precision_counts_ratings_of_one_or_more_over_all_ten_places() -> None:
    assert precision([3, 1, 0, 2]) == pytest.approx(0.3)  # fewer hits: empty places miss
    assert precision([1] * 12) == 1.0
    assert precision([0, 0]) == 0.0


def test_a_ranking_is_graded_by_the_ratings_with_unrated_products_as_zero() -> None:
    scored = score("q", Ranking(("x", "d", "a", "c"), hits=40), RATINGS)
    assert scored.grades == (0, 2, 3, 0)
    assert scored.ndcg == pytest.approx(ndcg([0, 2, 3, 0], [3, 1, 0, 2]))
    assert scored.precision == pytest.approx(0.2)
    assert scored.hits == 40


def test_the_ideal_order_of_every_rating_scores_one() -> None:
    assert score("q", Ranking(("a", "d", "b"), 3), RATINGS).ndcg == pytest.approx(1.0)


def test_only_the_first_ten_count() -> None:
    ranked = (*(f"x{i}" for i in range(10)), "a")
    scored = score("q", Ranking(ranked, 11), RATINGS)
    assert scored.ndcg == 0.0
    assert len(scored.grades) == 10


def test_a_query_rated_all_zero_has_no_ndcg_and_stays_out_of_the_means() -> None:
    none = score("nothing", Ranking(("c",), 1), {"c": 0})
    assert none.ndcg is None
    best = score("best", Ranking(("a", "d", "b"), 3), RATINGS)
    empty = score("empty", Ranking((), 0), RATINGS)
    summary = summarize([none, best, empty])
    assert summary.ndcg == pytest.approx(0.5)
    assert summary.precision == pytest.approx(0.15)
    assert (summary.queries, summary.judged, summary.zero_results) == (3, 2, 1)


def test_means_without_any_judged_query_are_undefined() -> None:
    with pytest.raises(ValueError, match="undefined"):
        summarize([score("q", Ranking((), 0), {})])
