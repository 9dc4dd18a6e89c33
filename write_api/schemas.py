"""Response shapes of the write API (for the OpenAPI schema and its checks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel


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
