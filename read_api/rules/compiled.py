"""Rules made ready for searches (pure): their filters as internal filters, boosts as weights.

Compiling happens once per load of the rule set, never per search. A rule
whose filters name a field the read model does not know is left out (with
a warning): half a rule would do something no editor asked for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pydantic import ValidationError

from catalog.rules.model import RuleFields, RuleFilter
from read_api.query.merchandising import Boosted, Pin
from read_api.query.model import RangeFilter, TermsFilter

log = logging.getLogger(__name__)
ReadFilter = TermsFilter | RangeFilter


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One live rule with its consequences in the read model's terms."""

    id: str
    fields: RuleFields
    filters: tuple[ReadFilter, ...]
    boosts: tuple[Boosted, ...]
    pins: tuple[Pin, ...]
    hidden: tuple[str, ...]


def read_filter(item: RuleFilter) -> ReadFilter:
    """The internal filter of a rule's filter (ValidationError for an unknown field)."""
    if item.values is not None:
        return TermsFilter(field=item.field, values=list(item.values), exclude=item.exclude)
    return RangeFilter(field=item.field, gte=item.gte, lte=item.lte, exclude=item.exclude)


def weight(score: float) -> float:
    """The score multiplier of a boost (score > 0) or a bury (score < 0)."""
    return 1.0 + score if score > 0 else 1.0 / (1.0 - score)


def compile_rule(rule_id: str, fields: RuleFields) -> CompiledRule | None:
    """The compiled rule, or None when the read model cannot apply it."""
    consequence = fields.consequence
    try:
        filters = tuple(read_filter(f) for f in consequence.filters)
        boosts = tuple(
            Boosted(filter=read_filter(b.filter), weight=weight(b.score))
            for b in consequence.boosts
        )
    except ValidationError as exc:
        log.warning("rule left out", extra={"rule": rule_id, "error": str(exc.errors()[0])})
        return None
    pins = tuple(Pin(id=pid, position=position) for pid, position in consequence.pins())
    hidden = tuple(h.objectID for h in consequence.hide)
    return CompiledRule(rule_id, fields, filters, boosts, pins, hidden)
