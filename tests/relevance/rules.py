"""Relevance rules (pure): predicates over a product as the read API shows it.

A product here is the public shape of a hit (`id`, `title`, `brand`,
`category_paths`, `attributes`), so the same rules grade a search hit and a
document read from the index. Grades follow from product fields, never from a
list of ids taken from search results: that would only encode today's ranking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

Product = Mapping[str, Any]

# what a shopper calls a kind of product, as the top of its category paths
KIND_PATHS: dict[str, str] = {
    "case": "Handyzubehör > Hüllen",
    "protector": "Handyzubehör > Displayschutz",
    "cable": "Handyzubehör > Kabel",
    "charger": "Handyzubehör > Ladegeräte",
    "powerbank": "Handyzubehör > Powerbanks",
    "holder": "Handyzubehör > Halterungen",
    "headphones": "Audio > Kopfhörer",
}


class Rule(Protocol):
    """A yes/no question about one product."""

    def __call__(self, product: Product) -> bool: ...


def _paths(product: Product) -> list[str]:
    return [str(path) for path in product.get("category_paths", [])]


def _values(product: Product, name: str) -> list[Any]:
    value = product.get("attributes", {}).get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


@dataclass(frozen=True)
class Kind:
    """The product is of this kind (a key of KIND_PATHS)."""

    kind: str

    def __call__(self, product: Product) -> bool:
        top = KIND_PATHS[self.kind]
        return any(path == top or path.startswith(f"{top} > ") for path in _paths(product))


@dataclass(frozen=True)
class InCategory:
    """One of the product's category paths names this category."""

    name: str

    def __call__(self, product: Product) -> bool:
        return any(self.name in path.split(" > ") for path in _paths(product))


@dataclass(frozen=True)
class Brand:
    """The product's brand, as written."""

    name: str

    def __call__(self, product: Product) -> bool:
        return product.get("brand") == self.name


@dataclass(frozen=True)
class Fits:
    """The device is one of the product's compatible devices, exactly."""

    device: str

    def __call__(self, product: Product) -> bool:
        return self.device in _values(product, "compatible_devices")


@dataclass(frozen=True)
class FitsLine:
    """A compatible device of this line: "iPhone 15" covers "iPhone 15 Pro", not "iPhone 16"."""

    line: str

    def __call__(self, product: Product) -> bool:
        devices = _values(product, "compatible_devices")
        return any(_in_line(str(device), self.line) for device in devices)


def _in_line(device: str, line: str) -> bool:
    rest = device[len(line) :] if device.startswith(line) else None
    # "Galaxy S24+" and "iPhone 15 Pro" continue their line; "iPhone 15" is not of "iPhone 1"
    return rest is not None and (rest == "" or not rest[0].isalnum())


@dataclass(frozen=True)
class Attr:
    """The attribute is this value, or a list holding it."""

    name: str
    value: str | int | float | bool

    def __call__(self, product: Product) -> bool:
        # `is` for booleans: True == 1 must not make a 1-port charger "wireless"
        return any(
            v is self.value if isinstance(self.value, bool) else v == self.value
            for v in _values(product, self.name)
        )


@dataclass(frozen=True)
class AttrAtLeast:
    """A numeric attribute of at least `minimum`."""

    name: str
    minimum: float

    def __call__(self, product: Product) -> bool:
        return any(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= self.minimum
            for v in _values(product, self.name)
        )


@dataclass(frozen=True)
class TitleHas:
    """The title contains these words (a model name such as "AirPods"), any case."""

    words: str

    def __call__(self, product: Product) -> bool:
        return self.words.lower() in str(product.get("title", "")).lower()


@dataclass(frozen=True)
class IdIs:
    """The product is this one."""

    product_id: str

    def __call__(self, product: Product) -> bool:
        return product.get("id") == self.product_id
