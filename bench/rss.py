"""Sampling a process's resident memory while a benchmark runs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path


def rss_kib(pid: int) -> int:
    """Current resident set size of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


@dataclass
class RssPeak:
    """Resident memory before a run and the highest value seen during it."""

    before_kib: int
    peak_kib: int = 0


@contextlib.asynccontextmanager
async def sample_rss(pid: int, every_s: float = 0.05) -> AsyncIterator[RssPeak]:
    """Sample a process's RSS in the background for the duration of the block."""
    peak = RssPeak(before_kib=rss_kib(pid))
    peak.peak_kib = peak.before_kib

    async def sample() -> None:
        while True:
            peak.peak_kib = max(peak.peak_kib, rss_kib(pid))
            await asyncio.sleep(every_s)

    task = asyncio.create_task(sample())
    try:
        yield peak
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        peak.peak_kib = max(peak.peak_kib, rss_kib(pid))
