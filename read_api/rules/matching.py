"""Which rules fire for a search (pure): rules indexed by their normalised pattern.

A search looks its words up instead of testing each rule: `is` is one dict
lookup, `startsWith` / `endsWith` one per prefix / suffix up to the longest
pattern, `contains` one per run of words up to the longest pattern. Rules
without a pattern (context- or refinement-only) are tested one by one; they
are few. The cost is bounded by the query's words, not the number of rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from catalog.rules.model import Condition, Refinement
from catalog.rules.patterns import ANCHORINGS, Anchoring, words
from read_api.query.model import Filter, TermsFilter
from read_api.rules.compiled import CompiledRule

MAX_QUERY_WORDS = 64  # words of a query looked at for `contains` patterns
Words = tuple[str, ...]
RefinementKey = tuple[str, str]


def value_key(value: str | float | bool) -> str:
    """A filter value as refinements compare it: 15 equals 15.0, text case-folded."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return value.casefold()


def refinements_of(filters: Iterable[Filter]) -> frozenset[RefinementKey]:
    """The (field, value) pairs the shopper has chosen: values of positive term filters."""
    return frozenset(
        (item.field, value_key(value))
        for item in filters
        if isinstance(item, TermsFilter) and not item.exclude
        for value in item.values
    )


def _keys(refinements: Sequence[Refinement]) -> frozenset[RefinementKey]:
    return frozenset((r.field, value_key(r.value)) for r in refinements)


# the more specific a condition, the earlier its rule applies: contexts first, then
# `is`, `startsWith`/`endsWith`, `contains`, and conditions without a pattern
_ANCHORING_RANK: dict[Anchoring | None, int] = {
    "is": 0,
    "startsWith": 1,
    "endsWith": 1,
    "contains": 2,
    None: 3,
}
Rank = tuple[int, int]
LEAST_SPECIFIC: Rank = (9, 9)


@dataclass(frozen=True, slots=True)
class Entry:
    """One condition of one rule, ready to be checked."""

    rule: int  # the rule's place in the index's order
    context: str | None
    refinements: frozenset[RefinementKey]
    rank: Rank = (0, 0)  # its specificity: lower applies first

    def holds(self, contexts: frozenset[str], chosen: frozenset[RefinementKey]) -> bool:
        """Whether the context and the refinements of the condition hold."""
        if self.context is not None and self.context not in contexts:
            return False
        return self.refinements <= chosen


@dataclass(slots=True)
class RuleIndex:
    """Compiled rules in a stable order (by objectID), their conditions by pattern."""

    rules: list[CompiledRule]
    patterns: dict[Anchoring, dict[Words, list[Entry]]] = field(default_factory=dict)
    unanchored: list[Entry] = field(default_factory=list)
    longest: int = 0

    @classmethod
    def of(cls, rules: Iterable[CompiledRule]) -> RuleIndex:
        """The index of the rules."""
        index = cls(sorted(rules, key=lambda r: r.id), {a: {} for a in ANCHORINGS})
        for number, rule in enumerate(index.rules):
            for condition in rule.fields.conditions:
                index._add(number, condition)
        return index

    def _add(self, number: int, condition: Condition) -> None:
        anchoring = condition.anchoring if condition.pattern is not None else None
        rank = (0 if condition.context is not None else 1, _ANCHORING_RANK[anchoring])
        entry = Entry(number, condition.context, _keys(condition.refinements), rank)
        if condition.pattern is None:
            self.unanchored.append(entry)
            return
        key = words(condition.pattern)
        self.patterns[condition.anchoring].setdefault(key, []).append(entry)
        self.longest = max(self.longest, len(key))

    def __len__(self) -> int:
        return len(self.rules)

    def _candidates(self, query: Words) -> Iterable[Entry]:
        yield from self.unanchored
        yield from self.patterns["is"].get(query, ())
        if not query:
            return
        starts, ends, contains = (self.patterns[a] for a in ("startsWith", "endsWith", "contains"))
        reach = min(len(query), self.longest)
        for n in range(1, reach + 1):
            yield from starts.get(query[:n], ())
            yield from ends.get(query[-n:], ())
        if contains:
            seen = query[:MAX_QUERY_WORDS]
            for i in range(len(seen)):
                for n in range(1, min(self.longest, len(seen) - i) + 1):
                    yield from contains.get(seen[i : i + n], ())

    def matching(
        self,
        text: str,
        contexts: Iterable[str],
        chosen: frozenset[RefinementKey],
        now: datetime,
    ) -> list[CompiledRule]:
        """The rules that fire for a search, most specific first, then by objectID."""
        if not self.rules:
            return []
        wanted = frozenset(contexts)
        best: dict[int, Rank] = {}
        for entry in self._candidates(words(text)):
            if entry.holds(wanted, chosen) and entry.rank < best.get(entry.rule, LEAST_SPECIFIC):
                best[entry.rule] = entry.rank
        order = sorted(best, key=lambda number: (best[number], number))
        rules = (self.rules[number] for number in order)
        return [rule for rule in rules if rule.fields.active_at(now)]

    def next_change(self, now: datetime) -> datetime | None:
        """The next instant a validity window opens or closes (answers change then)."""
        instants = [
            moment
            for rule in self.rules
            for window in rule.fields.validity
            for moment in (window.from_, window.until)
            if moment > now
        ]
        return min(instants, default=None)
