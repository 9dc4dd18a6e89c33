"""The read benchmark's markdown table, ready to paste into docs/benchmarks.md."""

from __future__ import annotations

from typing import Any

# phase key: its label in the table, in the order of the table
PHASES: dict[str, str] = {
    "cached_api": "cached search: read API",
    "cached_bare": "cached search: bare FastAPI app, same bytes and headers",
    "uncached_api": "uncached faceted search: read API, `Cache-Control: no-cache`",
    "uncached_es": "uncached: the same `_search` bodies straight to Elasticsearch",
    "peak": "peak: Zipf query mix, writes beside it",
}
RATIOS = (
    ("cached_api", "cached_bare", "ratio read API / bare app"),
    ("uncached_api", "uncached_es", "ratio read API / Elasticsearch"),
)
SHORT = {
    "cached_api": "cached\nread API",
    "cached_bare": "cached\nbare app",
    "uncached_api": "uncached\nread API",
    "uncached_es": "uncached\nES direct",
    "peak": "peak mix\n+ writes",
}


def ms_cell(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f} ms"


def cache_cell(
    counts: dict[str, int], max_stale_age_s: int = 0, repeat_share: float | None = None
) -> str:
    total = sum(counts.values())
    if not total:
        return "-"
    parts = sorted(counts.items(), key=lambda kv: -kv[1])
    cell = ", ".join(f"{state} {n / total:.0%}" for state, n in parts)
    if counts.get("stale"):
        cell += f" (oldest stale: Age {max_stale_age_s} s)"
    if repeat_share is not None:
        cell += f"; repeated targets {repeat_share:.0%}, the most hits + stale can be"
    return cell


def errors_cell(phase: dict[str, Any]) -> str:
    share = phase["errors"] / phase["requests"] if phase["requests"] else 0.0
    text = f"{phase['errors']:,} ({share:.2%})"
    bad = {k: v for k, v in phase["statuses"].items() if int(k) >= 400} | phase["failures"]
    return text + (" " + ", ".join(f"{k}: {v:,}" for k, v in bad.items()) if bad else "")


def ratio_cell(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}"


def rows(results: dict[str, Any]) -> list[str]:
    """The table: one row per phase, the ratios after each pair, the writes last."""
    phases: dict[str, dict[str, Any]] = results["phases"]
    head = (
        f"| read benchmark: {results['products']:,} active products, "
        f"{results['connections']} connections | requests/s | p50 | p99 | errors | X-Cache |"
    )
    out = [head, "| --- | --- | --- | --- | --- | --- |"]
    for key, label in PHASES.items():
        if (phase := phases.get(key)) is None:
            continue
        repeats = phase.get("repeat_share")
        if key == "peak" and not results.get("writes"):
            label = "peak: Zipf query mix, no writes"
        out.append(
            f"| {label} ({phase['seconds']:.0f} s) | {phase['rate']:,.0f} | "
            f"{ms_cell(phase['p50_ms'])} | {ms_cell(phase['p99_ms'])} | {errors_cell(phase)} | "
            f"{cache_cell(phase['cache'], phase.get('max_stale_age_s', 0), repeats)} |"
        )
        for system, base, label_ratio in RATIOS:
            if key == base and system in phases:
                a, b = phases[system], phases[base]
                out.append(
                    f"| {label_ratio} | {ratio_cell(a['rate'], b['rate'])} | "
                    f"{ratio_cell(a['p50_ms'], b['p50_ms'])}x | "
                    f"{ratio_cell(a['p99_ms'], b['p99_ms'])}x | | |"
                )
    if writes := results.get("writes"):
        out.append(
            f"| writes during the peak: PUT at {writes['target_rate']:g}/s through the write API "
            f"(longest wait for a connection {writes['max_wait_ms']:,.0f} ms) "
            f"| {writes['rate']:,.1f} | {ms_cell(writes['p50_ms'])} | "
            f"{ms_cell(writes['p99_ms'])} | "
            f"{writes['failed']:,} of {writes['sent']:,} | |"
        )
    return out
