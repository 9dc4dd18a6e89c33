"""How rules live in MongoDB (catalog.versioned_docs): collection, version key, body.

A rule's `body` is its fields' JSON text (`userData` may hold nested arrays,
which FerretDB rejects as documents).
"""

from __future__ import annotations

from catalog.rules.model import MAX_RULES, RuleFields
from catalog.versioned_docs import DocSet, Document, body_text, is_live, new_document, view

__all__ = ["RULES", "RULES_VERSION_KEY", "RULE_SET", "Document", "body_of", "is_live"]
__all__ += ["new_document", "rule_of", "rule_view"]

RULES = "rules"
RULES_VERSION_KEY = "catalog:rules:version"
RULE_SET = DocSet(RULES, RULES_VERSION_KEY, MAX_RULES, "rule")
rule_view = view


def body_of(rule: RuleFields) -> str:
    """The stored JSON text of a rule's fields (Algolia's names, defaults filled in, no id)."""
    return body_text(rule)


def rule_of(doc: Document) -> RuleFields:
    """The rule fields of a stored document."""
    return RuleFields.model_validate_json(doc["body"])
