"""getObject and getObjects: active products as records; anything else is not found."""

from __future__ import annotations

import httpx

from tests.e2e.read_api.conftest import Catalog


def test_an_active_product_is_a_record(read_api: httpx.Client, catalog: Catalog) -> None:
    product = catalog.active[3]
    response = read_api.get(f"/1/indexes/products/{product['id']}")
    assert response.status_code == 200, response.text
    record = response.json()
    assert record["objectID"] == product["id"]
    assert record["title"] == product["title"]
    assert record["attributes"] == product["attributes"]
    assert record["categories"]["lvl0"] == sorted({path[0] for path in product["categories"]})
    assert "_highlightResult" not in record
    assert not {"status", "version"} & set(record)
    picked = read_api.get(
        f"/1/indexes/products_price_asc/{product['id']}",
        params={"attributesToRetrieve": "title,attributes.dataset"},
    ).json()
    assert picked == {
        "objectID": product["id"],
        "title": product["title"],
        "attributes": {"dataset": "read-api-e2e"},
    }


def test_drafts_archived_and_unknown_ids_are_404(read_api: httpx.Client, catalog: Catalog) -> None:
    for object_id in (
        catalog.with_status("draft")["id"],
        catalog.with_status("archived")["id"],
        "RA-NOPE",
        "bad id with spaces",
    ):
        response = read_api.get(f"/1/indexes/products/{object_id}")
        assert response.status_code == 404, object_id
        assert response.json() == {"message": "ObjectID does not exist", "status": 404}
    unknown_index = read_api.get(f"/1/indexes/orders/{catalog.active[0]['id']}")
    assert unknown_index.status_code == 404
    assert unknown_index.json() == {"message": "Index does not exist", "status": 404}


def test_get_objects_answers_in_order_with_null_for_hidden(
    read_api: httpx.Client, catalog: Catalog
) -> None:
    active, draft = catalog.active[5], catalog.with_status("draft")
    response = read_api.post(
        "/1/indexes/*/objects",
        json={
            "requests": [
                {"indexName": "products", "objectID": draft["id"]},
                {
                    "indexName": "products",
                    "objectID": active["id"],
                    "attributesToRetrieve": ["brand"],
                },
            ]
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"] == [
        None,
        {"objectID": active["id"], "brand": active["brand"]},
    ]
