"""Receiving an image upload: a raw `image/*` body or `multipart/form-data` (`file`, `alt`).

The body is streamed into a spooled temporary file (memory up to 1 MiB, disk
beyond) while its sha256 is computed, and cut with a 413 as soon as it
passes `image_max_bytes`: it is never held whole in memory. A body over the
limit that declares its length is refused before a byte is read, by the
write API's body limits (write_api.app). The digest stands for the body in
the Idempotency-Key fingerprint.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from typing import IO

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalog.images.decoding import check_declared, media_type
from catalog.web.body_limit import too_large_message

SPOOL_MEMORY_BYTES = 1024 * 1024
MAX_ALT_LENGTH = 500
MULTIPART = "multipart/form-data"
# what a multipart body may carry besides the file: boundaries, part headers, `alt`
MULTIPART_OVERHEAD_BYTES = 64 * 1024
SNIFFED_TYPES = frozenset({"", "application/octet-stream"})


@dataclass(slots=True)
class Upload:
    """An upload as received: its bytes in a file, what it claims to be, its digest."""

    file: IO[bytes]
    declared: str | None  # None: sniff the type (a multipart file without a useful type)
    alt: str | None
    size: int
    sha256: str

    @property
    def fingerprint(self) -> bytes:
        """What identifies this upload for Idempotency-Key."""
        return f"{self.sha256}\n{self.declared}\n{self.alt}".encode()

    def close(self) -> None:
        """Drop the temporary file."""
        self.file.close()


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, too_large_message(limit))


def _invalid(loc: list[str], msg: str) -> HTTPException:
    return HTTPException(422, [{"loc": loc, "msg": msg, "type": "value_error"}])


async def receive(request: Request, max_bytes: int, alt: str | None) -> Upload:
    """The request's upload, checked for type and size (415, 413, 422)."""
    if media_type(request.headers.get("content-type")) == MULTIPART:
        return await _receive_multipart(request, max_bytes)
    declared = check_declared(request.headers.get("content-type"))
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)  # noqa: SIM115
    digest = hashlib.sha256()
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            digest.update(chunk)
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return Upload(spool, declared, alt, size, digest.hexdigest())


async def _receive_multipart(request: Request, max_bytes: int) -> Upload:
    try:
        form = await request.form(max_files=1, max_fields=4)
    except StarletteHTTPException as exc:  # malformed, too many parts: the client's fault
        raise _invalid(["body"], str(exc.detail)) from exc
    try:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise _invalid(["body", "file"], "a file field `file` is required")
        alt = form.get("alt")
        if alt is not None and not isinstance(alt, str):
            raise _invalid(["body", "alt"], "must be text")
        if alt is not None and len(alt) > MAX_ALT_LENGTH:
            raise _invalid(["body", "alt"], f"at most {MAX_ALT_LENGTH} characters")
        file_type = media_type(file.content_type)
        declared = None if file_type in SNIFFED_TYPES else check_declared(file_type)
        digest = hashlib.sha256()
        size = 0
        source = file.file
        while chunk := source.read(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            digest.update(chunk)
        source.seek(0)
    except BaseException:
        await form.close()
        raise
    # the spooled file outlives the form: Upload.close closes it
    return Upload(source, declared, alt, size, digest.hexdigest())
