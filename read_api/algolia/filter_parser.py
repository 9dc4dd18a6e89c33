"""Algolia's `filters` language read into a syntax tree (recursive descent, pure).

    expression := disjunction (AND disjunction)*
    disjunction := term (OR term)*
    term       := "(" expression ")" | [NOT] condition
    condition  := attribute ":" value [TO number] | attribute operator number | tag

OR binds tighter than AND, as in Algolia's engine: `a AND b OR c` reads
`a AND (b OR c)` (conventional precedence would make it `(a AND b) OR c`, which
Algolia refuses anyway, so every expression valid both ways means the same).
NOT negates one condition, never a group. The tree keeps what was written;
filter_language.py checks that it is a conjunction of disjunctions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from read_api.algolia.filter_tokens import ParseError, Token, tokenize

TAG = "tag"  # the operator of a bare value: an Algolia tag filter
MAX_DEPTH = 32  # nested parentheses: deeper is no real filter, and would exhaust the stack


@dataclass(frozen=True, slots=True)
class Condition:
    """One filter as written: `attribute:value`, `attribute:low TO high`, `attribute >= n`."""

    attribute: str
    operator: str  # ":", "TO", one of < <= = != >= >, or TAG
    value: str
    high: str | None = None
    negated: bool = False
    column: int = field(default=0, compare=False)
    value_column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class AllOf:
    """Items joined by AND (`column`: where the first AND is)."""

    items: tuple[Node, ...]
    column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class OneOf:
    """Items joined by OR (`column`: where the first OR is)."""

    items: tuple[Node, ...]
    column: int = field(default=0, compare=False)


Node = Condition | AllOf | OneOf


def unexpected(token: Token, expected: str) -> ParseError:
    """Algolia's message for a token that does not fit: `Unexpected token 'OR' expected filter`."""
    return ParseError(f"Unexpected token {token.describe()} expected {expected}", token.column)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.at = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def sees(self, kind: str) -> bool:
        return self.tokens[self.at].kind == kind

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expression(self) -> Node:
        items, column = [self.disjunction()], 0
        while self.sees("AND"):
            operator = self.take()
            column = column or operator.column
            items.append(self.disjunction())
        return items[0] if len(items) == 1 else AllOf(tuple(items), column)

    def disjunction(self) -> Node:
        items, column = [self.term()], 0
        while self.sees("OR"):
            operator = self.take()
            column = column or operator.column
            items.append(self.term())
        return items[0] if len(items) == 1 else OneOf(tuple(items), column)

    def term(self) -> Node:
        if self.sees("("):
            opening = self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ParseError(f"at most {MAX_DEPTH} nested parentheses", opening.column)
            inner = self.expression()
            self.depth -= 1
            if not self.sees(")"):
                raise unexpected(self.token, "')'")
            self.take()
            return inner
        negated = self.sees("NOT")
        if negated:
            self.take()
            if self.sees("("):
                raise ParseError(
                    "Unexpected token '(' expected filter (NOT negates one filter, not a group)",
                    self.token.column,
                )
        return self.condition(negated)

    def number(self) -> Token:
        if not self.token.is_number():
            raise unexpected(self.token, "numeric")
        return self.take()

    def condition(self, negated: bool) -> Condition:
        name = self.token
        if name.kind not in ("word", "quoted") or not name.text:
            raise unexpected(name, "filter")
        self.take()
        if self.sees("operator"):
            operator = self.take().text
            value = self.number()
            return Condition(
                name.text, operator, value.text, None, negated, name.column, value.column
            )
        if not self.sees(":"):
            return Condition(name.text, TAG, "", None, negated, name.column, name.column)
        self.take()
        value = self.token
        if value.kind not in ("word", "quoted") or not value.text:
            raise unexpected(value, "string")
        self.take()
        if self.sees("TO") and value.is_number():
            self.take()
            high = self.number()
            return Condition(
                name.text, "TO", value.text, high.text, negated, name.column, value.column
            )
        return Condition(name.text, ":", value.text, None, negated, name.column, value.column)


def parse_tree(text: str) -> Node | None:
    """The syntax tree of a `filters` string (None when it holds no filter); ParseError."""
    parser = _Parser(text)
    if parser.sees("end"):
        return None
    tree = parser.expression()
    if not parser.sees("end"):
        raise unexpected(parser.token, "end of filter")
    return tree
