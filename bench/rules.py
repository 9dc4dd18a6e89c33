"""Query rule evaluation per search, in process: 1,000 rules against no rules at all.

    .venv/bin/python -m bench.rules [--rules 1000] [--searches 2000] [--rounds 5]

The searches are the demo mix of the read benchmark (`bench.read_queries`),
parsed by the read API's own code. The rules are made from the same words
(so many searches fire some): a quarter each `is`, `startsWith`, `endsWith`
and `contains`, one in ten with a context, one in ten with a window, with
pins, hides, boosts and userData. Measured per search: `with_rules` (match
and merge, the cost rules add before the cache lookup), and the whole
in-process path a search takes before Elasticsearch (rules, cache key
material, body) with 1,000 rules and with none. No I/O is involved.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.read_queries import distinct_searches, popular_texts
from catalog.rules.model import RuleFields
from catalog.rules.patterns import ANCHORINGS
from catalog.settings import get_settings
from read_api.cache.keys import search_key
from read_api.query.builder import search_body
from read_api.query.model import SearchQuery
from read_api.rules.applying import with_rules
from read_api.rules.compiled import compile_rule
from read_api.rules.matching import RuleIndex

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def make_rules(count: int, seed: int) -> RuleIndex:
    """`count` rules on the demo's popular words, compiled and indexed."""
    rng = random.Random(seed)  # noqa: S311 - benchmark input
    texts = popular_texts()
    compiled = []
    for n in range(count):
        words = rng.choice(texts).split()
        start = rng.randrange(len(words))
        pattern = " ".join(words[start : start + rng.randint(1, 2)])
        condition: dict[str, Any] = {"pattern": pattern, "anchoring": ANCHORINGS[n % 4]}
        if n % 10 == 0:
            condition["context"] = f"ctx{n % 7}"
        body: dict[str, Any] = {
            "conditions": [condition],
            "consequence": {
                "promote": [{"objectID": f"P{n}", "position": n % 5}],
                "hide": [{"objectID": f"H{n}"}],
                "boosts": [{"filter": {"field": "brand", "values": ["Acme"]}, "score": 2}],
                "userData": {"rule": n},
            },
        }
        if n % 10 == 5:
            body["validity"] = [
                {"from": NOW - timedelta(days=1), "until": NOW + timedelta(days=n % 3 - 1, hours=1)}
            ]
        rule = compile_rule(f"rule-{n:05d}", RuleFields.model_validate(body))
        assert rule is not None
        compiled.append(rule)
    return RuleIndex.of(compiled)


def per_search_us(
    run: Callable[[SearchQuery], object], queries: list[SearchQuery], rounds: int
) -> list[float]:
    """Microseconds per search of `run`, one figure per search (best of the rounds)."""
    best = [float("inf")] * len(queries)
    for _ in range(rounds):
        for i, query in enumerate(queries):
            started = time.perf_counter_ns()
            run(query)
            best[i] = min(best[i], (time.perf_counter_ns() - started) / 1000)
    return best


def summary(name: str, values: list[float]) -> str:
    """One row: median, p99, max in µs."""
    ordered = sorted(values)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"| {name} | {statistics.median(ordered):.1f} | {p99:.1f} | {ordered[-1]:.1f} |"


def main() -> None:
    """Measure and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--searches", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    settings = get_settings()
    queries = [s.query(settings) for s in distinct_searches(args.searches, seed=11)]
    index, empty = make_rules(args.rules, seed=3), RuleIndex.of([])
    fired = sum(bool(index.matching(q.text, (), frozenset(), NOW)) for q in queries)

    def apply(rules: RuleIndex) -> Callable[[SearchQuery], object]:
        return lambda q: with_rules(q, rules, ("ctx3",), NOW)

    def whole(rules: RuleIndex) -> Callable[[SearchQuery], object]:
        def run(q: SearchQuery) -> object:
            ruled = with_rules(q, rules, ("ctx3",), NOW)
            return search_key(ruled), search_body(ruled)

        return run

    print(f"{len(queries)} searches, {len(index)} rules; {fired} searches fire at least one rule\n")
    print("| per search, µs | median | p99 | max |")
    print("| --- | --- | --- | --- |")
    print(
        summary(
            f"rule evaluation, {len(index)} rules",
            per_search_us(apply(index), queries, args.rounds),
        )
    )
    print(summary("rule evaluation, no rules", per_search_us(apply(empty), queries, args.rounds)))
    print(
        summary(
            f"rules + key + body, {len(index)} rules",
            per_search_us(whole(index), queries, args.rounds),
        )
    )
    print(
        summary(
            "key + body, no rules (baseline)", per_search_us(whole(empty), queries, args.rounds)
        )
    )


if __name__ == "__main__":
    main()
