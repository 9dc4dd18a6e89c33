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

from catalog.rules.patterns import words
from catalog.synonyms.model import SynonymFields
from read_api.query.model import MAX_ALTERNATIVES

MAX_QUERY_WORDS = 12  # words of a long query looked at

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class SynonymIndex:
    """The sets by id, and phrases (normalised words) with what each may be replaced by."""

    sets: dict[str, SynonymFields]
    replacements: dict[Phrase, frozenset[Phrase]]
    longest: int = 0

    @classmethod
    def of(cls, sets: Iterable[tuple[str, SynonymFields]]) -> SynonymIndex:
        """The index of these (id, set) pairs (a phrase of several sets gets all their
        replacements)."""
        by_id = dict(sets)
        merged: dict[Phrase, set[Phrase]] = {}
        for fields in by_id.values():
            for phrase, targets in fields.replacements().items():
                merged.setdefault(phrase, set()).update(targets)
        replacements = {phrase: frozenset(t) for phrase, t in merged.items() if t}
        return cls(by_id, replacements, max((len(p) for p in replacements), default=0))

    def alternatives(self, text: str) -> list[str]:
        """The texts the search also looks for (none when no set names a phrase of it)."""
        if not self.replacements:
            return []
        found = words(text)[:MAX_QUERY_WORDS]
        out: list[str] = []
        for start in range(len(found)):
            for size in range(min(self.longest, len(found) - start), 0, -1):
                for target in sorted(self.replacements.get(found[start : start + size], ())):
                    alternative = " ".join((*found[:start], *target, *found[start + size :]))
                    if alternative not in out:
                        out.append(alternative)
                    if len(out) == MAX_ALTERNATIVES:
                        return out
        return out
