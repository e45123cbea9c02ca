"""The tokenizer of DynamoDB expressions: one left-to-right pass, linear in the input.

Tokens: attribute names (``Price``), expression attribute names (``#p``), expression attribute
values (``:v``), list indexes (``0``), and the punctuation ``= <> < <= > >= ( ) [ ] , . + -``.
Keywords (AND, OR, NOT, BETWEEN, IN, SET, REMOVE, ADD, DELETE) are names the parser recognises
case-insensitively; a character that starts no token becomes an ``error`` token, which the
parser reports the way DynamoDB does: ``Syntax error; token: "$", near: "a $ b"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import limits
from ..errors import DynamoDBError, validation

NAME = "name"
ATTR_NAME = "attr"
ATTR_VALUE = "value"
NUMBER = "number"
OP = "op"
ERROR = "error"
EOF = "eof"

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<name>[A-Za-z][A-Za-z0-9_]*)
  | (?P<attr>\#[A-Za-z0-9_]+)
  | (?P<value>:[A-Za-z0-9_]+)
  | (?P<number>[0-9]+)
  | (?P<op><>|<=|>=|[=<>()\[\],.+\-])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    def shown(self) -> str:
        return "<EOF>" if self.kind == EOF else self.text


def tokenize(text: str, what: str) -> list[Token]:
    """The tokens of ``text`` followed by an EOF token; ``what`` names the parameter."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.MAX_EXPRESSION_BYTES:
        raise validation(
            f"Invalid {what}: Expression size has exceeded the maximum allowed size; "
            f"expression size: {size}"
        )
    if not text.strip():
        raise validation(f"Invalid {what}: The expression can not be empty;")
    tokens: list[Token] = []
    position = 0
    match = _TOKEN.match
    while position < len(text):
        found = match(text, position)
        if found is None:
            tokens.append(Token(ERROR, text[position], position, position + 1))
            position += 1
            continue
        kind = found.lastgroup
        if kind != "ws":
            tokens.append(Token(kind or ERROR, found.group(), position, found.end()))
        position = found.end()
    tokens.append(Token(EOF, "", len(text), len(text)))
    return tokens


def syntax_error(what: str, text: str, tokens: list[Token], index: int) -> DynamoDBError:
    """DynamoDB's message: the offending token and the text from the token before it to the
    token after it (``near``)."""
    token = tokens[index]
    first = tokens[index - 1].start if index > 0 else token.start
    last = tokens[index + 1].end if index + 1 < len(tokens) else token.end
    near = text[first:last] if token.kind != EOF else text[first:]
    error = validation(f'Invalid {what}: Syntax error; token: "{token.shown()}", near: "{near}"')
    error.position = token.start  # type: ignore[attr-defined]
    return error
