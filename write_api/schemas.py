"""Response shapes of the write API (for the OpenAPI schema and its checks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from catalog.products.model import Thumbnail


class Deleted(BaseModel):
    """A delete's answer: the tombstone's version."""

    id: str
    version: int
    deleted: Literal[True]
    deleted_at: datetime


class ChangeEntry(BaseModel):
    """One change of a product: who, when, what changed, resulting version."""

    product_id: str
    version: int
    op: str
    actor: str
    at: datetime
    changes: dict[str, dict[str, Any]]


class HistoryPage(BaseModel):
    """A page of a product's changes, newest first."""

    items: list[ChangeEntry]
    next_before_version: int | None


class UploadedImage(BaseModel):
    """An upload's answer: the image as the product holds it, what was stored, the new version."""

    id: str
    url: str
    alt: str | None = None
    width: int
    height: int
    thumbnails: list[Thumbnail]
    content_type: str
    bytes: int
    product_id: str
    version: int
