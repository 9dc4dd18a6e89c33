"""Algolia's `facetFilters` and `numericFilters` parameters as query-model filters (pure).

Both take a string, or a list whose strings must all hold (AND) and whose
inner lists are alternatives (OR): `[["brand:A", "brand:B"], "in_stock:true"]`.
A string starting with `[` is the same list as JSON (the `params` string form).

- facetFilters: `attribute:value`, split at the first colon, so values may hold
  colons and spaces (`categories.lvl1:Audio > Kopfhörer`). `attribute:-value`
  (Algolia's form) or `-attribute:value` excludes; `attribute:\\-value` is a
  value starting with `-`.
- numericFilters: one comparison each, in the `filters` syntax: `price>=10`,
  `price != 3`, `price:10 TO 20`; no AND/OR/NOT inside a string.

Unlike Algolia, an inner list may mix attributes of different kinds (the query
model expresses any OR; see filter_language.py). Error columns count within
the item's own string, which the message names (`facetFilters[1][0]`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import orjson

from read_api.algolia.filter_attributes import (
    ConditionError,
    Member,
    any_filter,
    facet_filter,
)
from read_api.algolia.filter_language import (
    FilterLanguageError,
    condition_filter,
    parse_tree_checked,
)
from read_api.algolia.filter_parser import TAG, Condition
from read_api.query.model import Filter, conjunction

FilterList = str | list[str | list[str]]
_SHAPE = "a string, or a list of strings and lists of strings"


def _items(name: str, value: str | Sequence[object]) -> list[list[tuple[str, str]]]:
    """The AND items, each a list of alternatives (where it is, its text)."""
    if isinstance(value, str):
        if not value.lstrip().startswith("["):
            return [[(name, value)]]
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise FilterLanguageError(f"{name}: not valid JSON ({exc.msg})", exc.pos + 1) from None
    if not isinstance(value, list):
        raise FilterLanguageError(f"{name} must be {_SHAPE}", 1)
    items: list[list[tuple[str, str]]] = []
    for index, item in enumerate(value):
        where = f"{name}[{index}]"
        if isinstance(item, str):
            items.append([(where, item)])
        elif isinstance(item, list) and all(isinstance(i, str) for i in item):
            if item:  # an empty OR group restricts nothing
                items.append([(f"{where}[{i}]", text) for i, text in enumerate(item)])
        else:
            raise FilterLanguageError(f"{where} must be a string or a list of strings", 1)
    return items


def _filters(name: str, value: FilterList, one: Callable[[str, str], Member]) -> list[Filter]:
    found: list[Filter] = []
    for alternatives in _items(name, value):
        members = [one(text, where) for where, text in alternatives]
        try:
            found.append(any_filter(members))
        except ConditionError as exc:
            raise FilterLanguageError(f"{alternatives[0][0]}: {exc}", 1) from None
    return conjunction(found)


def facet_item(text: str, where: str = "facetFilters") -> Member:
    """One `attribute:value` string (`-` negation, `\\-` escape) as a filter."""
    exclude = text.startswith("-")
    body = text[1:] if exclude else text
    attribute, colon, value = body.partition(":")
    value_column = len(text) - len(value) + 1
    if not colon or not attribute.strip():
        raise FilterLanguageError(f"{where}: write attribute:value, e.g. brand:Spigen", 1)
    if value.startswith("-"):
        exclude, value = not exclude, value[1:]
    elif value.startswith("\\-"):
        value = value[1:]
    if not value:
        raise FilterLanguageError(f"{where}: a value is missing after the colon", value_column)
    try:
        return facet_filter(attribute.strip(), value, exclude)
    except ConditionError as exc:
        raise FilterLanguageError(f"{where}: {exc}", 1 + int(text.startswith("-"))) from None


def numeric_item(text: str, where: str = "numericFilters") -> Member:
    """One numeric comparison string (`price>=10`, `price:10 TO 20`) as a filter."""
    try:
        tree = parse_tree_checked(text)
    except FilterLanguageError as exc:
        raise FilterLanguageError(f"{where}: {exc.message}", exc.column) from None
    if not isinstance(tree, Condition) or tree.operator in (":", TAG) or tree.negated:
        raise FilterLanguageError(
            f"{where}: write one comparison, e.g. price>=10, price!=3 or price:10 TO 20", 1
        )
    try:
        return condition_filter(tree)
    except FilterLanguageError as exc:
        raise FilterLanguageError(f"{where}: {exc.message}", exc.column) from None


def facet_filters(value: FilterList) -> list[Filter]:
    """The filters of a `facetFilters` value, all of which must hold; FilterLanguageError."""
    return _filters("facetFilters", value, facet_item)


def numeric_filters(value: FilterList) -> list[Filter]:
    """The filters of a `numericFilters` value, all of which must hold; FilterLanguageError."""
    return _filters("numericFilters", value, numeric_item)
