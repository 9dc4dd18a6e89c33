"""Liveness and readiness routes shared by both APIs."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel

from catalog.health import check_dependencies
from catalog.web.deps import ClientsDep

router = APIRouter(tags=["operations"])


class Liveness(BaseModel):
    """The process is up and serving HTTP."""

    status: Literal["ok"] = "ok"


class DependencyCheck(BaseModel):
    """One dependency's probe result."""

    ok: bool
    latency_ms: float
    detail: str


class Readiness(BaseModel):
    """Whether every dependency answered, and which did not."""

    status: Literal["ready", "unavailable"]
    failing: list[str]
    checks: dict[str, DependencyCheck]


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> Liveness:
    """Answer 200 whenever the process can serve HTTP; touches no dependency."""
    return Liveness()


@router.get(
    "/readyz",
    summary="Readiness: MongoDB, Elasticsearch and Redis all answer",
    responses={503: {"model": Readiness, "description": "a dependency is failing"}},
)
async def readyz(clients: ClientsDep, response: Response) -> Readiness:
    """Probe every dependency; 503 names the ones that failed."""
    results = await check_dependencies(clients)
    failing = [r.name for r in results if not r.ok]
    if failing:
        response.status_code = 503
        response.headers["Retry-After"] = str(clients.settings.retry_after_s)
    return Readiness(
        status="unavailable" if failing else "ready",
        failing=failing,
        checks={
            r.name: DependencyCheck(ok=r.ok, latency_ms=r.latency_ms, detail=r.detail)
            for r in results
        },
    )
