"""The ranking version in every cache key: a digest of the code that decides answers.

Cached answers are keyed by it, so a deploy that changes how queries are
built or shaped (weights, stages, the Algolia translation) or the index
mapping never serves the old orders for up to a TTL: the new code simply
looks under new keys, and the old entries expire unread.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from indexer.index_definition import INDEX_VERSION

READ_API = Path(__file__).resolve().parent.parent
# the packages whose code decides what an answer holds and in which order
DECIDING_PACKAGES = ("query", "algolia", "rules")


def ranking_version(root: Path = READ_API, packages: tuple[str, ...] = DECIDING_PACKAGES) -> str:
    """A short digest of the index version and the deciding packages' sources."""
    digest = hashlib.blake2b(f"index-v{INDEX_VERSION}".encode(), digest_size=6)
    for package in packages:
        for source in sorted((root / package).rglob("*.py")):
            digest.update(source.relative_to(root).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


RANKING_VERSION = ranking_version()
