"""Relevance: nDCG@10 and P@10 of the system's search beside a plain BM25 baseline.

    set -a; source .devstack/env; set +a
    .venv/bin/python -m bench.relevance --dataset chorus --report /tmp/chorus.md --json /tmp/c.json
    .venv/bin/python -m bench.relevance --dataset demo

Against the running stack (`make up`; URLs and the index prefix from the
CATALOG_* environment). First the judged set is imported through the write
API with a fresh editor key (revoked afterwards) and the run waits until
every product is searchable at the version written; `--no-import` skips
that and only checks the products are there. Then every judged query is
searched through the Algolia endpoint and through a scratch BM25 index on
the same Elasticsearch (see tests/relevance/baseline.py), and both are
scored. stdout carries the table and the summary line; progress goes to
stderr.
"""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import httpx
import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from catalog.settings import Settings, get_settings
from indexer.index_definition import alias_name
from tests.bulk_load import editor_key, wait_indexed
from tests.e2e.conftest import api_url
from tests.relevance.chorus import (
    DIR_VARIABLE,
    PRODUCTS_FILE,
    chorus_dir,
    chorus_set,
    load_chorus,
    product_lines,
)
from tests.relevance.comparison import Evaluation
from tests.relevance.demo import demo_set, load_demo
from tests.relevance.evaluation import evaluate
from tests.relevance.judged_set import JudgedSet
from tests.relevance.report import (
    COLUMNS,
    MEANS_NOTE,
    PRECISION_NOTE,
    markdown_report,
    mean_cells,
    query_cells,
    summary_line,
)

app = typer.Typer(add_completion=False)
console = Console(stderr=True)
TITLES = {"chorus": "Chorus (electronics, judged by people)", "demo": "Demo catalog (rule-graded)"}


class Dataset(StrEnum):
    """The judged sets the harness knows."""

    chorus = "chorus"
    demo = "demo"


def _import(dataset: Dataset, settings: Settings, folder: Path | None) -> None:
    started = time.perf_counter()
    with editor_key(settings, "relevance") as key, console.status(f"importing {dataset} …"):
        if dataset is Dataset.chorus:
            loaded = load_chorus(settings, key, folder)
        else:
            loaded = load_demo(settings, key)
    console.print(
        f"imported {dataset}: {loaded.summary} in {time.perf_counter() - started:.1f} s; "
        "every product searchable at the version written"
    )


def _check_present(settings: Settings, es: httpx.Client, folder: Path) -> None:
    """Without an import: every Chorus product must be in the index (any version)."""
    ids = [orjson.loads(line)["product"]["id"] for line in product_lines(folder / PRODUCTS_FILE)]
    wait_indexed(es, alias_name(settings.es_index_prefix), dict.fromkeys(ids, 1), timeout_s=0)


def _judged(dataset: Dataset, settings: Settings, es: httpx.Client, folder: Path) -> JudgedSet:
    return chorus_set(folder) if dataset is Dataset.chorus else demo_set(es, settings)


def _run(judged: JudgedSet, settings: Settings, es: httpx.Client) -> Evaluation:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with (
        httpx.Client(base_url=api_url(settings, "read_api"), timeout=60) as read_api,
        Progress(*columns, console=console, transient=True) as progress,
    ):
        task = progress.add_task(f"searching {judged.name}", total=len(judged.queries))
        return evaluate(judged, read_api, es, settings, lambda _: progress.advance(task))


def _print(evaluation: Evaluation) -> None:
    out = Console()
    if not out.is_terminal:  # a file or a pipe: no wrapping of long queries
        out.width = 160
    table = Table(title=f"{evaluation.name}: by delta (system nDCG@10 - BM25 nDCG@10)")
    for name, align in COLUMNS:
        table.add_column(name, justify="left" if align.startswith(":") else "right")
    for result in evaluation.by_delta:
        table.add_row(*query_cells(result), style="red" if result.worse else None)
    table.add_row(*mean_cells(evaluation), style="bold", end_section=True)
    out.print(table)
    out.print(f"{MEANS_NOTE} {PRECISION_NOTE}")
    worse = ", ".join(repr(r.query) for r in evaluation.worse) or "none"
    out.print(f"worse than BM25 ({len(evaluation.worse)}): {worse}")
    out.print(summary_line(evaluation), markup=False, highlight=False, soft_wrap=True)


@app.command()
def main(
    dataset: Annotated[Dataset, typer.Option(help="the judged set to measure")],
    report: Annotated[
        Path | None, typer.Option(help="write the markdown report (a section) here")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write every score as JSON here")
    ] = None,
    chorus: Annotated[
        Path | None,
        typer.Option("--chorus-dir", envvar=DIR_VARIABLE, help="folder of the Chorus files"),
    ] = None,
    load: Annotated[
        bool, typer.Option("--import/--no-import", help="import the set first (idempotent)")
    ] = True,
) -> None:
    """Import a judged set, search it both ways, print the table and the summary line."""
    settings = get_settings()
    folder = chorus_dir(chorus)
    started = time.perf_counter()
    if load:
        _import(dataset, settings, folder)
    with httpx.Client(base_url=settings.es_urls[0], timeout=60) as es:
        if not load and dataset is Dataset.chorus:
            _check_present(settings, es, folder)
        evaluation = _run(_judged(dataset, settings, es, folder), settings, es)
    _print(evaluation)
    console.print(
        f"searched in {evaluation.seconds:.1f} s; whole run {time.perf_counter() - started:.1f} s"
    )
    if report:
        command = f".venv/bin/python -m bench.relevance --dataset {dataset}"
        report.write_text(markdown_report(evaluation, TITLES[dataset], command))
    if json_out:
        json_out.write_bytes(orjson.dumps(evaluation.as_dict(), option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    app()
