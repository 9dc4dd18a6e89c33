"""The read API's caller: where keys are found, and how restricted answers are kept apart."""

from __future__ import annotations

from catalog.apikeys import Principal
from catalog.secured_keys import Restrictions
from read_api.access import ANONYMOUS, Access, presented_key, restriction_clauses


def _scope(*headers: tuple[str, str], query: str = "") -> dict[str, object]:
    return {
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
        "query_string": query.encode(),
    }


def test_a_key_is_found_in_each_place_clients_put_it() -> None:
    header = b"x-api-key"
    assert presented_key(_scope(("Authorization", "Bearer k1")), header) == "k1"
    assert presented_key(_scope(("X-API-Key", "k2")), header) == "k2"
    assert presented_key(_scope(("X-Algolia-API-Key", "k3")), header) == "k3"
    assert presented_key(_scope(query="x-algolia-api-key=k4&x-algolia-agent=js"), header) == "k4"
    assert presented_key(_scope(("Authorization", "Basic abc")), header) is None
    assert presented_key(_scope(), header) is None


def test_restricted_answers_are_cached_apart() -> None:
    assert ANONYMOUS.scoped("catalog:search:abc") == "catalog:search:abc"
    restricted = Access(
        Principal("0123456789ab", "search"), Restrictions(filters="brand:A"), (), "restricted-1"
    )
    assert restricted.scoped("catalog:search:abc") != "catalog:search:abc"
    assert not ANONYMOUS.may("search")
    assert restricted.may("search")
    assert not restricted.may("read_fresh")


def test_a_secured_filter_becomes_clauses_every_hit_must_satisfy() -> None:
    clauses = restriction_clauses('brand:"Acme" AND price < 20')
    assert len(clauses) == 2
    assert restriction_clauses(None) == ()
    assert Access(restrictions=Restrictions(restrict_indices=("products",))).allows_index(
        "products"
    )
    assert not Access(restrictions=Restrictions(restrict_indices=("products",))).allows_index(
        "products_newest"
    )
