"""Product commands over HTTP: versions, conditional writes, idempotency, patches, tombstones."""

from __future__ import annotations

import uuid

import httpx

from tests.e2e.write_api.conftest import product


def history(client: httpx.Client, product_id: str) -> list[dict[str, object]]:
    response = client.get(f"/v1/products/{product_id}/history")
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_create_answers_201_with_version_etag_and_location(
    write_api: httpx.Client, product_id: str
) -> None:
    response = write_api.post("/v1/products", json=product(product_id))
    assert response.status_code == 201, response.text
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"/v1/products/{product_id}"
    body = response.json()
    assert body["version"] == 1
    assert body["categories"] == [["Handyzubehör", "Hüllen", "iPhone Hüllen"]]
    assert body["created_at"] == body["updated_at"]
    assert write_api.post("/v1/products", json=product(product_id)).status_code == 409


def test_versions_increment_and_a_stale_if_match_is_412(
    write_api: httpx.Client, product_id: str
) -> None:
    url = f"/v1/products/{product_id}"
    assert write_api.put(url, json=product(product_id)).json()["version"] == 1
    second = write_api.put(url, json=product(product_id, price=18.5), headers={"If-Match": '"1"'})
    assert second.status_code == 200
    assert second.headers["etag"] == '"2"'
    stale = write_api.put(url, json=product(product_id, price=17.0), headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert write_api.get(url).json()["price"] == 18.5
    third = write_api.patch(url, json={"stock": 3}, headers={"If-Match": '"2"'})
    assert third.json()["version"] == 3
    # a replace with identical content changes nothing, not even the version
    same = write_api.put(url, json=product(product_id, price=18.5, stock=3))
    assert same.status_code == 200
    assert same.json()["version"] == 3
    assert write_api.get(url, headers={"If-None-Match": '"3"'}).status_code == 304


def test_an_idempotent_retry_returns_the_first_answer_and_writes_once(
    write_api: httpx.Client, product_id: str
) -> None:
    key = {"Idempotency-Key": f"retry-{uuid.uuid4().hex}"}
    first = write_api.post("/v1/products", json=product(product_id), headers=key)
    retry = write_api.post("/v1/products", json=product(product_id), headers=key)
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry.headers["etag"] == first.headers["etag"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert len(history(write_api, product_id)) == 1
    assert write_api.get(f"/v1/products/{product_id}").json()["version"] == 1
    other_body = write_api.post("/v1/products", json=product(product_id, price=1.0), headers=key)
    assert other_body.status_code == 422
    assert other_body.json()["detail"][0]["loc"] == ["header", "idempotency-key"]


def test_merge_patch_null_removes_a_field_and_objects_merge(
    write_api: httpx.Client, product_id: str
) -> None:
    url = f"/v1/products/{product_id}"
    write_api.put(url, json=product(product_id, sale_price=14.99))
    patched = write_api.patch(
        url,
        content=b'{"sale_price": null, "attributes": {"color": null, "material": "Silikon"}}',
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert "sale_price" not in body
    assert body["attributes"] == {"compatible_devices": ["iPhone 15"], "material": "Silikon"}
    assert body["version"] == 2
    invalid = write_api.patch(url, json={"price": -1, "sale_price": "x"})
    assert invalid.status_code == 422
    assert {tuple(e["loc"]) for e in invalid.json()["detail"]} >= {("body", "price")}
    assert write_api.patch(url, json={"colour": "rot"}).status_code == 422
    assert write_api.patch("/v1/products/NO-SUCH-PRODUCT", json={"stock": 1}).status_code == 404


def test_a_delete_leaves_a_tombstone_whose_version_keeps_counting(
    write_api: httpx.Client, product_id: str
) -> None:
    url = f"/v1/products/{product_id}"
    write_api.put(url, json=product(product_id))
    deleted = write_api.delete(url)
    assert deleted.status_code == 200
    assert deleted.json()["version"] == 2
    assert deleted.json()["deleted"] is True
    assert write_api.get(url).status_code == 404
    assert write_api.delete(url).status_code == 404
    assert write_api.patch(url, json={"stock": 1}).status_code == 404
    recreated = write_api.put(url, json=product(product_id))
    assert recreated.status_code == 201
    assert recreated.json()["version"] == 3
    ops = [(e["version"], e["op"]) for e in history(write_api, product_id)]
    assert ops == [(3, "create"), (2, "delete"), (1, "create")]


def test_history_records_who_changed_what(write_api: httpx.Client, product_id: str) -> None:
    url = f"/v1/products/{product_id}"
    write_api.put(url, json=product(product_id))
    write_api.patch(url, json={"price": 17.49})
    latest = history(write_api, product_id)[0]
    assert latest["version"] == 2
    assert latest["op"] == "patch"
    assert latest["changes"] == {"price": {"from": 19.99, "to": 17.49}}
    assert isinstance(latest["actor"], str)
    assert len(latest["actor"]) == 12
    page = write_api.get(f"{url}/history", params={"limit": 1, "before_version": 2}).json()
    assert [e["version"] for e in page["items"]] == [1]


def test_put_with_a_different_id_in_the_body_is_422(
    write_api: httpx.Client, product_id: str
) -> None:
    response = write_api.put(f"/v1/products/{product_id}", json=product("OTHER-ID"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "id"]


def test_bodies_over_the_limit_are_413(write_api: httpx.Client, product_id: str) -> None:
    huge = product(product_id, description="x" * (11 * 1024 * 1024))
    assert write_api.post("/v1/products", json=huge).status_code == 413
