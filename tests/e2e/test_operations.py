"""Both APIs over HTTP: liveness, readiness, metrics, OpenAPI docs, request ids, JSON logs."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import orjson

from tests.stack import wait_for

Api = tuple[str, httpx.Client]


def test_healthz_answers_without_touching_dependencies(api: Api) -> None:
    _, client = api
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_every_dependency_ready(api: Api) -> None:
    _, client = api
    response = client.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert body["failing"] == []
    assert set(body["checks"]) == {"mongodb", "elasticsearch", "redis"}
    assert all(check["ok"] for check in body["checks"].values())


def test_metrics_count_requests_by_route_template(api: Api) -> None:
    name, client = api
    client.get("/healthz")
    client.get(f"/no-such-page-{uuid.uuid4().hex}")
    text = client.get("/metrics").text
    assert (
        f'catalog_http_requests_total{{api="{name}",method="GET",route="/healthz",status="200"}}'
        in text
    )
    # unknown paths share one label instead of growing the series without bound
    assert f'api="{name}",method="GET",route="<unmatched>",status="404"' in text
    assert "catalog_http_request_duration_seconds_bucket" in text


def test_openapi_schema_and_docs_are_served(api: Api) -> None:
    name, client = api
    schema = client.get("/openapi.json").json()
    assert name.split("_")[0] in schema["info"]["title"]
    assert {"/healthz", "/readyz"} <= set(schema["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text.lower()


def test_request_id_is_echoed_and_lands_in_the_json_access_log(
    api: Api, devstack_dir: Path
) -> None:
    name, client = api
    request_id = f"e2e-{uuid.uuid4().hex}"
    response = client.get("/healthz", headers={"X-Request-ID": request_id})
    assert response.headers["x-request-id"] == request_id
    minted = client.get("/healthz").headers["x-request-id"]
    assert minted
    assert minted != request_id

    log_file = devstack_dir / "logs" / f"{name}.log"

    def logged() -> bool:
        return request_id in log_file.read_text()

    wait_for(logged, 10, f"an access line for {request_id} in {log_file}")
    line = next(line for line in log_file.read_text().splitlines() if request_id in line)
    entry = orjson.loads(line)
    assert entry["logger"] == "catalog.access"
    assert entry["request_id"] == request_id
    assert (entry["method"], entry["route"], entry["status"]) == ("GET", "/healthz", 200)
    assert entry["api"] == name
