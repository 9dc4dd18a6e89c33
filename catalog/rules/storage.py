"""How rules live in MongoDB and how readers learn of changes: collection, document, version key.

A rule document is `{_id, body, version, created_at, updated_at}`, plus
`deleted_at` for a tombstone (it keeps its version, so If-Match and retries
stay exact after a delete). `body` is the rule's JSON text: FerretDB rejects
nested arrays, which `userData` may hold, and the rule is always read whole.
Every write increments `RULES_VERSION_KEY` in Redis after MongoDB has it;
read APIs poll that counter and reload the set (and reload it periodically
anyway, so a lost increment delays a change by one reload interval at most).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from catalog.rules.model import RuleFields

RULES = "rules"
RULES_VERSION_KEY = "catalog:rules:version"
Document = dict[str, Any]


def body_of(rule: RuleFields) -> str:
    """The stored JSON text of a rule's fields (Algolia's names, defaults filled in, no id)."""
    fields = rule.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"objectID"})
    return orjson.dumps(fields).decode()


def rule_of(doc: Document) -> RuleFields:
    """The rule fields of a stored document."""
    return RuleFields.model_validate_json(doc["body"])


def rule_view(doc: Document) -> dict[str, Any]:
    """A stored live rule as the API shows it."""
    fields: dict[str, Any] = orjson.loads(doc["body"])
    return {
        "objectID": doc["_id"],
        **fields,
        "version": doc["version"],
        "created_at": doc["created_at"],
        "updated_at": doc["updated_at"],
    }


def is_live(doc: Document | None) -> bool:
    """A stored rule that exists and is not a tombstone."""
    return doc is not None and doc.get("deleted_at") is None


def new_document(
    rule_id: str, body: str, version: int, now: datetime, created: datetime
) -> Document:
    """The whole document a write leaves behind."""
    return {
        "_id": rule_id,
        "body": body,
        "version": version,
        "created_at": created,
        "updated_at": now,
    }
