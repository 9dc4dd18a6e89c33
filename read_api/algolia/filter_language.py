"""Algolia's `filters` parameter parsed into query-model filters (pure).

    brand:Spigen AND (in_stock:true OR price < 10) AND NOT attributes.color:schwarz
    categories.lvl1:"Audio > Kopfhörer"   price:10 TO 20   rating >= 4   objectID:RA-00001

The grammar and precedence are in filter_parser.py (OR binds tighter than
AND, as in Algolia). As Algolia requires, an expression must be a conjunction
of disjunctions: `(a OR b) AND c` is fine, `(a AND b) OR c` and `a OR (b AND
c)` are refused with Algolia's own messages. Beyond Algolia, on purpose:
- one OR may mix facet and numeric conditions (`brand:Hama OR price < 10`):
  the query model expresses it (`AnyOf`), so there is no reason to refuse it;
- parentheses may wrap ANDs at the top level (`(a AND b) AND c`).
Tag filters (`_tags:x` or a bare `x`) are refused: this index has no tags.
Columns are 1-based (Algolia's own messages count from 0).
"""

from __future__ import annotations

from read_api.algolia.filter_attributes import (
    ConditionError,
    Member,
    any_filter,
    comparison_filter,
    facet_filter,
    range_filter,
)
from read_api.algolia.filter_parser import TAG, AllOf, Condition, Node, parse_tree
from read_api.algolia.filter_tokens import ParseError
from read_api.query.model import Filter, conjunction

AND_IN_OR_FIRST = "filter (X AND Y) OR Z is not allowed, only (X OR Y) AND Z is allowed"
AND_IN_OR_LATER = "filter X OR (Y AND Z) is not allowed, only X AND (Y OR Z) is allowed"
NO_TAGS = (
    "tag filters are not supported: this index has no tags; "
    "write attribute:value, e.g. brand:Spigen"
)


class FilterLanguageError(ValueError):
    """A filter expression that cannot be used: what is wrong, and the 1-based column."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} at col {column}")
        self.message = message
        self.column = column


def condition_filter(condition: Condition) -> Member:
    """The query-model filter of one condition; FilterLanguageError at its column."""
    negated = condition.negated
    try:
        if condition.operator == TAG:
            raise FilterLanguageError(NO_TAGS, condition.column)
        if condition.operator == ":":
            return facet_filter(condition.attribute, condition.value, negated)
        if condition.operator == "TO":
            assert condition.high is not None
            return range_filter(condition.attribute, condition.value, condition.high, negated)
        return comparison_filter(condition.attribute, condition.operator, condition.value, negated)
    except ConditionError as exc:
        raise FilterLanguageError(str(exc), condition.column) from None


def clauses(node: Node) -> list[list[Condition]]:
    """The conjunction of disjunctions a tree stands for; FilterLanguageError if it is not one."""
    if isinstance(node, Condition):
        return [[node]]
    if isinstance(node, AllOf):
        return [clause for item in node.items for clause in clauses(item)]
    alternatives: list[Condition] = []
    for index, item in enumerate(node.items):
        found = clauses(item)
        if len(found) > 1:
            assert isinstance(item, AllOf)
            if index == 0:
                raise FilterLanguageError(AND_IN_OR_FIRST, node.column)
            raise FilterLanguageError(AND_IN_OR_LATER, item.column)
        alternatives += found[0]
    return [alternatives]


def tree_filters(tree: Node | None) -> list[Filter]:
    """The filters of a syntax tree, all of which must hold (SearchQuery.filters form)."""
    if tree is None:
        return []
    found: list[Filter] = []
    for clause in clauses(tree):
        members = [condition_filter(condition) for condition in clause]
        try:
            found.append(any_filter(members))
        except ConditionError as exc:
            raise FilterLanguageError(str(exc), clause[0].column) from None
    return conjunction(found)


def parse_tree_checked(text: str) -> Node | None:
    """`parse_tree`, its errors as FilterLanguageError."""
    try:
        return parse_tree(text)
    except ParseError as exc:
        raise FilterLanguageError(exc.message, exc.column) from None


def parse_filters(text: str) -> list[Filter]:
    """The filters of a `filters` string, all of which must hold; FilterLanguageError."""
    return tree_filters(parse_tree_checked(text))
