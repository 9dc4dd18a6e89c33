"""The S3 client against the test stack's real SeaweedFS: writes, reads, SSE, no anonymity."""

from __future__ import annotations

import uuid

import httpx
import pytest
from pydantic import SecretStr

from catalog.images.object_store import ObjectNotFound, ObjectStore, ObjectStoreUnavailable
from catalog.settings import Settings


async def test_put_head_get_list_delete(settings: Settings) -> None:
    key = f"test/{uuid.uuid4().hex}"
    async with ObjectStore(settings) as store:
        assert await store.head(key) is None
        await store.put(key, b"pixels", "image/png")
        info = await store.head(key)
        assert info is not None
        assert (info.size, info.content_type) == (6, "image/png")
        assert await store.read(key) == b"pixels"
        listed = [k async for k, _ in store.list_keys("test/")]
        assert key in listed
        await store.delete(key)
        assert await store.head(key) is None
        with pytest.raises(ObjectNotFound):
            await store.get(key)


async def test_objects_are_encrypted_at_rest(settings: Settings) -> None:
    assert settings.s3_sse == "AES256"
    key = f"test/{uuid.uuid4().hex}"
    async with ObjectStore(settings) as store:
        await store.put(key, b"secret pixels", "image/png")
        answer = await store.client.head_object(Bucket=settings.s3_bucket, Key=key)
        assert answer["ServerSideEncryption"] == "AES256"
        await store.delete(key)


async def test_anonymous_and_wrong_keys_are_refused(settings: Settings) -> None:
    assert settings.s3_endpoint_url is not None
    base = str(settings.s3_endpoint_url).rstrip("/")
    key = f"test/{uuid.uuid4().hex}"
    async with httpx.AsyncClient() as anonymous:
        written = await anonymous.put(f"{base}/{settings.s3_bucket}/{key}", content=b"x")
        assert written.status_code == 403
        listed = await anonymous.get(f"{base}/{settings.s3_bucket}")
        assert listed.status_code == 403
    wrong = settings.model_copy(update={"s3_secret_access_key": SecretStr("not-the-secret")})
    async with ObjectStore(wrong) as store:
        with pytest.raises(ObjectStoreUnavailable):
            await store.put(key, b"x", "image/png")
    async with ObjectStore(settings) as store:
        assert await store.head(key) is None


async def test_the_store_takes_more_than_one_volume_of_images(settings: Settings) -> None:
    # the local stacks' volumes hold 64 MB each: 80 objects of 1 MiB need a second one
    prefix = f"test/volumes-{uuid.uuid4().hex}/"
    body = bytes(range(256)) * 4096
    async with ObjectStore(settings) as store:
        try:
            for n in range(80):
                await store.put(f"{prefix}{n}", body, "application/octet-stream")
            assert len([k async for k, _ in store.list_keys(prefix)]) == 80
        finally:
            async for key, _ in store.list_keys(prefix):
                await store.delete(key)
