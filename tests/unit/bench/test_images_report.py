"""The images benchmark's table: rates, the worker's ratio to the bare loop, memory per process."""

from __future__ import annotations

from bench.images import report
from bench.images_worker import WorkerRun
from bench.rss import RssPeak


def test_the_worker_rate_is_taken_after_its_first_photo_and_set_against_the_loop() -> None:
    run = WorkerRun(
        upload_s=[0.2, 0.3, 0.4, 0.5],
        thumbnails=24,
        done_s=[1.5, 2.0, 2.5, 3.0],  # three photos in 1.5 s after the first: 2 photos/s
        rss={"main": RssPeak(100 * 1024, 100 * 1024), "pool-1": RssPeak(90 * 1024, 140 * 1024)},
    )
    rows = report(4, "8x8", (24, 1.0), 50 * 1024, run)  # the loop: 24 thumbnails/s
    assert "| bare loop | 24.0 thumbnails/s (4.00 photos/s)" in rows[1]
    assert "12.0 thumbnails/s (2.00 photos/s: 3 photos in 1.5 s" in rows[3]
    assert rows[4] == "| ratio worker / bare loop | 0.50 |"
    assert rows[-1] == "| worker RSS, pool-1 | 90 MB before, peak 140 MB |"
    assert "p50 300 ms, p95 500 ms, p99 500 ms, max 500 ms" in rows[2]  # nearest rank


def test_without_the_stack_only_the_loop_is_reported() -> None:
    assert len(report(2, "8x8", (12, 2.0), 1024, None)) == 2
