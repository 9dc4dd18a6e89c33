"""MongoDB round trips per product: the processes' command counters, before and after a run.

The write API and the workers count every command they send
(`catalog_mongo_commands_total`, see catalog.mongo_commands). A benchmark
scrapes both /metrics endpoints around its run and divides the difference by
the products it wrote. Whatever else the system does meanwhile (the sweeper,
an audit) is counted too, so the figures are an upper bound.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families

METRIC = "catalog_mongo_commands"
Commands = Counter[tuple[str, str]]


@dataclass(frozen=True)
class Process:
    """One process's /metrics, and what to call it in the table."""

    name: str
    url: str


async def scrape(client: httpx.AsyncClient, url: str) -> Commands:
    """The command counts a /metrics endpoint shows, by (command, collection)."""
    response = await client.get(url)
    response.raise_for_status()
    counts: Commands = Counter()
    for family in text_string_to_metric_families(response.text):
        if family.name != METRIC:
            continue
        for sample in family.samples:
            if sample.name.endswith("_total"):
                key = (sample.labels["command"], sample.labels["collection"])
                counts[key] += int(sample.value)
    return counts


async def snapshot(processes: list[Process]) -> dict[str, Commands]:
    """Every process's counts now."""
    async with httpx.AsyncClient(timeout=10) as client:
        return {p.name: await scrape(client, p.url) for p in processes}


def per_product_rows(
    before: dict[str, Commands], after: dict[str, Commands], products: int
) -> list[str]:
    """Markdown rows: commands per product for each process, the biggest kinds named."""
    rows = []
    for name, counts in after.items():
        spent = counts - before.get(name, Counter())
        total = sum(spent.values())
        kinds = ", ".join(
            f"{command} {collection or '-'} {count / products:.2f}"
            for (command, collection), count in spent.most_common(6)
        )
        rows.append(f"| MongoDB commands per product, {name} | {total / products:.2f} ({kinds}) |")
    return rows
