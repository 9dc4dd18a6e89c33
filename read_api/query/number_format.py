"""Numbers as shoppers write them, in filter values, facet values and events (pure).

Invariant: the same number always reads the same way, so a facet value chosen
as text matches the filter value it came from.
"""

from __future__ import annotations


def format_number(value: float) -> str:
    """A number as shoppers write it: 20 rather than 20.0."""
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
