"""`/v1/rules` on the write API: versions, ETags, If-Match, Idempotency-Key, bulk, 422 paths."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson

from tests.e2e.merchandising.conftest import IDS


def rule_body(**consequence: Any) -> dict[str, Any]:
    return {
        "conditions": [{"pattern": "nothing-searches-this", "context": "write-api-e2e"}],
        "consequence": consequence or {"userData": {"banner": "x"}},
    }


def unique() -> str:
    return f"w-{uuid.uuid4().hex[:12]}"


def test_create_replace_conditional_and_delete(
    write_api: httpx.Client, merch_catalog: list[str]
) -> None:
    rule_id = unique()
    created = write_api.post("/v1/rules", json={**rule_body(), "objectID": rule_id})
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/v1/rules/{rule_id}"
    assert created.json()["version"] == 1
    assert write_api.post("/v1/rules", json={**rule_body(), "objectID": rule_id}).status_code == 409

    changed = rule_body(promote=[{"objectID": IDS[0], "position": 0}])
    stale = write_api.put(f"/v1/rules/{rule_id}", json=changed, headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    replaced = write_api.put(f"/v1/rules/{rule_id}", json=changed, headers={"If-Match": '"1"'})
    assert replaced.status_code == 200, replaced.text
    assert replaced.headers["etag"] == '"2"'
    read = write_api.get(f"/v1/rules/{rule_id}")
    assert read.json()["consequence"]["promote"] == [{"objectID": IDS[0], "position": 0}]
    assert read.headers["etag"] == '"2"'
    listed = write_api.get("/v1/rules").json()["items"]
    assert rule_id in [item["objectID"] for item in listed]

    deleted = write_api.delete(f"/v1/rules/{rule_id}", headers={"If-Match": '"2"'})
    assert deleted.status_code == 200
    assert deleted.json()["version"] == 3
    assert write_api.get(f"/v1/rules/{rule_id}").status_code == 404
    assert write_api.delete(f"/v1/rules/{rule_id}").status_code == 404


def test_an_idempotency_key_replays_the_first_answer(write_api: httpx.Client) -> None:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    body = rule_body()
    first = write_api.post("/v1/rules", json=body, headers=headers)
    again = write_api.post("/v1/rules", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["objectID"] == first.json()["objectID"]
    write_api.delete(f"/v1/rules/{first.json()['objectID']}")


def test_bad_rules_get_422_with_field_paths(
    write_api: httpx.Client, merch_catalog: list[str]
) -> None:
    def locs(body: dict[str, Any]) -> list[list[Any]]:
        response = write_api.put(f"/v1/rules/{unique()}", json=body)
        assert response.status_code == 422, response.text
        return [error["loc"] for error in response.json()["detail"]]

    assert locs({**rule_body(), "priority": 3}) == [["body", "priority"]]
    assert locs(rule_body(promote=[{"objectID": "NO-SUCH-PRODUCT", "position": 0}])) == [
        ["body", "consequence", "promote", 0, "objectID"]
    ]
    two = [{"objectID": IDS[0], "position": 1}, {"objectIDs": [IDS[1], IDS[2]], "position": 0}]
    assert locs(rule_body(promote=two)) == [["body"]]
    window = {"from": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}
    assert locs({**rule_body(), "validity": [window]}) == [["body", "validity", 0]]
    assert locs(rule_body(userData="x" * 20_000)) == [["body", "consequence", "userData"]]


def test_an_editor_key_is_needed(write_api: httpx.Client, keys: Any) -> None:
    assert write_api.get("/v1/rules", headers={"Authorization": ""}).status_code == 401
    analyst = {"Authorization": f"Bearer {keys.analyst}"}
    assert write_api.post("/v1/rules", json=rule_body(), headers=analyst).status_code == 403


def test_bulk_answers_every_line_and_a_bad_line_fails_alone(
    write_api: httpx.Client, merch_catalog: list[str]
) -> None:
    good, other = unique(), unique()
    lines = [
        {"op": "upsert", "rule": {**rule_body(), "objectID": good}},
        {"op": "upsert", "rule": {**rule_body(), "objectID": other, "typo": 1}},
        {
            "op": "upsert",
            "rule": {**rule_body(promote=[{"objectID": "NOPE", "position": 0}]), "objectID": other},
        },
        {"op": "delete", "id": good},
    ]
    body = b"".join(orjson.dumps(line) + b"\n" for line in lines)
    response = write_api.post(
        "/v1/rules:bulk", content=body, headers={"Content-Type": "application/x-ndjson"}
    )
    assert response.status_code == 200, response.text
    answers = [orjson.loads(line) for line in response.content.splitlines()]
    assert [a.get("status") for a in answers[:4]] == ["created", "invalid", "invalid", "deleted"]
    assert answers[1]["error"][0]["loc"] == ["upsert", "rule", "typo"]
    assert answers[2]["error"][0]["loc"] == ["rule", "consequence", "promote", 0, "objectID"]
    assert answers[4] == {"summary": {"lines": 4, "created": 1, "invalid": 2, "deleted": 1}}
    as_json = write_api.post("/v1/rules:bulk", json=[{"op": "delete", "id": good}])
    assert orjson.loads(as_json.content.splitlines()[0])["status"] == "failed"
