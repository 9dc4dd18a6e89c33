"""Bulk import: NDJSON lines in, batched MongoDB bulk writes, one result per line out.

Lines are validated one by one (a bad line fails alone), collected into
batches, and each batch costs three round trips: read the current documents,
one unordered bulk write, copy the change entries to the change log. While
batches are mostly new products (an import) the read is skipped: the
upserts are tried as inserts, and only the ids that already exist are read
and written again. Index tasks go out per batch, not per line, carrying the
states written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from catalog.clock import now_ms
from catalog.products.model import BulkDelete, BulkLine, BulkUpsert
from catalog.products.mutations import Mutation, plan_delete, plan_upsert
from catalog.products.pipeline import WritePipeline
from catalog.products.storage import Document, is_live

LINE = TypeAdapter(BulkLine)
Op = BulkUpsert | BulkDelete


@dataclass(slots=True)
class LineResult:
    """The outcome of one bulk line."""

    line: int
    status: str
    id: str | None = None
    op: str | None = None
    version: int | None = None
    error: dict[str, Any] | None = None

    def encode(self) -> bytes:
        """One NDJSON line."""
        data = {
            k: v
            for k, v in (
                ("line", self.line),
                ("id", self.id),
                ("op", self.op),
                ("status", self.status),
                ("version", self.version),
                ("error", self.error),
            )
            if v is not None
        }
        return orjson.dumps(data) + b"\n"


def _field_path(loc: tuple[Any, ...]) -> str:
    # drop the discriminator's tag ("upsert"/"delete") pydantic puts in the location
    parts = [str(p) for p in loc if p not in ("upsert", "delete")]
    return ".".join(parts)


def parse_line(number: int, raw: bytes | None, max_bytes: int) -> Op | LineResult:
    """A validated operation, or the error result of this line."""
    if raw is None:
        return LineResult(number, "error", error={"message": f"line longer than {max_bytes} bytes"})
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return LineResult(number, "error", error={"message": f"invalid JSON: {exc}"})
    guess_id = None
    if isinstance(data, dict):
        product = data.get("product")
        guess_id = data.get("id") or (product.get("id") if isinstance(product, dict) else None)
    try:
        return LINE.validate_python(data)
    except ValidationError as exc:
        fields = [
            {
                "path": "op" if e["type"].startswith("union_tag") else _field_path(e["loc"]),
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
        return LineResult(
            number,
            "error",
            id=guess_id if isinstance(guess_id, str) else None,
            op=data.get("op")
            if isinstance(data, dict) and isinstance(data.get("op"), str)
            else None,
            error={"message": "invalid line", "fields": fields},
        )


def _op_id(op: Op) -> str:
    return op.product.id if isinstance(op, BulkUpsert) else op.id


@dataclass(slots=True)
class BulkImporter:
    """Runs one bulk request: lines in, result lines out, in line order."""

    pipeline: WritePipeline
    actor: str
    batch_size: int
    max_line_bytes: int
    counts: Counter[str] = field(default_factory=Counter)
    # whether the next batch is expected to hold mostly new products (see _flush)
    expect_new: bool = True

    async def run(self, lines: AsyncIterator[tuple[int, bytes | None]]) -> AsyncIterator[bytes]:
        """Process every line; yield one result line each, then the summary."""
        batch: list[tuple[int, Op | LineResult]] = []
        ids: set[str] = set()
        async for number, raw in lines:
            parsed = parse_line(number, raw, self.max_line_bytes)
            if not isinstance(parsed, LineResult):
                product_id = _op_id(parsed)
                if product_id in ids:  # a second change of one product waits for the first
                    for result in await self._flush(batch):
                        yield result
                    batch, ids = [], set()
                ids.add(product_id)
            batch.append((number, parsed))
            if len(batch) >= self.batch_size:
                for result in await self._flush(batch):
                    yield result
                batch, ids = [], set()
        for result in await self._flush(batch):
            yield result

    def _plan(
        self,
        ops: list[tuple[int, Op]],
        current: dict[str, Document],
        results: dict[int, LineResult],
    ) -> dict[int, Mutation]:
        """Plans by line number against these states (absent: the product is new)."""
        now = now_ms()
        planned: dict[int, Mutation] = {}
        for number, op in ops:
            doc = current.get(_op_id(op))
            if isinstance(op, BulkUpsert):
                public = op.product.model_dump(mode="json", exclude_none=True, exclude={"id"})
                planned[number] = plan_upsert(
                    op.product.id, doc, public, op="bulk_upsert", actor=self.actor, now=now
                )
            elif is_live(doc):
                assert doc is not None
                planned[number] = plan_delete(op.id, doc, actor=self.actor, now=now)
            else:
                results[number] = LineResult(number, "not_found", id=op.id, op="delete")
        return planned

    def summary(self, aborted: str | None = None, *, retryable: bool = False) -> bytes:
        """The last line of the answer; `retryable`: the lines not answered may be sent again
        (a dependency failed, not the request)."""
        keys = ("created", "updated", "unchanged", "deleted", "not_found", "error")
        summary: dict[str, Any] = {"lines": sum(self.counts.values())}
        summary.update({("errors" if k == "error" else k): self.counts[k] for k in keys})
        if aborted:
            summary["aborted"] = aborted
            summary["retryable"] = retryable
        return orjson.dumps({"summary": summary}) + b"\n"

    async def _flush(self, batch: list[tuple[int, Op | LineResult]]) -> list[bytes]:
        if not batch:
            return []
        ops = [(n, op) for n, op in batch if not isinstance(op, LineResult)]
        results: dict[int, LineResult] = {}
        # optimistic: upserts are tried as inserts without reading first; only
        # the ids that turn out to exist are read, planned again and written
        guess_new = self.expect_new
        to_read = [_op_id(op) for _, op in ops if not (guess_new and isinstance(op, BulkUpsert))]
        current = await self.pipeline.store.get_many(to_read) if to_read else {}
        planned = self._plan(ops, current, results)
        applied = await self.pipeline.write(list(planned.values()))
        if guess_new:  # the inserts that found their id taken: read, plan and write again
            conflicted = [
                (n, op)
                for n, op in ops
                if n in planned
                and planned[n].expected_version is None
                and planned[n].product_id not in applied
            ]
            if conflicted:
                existing = await self.pipeline.store.get_many([_op_id(op) for _, op in conflicted])
                replanned = self._plan(conflicted, existing, results)
                applied |= await self.pipeline.write(list(replanned.values()))
                planned.update(replanned)
        inserted = sum(1 for m in planned.values() if m.expected_version is None)
        self.expect_new = inserted * 2 >= len(ops)
        for number, op in ops:
            mutation = planned.get(number)
            if mutation is None:
                continue
            if mutation.write is None or mutation.product_id in applied:
                results[number] = LineResult(
                    number,
                    mutation.outcome,
                    id=mutation.product_id,
                    op=op.op,
                    version=mutation.version,
                )
            else:
                results[number] = LineResult(
                    number,
                    "error",
                    id=mutation.product_id,
                    op=op.op,
                    error={"message": "the product changed concurrently; send this line again"},
                )
        await self.pipeline.publish(list(planned.values()), applied)
        out = []
        for number, item in batch:
            result = item if isinstance(item, LineResult) else results[number]
            self.counts[result.status] += 1
            out.append(result.encode())
        return out
