"""The sync benchmark's markdown table rows, ready to paste into docs/benchmarks.md."""

from __future__ import annotations

from bench.sync_lag import LagRun, percentile
from bench.sync_throughput import BaselineRun, SystemRun


def throughput_rows(count: int, batch: int, system: SystemRun, base: BaselineRun) -> list[str]:
    """Bulk through the system until searchable, against both stores written directly."""
    base_s = base.mongo_s + base.es_s
    system_rate, base_rate = count / system.searchable_s, count / base_s
    return [
        f"| products | {count:,} (created through the API: {system.created:,}) |",
        f"| system: one bulk request until all searchable | {system.searchable_s:.1f} s, "
        f"{system_rate:,.0f} products/s (write API answered after {system.answered_s:.1f} s) |",
        f"| baseline: insert_many + _bulk + refresh, batches of {batch} | {base_s:.1f} s, "
        f"{base_rate:,.0f} products/s (MongoDB {base.mongo_s:.1f} s, "
        f"Elasticsearch {base.es_s:.1f} s) |",
        f"| ratio (system / baseline throughput) | {system_rate / base_rate:.2f} |",
    ]


def _ms(values: list[float], *ps: float) -> str:
    return " / ".join(f"{percentile(values, p) * 1000:,.0f}" for p in ps) + " ms"


def lag_rows(rate: float, duration: float, connections: int, pool: int, run: LagRun) -> list[str]:
    """Steady single-product writes: achieved rate, lag until searchable, API latency."""
    ok = run.sent - run.failed
    achieved = ok / run.seconds if run.seconds else 0.0
    rows = [
        f"| steady writes: PUT at {rate:g}/s for {duration:g} s, {connections} connections, "
        f"{pool:,} products | {run.sent:,} sent, {run.failed:,} failed, "
        f"{achieved:,.1f} writes/s achieved, longest wait for a connection "
        f"{run.max_wait_s * 1000:,.0f} ms |",
        f"| lag, write issued until its version is searchable: p50 / p95 / p99 / max | "
        f"{_ms(run.lags, 50, 95, 99, 100)} |",
        f"| lag, write acknowledged until its version is searchable: p50 / p95 / p99 / max | "
        f"{_ms(run.acked_lags, 50, 95, 99, 100)} |",
        f"| write API latency: p50 / p99 | {_ms(run.latencies, 50, 99)} |",
    ]
    if run.shown_lags or run.not_shown:
        rows.insert(
            3,
            "| lag, write acknowledged until the read API's cached product page shows it: "
            f"p50 / p95 / p99 / max | {_ms(run.shown_lags, 50, 95, 99, 100)} |",
        )
    if run.not_shown:
        rows.append(f"| writes the read API did not show when the run ended | {run.not_shown:,} |")
    if run.not_searchable:
        rows.append(f"| writes not searchable when the run ended | {run.not_searchable:,} |")
    return rows
