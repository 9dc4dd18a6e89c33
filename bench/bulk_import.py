"""Bulk import through the write API vs. the same documents sent straight to MongoDB.

    .venv/bin/python -m bench.bulk_import --count 100000

Runs against the `make up` stack. Both sides get the same demo products (ids
prefixed per run, so every line creates a product) in batches of the same
size: the API in one streamed NDJSON request, the baseline with `insert_many`
into a scratch collection of the same database. The API process's resident
memory is sampled during its run. Bench products are removed afterwards.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import orjson
import typer
from pymongo import AsyncMongoClient, DeleteOne

from bench.mongo_round_trips import Process, per_product_rows, snapshot
from bench.rss import sample_rss
from catalog.apikeys import create_key
from catalog.demo.generator import generate_products
from catalog.mongo_server import bulk_write_chunked
from catalog.products.model import ProductCreate
from catalog.products.mutations import change_id
from catalog.products.storage import CHANGES, PRODUCTS, to_storage
from catalog.settings import get_settings

app = typer.Typer(add_completion=False)
ROOT = Path(__file__).resolve().parent.parent


def _products(count: int, seed: int, prefix: str) -> Iterator[dict[str, Any]]:
    for product in generate_products(count, seed):
        yield {**product, "id": f"{prefix}{product['id']}"}


async def _baseline(db: Any, products: list[dict[str, Any]], batch: int) -> float:
    """Seconds to insert the documents in batches, straight into MongoDB."""
    scratch = db[f"bench_baseline_{uuid.uuid4().hex[:8]}"]
    docs = [
        {"_id": p["id"], **to_storage(ProductCreate.model_validate(p).public_dict())}
        for p in products
    ]
    for doc in docs:
        doc.pop("id", None)
    started = time.perf_counter()
    for start in range(0, len(docs), batch):
        await scratch.insert_many(docs[start : start + batch], ordered=False)
    elapsed = time.perf_counter() - started
    await scratch.drop()
    return elapsed


async def _through_api(url: str, key: str, lines: list[bytes], pid: int) -> dict[str, Any]:
    async def body() -> AsyncIterator[bytes]:
        for start in range(0, len(lines), 1000):
            yield b"".join(lines[start : start + 1000])

    summary: dict[str, Any] = {}
    async with (
        sample_rss(pid) as rss,
        httpx.AsyncClient(timeout=httpx.Timeout(600, connect=10)) as client,
    ):
        started = time.perf_counter()
        async with client.stream(
            "POST",
            f"{url}/v1/products:bulk",
            content=body(),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/x-ndjson"},
        ) as response:
            response.raise_for_status()
            async for line in response.aiter_lines():
                if line.startswith('{"summary"'):
                    summary = orjson.loads(line)["summary"]
        elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "summary": summary,
        "rss_before": rss.before_kib,
        "rss_peak": rss.peak_kib,
    }


async def _cleanup(db: Any, ids: list[str]) -> None:
    # by exact ids in small commands: FerretDB turns one large delete into one SQL
    # statement with a variable per document, which SQLite refuses
    for collection, keys in ((PRODUCTS, ids), (CHANGES, [change_id(i, 1) for i in ids])):
        await bulk_write_chunked(db[collection], [DeleteOne({"_id": k}) for k in keys])


async def run(count: int, seed: int, batch: int) -> None:
    """Run both sides and print a markdown table."""
    settings = get_settings()
    prefix = f"BENCH{uuid.uuid4().hex[:6]}-"
    products = list(_products(count, seed, prefix))
    lines = [orjson.dumps({"op": "upsert", "product": p}) + b"\n" for p in products]
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(str(settings.mongo_url))
    db = client[settings.mongo_db]
    pid = int((ROOT / ".devstack" / "run" / "write_api.pid").read_text())
    key = await create_key(db, "editor", "bench")
    url = f"http://127.0.0.1:{settings.write_api_port}"
    try:
        baseline_s = await _baseline(db, products, batch)
        processes = [Process("write API", f"{url}/metrics")]
        before = await snapshot(processes)
        api = await _through_api(url, key, lines, pid)
        _report(count, batch, baseline_s, api)
        print("\n".join(per_product_rows(before, await snapshot(processes), count)))
    finally:
        await _cleanup(db, [p["id"] for p in products])
        await client.close()


def _report(count: int, batch: int, baseline_s: float, api: dict[str, Any]) -> None:
    created = api["summary"].get("created", 0)
    api_rate, base_rate = count / api["seconds"], count / baseline_s
    print(f"| products | {count:,} (created through the API: {created:,}) |")
    print("| --- | --- |")
    print(
        f"| write API bulk, one streamed request | {api['seconds']:.1f} s, "
        f"{api_rate:,.0f} products/s |"
    )
    print(
        f"| baseline: insert_many, batches of {batch} | {baseline_s:.1f} s, "
        f"{base_rate:,.0f} products/s |"
    )
    print(f"| ratio (API / baseline throughput) | {api_rate / base_rate:.2f} |")
    print(
        f"| write API RSS before / peak | {api['rss_before'] / 1024:.0f} MiB / "
        f"{api['rss_peak'] / 1024:.0f} MiB |"
    )


@app.command()
def main(
    count: Annotated[int, typer.Option(min=1)] = 100_000,
    seed: Annotated[int, typer.Option()] = 1001,
    batch: Annotated[int, typer.Option(min=1)] = 500,
) -> None:
    """Bulk import benchmark (needs `make up`)."""
    asyncio.run(run(count, seed, batch))


if __name__ == "__main__":
    app()
