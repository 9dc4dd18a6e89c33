"""CSV rows to product records and bulk upsert lines (contract: Product record).

Columns: id, title, description, brand, categories, group_id, price, sale_price, stock, status,
rating, review_count, images, and any number of `attr.<name>` columns. An empty cell leaves the
field out. `categories` holds paths separated by `|`, their levels by `>`; `images` holds URLs
separated by `|`. An attribute cell is a boolean (true/false), a number, a list of strings when
it contains `|` (a trailing `|` makes a one-value list) or else a string.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import orjson

KNOWN_COLUMNS = (
    "id",
    "title",
    "description",
    "brand",
    "categories",
    "group_id",
    "price",
    "sale_price",
    "stock",
    "status",
    "rating",
    "review_count",
    "images",
)
ATTRIBUTE_PREFIX = "attr."
_DECIMAL_COLUMNS = frozenset({"price", "sale_price", "rating"})
_INTEGER_COLUMNS = frozenset({"stock", "review_count"})

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")  # no exponent: "2E10" is a model code
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_GERMAN_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d+")  # 1.299,00
_MAX_EXACT_DIGITS = 15  # beyond this a float64 would change the value


class ConvertedRow(NamedTuple):
    """One CSV row as a bulk upsert line, or the reason it could not be converted."""

    file_line: int
    line: bytes | None
    error: str | None


def unknown_columns(fieldnames: Iterable[str]) -> list[str]:
    """The header's columns that are neither product fields nor `attr.<name>` columns."""
    return [
        name
        for name in fieldnames
        if name not in KNOWN_COLUMNS and not name.startswith(ATTRIBUTE_PREFIX)
    ]


def csv_row_to_product(row: Mapping[str, str | None]) -> dict[str, Any]:
    """Turn one `csv.DictReader` row into a product record; ValueError names a bad column."""
    cells = {name: (value or "").strip() for name, value in row.items()}  # short rows give None
    unknown = unknown_columns(cells)
    if unknown:
        raise ValueError(f"unknown column {unknown[0]!r}")
    product: dict[str, Any] = {}
    for name in KNOWN_COLUMNS:
        value = cells.get(name, "")
        if value:
            product[name] = _field(name, value, cells.get("title", ""))
    attributes = {
        name.removeprefix(ATTRIBUTE_PREFIX): _attribute(value)
        for name, value in cells.items()
        if name.startswith(ATTRIBUTE_PREFIX) and value
    }
    if attributes:
        product["attributes"] = attributes
    return product


def csv_lines_to_bulk(reader: csv.DictReader[str]) -> Iterator[ConvertedRow]:
    """Each row as an upsert line, or its conversion error; a bad row never stops the rest."""
    for row in reader:
        try:
            if row.pop(None, None):  # DictReader files cells beyond the header under None
                raise ValueError("the row has more cells than the header has columns")
            product = csv_row_to_product(row)
        except ValueError as exc:
            yield ConvertedRow(reader.line_num, None, str(exc))
            continue
        line = orjson.dumps({"op": "upsert", "product": product}) + b"\n"
        yield ConvertedRow(reader.line_num, line, None)


def _field(name: str, value: str, title: str) -> Any:
    if name in _DECIMAL_COLUMNS:
        return _decimal(name, value)
    if name in _INTEGER_COLUMNS:
        if not _INTEGER.fullmatch(value):
            raise ValueError(f"column {name!r}: {value!r} is not a whole number")
        return int(value)
    if name == "categories":
        return [[level.strip() for level in path.split(">")] for path in _parts(value)]
    if name == "images":
        alt = {"alt": title} if title else {}
        return [{"url": url, **alt} for url in _parts(value)]
    return value


def _decimal(name: str, value: str) -> float:
    text = value
    if _GERMAN_THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    if _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"column {name!r}: {value!r} is not a number")
    return float(text)


def _attribute(value: str) -> str | int | float | bool | list[str]:
    if "|" in value:
        return _parts(value)
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if _INTEGER.fullmatch(value):
        digits = value.lstrip("+-")
        # leading zeros and long digit strings are codes (an EAN, a zip code), not amounts
        is_code = (len(digits) > 1 and digits[0] == "0") or len(digits) > _MAX_EXACT_DIGITS
        return value if is_code else int(value)
    if _DECIMAL.fullmatch(value):
        return float(value)
    if _DECIMAL_COMMA.fullmatch(value):
        return float(value.replace(",", "."))
    return value


def _parts(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]
