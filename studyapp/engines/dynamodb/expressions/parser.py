"""Recursive-descent parsers for condition, key condition, filter, projection and update
expressions (Developer Guide: Expressions.OperatorsAndFunctions.html,
Expressions.UpdateExpressions.html, Expressions.ProjectionExpressions.html).

Each parser reads the tokens once, left to right (linear time), and counts how deeply
parentheses, NOT and function calls nest: past ``limits.MAX_EXPRESSION_NESTING`` the input is
refused with a ValidationException, so no input can exhaust Python's stack. The trees are
tuples (hashable, never changed), cached per expression text:

    ("path", (("name", "a"), ("attr", "#b"), ("index", 0)))     a.#b[0]
    ("value", ":v")     ("size", path)
    ("cmp", "=", x, y)  ("between", x, low, high)  ("in", x, (y, ...))
    ("func", "begins_with", (x, y))  ("and", p, q)  ("or", p, q)  ("not", p)
    update operands: path, value, ("+", x, y), ("-", x, y),
                     ("if_not_exists", path, x), ("list_append", x, y)

Precedence (lowest first): OR, AND, NOT, then comparisons, BETWEEN, IN and functions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .. import limits
from ..errors import validation
from .tokens import ATTR_NAME, ATTR_VALUE, EOF, NAME, NUMBER, OP, Token, syntax_error, tokenize

COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")
CONDITION_FUNCTIONS = {
    "attribute_exists": 1,
    "attribute_not_exists": 1,
    "attribute_type": 2,
    "begins_with": 2,
    "contains": 2,
}
UPDATE_FUNCTIONS = {"if_not_exists": 2, "list_append": 2}
CLAUSES = ("SET", "REMOVE", "ADD", "DELETE")

Node = tuple[Any, ...]


class _Parser:
    def __init__(self, text: str, what: str) -> None:
        self.text = text
        self.what = what
        self.tokens: list[Token] = tokenize(text, what)
        self.index = 0
        self.depth = 0
        self.operators = 0

    # Token helpers ---------------------------------------------------------------------------

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def fail(self) -> Exception:
        return syntax_error(self.what, self.text, self.tokens, self.index)

    def is_op(self, text: str) -> bool:
        token = self.token
        return token.kind == OP and token.text == text

    def is_keyword(self, word: str) -> bool:
        token = self.token
        return token.kind == NAME and token.text.upper() == word

    def expect_op(self, text: str) -> None:
        if not self.is_op(text):
            raise self.fail()
        self.index += 1

    def expect_end(self) -> None:
        if self.token.kind != EOF:
            raise self.fail()

    def enter(self) -> None:
        self.depth += 1
        if self.depth > limits.MAX_EXPRESSION_NESTING:
            raise validation(
                f"Invalid {self.what}: The expression has too many nested levels; "
                f"maximum nesting: {limits.MAX_EXPRESSION_NESTING}"
            )

    # Paths and operands ----------------------------------------------------------------------

    def path(self) -> Node:
        elements = [self.path_element()]
        while True:
            if self.is_op("."):
                self.index += 1
                elements.append(self.path_element())
            elif self.is_op("["):
                self.index += 1
                token = self.token
                if token.kind != NUMBER:
                    raise self.fail()
                if len(token.text) > 9:
                    raise validation(
                        f"Invalid {self.what}: List index is out of range; index: {token.text}"
                    )
                self.index += 1
                self.expect_op("]")
                elements.append(("index", int(token.text)))
            else:
                break
            if len(elements) > limits.MAX_NESTING:
                raise validation(
                    f"Invalid {self.what}: The document path has too many nesting levels; "
                    f"nesting levels: {len(elements)}"
                )
        return ("path", tuple(elements))

    def path_element(self) -> tuple[str, str]:
        token = self.token
        if token.kind == NAME:
            self.index += 1
            return ("name", token.text)
        if token.kind == ATTR_NAME:
            self.index += 1
            return ("attr", token.text)
        raise self.fail()

    def call(self, argument: Callable[[], Node]) -> tuple[str, list[Node]]:
        """name ( argument , ... ): each argument read by ``argument``."""
        name = self.token.text
        self.index += 2  # the name and "("
        self.enter()
        arguments = [argument()]
        while self.is_op(","):
            self.index += 1
            arguments.append(argument())
        self.expect_op(")")
        self.depth -= 1
        self.operators += 1
        return name, arguments

    def operand(self) -> Node:
        token = self.token
        if token.kind == ATTR_VALUE:
            self.index += 1
            return ("value", token.text)
        if token.kind == NAME and self.peek().kind == OP and self.peek().text == "(":
            return self.function_operand()
        return self.path()

    def function_operand(self) -> Node:
        name = self.token.text
        if name in CONDITION_FUNCTIONS or name in UPDATE_FUNCTIONS:
            raise validation(
                f"Invalid {self.what}: The function is not allowed to be used this way in an "
                f"expression; function: {name}"
            )
        if name != "size":
            raise validation(f"Invalid {self.what}: Invalid function name; function: {name}")
        _, arguments = self.call(self.operand)
        _check_arity(self.what, name, arguments, 1)
        return ("size", arguments[0])

    # Conditions ------------------------------------------------------------------------------

    def condition(self) -> Node:
        node = self.conjunction()
        while self.is_keyword("OR"):
            self.index += 1
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.is_keyword("AND"):
            self.index += 1
            node = ("and", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.is_keyword("NOT"):
            self.index += 1
            self.enter()
            node = ("not", self.negation())
            self.depth -= 1
            return node
        return self.predicate()

    def predicate(self) -> Node:
        token = self.token
        if self.is_op("("):
            self.index += 1
            self.enter()
            node = self.condition()
            self.expect_op(")")
            self.depth -= 1
            return node
        following = self.peek()
        if (
            token.kind == NAME
            and following.kind == OP
            and following.text == "("
            and token.text in CONDITION_FUNCTIONS
        ):
            name, arguments = self.call(self.operand)
            _check_arity(self.what, name, arguments, CONDITION_FUNCTIONS[name])
            return ("func", name, tuple(arguments))
        left = self.operand()
        token = self.token
        if token.kind == OP and token.text in COMPARATORS:
            self.index += 1
            return ("cmp", token.text, left, self.operand())
        if self.is_keyword("BETWEEN"):
            self.index += 1
            low = self.operand()
            if not self.is_keyword("AND"):
                raise self.fail()
            self.index += 1
            return ("between", left, low, self.operand())
        if self.is_keyword("IN"):
            self.index += 1
            self.expect_op("(")
            choices = [self.operand()]
            while self.is_op(","):
                self.index += 1
                choices.append(self.operand())
                if len(choices) > limits.MAX_IN_OPERANDS:
                    raise validation(
                        f"Invalid {self.what}: The expression has too many operands for IN; "
                        f"maximum: {limits.MAX_IN_OPERANDS}"
                    )
            self.expect_op(")")
            return ("in", left, tuple(choices))
        raise self.fail()

    # Updates ---------------------------------------------------------------------------------

    def update(self) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        clauses: dict[str, list[Any]] = {}
        while self.token.kind != EOF:
            token = self.token
            word = token.text.upper() if token.kind == NAME else ""
            if word not in CLAUSES:
                raise self.fail()
            if word in clauses:
                raise validation(
                    f'Invalid {self.what}: The "{word}" section can only be used once in an '
                    "update expression;"
                )
            self.index += 1
            actions = clauses[word] = [self.update_action(word)]
            while self.is_op(","):
                self.index += 1
                actions.append(self.update_action(word))
            if self.operators > limits.MAX_UPDATE_OPERATORS:
                raise validation(
                    f"Invalid {self.what}: The expression contains too many operators; "
                    f"operator count: {self.operators}"
                )
        return tuple((word, tuple(actions)) for word, actions in clauses.items())

    def update_action(self, clause: str) -> Any:
        target = self.path()
        if clause == "REMOVE":
            return target
        if clause in ("ADD", "DELETE"):
            token = self.token
            if token.kind != ATTR_VALUE:
                raise self.fail()
            self.index += 1
            return (target, ("value", token.text))
        self.expect_op("=")
        return (target, self.update_value())

    def update_value(self) -> Node:
        node = self.update_operand()
        while self.is_op("+") or self.is_op("-"):
            sign = self.token.text
            self.index += 1
            self.operators += 1
            node = (sign, node, self.update_operand())
        return node

    def update_operand(self) -> Node:
        token = self.token
        if token.kind == ATTR_VALUE:
            self.index += 1
            return ("value", token.text)
        following = self.peek()
        if token.kind == NAME and following.kind == OP and following.text == "(":
            name = token.text
            if name not in UPDATE_FUNCTIONS:
                if name in CONDITION_FUNCTIONS or name == "size":
                    raise validation(
                        f"Invalid {self.what}: The function is not allowed in an update "
                        f"expression; function: {name}"
                    )
                raise validation(f"Invalid {self.what}: Invalid function name; function: {name}")
            _, arguments = self.call(self.update_operand)
            _check_arity(self.what, name, arguments, 2)
            if name == "if_not_exists" and arguments[0][0] != "path":
                raise validation(
                    f"Invalid {self.what}: Operator or function requires a document path; "
                    f"operator or function: {name}"
                )
            return (name, arguments[0], arguments[1])
        return self.path()


def _check_arity(what: str, name: str, arguments: list[Node], expected: int) -> None:
    if len(arguments) != expected:
        raise validation(
            f"Invalid {what}: Incorrect number of operands for operator or function; "
            f"operator or function: {name}, number of operands: {len(arguments)}"
        )


@lru_cache(maxsize=512)
def parse_condition(text: str, what: str = "ConditionExpression") -> Node:
    """A condition, filter or key condition expression."""
    parser = _Parser(text, what)
    node = parser.condition()
    parser.expect_end()
    return node


@lru_cache(maxsize=512)
def parse_projection(text: str, what: str = "ProjectionExpression") -> tuple[Node, ...]:
    parser = _Parser(text, what)
    paths = [parser.path()]
    while parser.is_op(","):
        parser.index += 1
        paths.append(parser.path())
    parser.expect_end()
    return tuple(paths)


@lru_cache(maxsize=512)
def parse_update(text: str, what: str = "UpdateExpression") -> tuple[tuple[str, Any], ...]:
    parser = _Parser(text, what)
    return parser.update()
