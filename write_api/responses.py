"""Shaping stored products into HTTP answers."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Response

from catalog.products.storage import Document, public_from_storage


def product_view(doc: Document) -> dict[str, Any]:
    """A stored live product as the write API shows it (no internal fields)."""
    return {
        "id": doc["_id"],
        **public_from_storage(doc),
        "version": doc["version"],
        "created_at": doc["created_at"],
        "updated_at": doc["updated_at"],
    }


def tombstone_view(doc: Document) -> dict[str, Any]:
    """What a delete answers: the id, the tombstone's version and when."""
    return {
        "id": doc["_id"],
        "version": doc["version"],
        "deleted": True,
        "deleted_at": doc["deleted_at"],
    }


def change_view(entry: Document) -> dict[str, Any]:
    """A change-log entry as the API shows it (category paths as lists again)."""
    view = {k: v for k, v in entry.items() if k != "_id"}
    categories = view.get("changes", {}).get("categories")
    if categories:
        view["changes"] = {
            **view["changes"],
            "categories": {
                side: [c["path"] for c in value] if isinstance(value, list) else value
                for side, value in categories.items()
            },
        }
    return view


def etag(version: int) -> str:
    """The strong ETag of a product version."""
    return f'"{version}"'


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer serialised with orjson (datetimes as ISO 8601)."""
    return Response(
        orjson.dumps(data, option=orjson.OPT_UTC_Z),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )
