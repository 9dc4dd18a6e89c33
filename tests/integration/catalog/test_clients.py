"""The client factories reach the real servers: MongoDB protocol, Elasticsearch, Redis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from catalog.clients import Clients


async def test_a_document_written_to_mongodb_reads_back_unchanged(clients: Clients) -> None:
    collection = clients.db[f"it_roundtrip_{uuid.uuid4().hex[:8]}"]
    created = datetime(2026, 11, 24, 9, 30, 15, 123000, tzinfo=UTC)
    document = {
        "_id": "ACME-CASE-15-BLK",
        "title": "Silikon Hülle für iPhone 15, schwarz",
        "price": 19.99,
        "stock": 12,
        # FerretDB rejects nested arrays, so a category path is stored as an object
        "categories": [{"path": ["Handyzubehör", "Hüllen", "iPhone Hüllen"]}],
        "attributes": {"color": "schwarz", "compatible_devices": ["iPhone 15"], "wireless": False},
        "created_at": created,
    }
    try:
        result = await collection.insert_one(document)
        assert result.acknowledged
        stored = await collection.find_one({"_id": "ACME-CASE-15-BLK"})
        assert stored == document
        assert await collection.count_documents({"attributes.color": "schwarz"}) == 1
        # commands without any filter (FerretDB's build patch must keep these working)
        assert await collection.estimated_document_count() == 1
        assert await collection.count_documents({}) == 1
        assert len(await collection.find().to_list()) == 1
        updated = await collection.find_one_and_update(
            {"_id": "ACME-CASE-15-BLK"}, {"$inc": {"stock": -2}}, return_document=True
        )
        assert updated is not None
        assert updated["stock"] == 10
    finally:
        await collection.drop()


async def test_a_document_indexed_in_elasticsearch_is_found_with_an_aggregation(
    clients: Clients,
) -> None:
    index = f"it-smoke-{uuid.uuid4().hex[:8]}"
    await clients.es.indices.create(
        index=index,
        settings={"number_of_shards": 1, "number_of_replicas": 0},
        mappings={
            "properties": {
                "title": {"type": "text"},
                "brand": {"type": "keyword"},
                "price": {"type": "scaled_float", "scaling_factor": 100},
            }
        },
    )
    products = [
        ("p1", "Silikon Hülle iPhone 15", "Acme", 19.99),
        ("p2", "Leder Hülle iPhone 15", "Acme", 39.90),
        ("p3", "USB-C Ladekabel 2 m", "Kabelwerk", 9.99),
    ]
    try:
        for product_id, title, brand, price in products:
            await clients.es.index(
                index=index,
                id=product_id,
                document={"title": title, "brand": brand, "price": price},
            )
        await clients.es.indices.refresh(index=index)
        answer = await clients.es.search(
            index=index,
            query={"match": {"title": "hülle"}},
            aggs={
                "brands": {"terms": {"field": "brand"}},
                "price": {"stats": {"field": "price"}},
            },
        )
    finally:
        await clients.es.indices.delete(index=index)
    assert answer["hits"]["total"]["value"] == 2
    assert {hit["_id"] for hit in answer["hits"]["hits"]} == {"p1", "p2"}
    assert answer["aggregations"]["brands"]["buckets"] == [{"key": "Acme", "doc_count": 2}]
    stats = answer["aggregations"]["price"]
    assert stats["count"] == 2
    # scaled_float keeps cents exactly; the aggregation reports them as doubles
    assert stats["min"] == pytest.approx(19.99)
    assert stats["max"] == pytest.approx(39.90)


async def test_redis_answers_and_stores(clients: Clients) -> None:
    key = f"it:{uuid.uuid4().hex}"
    assert await clients.redis.ping()
    await clients.redis.set(key, "wert-ä", ex=30)
    assert await clients.redis.get(key) == "wert-ä".encode()
    await clients.redis.delete(key)
