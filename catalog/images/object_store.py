"""The S3 object store of product images: a thin layer over aiobotocore.

Nothing here knows SeaweedFS: the endpoint, region, bucket and keys come from
the settings, so AWS S3 (or any S3 API) works by changing them. Every failure
to reach the store, or an answer of 5xx, surfaces as `ObjectStoreUnavailable`,
which the APIs turn into 503 with Retry-After. Objects are written with
server-side encryption when `s3_sse` asks for it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import IO, Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from catalog.outages import ObjectStoreUnavailable
from catalog.settings import Settings

__all__ = ["ObjectBody", "ObjectNotFound", "ObjectStore", "ObjectStoreUnavailable", "StoredObject"]

NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchBucket"})
STREAM_CHUNK_BYTES = 64 * 1024


class ObjectNotFound(Exception):
    """No object under this key."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    """An object's metadata as the store reports it."""

    key: str
    size: int
    content_type: str
    modified: float = 0.0  # last written, epoch seconds


@dataclass(frozen=True, slots=True)
class ObjectBody:
    """An object being read: its metadata and its bytes as a stream."""

    info: StoredObject
    chunks: AsyncIterator[bytes]


def _unavailable(exc: Exception) -> ObjectStoreUnavailable:
    return ObjectStoreUnavailable(f"object store: {exc!r}")


def _is_not_found(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in NOT_FOUND_CODES


class ObjectStore:
    """One bucket of an S3 API; open it with `async with`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bucket = settings.s3_bucket
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None

    async def __aenter__(self) -> ObjectStore:
        return await self.open()

    async def open(self) -> ObjectStore:
        """Create the S3 client (no request yet); a long-lived holder calls this once."""
        s = self.settings
        config = AioConfig(
            connect_timeout=s.dependency_timeout_s,
            read_timeout=max(s.dependency_timeout_s * 5, 10.0),
            retries={"max_attempts": 2, "mode": "standard"},
            s3={"addressing_style": "path" if s.s3_endpoint_url else "auto"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        secret = s.s3_secret_access_key
        self._client = await self._stack.enter_async_context(
            get_session().create_client(
                "s3",
                endpoint_url=str(s.s3_endpoint_url).rstrip("/") if s.s3_endpoint_url else None,
                region_name=s.s3_region,
                aws_access_key_id=s.s3_access_key_id,
                aws_secret_access_key=secret.get_secret_value() if secret else None,
                config=config,
            )
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stack.aclose()

    @property
    def client(self) -> Any:
        """The aiobotocore S3 client (typed loosely: aiobotocore ships no stubs)."""
        if self._client is None:
            raise RuntimeError("ObjectStore used outside `async with`")
        return self._client

    async def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist (the local stacks; production provisions it)."""
        try:
            await self.client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as exc:
            if not _is_not_found(exc):
                raise _unavailable(exc) from exc
        except (BotoCoreError, OSError) as exc:
            raise _unavailable(exc) from exc
        try:
            await self.client.create_bucket(Bucket=self.bucket)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise _unavailable(exc) from exc
        except (BotoCoreError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def head(self, key: str) -> StoredObject | None:
        """The object's metadata, or None when there is none."""
        try:
            answer = await self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_not_found(exc):
                return None
            raise _unavailable(exc) from exc
        except (BotoCoreError, OSError) as exc:
            raise _unavailable(exc) from exc
        return StoredObject(
            key,
            int(answer["ContentLength"]),
            str(answer["ContentType"]),
            answer["LastModified"].timestamp(),
        )

    async def put(self, key: str, body: bytes | IO[bytes], content_type: str) -> None:
        """Write an object (encrypted at rest when `s3_sse` is set)."""
        extra: dict[str, str] = {}
        if self.settings.s3_sse:
            extra["ServerSideEncryption"] = self.settings.s3_sse
        try:
            await self.client.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentType=content_type, **extra
            )
        except (ClientError, BotoCoreError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def get(self, key: str) -> ObjectBody:
        """Open an object for reading; `ObjectNotFound` when there is none."""
        try:
            answer = await self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_not_found(exc):
                raise ObjectNotFound(key) from exc
            raise _unavailable(exc) from exc
        except (BotoCoreError, OSError) as exc:
            raise _unavailable(exc) from exc
        info = StoredObject(key, int(answer["ContentLength"]), str(answer["ContentType"]))
        return ObjectBody(info, _chunks(answer["Body"]))

    async def read(self, key: str) -> bytes:
        """An object's bytes, whole (thumbnails are made from them)."""
        body = await self.get(key)
        return b"".join([chunk async for chunk in body.chunks])

    async def delete(self, key: str) -> None:
        """Delete an object (deleting a missing one is no error)."""
        try:
            await self.client.delete_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError, OSError) as exc:
            raise _unavailable(exc) from exc

    async def list_keys(self, prefix: str) -> AsyncIterator[tuple[str, float]]:
        """Every key under `prefix` with its last-modified time (epoch seconds)."""
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            async for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for entry in page.get("Contents", []):
                    yield entry["Key"], entry["LastModified"].timestamp()
        except (ClientError, BotoCoreError, OSError) as exc:
            raise _unavailable(exc) from exc


async def _chunks(stream: Any) -> AsyncIterator[bytes]:
    async with stream:
        while chunk := await stream.read(STREAM_CHUNK_BYTES):
            yield chunk
