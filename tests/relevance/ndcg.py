"""nDCG@k (pure): how close a ranking's graded hits come to the best possible order."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

K = 10


def dcg(grades: Sequence[int], k: int = K) -> float:
    """Discounted cumulative gain of the first k grades, with gain 2^grade - 1."""
    gains = (float(2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades[:k]))
    return sum(gains, 0.0)


def ndcg(ranked: Sequence[int], judged: Iterable[int], k: int = K) -> float:
    """DCG of the ranking over DCG of the best order of every judged grade (the ideal)."""
    ideal = dcg(sorted(judged, reverse=True), k)
    if ideal == 0:
        raise ValueError("no relevant product: nDCG is undefined")
    return dcg(ranked, k) / ideal
