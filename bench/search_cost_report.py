"""The search-cost benchmark's markdown, ready to paste into docs/benchmarks.md.

The heading says what was run, on what and when, and how busy the machine
was (the load average before and after): a reader needs all of it to trust
or discount the ratios below.
"""

from __future__ import annotations

from typing import Any

from bench.read_report import ms_cell, ratio_cell

LABELS = {
    "system": "system (the read API's bodies)",
    "bm25": "plain BM25, same aggregations",
    "bm25-noaggs": "plain BM25, no aggregations",
}


def _load(averages: list[float]) -> str:
    return " / ".join(f"{a:.2f}" for a in averages)


def _strict_share(results: dict[str, Any]) -> str:
    if not results["tolerant"]:
        return ""
    system = results["sequential"]["system"]
    return (
        f" (of the system's took mean {ms_cell(system['took_mean_ms'])}, "
        f"{ms_cell(system['first_took_mean_ms'])} is the strict stage's)"
    )


def heading(results: dict[str, Any]) -> list[str]:
    """What, where and when: command line, tree, catalog, size, date, machine load."""
    index = results["index"]
    stages = "strict, then tolerant when too few" if results["stages"] else "one stage"
    return [
        f"`{results['command']}`",
        "",
        f"- tree: {results['tree']}; search stages: {stages}",
        f"- catalog: {results['catalog']}, {results['products']:,} products in "
        f"`{index['name']}` ({index['how']}, {index['seconds']:.0f} s)",
        f"- {results['searches']} searches ({results['mix']}); "
        f"{results['tolerant']} ran the tolerant stage too{_strict_share(results)}, "
        f"{results['no_hits']} found nothing (the read API's {results['suggestions']} "
        "spelling-suggestion requests for them are not measured)",
        f"- {results['date']}; load average (1/5/15 min) {_load(results['load_start'])} at start, "
        f"{_load(results['load_end'])} at end, {results['cpus']} CPUs; "
        f"run took {results['run_seconds']:.0f} s",
        "",
    ]


def rows(results: dict[str, Any]) -> list[str]:
    """The heading, then one row per variant and the system / plain BM25 ratios."""
    seq, load = results["sequential"], results["throughput"]
    clients, seconds = results["clients"], results["duration_s"]
    out = [
        *heading(results),
        f"| variant | ES requests / search | took mean | took p50 | took p95 | took p99 | "
        f"client mean | client p99 | searches/s ({clients} clients, {seconds:g} s) | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, label in LABELS.items():
        s, t = seq[name], load[name]
        out.append(
            f"| {label} | {s['requests_per_search']:.2f} | {ms_cell(s['took_mean_ms'])} | "
            f"{ms_cell(s['took_p50_ms'])} | {ms_cell(s['took_p95_ms'])} | "
            f"{ms_cell(s['took_p99_ms'])} | {ms_cell(s['client_mean_ms'])} | "
            f"{ms_cell(s['client_p99_ms'])} | {t['rate']:,.1f} | {t['errors']:,} |"
        )
    a, b = seq["system"], seq["bm25"]
    took = [ratio_cell(a[k], b[k]) for k in ("took_mean_ms", "took_p50_ms", "took_p95_ms")]
    took.append(ratio_cell(a["took_p99_ms"], b["took_p99_ms"]))
    clients_ratio = [ratio_cell(a[k], b[k]) for k in ("client_mean_ms", "client_p99_ms")]
    rate = ratio_cell(load["system"]["rate"], load["bm25"]["rate"])
    out.append(
        "| **ratio system / plain BM25 (same aggregations)** | | "
        + " | ".join(f"**{c}x**" if i == 0 else f"{c}x" for i, c in enumerate(took))
        + " | "
        + " | ".join(f"{c}x" for c in clients_ratio)
        + f" | **{rate}x** | |"
    )
    out += [
        "",
        "took: Elasticsearch's own time, summed over a search's requests, one sequential pass "
        "after a warm-up pass; client: the same requests' time on the wire. Every `_search` "
        "with `request_cache=false`. Time at most 2x plain BM25's means a throughput ratio "
        "of at least 0.5x.",
    ]
    return out


def summary_line(results: dict[str, Any]) -> str:
    """One line for the log: the two ratios the issue's target is about."""
    seq, load = results["sequential"], results["throughput"]
    took = ratio_cell(seq["system"]["took_mean_ms"], seq["bm25"]["took_mean_ms"])
    rate = ratio_cell(load["system"]["rate"], load["bm25"]["rate"])
    return (
        f"{results['catalog']} {results['products']:,}: took mean system/bm25 {took}x, "
        f"throughput system/bm25 {rate}x (target: took at most 2x)"
    )
