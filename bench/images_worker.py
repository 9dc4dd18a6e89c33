"""The image pipeline of the running stack: upload latency, and the images worker's rate and memory.

One run, on products of its own (`bench-img-<run>-<n>`):
1. the images worker stops taking tasks from its queue (Celery's
   `cancel_consumer`), so the uploads are timed alone and the worker's work
   is timed alone after them;
2. each photo is uploaded (`POST /v1/products/{id}/images`, raw JPEG), one
   after the other, each timed from the first byte sent to the answer;
3. the worker takes its queue again (`add_consumer`); the run waits until
   every product's image lists its thumbnails (through the write API, in the
   order the tasks were queued), sampling the resident memory of the worker's
   processes all along.
The worker is given its queue back whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.rss import RssPeak, sample_processes
from bench.sync_target import Target
from workers.celery_app import app as celery_app

IMAGES_QUEUE = "images"
POLL_S = 0.05


@dataclass
class WorkerRun:
    """What the system part measured."""

    upload_s: list[float] = field(default_factory=list)  # per upload, in order
    image_ids: dict[str, str] = field(default_factory=dict)  # product id -> image id
    thumbnails: int = 0  # listed in the products once done
    done_s: list[float] = field(default_factory=list)  # per product, since the queue was back

    @property
    def steady_s(self) -> float:
        """From the first product's thumbnails to the last's: the worker's pace, without the
        second or so Celery takes to consume a queue again, nor the first task's start."""
        return self.done_s[-1] - self.done_s[0]

    rss: dict[str, RssPeak] = field(default_factory=dict)  # per worker process, by role


def product_body(n: int) -> dict[str, object]:
    """A bench product without images."""
    return {"title": f"Bildbenchmark {n}", "price": 9.99, "stock": 1, "brand": "Bench"}


def _pids_of_tree(pid: int) -> list[int]:
    """A process and its descendants (the supervisor, Celery's main process, its pool)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(FileNotFoundError):  # a process may end meanwhile
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(child) for child in children)
    return found


def _celery_processes(supervisor_pid: int) -> dict[str, int]:
    """The worker's Celery processes by role: `main` and `pool-<n>`."""
    roles: dict[str, int] = {}
    lines = {p: _cmdline(p) for p in _pids_of_tree(supervisor_pid)}
    pids = [p for p, line in lines.items() if b"celery" in line and b"supervise" not in line]
    main = [p for p in pids if _parent(p) not in pids]
    for n, pid in enumerate(sorted(p for p in pids if p not in main), start=1):
        roles[f"pool-{n}"] = pid
    roles.update({"main": main[0]} if main else {})
    return roles


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except FileNotFoundError:
        return 0


@dataclass
class PausedQueue:
    """The images workers that stopped taking tasks; `resume()` gives them their queue back."""

    workers: list[str]
    resumed: bool = False

    def resume(self) -> None:
        """Let the workers take tasks again (once)."""
        if not self.resumed:
            celery_app.control.add_consumer(
                IMAGES_QUEUE, destination=self.workers, reply=True, timeout=5
            )
            self.resumed = True


@contextlib.contextmanager
def queue_paused() -> Iterator[PausedQueue]:
    """The images workers take no task inside, until `resume()`; resumed on leaving anyway."""
    replies = celery_app.control.cancel_consumer(IMAGES_QUEUE, reply=True, timeout=5)
    paused = PausedQueue([name for reply in replies or [] for name in reply])
    if not paused.workers:
        raise RuntimeError("no Celery worker consumes the images queue: is the stack up?")
    try:
        yield paused
    finally:
        paused.resume()


async def _has_thumbnails(target: Target, product_id: str, image_id: str) -> int:
    answer = await target.write.get(f"/v1/products/{product_id}")
    answer.raise_for_status()
    for image in answer.json().get("images", []):
        if image.get("id") == image_id:
            return len(image.get("thumbnails") or [])
    raise RuntimeError(f"{product_id} lost its image {image_id}")


async def run_pipeline(
    target: Target, prefix: str, photos: list[bytes], supervisor_pid: int, timeout_s: float
) -> WorkerRun:
    """Create the products, time the uploads, then time the worker's thumbnails of them."""
    run = WorkerRun()
    ids = [f"{prefix}{n:04d}" for n in range(len(photos))]
    for n, product_id in enumerate(ids):
        created = await target.write.put(f"/v1/products/{product_id}", json=product_body(n))
        created.raise_for_status()
    with queue_paused() as paused:
        for product_id, photo in zip(ids, photos, strict=True):
            started = time.perf_counter()
            answer = await target.write.post(
                f"/v1/products/{product_id}/images",
                content=photo,
                headers={"Content-Type": "image/jpeg"},
            )
            run.upload_s.append(time.perf_counter() - started)
            answer.raise_for_status()
            run.image_ids[product_id] = answer.json()["id"]
        async with sample_processes(lambda: _celery_processes(supervisor_pid)) as rss:
            run.rss = rss
            started = time.perf_counter()
            await asyncio.to_thread(paused.resume)
            # the tasks run in the order they were sent: wait for each in turn
            for product_id in ids:
                run.thumbnails += await _wait_for_thumbnails(
                    target, product_id, run.image_ids[product_id], started + timeout_s
                )
                run.done_s.append(time.perf_counter() - started)
    return run


async def _wait_for_thumbnails(
    target: Target, product_id: str, image_id: str, deadline: float
) -> int:
    while not (made := await _has_thumbnails(target, product_id, image_id)):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no thumbnails for {product_id} in time")
        await asyncio.sleep(POLL_S)
    return made
