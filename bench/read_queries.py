"""What the read benchmark asks: searches in the demo catalog's words, and their `_search` bodies.

A `Search` becomes a GET request of the read API and, through the read API's
own parameter parsing and `read_api.query.builder.search_body`, the identical
`_search` body the read API sends for it. Popular queries follow a Zipf
distribution over a ranked list of shop words (kinds, devices, brands, and
combinations of them); filters, sorts and pages vary as a storefront's do.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any
from urllib.parse import urlencode

from catalog.demo import vocabulary as v
from catalog.settings import Settings
from read_api.params import browse_params, query_from_params
from read_api.query.builder import search_body
from read_api.query.model import SearchQuery, Sort

FACETS = ("brand", "categories", "effective_price", "attributes.color")
KINDS = (
    "hülle", "klapphülle", "ladegerät", "netzteil", "usb-c kabel", "kabel", "panzerglas",
    "schutzfolie", "powerbank", "halterung", "kfz halterung", "kopfhörer", "magsafe",
    "wireless charger", "gan ladegerät", "lightning kabel",
)  # fmt: skip
CATEGORIES = (
    "Handyzubehör > Hüllen", "Handyzubehör > Displayschutz", "Handyzubehör > Kabel",
    "Handyzubehör > Ladegeräte", "Handyzubehör > Powerbanks", "Handyzubehör > Halterungen",
    "Handyzubehör > MagSafe Zubehör", "Audio > Kopfhörer", "Auto & Navigation > KFZ-Zubehör",
    "Angebote",
)  # fmt: skip
COLOURS = ("schwarz", "weiß", "blau", "transparent", "grau", "rot")
PRICES = ("effective_price:[0,20)", "effective_price:[20,50)", "effective_price:[50,100)")
SORTS: tuple[Sort, ...] = ("relevance", "price_asc", "price_desc", "rating", "newest")
SORT_WEIGHTS = (85, 6, 3, 4, 2)
PAGE_WEIGHTS = (80, 15, 5)  # pages 1, 2, 3


def _brands() -> list[str]:
    lines: list[Sequence[Any]] = [
        *v.CASE_LINES, *v.CHARGER_LINES, *v.CABLE_LINES, *v.PROTECTOR_LINES,
        *v.POWERBANK_LINES, *v.HOLDER_LINES, *v.HEADPHONES,
    ]  # fmt: skip
    return list(dict.fromkeys(str(line[0]) for line in lines))


BRANDS = tuple(_brands())
DEVICES = tuple(d for family in v.DEVICES.values() for d in family)


@dataclass(frozen=True, slots=True)
class Search:
    """One search (words) or listing (a category, no words) as a storefront sends it."""

    q: str = ""
    filters: tuple[str, ...] = ()
    facets: tuple[str, ...] = FACETS
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = 20
    category: str | None = None

    def path(self) -> str:
        """The GET request target on the read API."""
        params: list[tuple[str, str | int]] = [("q", self.q)] if self.q else []
        if self.category is not None:
            params.append(("category", self.category))
        params += [("filter", f) for f in self.filters]
        if self.facets:
            params.append(("facets", ",".join(self.facets)))
        params += [("sort", self.sort), ("page", self.page), ("page_size", self.page_size)]
        route = "/v1/search" if self.category is None else "/v1/listing"
        return f"{route}?{urlencode(params)}"

    def es_body(self, settings: Settings) -> dict[str, Any]:
        """The `_search` body the read API builds for this request (its own parsing and builder)."""
        return search_body(self.query(settings))

    def query(self, settings: Settings) -> SearchQuery:
        """The query the read API makes of this request (its own parsing)."""
        params = browse_params(
            settings,
            filter_=list(self.filters),
            facets=[",".join(self.facets)],
            facet_size=10,
            sort=self.sort,
            page=self.page,
            page_size=self.page_size,
            cursor=None,
            highlight=True,
            highlight_pre_tag="<em>",
            highlight_post_tag="</em>",
            typo_tolerance=True,
        )
        return query_from_params(self.q, self.category, params)


def popular_texts() -> list[str]:
    """Search words ranked from most to least popular (the Zipf ranks)."""
    recent = [d for d in DEVICES if any(n in d for n in ("15", "16", "S24", "S25", "Pixel 9"))]
    head = [
        *KINDS[:8],
        *(f"{d.lower()} hülle" for d in recent[:8]),
        *(b.lower() for b in BRANDS[:10]),
    ]
    rng = random.Random(7)  # noqa: S311 - a fixed, shuffled tail; not secrets
    tail = [
        *(d.lower() for d in DEVICES),
        *(f"{d.lower()} {k}" for d in DEVICES for k in ("hülle", "panzerglas", "schutzfolie")),
        *(f"{b.lower()} {k}" for b in BRANDS for k in KINDS[:6]),
        *KINDS[8:],
        *(b.lower() for b in BRANDS[10:]),
    ]
    rng.shuffle(tail)
    return list(dict.fromkeys([*head, *tail]))


def _filters(rng: random.Random) -> tuple[str, ...]:
    chosen: list[str] = []
    roll = rng.random()
    if roll < 0.15:
        chosen.append(f"brand:{rng.choice(BRANDS[:12])}")
    elif roll < 0.25:
        chosen.append(rng.choice(PRICES))
    elif roll < 0.30:
        chosen.append(f"attributes.color:{rng.choice(COLOURS)}")
    if rng.random() < 0.1:
        chosen.append("in_stock:true")
    return tuple(chosen)


def _browse(rng: random.Random, text: str) -> Search:
    return Search(
        q=text,
        filters=_filters(rng),
        sort=rng.choices(SORTS, SORT_WEIGHTS)[0],
        page=rng.choices((1, 2, 3), PAGE_WEIGHTS)[0],
    )


def distinct_searches(count: int, seed: int) -> list[Search]:
    """`count` different faceted searches, words uniformly from the whole list."""
    rng = random.Random(seed)  # noqa: S311 - benchmark input, not secrets
    texts = popular_texts()
    found: dict[Search, None] = {}
    for _ in range(count * 50):
        if len(found) == count:
            break
        found[_browse(rng, rng.choice(texts))] = None
    return list(found)


def peak_mix(count: int, seed: int, zipf_s: float) -> list[str]:
    """`count` GET targets: 80 % searches (Zipf words), 10 % listings, 10 % autocomplete."""
    rng = random.Random(seed)  # noqa: S311 - benchmark input, not secrets
    texts = popular_texts()
    weights = list(accumulate(1 / rank**zipf_s for rank in range(1, len(texts) + 1)))
    paths = []
    for _ in range(count):
        text = rng.choices(texts, cum_weights=weights)[0]
        roll = rng.random()
        if roll < 0.8:
            paths.append(_browse(rng, text).path())
        elif roll < 0.9:
            category = CATEGORIES[min(int(rng.paretovariate(1.2)) - 1, len(CATEGORIES) - 1)]
            search = _browse(rng, "")
            paths.append(Search(category=category, sort=search.sort, page=search.page).path())
        else:
            typed = text[: rng.randint(min(2, len(text)), len(text))]
            paths.append(f"/v1/autocomplete?{urlencode({'q': typed})}")
    return paths
