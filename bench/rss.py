"""Sampling the resident memory of processes while a benchmark runs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
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
async def sample_processes(
    find: Callable[[], Mapping[str, int]], every_s: float = 0.05
) -> AsyncIterator[dict[str, RssPeak]]:
    """Sample the RSS of processes by name (`find()` asked each time: they may come and go)."""
    peaks: dict[str, RssPeak] = {}

    def sample() -> None:
        for name, pid in find().items():
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                kib = rss_kib(pid)
                peak = peaks.setdefault(name, RssPeak(before_kib=kib))
                peak.peak_kib = max(peak.peak_kib, kib)

    async def keep_sampling() -> None:
        while True:
            sample()
            await asyncio.sleep(every_s)

    sample()
    task = asyncio.create_task(keep_sampling())
    try:
        yield peaks
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sample()


@contextlib.asynccontextmanager
async def sample_rss(pid: int, every_s: float = 0.05) -> AsyncIterator[RssPeak]:
    """Sample one process's RSS in the background for the duration of the block."""
    async with sample_processes(lambda: {"": pid}, every_s) as peaks:
        yield peaks[""]
