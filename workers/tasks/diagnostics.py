"""Tasks that prove the task pipeline works: a probe round trip and a beat heartbeat."""

from __future__ import annotations

import os
import socket
import time
from typing import Any

import redis

from catalog.settings import get_settings
from workers.celery_app import app, schedule_every, task_name

HEARTBEAT_KEY = "catalog:heartbeat:worker"
HEARTBEAT_TTL_S = 120
HEARTBEAT_INTERVAL_S = 15.0
PROBE_TASK = task_name(__name__, "probe")
HEARTBEAT_TASK = task_name(__name__, "heartbeat")


@app.task(name=PROBE_TASK)
def probe(nonce: str) -> dict[str, Any]:
    """Answer with the nonce and who ran it: a broker → worker → result round trip."""
    return {
        "nonce": nonce,
        "hostname": socket.gethostname(),
        "pid": os.getpid(),
        "finished_at": time.time(),
    }


@app.task(name=HEARTBEAT_TASK, ignore_result=True)
def heartbeat() -> None:
    """Record that beat scheduled and a worker ran a task just now."""
    client = redis.Redis.from_url(str(get_settings().redis_url), socket_timeout=2)
    try:
        client.set(HEARTBEAT_KEY, f"{time.time():.3f}", ex=HEARTBEAT_TTL_S)
    finally:
        client.close()


schedule_every(HEARTBEAT_INTERVAL_S, HEARTBEAT_TASK)
