"""Bulk import with mixed lines, and who may do what."""

from __future__ import annotations

import httpx
import orjson
import pytest

from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url
from tests.e2e.write_api.conftest import product


def bulk(client: httpx.Client, lines: list[bytes]) -> list[dict[str, object]]:
    response = client.post(
        "/v1/products:bulk",
        content=b"\n".join(lines) + b"\n",
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [orjson.loads(line) for line in response.content.splitlines()]


def test_bulk_with_mixed_lines_answers_each_line_exactly(
    write_api: httpx.Client, product_id: str
) -> None:
    a, b, c = f"{product_id}-A", f"{product_id}-B", f"{product_id}-C"
    lines = [
        orjson.dumps({"op": "upsert", "product": product(a)}),
        b"{not json",
        b"",
        orjson.dumps({"op": "upsert", "product": product(b, price=-1)}),
        orjson.dumps({"op": "delete", "id": c}),
        orjson.dumps({"op": "upsert", "product": product(a, stock=0)}),
        orjson.dumps({"op": "upsert", "product": product(c, colour="rot")}),
        orjson.dumps({"op": "upsert", "product": product(c)}),
        orjson.dumps({"op": "delete", "id": a}),
        orjson.dumps({"op": "upsert", "product": product(c)}),
    ]
    results = bulk(write_api, lines)
    summary = results.pop()
    simplified = [
        (
            r["line"],
            r.get("id"),
            r["status"],
            r.get("version"),
            sorted(f["path"] for f in r["error"].get("fields", [])) if "error" in r else None,
        )
        for r in results
    ]
    assert simplified == [
        (1, a, "created", 1, None),
        (2, None, "error", None, []),
        (4, b, "error", None, ["product.price"]),
        (5, c, "not_found", None, None),
        (6, a, "updated", 2, None),
        (7, c, "error", None, ["product.colour"]),
        (8, c, "created", 1, None),
        (9, a, "deleted", 3, None),
        (10, c, "unchanged", 1, None),
    ]
    assert summary == {
        "summary": {
            "lines": 9,
            "created": 2,
            "updated": 1,
            "unchanged": 1,
            "deleted": 1,
            "not_found": 1,
            "errors": 3,
        }
    }
    assert write_api.get(f"/v1/products/{a}").status_code == 404
    assert write_api.get(f"/v1/products/{b}").status_code == 404
    assert write_api.get(f"/v1/products/{c}").json()["version"] == 1


def test_bulk_refuses_other_content_types(write_api: httpx.Client) -> None:
    response = write_api.post("/v1/products:bulk", json=[{"op": "delete", "id": "x"}])
    assert response.status_code == 415


ROUTES = [
    ("GET", "/v1/products/AUTH-MATRIX", None),
    ("PUT", "/v1/products/AUTH-MATRIX", product("AUTH-MATRIX")),
    ("GET", "/v1/sync/status", None),
    ("GET", "/v1/keys", None),
]
# expected status per (route index, who): editors write products, only admins manage keys
EXPECTED = {
    "none": [401, 401, 401, 401],
    "malformed": [401, 401, 401, 401],
    "revoked": [401, 401, 401, 401],
    "editor": [None, 200, 200, 403],
    "admin": [None, 200, 200, 200],
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_the_401_403_matrix(settings: Settings, keys: Keys, who: str) -> None:
    token = {
        "none": None,
        "malformed": "csk_nothing",
        "revoked": keys.revoked,
        "editor": keys.editor,
        "admin": keys.admin,
    }[who]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=api_url(settings, "write_api"), timeout=30) as client:
        for (method, path, body), expected in zip(ROUTES, EXPECTED[who], strict=True):
            response = client.request(method, path, json=body, headers=headers)
            if expected is None:  # reading may find the product or not, but is allowed
                assert response.status_code in (200, 404), (who, method, path)
                continue
            if expected == 200 and method == "PUT":
                assert response.status_code in (200, 201), (who, method, path, response.text)
                continue
            assert response.status_code == expected, (who, method, path, response.text)
            if expected == 401:
                assert response.headers["www-authenticate"] == "Bearer"


def test_admins_create_and_revoke_keys_over_http(settings: Settings, keys: Keys) -> None:
    with httpx.Client(base_url=api_url(settings, "write_api"), timeout=30) as client:
        admin = {"Authorization": f"Bearer {keys.admin}"}
        created = client.post("/v1/keys", json={"role": "editor", "name": "ci"}, headers=admin)
        assert created.status_code == 201
        new_key = created.json()["key"]
        as_new = {"Authorization": f"Bearer {new_key}"}
        assert client.get("/v1/sync/status", headers=as_new).status_code == 200
        key_id = created.json()["key_id"]
        assert key_id in {k["key_id"] for k in client.get("/v1/keys", headers=admin).json()}
        assert client.delete(f"/v1/keys/{key_id}", headers=admin).status_code == 204
        assert client.delete(f"/v1/keys/{key_id}", headers=admin).status_code == 404
