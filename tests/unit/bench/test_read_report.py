"""The read benchmark's table cells: the cache column says what a mix allows."""

from __future__ import annotations

from bench.read_queries import peak_mix
from bench.read_report import cache_cell


def test_the_cache_cell_reports_shares_staleness_and_the_ceiling_of_a_mix() -> None:
    cell = cache_cell({"miss": 60, "stale": 30, "hit": 10}, 4, 0.35)
    assert cell == (
        "miss 60%, stale 30%, hit 10% (oldest stale: Age 4 s); "
        "repeated targets 35%, the most hits + stale can be"
    )
    assert cache_cell({"hit": 5}) == "hit 100%"
    assert cache_cell({}) == "-"


def test_the_peak_mix_repeats_more_the_more_of_it_is_sent() -> None:
    paths = peak_mix(20_000, 7, 1.1)
    shares = [1 - len(set(paths[:n])) / n for n in (500, 5_000, 20_000)]
    assert shares == sorted(shares)
    assert shares[0] < 0.9  # a short run cannot reach 90 % hits, whatever the cache does
