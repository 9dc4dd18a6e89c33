"""An evaluation as markdown (pure): the summary line, the per-query table, losses, zero results.

The table is sorted by delta (the system's nDCG@10 minus the baseline's),
largest loss first, and ends with the mean row; queries without a relevant
product come after the measured ones, with "-" for what they cannot have.
"""

from __future__ import annotations

from tests.relevance.comparison import Evaluation, QueryResult
from tests.relevance.metrics import QueryScore

NO_VALUE = "-"
PRECISION_NOTE = (
    "P@10 is the share of the top 10 places holding a product rated ≥ 1; a search with "
    "fewer than 10 hits counts the empty places as misses."
)
MEANS_NOTE = (
    "Means are over the queries with at least one product rated above 0; zero-result "
    "counts are over every query."
)
COLUMNS = (
    ("query", ":--"),
    ("nDCG system", "--:"),
    ("nDCG BM25", "--:"),
    ("delta", "--:"),
    ("P@10 system", "--:"),
    ("P@10 BM25", "--:"),
    ("hits system", "--:"),
    ("hits BM25", "--:"),
)


def summary_line(evaluation: Evaluation) -> str:
    """nDCG@10, ratio, P@10 and zero-result counts of both sides, on one line."""
    system, bm25 = evaluation.system, evaluation.baseline
    return (
        f"nDCG@10 system {system.ndcg:.4f}  bm25 {bm25.ndcg:.4f}  ratio {evaluation.ratio:.3f}  "
        f"P@10 system {system.precision:.4f}  bm25 {bm25.precision:.4f}  "
        f"zero-result system {system.zero_results}  bm25 {bm25.zero_results}"
    )


def _number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return NO_VALUE
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def query_cells(result: QueryResult) -> list[str]:
    """One query's row of the table, as text cells in COLUMNS order."""
    system, bm25 = result.system, result.baseline
    query = result.query + ("" if result.delta is not None else " (no relevant product)")
    return [
        query,
        _number(system.ndcg),
        _number(bm25.ndcg),
        _number(result.delta, signed=True),
        _number(system.precision),
        _number(bm25.precision),
        f"{system.hits:,}",
        f"{bm25.hits:,}",
    ]


def mean_cells(evaluation: Evaluation) -> list[str]:
    """The table's last row: both sides' means and their difference."""
    system, bm25 = evaluation.system, evaluation.baseline
    return [
        f"mean ({system.judged} queries)",
        _number(system.ndcg),
        _number(bm25.ndcg),
        _number(system.ndcg - bm25.ndcg, signed=True),
        _number(system.precision),
        _number(bm25.precision),
        "",
        "",
    ]


def query_table(evaluation: Evaluation) -> str:
    """Every query's scores on both sides, by delta, with the mean row last."""
    lines = [_row([name for name, _ in COLUMNS]), _row([align for _, align in COLUMNS])]
    lines += [_row(query_cells(r)) for r in evaluation.by_delta]
    label, *means = mean_cells(evaluation)
    lines.append(_row([f"**{label}**", *means]))
    return "\n".join(lines)


def worse_list(evaluation: Evaluation) -> str:
    """The queries the system ranks below the baseline, largest loss first."""
    worse = evaluation.worse
    if not worse:
        return "None: the system ranks no query below the baseline."
    return "\n".join(
        f"- `{r.query}`: {_number(r.baseline.ndcg)} → {_number(r.system.ndcg)} "
        f"({_number(r.delta, signed=True)})"
        for r in worse
    )


def _zero(scores: list[QueryScore], total: int) -> str:
    empty = [f"`{s.query}`" for s in scores if s.hits == 0]
    return f"{len(empty)} of {total}" + (f" ({', '.join(empty)})" if empty else "")


def zero_results(evaluation: Evaluation) -> str:
    """Which queries found nothing, for each side."""
    total = len(evaluation.results)
    system = _zero([r.system for r in evaluation.results], total)
    bm25 = _zero([r.baseline for r in evaluation.results], total)
    return f"- system: {system}\n- BM25: {bm25}"


def markdown_report(evaluation: Evaluation, title: str, command: str) -> str:
    """The whole report of one judged set, as a markdown section headed `title`."""
    system, bm25 = evaluation.system, evaluation.baseline
    worse = len(evaluation.worse)
    return "\n".join(
        [
            f"## {title}",
            "",
            f"    {command}",
            "",
            f"`{summary_line(evaluation)}`",
            "",
            f"{system.queries} queries, {system.judged} with a relevant product. "
            f"Mean nDCG@10: system {system.ndcg:.4f}, BM25 {bm25.ndcg:.4f} "
            f"(ratio {evaluation.ratio:.3f}); {worse} {'query' if worse == 1 else 'queries'} "
            "worse than BM25. "
            f"{MEANS_NOTE} {PRECISION_NOTE}",
            "",
            query_table(evaluation),
            "",
            f"### {title}: queries that got worse ({worse})",
            "",
            worse_list(evaluation),
            "",
            f"### {title}: zero-result queries",
            "",
            zero_results(evaluation),
            "",
        ]
    )
