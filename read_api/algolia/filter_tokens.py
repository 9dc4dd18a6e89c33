"""The tokens of Algolia's `filters` language, each with the column it starts at.

Words end at white space and at `( ) : < > = !=` unless escaped with a
backslash; quoted strings (`"…"` or `'…'`) hold anything, a backslash escaping
the next character. `AND`, `OR`, `NOT` and `TO` are keywords only in capitals
and unquoted, as in Algolia; `10TO20` is read as `10 TO 20`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["word", "quoted", "(", ")", ":", "operator", "AND", "OR", "NOT", "TO", "end"]
KEYWORDS: frozenset[str] = frozenset({"AND", "OR", "NOT", "TO"})
OPERATORS = ("<=", ">=", "!=", "<", ">", "=")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GLUED_RANGE = re.compile(rf"({NUMBER.pattern})TO({NUMBER.pattern})")
_STOPS = frozenset("():<>=\"'")


class ParseError(ValueError):
    """Text that is not a filter expression: what is wrong and its 1-based column."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} at col {column}")
        self.message = message
        self.column = column


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text (unescaped), and the 1-based column it starts at."""

    kind: Kind
    text: str
    column: int
    escaped: bool = False  # a word with a backslash is never a keyword or a number

    def is_number(self) -> bool:
        """Whether an unquoted word spells a number (`10`, `-2.5`, `1e3`)."""
        return self.kind == "word" and not self.escaped and bool(NUMBER.fullmatch(self.text))

    def describe(self) -> str:
        """The token as Algolia's messages name it: `'AND'`, `string(x)`, `end of filter`."""
        if self.kind == "end":
            return "end of filter"
        if self.kind in ("word", "quoted"):
            if not self.text:
                return "empty string"
            return f"numeric({self.text})" if self.is_number() else f"string({self.text})"
        return f"'{self.text}'"


def _quoted(text: str, start: int) -> tuple[str, int]:
    quote, chars, i = text[start], [], start + 1
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            chars.append(text[i + 1])
            i += 2
        elif text[i] == quote:
            return "".join(chars), i + 1
        else:
            chars.append(text[i])
            i += 1
    raise ParseError("Unexpected token incomplete string expected filter", start + 1)


def _word(text: str, start: int) -> tuple[str, bool, int]:
    chars, escaped, i = [], False, start
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            chars.append(text[i + 1])
            escaped, i = True, i + 2
            continue
        if char.isspace() or char in _STOPS or text.startswith("!=", i):
            break
        chars.append(char)
        i += 1
    return "".join(chars), escaped, i


def _words(word: str, escaped: bool, column: int) -> list[Token]:
    glued = None if escaped else _GLUED_RANGE.fullmatch(word)
    if glued is None:
        kind: Kind = "word"
        if not escaped and word in KEYWORDS:
            kind = word  # type: ignore[assignment]
        return [Token(kind, word, column, escaped)]
    low, high = glued.group(1), glued.group(2)
    return [
        Token("word", low, column),
        Token("TO", "TO", column + len(low)),
        Token("word", high, column + len(low) + 2),
    ]


def tokenize(text: str) -> list[Token]:
    """Every token of `text`, ending with an `end` token; ParseError for an unclosed quote."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "():":
            tokens.append(Token(char, char, i + 1))  # type: ignore[arg-type]
            i += 1
        elif operator := next((op for op in OPERATORS if text.startswith(op, i)), None):
            tokens.append(Token("operator", operator, i + 1))
            i += len(operator)
        elif char in "\"'":
            value, end = _quoted(text, i)
            tokens.append(Token("quoted", value, i + 1))
            i = end
        else:
            word, escaped, end = _word(text, i)
            tokens += _words(word, escaped, i + 1)
            i = end
    tokens.append(Token("end", "", len(text) + 1))
    return tokens
