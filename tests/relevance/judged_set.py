"""A judged data set as the evaluation needs it: rated queries, and what the baseline indexes.

Ratings map a query to product ids and their grades (0-3). A product without
a rating counts as 0, and the ideal ranking of a query is the best order of
all its ratings, so a set may list every product (rule-graded) or only the
ones people looked at (Chorus): both are measured the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Ratings = Mapping[str, Mapping[str, int]]  # query -> product id -> rating


@dataclass(frozen=True)
class Document:
    """A product's text as the BM25 baseline indexes it."""

    id: str
    title: str
    description: str | None
    brand: str | None

    @classmethod
    def from_product(cls, product: Mapping[str, Any]) -> Document:
        """The baseline's fields of a product in the write API's shape."""
        return cls(
            str(product["id"]),
            str(product["title"]),
            product.get("description"),
            product.get("brand"),
        )


@dataclass(frozen=True)
class JudgedSet:
    """One data set's rated queries and its searchable products."""

    name: str  # what the command line, the report and the scratch index call it
    dataset: str  # the products' `attributes.dataset`: every search is restricted to it
    ratings: Ratings
    # the products shoppers may see (active), for the baseline's scratch index
    documents: Sequence[Document]

    @property
    def queries(self) -> list[str]:
        """Every rated query, in the order the set lists them."""
        return list(self.ratings)
