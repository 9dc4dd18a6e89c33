"""Splitting a streamed body into lines, whatever the chunk boundaries."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from write_api.ndjson import Spool, split_lines


async def _chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def _lines(data: bytes, size: int, limit: int = 100) -> list[tuple[int, bytes | None]]:
    return [item async for item in split_lines(_chunks(data, size), limit)]


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64, 10_000])
async def test_lines_are_the_same_for_every_chunking(chunk_size: int) -> None:
    body = b'{"a":1}\n\n{"b":2}\r\n  \n{"c":3}'
    assert await _lines(body, chunk_size) == [(1, b'{"a":1}'), (3, b'{"b":2}'), (5, b'{"c":3}')]


@pytest.mark.parametrize("chunk_size", [1, 5, 1000])
async def test_a_line_over_the_limit_fails_alone_and_is_never_held_whole(chunk_size: int) -> None:
    body = b"short\n" + b"x" * 500 + b"\nafter\n" + b"y" * 500
    assert await _lines(body, chunk_size, limit=100) == [
        (1, b"short"),
        (2, None),
        (3, b"after"),
        (4, None),
    ]


async def test_the_spool_gives_back_everything_written_in_order() -> None:
    spool = Spool()
    parts = [bytes([65 + i % 26]) * 70_000 for i in range(40)]  # past the in-memory size
    for part in parts:
        spool.write(part)
    spool.close()
    assert b"".join([chunk async for chunk in spool.chunks()]) == b"".join(parts)
