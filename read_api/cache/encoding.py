"""Bytes of a cached answer made once per entry: its strong ETag and its gzip form (pure).

Both are computed when the answer is produced and stored beside it, so a hit
neither hashes nor compresses. Small bodies are not compressed: the header
costs more than it saves.
"""

from __future__ import annotations

import gzip
import hashlib

GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6  # zlib's default: most of level 9's savings at a fraction of its time
GZIP = "gzip"


def etag_of(body: bytes) -> str:
    """A strong validator: the same bytes give the same tag on every replica."""
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def gzipped(body: bytes) -> bytes | None:
    """The body gzip-compressed (mtime 0, so every replica makes the same bytes), if worth it."""
    if len(body) < GZIP_MIN_BYTES:
        return None
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether `Accept-Encoding` allows gzip (a `q=0` refuses it)."""
    if not accept_encoding:
        return False
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() not in (GZIP, "*"):
            continue
        q = params.strip().lower()
        if q.startswith("q="):
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
        return True
    return False
