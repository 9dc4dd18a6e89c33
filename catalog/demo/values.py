"""Value helpers shared by the demo product builders: prices, EANs and word lists."""

from __future__ import annotations

import math
import random

_EAN_STEP = 7_919_317  # coprime to 10: n * step + offset never repeats for n below 10**10
_ENDINGS = (0.99, 0.95, 0.90, 0.49, 0.0)
_ENDING_WEIGHTS = (64, 12, 10, 10, 4)
_PREMIUM = {"Apple", "OtterBox", "UAG", "Native Union", "Peak Design", "dbramante1928", "ZAGG"}
_BUDGET = {"Baseus", "Ugreen", "ESR", "Nillkin", "Intenso", "Xiaomi", "Nevox"}


def price(rng: random.Random, low: int, high: int, brand: str = "", share: float = -1) -> float:
    """A shop price between `low` and `high` euros, shifted by brand tier and spec share."""
    # a bigger spec (share of the way from smallest to largest) sits higher in the range
    if share >= 0:
        mid, spread = low + (high - low) * share, (high - low) / 4
        low, high = round(max(low, mid - spread)), round(min(high, mid + spread))
    if brand in _PREMIUM:
        low = (low + high) // 2
    elif brand in _BUDGET:
        high = (low + high) // 2
    return round(rng.randint(low, high) + rng.choices(_ENDINGS, _ENDING_WEIGHTS)[0], 2)


def sale_price(rng: random.Random, regular: float) -> float | None:
    """A reduced price 10-40% below `regular`, or None when it would fall under one euro."""
    sale = math.floor(regular * rng.uniform(0.6, 0.9)) - 0.01
    return round(sale, 2) if sale >= 1 else None


def ean(n: int, offset: int) -> str:
    """The EAN-13 of product number `n`, unique per offset, with a valid check digit."""
    body = f"40{(n * _EAN_STEP + offset) % 10**10:010d}"  # 40: a German GS1 prefix
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str(-total % 10)


def join(*parts: str) -> str:
    """The non-empty parts joined by spaces."""
    return " ".join(p for p in parts if p)


def some(rng: random.Random, names: tuple[str, ...], low: int, high: int) -> list[str]:
    """Between `low` and `high` of `names`, drawn at random, in catalogue order."""
    chosen = set(rng.sample(names, rng.randint(low, high)))
    return [name for name in names if name in chosen]  # catalogue order, not draw order
