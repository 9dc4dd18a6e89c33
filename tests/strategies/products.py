"""Valid product records, as broad as the contract allows (for property tests)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# any Unicode text but lone surrogates (which no JSON encoder emits and no store keeps)
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
non_blank = text.filter(lambda s: bool(s.strip()))
cents = st.integers(0, 10_000_000 * 100).map(lambda c: c / 100)
json_int = st.integers(-(2**53), 2**53)
json_float = st.floats(allow_nan=False, allow_infinity=False, width=64)
attribute_value = st.one_of(text, json_int, json_float, st.booleans(), st.lists(text, max_size=5))
attribute_name = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)


@st.composite
def products(draw: st.DrawFn) -> dict[str, Any]:
    """A product dict that the contract accepts."""
    price = draw(cents)
    product: dict[str, Any] = {
        "id": draw(st.from_regex(r"[A-Za-z0-9._-]{1,64}", fullmatch=True)),
        "title": draw(non_blank),
        "price": price,
        "stock": draw(st.integers(0, 2**53)),
        "status": draw(st.sampled_from(["active", "draft", "archived"])),
        "categories": draw(st.lists(st.lists(non_blank, min_size=1, max_size=6), max_size=3)),
        "attributes": draw(st.dictionaries(attribute_name, attribute_value, max_size=6)),
        "images": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "url": st.from_regex(
                            r"https://[a-z0-9.]{1,20}/[\w/.-]{0,30}", fullmatch=True
                        )
                    },
                    optional={"alt": text},
                ),
                max_size=2,
            )
        ),
    }
    optional = {
        "description": text,
        "brand": non_blank,
        "sale_price": cents.filter(lambda p: p <= price),
        "rating": st.one_of(st.integers(0, 5), st.floats(0, 5, allow_nan=False)),
        "review_count": st.integers(0, 2**53),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            product[name] = draw(strategy)
    return product
