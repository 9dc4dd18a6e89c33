"""The comparison and its markdown: sorted by delta, the mean row, losses, zero results."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from tests.relevance.comparison import Evaluation, QueryResult
from tests.relevance.metrics import Ranking, score
from tests.relevance.report import markdown_report, query_table, summary_line

RATINGS = {"a": 3, "b": 1}


def _result(
    query: str,
    system: tuple[str, ...],
    baseline: tuple[str, ...],
    ratings: Mapping[str, int] = RATINGS,
) -> QueryResult:
    return QueryResult(
        query,
        score(query, Ranking(system, len(system)), ratings),
        score(query, Ranking(baseline, len(baseline)), ratings),
    )


@pytest.fixture
def evaluation() -> Evaluation:
    """Three queries: one better, one worse (no hits at all), one without a relevant product."""
    return Evaluation(
        "tiny",
        (
            _result("better", ("a", "b"), ("b", "a")),
            _result("worse | piped", (), ("a",), ratings={"a": 3}),
            _result("unjudged", ("c",), ("c",), ratings={"c": 0}),
        ),
    )


def test_queries_sort_from_the_largest_loss_and_unmeasured_ones_come_last(
    evaluation: Evaluation,
) -> None:
    assert [r.query for r in evaluation.by_delta] == ["worse | piped", "better", "unjudged"]
    assert [r.query for r in evaluation.worse] == ["worse | piped"]
    assert evaluation.results[2].delta is None


def test_the_summary_line_names_both_sides_the_ratio_and_zero_results(
    evaluation: Evaluation,
) -> None:
    system, baseline = evaluation.system, evaluation.baseline
    assert evaluation.ratio == pytest.approx(system.ndcg / baseline.ndcg)
    line = summary_line(evaluation)
    assert line.startswith(f"nDCG@10 system {system.ndcg:.4f}  bm25 {baseline.ndcg:.4f}  ratio")
    assert line.endswith("zero-result system 1  bm25 0")
    assert "P@10 system 0.1000  bm25 0.1500" in line


def test_the_table_has_a_row_per_query_then_the_mean(evaluation: Evaluation) -> None:
    lines = query_table(evaluation).splitlines()
    assert lines[0].startswith("| query | nDCG system | nDCG BM25 | delta | P@10 system")
    assert lines[2] == "| worse \\| piped | 0.000 | 1.000 | -1.000 | 0.000 | 0.100 | 0 | 1 |"
    assert lines[4].startswith("| unjudged (no relevant product) | - | - | - | 0.000 |")
    assert lines[-1].startswith("| **mean (2 queries)** | 0.500 |")
    assert len(lines) == 2 + 3 + 1


def test_the_report_lists_losses_zero_results_the_command_and_what_p10_means(
    evaluation: Evaluation,
) -> None:
    report = markdown_report(evaluation, "Tiny", "python -m bench.relevance --dataset tiny")
    assert report.startswith("## Tiny\n\n    python -m bench.relevance --dataset tiny\n")
    assert "- `worse | piped`: 1.000 → 0.000 (-1.000)" in report
    assert "- system: 1 of 3 (`worse | piped`)\n- BM25: 0 of 3" in report
    assert "rated ≥ 1" in report


def test_the_json_form_holds_every_query(evaluation: Evaluation) -> None:
    data = evaluation.as_dict()
    assert data["worse"] == ["worse | piped"]
    assert [q["query"] for q in data["queries"]] == ["better", "worse | piped", "unjudged"]
    assert data["system"]["judged"] == 2
