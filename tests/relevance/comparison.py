"""The system beside the BM25 baseline (pure): per query, the means, the ratio, what got worse.

A query's delta is the system's nDCG@10 minus the baseline's; it is None for
a query without a relevant product (no nDCG on either side). "Worse" means a
negative delta beyond float noise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

from tests.relevance.metrics import QueryScore, Summary, summarize

EPSILON = 1e-9  # nDCG differences below this are rounding, not a change


@dataclass(frozen=True)
class QueryResult:
    """One query, scored for the system and for the baseline."""

    query: str
    system: QueryScore
    baseline: QueryScore

    @property
    def delta(self) -> float | None:
        """System nDCG@10 minus baseline nDCG@10; None when the query has no relevant product."""
        if self.system.ndcg is None or self.baseline.ndcg is None:
            return None
        return self.system.ndcg - self.baseline.ndcg

    @property
    def worse(self) -> bool:
        """True when the system ranks this query below the baseline."""
        return self.delta is not None and self.delta < -EPSILON


@dataclass(frozen=True)
class Evaluation:
    """Every query of one judged set, searched by the system and by the baseline in one run."""

    name: str  # the judged set's name
    results: tuple[QueryResult, ...]
    seconds: float = 0.0  # how long the searching took (both sides, the scratch index included)

    @cached_property
    def system(self) -> Summary:
        """The system's means and zero-result count."""
        return summarize([r.system for r in self.results])

    @cached_property
    def baseline(self) -> Summary:
        """The baseline's means and zero-result count."""
        return summarize([r.baseline for r in self.results])

    @property
    def ratio(self) -> float:
        """Mean nDCG@10 of the system over the baseline's (1.0: as good)."""
        return self.system.ndcg / self.baseline.ndcg if self.baseline.ndcg else float("inf")

    @property
    def by_delta(self) -> list[QueryResult]:
        """Queries from the largest loss to the largest gain; unmeasurable ones last."""
        measured = sorted((r for r in self.results if r.delta is not None), key=_delta_key)
        return [*measured, *(r for r in self.results if r.delta is None)]

    @property
    def worse(self) -> list[QueryResult]:
        """The queries the system ranks below the baseline, largest loss first."""
        return [r for r in self.by_delta if r.worse]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the summaries, the ratio and every query's scores."""
        return {
            "dataset": self.name,
            "seconds": round(self.seconds, 1),
            "system": asdict(self.system),
            "baseline": asdict(self.baseline),
            "ratio": self.ratio,
            "worse": [r.query for r in self.worse],
            "queries": [
                {
                    "query": r.query,
                    "delta": r.delta,
                    "system": asdict(r.system),
                    "baseline": asdict(r.baseline),
                }
                for r in self.results
            ],
        }


def _delta_key(result: QueryResult) -> tuple[float, str]:
    return (result.delta or 0.0, result.query)
