"""nDCG@k: exponential gain, log2 discount, the ideal from every judged grade."""

from __future__ import annotations

import math

import pytest

from tests.relevance.ndcg import dcg, ndcg


def test_dcg_discounts_by_rank_with_exponential_gain() -> None:
    assert dcg([3, 2, 0, 1]) == pytest.approx(7 / 1 + 3 / math.log2(3) + 0 + 1 / math.log2(5))


def test_dcg_counts_only_the_first_k() -> None:
    assert dcg([1] * 12, k=10) == pytest.approx(dcg([1] * 10))
    assert dcg([0, 0, 3], k=2) == 0


def test_the_best_order_scores_one_and_a_worse_order_less() -> None:
    judged = [0, 3, 1, 2, 0]
    assert ndcg([3, 2, 1, 0, 0], judged) == pytest.approx(1.0)
    assert ndcg([0, 1, 2, 3, 0], judged) < ndcg([3, 2, 0, 1, 0], judged) < 1.0


def test_the_ideal_comes_from_all_judged_products_not_only_the_hits() -> None:
    # two relevant products exist; finding one of them at the top is not perfect
    assert ndcg([1], [1, 1, 0]) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert ndcg([], [2]) == 0


def test_a_query_without_relevant_products_has_no_ndcg() -> None:
    with pytest.raises(ValueError, match="undefined"):
        ndcg([0, 0], [0, 0, 0])
