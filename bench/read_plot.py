"""The read benchmark's plot for docs: throughput and latency percentiles per phase.

    .venv/bin/python -m bench.read_plot bench-read-20k.json bench-read-200k.json

One row of two panels per results file (`python -m bench.read --json FILE`),
so runs at several catalog sizes sit one above the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt
import orjson
import typer

from bench.read_report import SHORT

app = typer.Typer(add_completion=False)
PERCENTILES = (("p50_ms", "p50"), ("p90_ms", "p90"), ("p99_ms", "p99"))
COLOURS = {"cached_api": "C0", "cached_bare": "C7", "uncached_api": "C1", "uncached_es": "C7"}


def _title(results: dict[str, Any]) -> str:
    kind = "quick smoke run" if results.get("quick") else f"{results['duration_s']:g} s per phase"
    return (
        f"{results['products']:,} products, {results['connections']} connections, {kind} "
        f"({results['date']})"
    )


def plot(runs: list[dict[str, Any]], path: Path) -> None:
    """Write a PNG with a throughput and a latency panel per run."""
    fig, axes = plt.subplots(len(runs), 2, figsize=(12, 4.2 * len(runs)), squeeze=False)
    for (rate_ax, lat_ax), results in zip(axes, runs, strict=True):
        keys = [k for k in SHORT if k in results["phases"]]
        phases = [results["phases"][k] for k in keys]
        xs = range(len(keys))
        labels = [SHORT[k] for k in keys]
        bars = rate_ax.bar(
            xs, [p["rate"] for p in phases], color=[COLOURS.get(k, "C2") for k in keys]
        )
        rate_ax.bar_label(bars, [f"{p['rate']:,.0f}" for p in phases], fontsize=8)
        rate_ax.set_xticks(list(xs), labels, fontsize=8)
        rate_ax.set_yscale("log")
        rate_ax.set_ylabel("requests/s (log)")
        rate_ax.set_title("throughput", fontsize=10)
        width = 0.8 / len(PERCENTILES)
        for i, (field, name) in enumerate(PERCENTILES):
            values = [p[field] or 0 for p in phases]
            lat_ax.bar([x + (i - 1) * width for x in xs], values, width, label=name)
        lat_ax.set_xticks(list(xs), labels, fontsize=8)
        lat_ax.set_yscale("log")
        lat_ax.set_ylabel("latency, ms (log)")
        lat_ax.set_title("latency percentiles", fontsize=10)
        lat_ax.legend(fontsize=8)
        title = rate_ax.annotate(
            _title(results), (0, 1.12), xycoords="axes fraction", fontsize=10, weight="bold"
        )
        title.set_in_layout(False)  # a long title must not squeeze the panels apart
    fig.suptitle("catalog-search read API benchmark (bench/read.py)")
    fig.tight_layout(rect=(0, 0, 1, 0.94), h_pad=3.5)
    fig.savefig(path, dpi=110)
    plt.close(fig)


@app.command()
def main(
    results: Annotated[list[Path], typer.Argument(help="JSON files of `bench.read --json`")],
    output: Annotated[Path, typer.Option("-o", "--output")] = Path("docs/bench-read.png"),
) -> None:
    """Plot one or more read benchmark results."""
    plot([orjson.loads(p.read_bytes()) for p in results], output)
    print(f"wrote {output}")


if __name__ == "__main__":
    app()
