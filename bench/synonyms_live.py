"""Synonyms: how soon a synonym set written over HTTP changes search answers, and its delete.

    .venv/bin/python -m bench.synonyms_live [--rounds 10]

Against the running stack (`make up`; URLs and MongoDB from the CATALOG_*
settings, an editor key made for the run and revoked after). Two products
with made-up words are written and waited for; then, each round, a two-way
set naming both words is PUT, and the native search for the first word
(through the cache, as shoppers search) is polled every 20 ms until it finds
both products; then the set is deleted and polled until it finds one again.
Prints both latencies from the write's answer, per round and their
percentiles. The run's products and sets are deleted afterwards.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Annotated

import httpx
import typer

from bench.sync import Endpoints
from bench.sync_lag import percentile
from bench.sync_target import Target, open_target
from catalog.settings import get_settings

app = typer.Typer(add_completion=False)
POLL_S = 0.02
TIMEOUT_S = 30.0


def made_up_word() -> str:
    """Letters no catalog has."""
    return "qz" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:10])


async def _found(read: httpx.AsyncClient, word: str) -> set[str]:
    answer = await read.get("/v1/search", params={"q": word})
    answer.raise_for_status()
    return {hit["id"] for hit in answer.json()["hits"]}


async def _until(read: httpx.AsyncClient, word: str, wanted: set[str], since: float) -> float:
    while await _found(read, word) != wanted:
        if time.perf_counter() - since > TIMEOUT_S:
            raise TimeoutError(f"{word}: not {wanted} after {TIMEOUT_S} s")
        await asyncio.sleep(POLL_S)
    return time.perf_counter() - since


async def _rounds(
    target: Target, read: httpx.AsyncClient, rounds: int
) -> list[tuple[float, float]]:
    first, second = made_up_word(), made_up_word()
    ids = [f"BENCH-SYN-{w}" for w in (first, second)]
    for product_id, word in zip(ids, (first, second), strict=True):
        body = {"title": f"{word.capitalize()} Hülle", "price": 5.0, "stock": 1}
        (await target.write.put(f"/v1/products/{product_id}", json=body)).raise_for_status()
    try:
        await _until(read, first, {ids[0]}, time.perf_counter())
        await _until(read, second, {ids[1]}, time.perf_counter())
        timings = []
        set_id = f"bench-{uuid.uuid4().hex[:10]}"
        for _ in range(rounds):
            written = await target.write.put(
                f"/v1/synonyms/{set_id}", json={"synonyms": [first, second]}
            )
            written.raise_for_status()
            live = await _until(read, first, set(ids), time.perf_counter())
            (await target.write.delete(f"/v1/synonyms/{set_id}")).raise_for_status()
            gone = await _until(read, first, {ids[0]}, time.perf_counter())
            timings.append((live, gone))
        return timings
    finally:
        for product_id in ids:
            await target.write.delete(f"/v1/products/{product_id}")


async def _run(rounds: int) -> list[tuple[float, float]]:
    settings = get_settings()
    where = Endpoints.from_options(
        settings, write_url=None, read_url=None, es_url=None, mongo_url=None,
        mongo_db=None, index_prefix=None, key=None,
    )  # fmt: skip
    async with (
        open_target(where, 2, "bench synonyms") as target,
        httpx.AsyncClient(base_url=where.read_url, timeout=30) as read,
    ):
        return await _rounds(target, read, rounds)


@app.command()
def main(rounds: Annotated[int, typer.Option(min=1)] = 10) -> None:
    """Measure and print the table."""
    timings = asyncio.run(_run(rounds))
    live = [t[0] * 1000 for t in timings]
    gone = [t[1] * 1000 for t in timings]
    print("| synonyms, from the write's answer to the changed search answer | ms |")
    print("| --- | --- |")
    for name, values in (("set written", live), ("set deleted", gone)):
        cells = ", ".join(f"{v:.0f}" for v in values)
        print(
            f"| {name} ({len(values)} rounds) | p50 {percentile(values, 50):.0f}, "
            f"max {max(values):.0f} ({cells}) |"
        )


if __name__ == "__main__":
    app()
