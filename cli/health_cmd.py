"""`catalog health` and `catalog config`: where the system connects, and whether it answers."""

from __future__ import annotations

import time
import uuid
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from catalog.clients import Clients
from catalog.health import CheckResult, check_dependencies
from catalog.settings import get_settings
from cli.clients import run_with_clients

console = Console()


async def _dependencies(
    clients: Clients, timeout_s: float
) -> tuple[list[CheckResult], float | None]:
    from workers.tasks.diagnostics import HEARTBEAT_KEY

    results = await check_dependencies(clients, timeout_s)
    beat: float | None = None
    if next(r for r in results if r.name == "redis").ok:
        raw = await clients.redis.get(HEARTBEAT_KEY)
        beat = time.time() - float(raw) if raw else None
    return results, beat


def _probe_worker(timeout_s: float) -> CheckResult:
    from workers.tasks.diagnostics import probe

    nonce = uuid.uuid4().hex
    started = time.perf_counter()
    try:
        answer = probe.apply_async((nonce,), expires=timeout_s).get(timeout=timeout_s)
        ok = answer.get("nonce") == nonce
        detail = f"ran on {answer.get('hostname')} pid {answer.get('pid')}"
    except Exception as exc:  # any failure means the pipeline is not working
        ok, detail = False, f"{type(exc).__name__}: {exc}"[:200]
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    return CheckResult("celery worker", ok, elapsed, detail)


def health(
    timeout: Annotated[float, typer.Option(help="seconds to wait for each check")] = 5.0,
    worker: Annotated[bool, typer.Option(help="also send a probe task to a worker")] = True,
) -> None:
    """Check MongoDB, Elasticsearch, Redis and (optionally) a Celery worker; exit 1 if any fails."""
    results, beat_age = run_with_clients(lambda clients: _dependencies(clients, timeout))
    if worker:
        results.append(_probe_worker(timeout))
    table = Table(title="catalog-search dependencies")
    for column in ("service", "status", "latency ms", "detail"):
        table.add_column(column)
    for r in results:
        status = "[green]ok[/]" if r.ok else "[red]FAILING[/]"
        table.add_row(r.name, status, f"{r.latency_ms:g}", r.detail)
    console.print(table)
    if beat_age is not None:
        console.print(f"last beat heartbeat ran {beat_age:.0f}s ago")
    else:
        console.print("no beat heartbeat recorded in the last 2 minutes")
    if not all(r.ok for r in results):
        raise typer.Exit(1)


def show_config() -> None:
    """Print the effective settings (from the environment and .env)."""
    settings = get_settings()
    table = Table(title="effective settings")
    table.add_column("variable")
    table.add_column("value")
    for name, value in settings.model_dump().items():
        table.add_row(f"CATALOG_{name.upper()}", _redact(str(value)))
    console.print(table)


def _redact(value: str) -> str:
    """Hide the password part of a URL."""
    if "://" in value and "@" in value:
        scheme, rest = value.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return value
