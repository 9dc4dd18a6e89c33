"""Which texts a search also looks for, by the synonym sets (pure).

A query's normalised words are scanned for phrases a set names; each match
gives one alternative text with that phrase replaced ("handyhülle schwarz"
-> "handytasche schwarz"), longest phrases first at each position. Only one
phrase is replaced per alternative, and at most `MAX_ALTERNATIVES` are made,
so a search's clauses stay bounded whatever the sets. The search matches the
text or any alternative (read_api/query/text.py), the text as typed ranking
a little higher.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from catalog.languages import LANGUAGES, Language
from catalog.rules.patterns import words
from catalog.synonyms.model import SynonymFields
from read_api.query.model import MAX_ALTERNATIVES

MAX_QUERY_WORDS = 12  # words of a long query looked at

Phrase = tuple[str, ...]


Table = dict[Phrase, frozenset[Phrase]]


def _table(sets: Iterable[SynonymFields]) -> tuple[Table, int]:
    merged: dict[Phrase, set[Phrase]] = {}
    for fields in sets:
        for phrase, targets in fields.replacements().items():
            merged.setdefault(phrase, set()).update(targets)
    table = {phrase: frozenset(t) for phrase, t in merged.items() if t}
    return table, max((len(p) for p in table), default=0)


@dataclass(frozen=True)
class SynonymIndex:
    """The sets by id, and per choice of languages the phrases (normalised words) with what
    each may be replaced by (a set without a language is in every table)."""

    sets: dict[str, SynonymFields]
    tables: dict[frozenset[Language], tuple[Table, int]]

    @classmethod
    def of(cls, sets: Iterable[tuple[str, SynonymFields]]) -> SynonymIndex:
        """The index of these (id, set) pairs (a phrase of several sets gets all their
        replacements)."""
        by_id = dict(sets)
        tables = {}
        for chosen in _choices():
            kept = [f for f in by_id.values() if f.language is None or f.language in chosen]
            tables[chosen] = _table(kept)
        return cls(by_id, tables)

    def alternatives(self, text: str, languages: frozenset[Language] = frozenset()) -> list[str]:
        """The texts the search also looks for, by the sets of the query's languages (none
        given: every set); empty when no set names a phrase of it."""
        replacements, longest = self.tables[languages or frozenset(LANGUAGES)]
        if not replacements:
            return []
        found = words(text)[:MAX_QUERY_WORDS]
        out: list[str] = []
        for start in range(len(found)):
            for size in range(min(longest, len(found) - start), 0, -1):
                for target in sorted(replacements.get(found[start : start + size], ())):
                    alternative = " ".join((*found[:start], *target, *found[start + size :]))
                    if alternative not in out:
                        out.append(alternative)
                    if len(out) == MAX_ALTERNATIVES:
                        return out
        return out


def _choices() -> list[frozenset[Language]]:
    """Every non-empty choice of languages."""
    return [frozenset(c) for n in range(1, len(LANGUAGES) + 1) for c in combinations(LANGUAGES, n)]
