"""The indicator formula language: small, parsed, never `eval`-ed (SPEC §3; seed 001).

Indicators are data that managers co-construct with partners, so their formulas are text
that users write. This module turns that text into a tree, checks every name against the
schema of the contact sources, and evaluates the tree once the measures are known.
It has no Django import: the engine compiles `Measure` nodes to database queries.

Grammar (whitespace free, keywords case-insensitive)::

    formula   := sum ["with" parameter ("," parameter)*]
    parameter := NAME "=" ["-"] NUMBER
    sum       := product (("+" | "-") product)*
    product   := unary (("*" | "/") unary)*
    unary     := "-" unary | atom
    atom      := NUMBER | measure | NAME | PARAMETER | "(" sum ")"
    measure   := ("count" | "sum") "(" SOURCE ["." FIELD] ["where" condition] ")"
    condition := conjunct ("or" conjunct)*
    conjunct  := negation ("and" negation)*
    negation  := "not" negation | "(" condition ")" | comparison
    comparison:= FIELD (("=" | "!=" | "<" | "<=" | ">" | ">=") literal
                 | "in" "(" literal ("," literal)* ")" | "is" ["not"] "null")
                 | FIELD                      (a boolean field, true)
    literal   := STRING | NUMBER | PARAMETER | "true" | "false"

`count(calls where outcome = "answered")` counts rows; `sum(calls.wait_seconds)` adds a
field. A bare NAME refers to another named measure of the catalogue. Division by zero
gives no value (None) rather than an error: "no data" is a status, not a crash.

Parameters belong to the formula of one indicator version: `... wait_seconds <= threshold
... with threshold = 20` names a number once, where the version states it; changing it is
a new version. They are replaced by their values while parsing, so the tree (and the
formula frozen at publication, and the daily summary's measures) holds plain numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import cast

# --- the tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Name:
    """A reference to a named measure defined elsewhere in the catalogue."""

    name: str
    position: int


@dataclass(frozen=True)
class BinaryOp:
    op: str
    left: Expression
    right: Expression


@dataclass(frozen=True)
class Negate:
    operand: Expression


@dataclass(frozen=True)
class Comparison:
    field: str
    op: str  # "=", "!=", "<", "<=", ">", ">=", "in", "is null", "is not null"
    value: object = None


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class Measure:
    """An aggregate over one contact source: a count of rows or a sum of a field."""

    aggregate: str  # "count" | "sum"
    source: str
    field: str | None
    condition: Condition | None

    def __hash__(self) -> int:
        """Hashed once: measures key every value the engine looks up."""
        try:
            return self.__dict__["_hash"]
        except KeyError:
            value = hash((self.aggregate, self.source, self.field, self.condition))
            object.__setattr__(self, "_hash", value)
            return value


Condition = Comparison | BoolOp | Not
Expression = Number | Name | BinaryOp | Negate | Measure


class FormulaError(ValueError):
    """A syntax or name error, with the 0-based position in the formula text."""

    def __init__(self, message: str, position: int, text: str = "") -> None:
        self.message = message
        self.position = position
        self.text = text
        super().__init__(f"{message} (position {position + 1})")

    def pointer(self) -> str:
        """The formula with a caret under the faulty position, for error messages."""
        return f"{self.text}\n{' ' * self.position}^"


# --- the schema of what formulas may name -----------------------------------------------

FieldKind = str  # "number" | "text" | "bool" | "date"


@dataclass(frozen=True)
class Source:
    name: str
    fields: Mapping[str, FieldKind]


# --- tokens -----------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<op><=|>=|!=|[-+*/()=<>.,])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {
    "count",
    "sum",
    "where",
    "and",
    "or",
    "not",
    "in",
    "is",
    "null",
    "true",
    "false",
    "with",
}


@dataclass(frozen=True)
class _Token:
    kind: str  # number, string, op, name, keyword, end
    text: str
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise FormulaError(f"unexpected character {text[position]!r}", position, text)
        kind = match.lastgroup or ""
        if kind != "space":
            word = match.group()
            if kind == "name" and word.lower() in _KEYWORDS:
                tokens.append(_Token("keyword", word.lower(), position))
            else:
                tokens.append(_Token(kind, word, position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# --- the parser -------------------------------------------------------------------------


class _Parser:
    def __init__(
        self, text: str, sources: Mapping[str, Source], measure_names: frozenset[str] | None
    ):
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.sources = sources
        self.measure_names = measure_names
        self.parameters: dict[str, int | float] = {}
        self.parameter_tokens: dict[str, _Token] = {}
        self.used: set[str] = set()

    # token helpers
    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def error(self, message: str, token: _Token | None = None) -> FormulaError:
        return FormulaError(message, (token or self.current).position, self.text)

    def accept(self, kind: str, text: str | None = None) -> _Token | None:
        token = self.current
        if token.kind == kind and (text is None or token.text == text):
            self.index += 1
            return token
        return None

    def expect(self, kind: str, text: str | None = None, what: str = "") -> _Token:
        token = self.accept(kind, text)
        if token is None:
            found = self.current.text or "end of formula"
            raise self.error(f"expected {what or text or kind}, found {found!r}")
        return token

    # parameters
    def read_parameters(self) -> None:
        """Read the trailing `with name = number, ...` clause, then drop it from the tokens
        so that the body is parsed with every parameter known."""
        depth, index = 0, None
        for position, token in enumerate(self.tokens):
            if token.kind == "op" and token.text in "()":
                depth += 1 if token.text == "(" else -1
            elif token.kind == "keyword" and token.text == "with" and depth == 0:
                index = position
                break
        if index is None:
            return
        self.index = index + 1
        while True:
            name = self.expect("name", what="a parameter name")
            if self.measure_names is not None and name.text in self.measure_names:
                raise self.error(f"parameter {name.text!r} has the name of a measure", name)
            if name.text in self.parameters:
                raise self.error(f"parameter {name.text!r} is given twice", name)
            self.expect("op", "=", "'='")
            negative = self.accept("op", "-") is not None
            number = self.expect("number", what="a number")
            value: int | float = float(number.text) if "." in number.text else int(number.text)
            self.parameters[name.text] = -value if negative else value
            self.parameter_tokens[name.text] = name
            if not self.accept("op", ","):
                break
        if self.current.kind != "end":
            raise self.error(f"unexpected {self.current.text!r} after the parameters")
        self.tokens = [*self.tokens[:index], _Token("end", "", self.tokens[index].position)]
        self.index = 0

    def parameter(self, token: _Token) -> int | float | None:
        """The value of a parameter named by `token`, or None when it is not one."""
        if token.kind != "name" or token.text not in self.parameters:
            return None
        self.used.add(token.text)
        return self.parameters[token.text]

    # arithmetic
    def formula(self) -> Expression:
        self.read_parameters()
        expression = self.sum()
        if self.current.kind != "end":
            raise self.error(f"unexpected {self.current.text!r}")
        for name, token in self.parameter_tokens.items():
            if name not in self.used:
                raise self.error(f"parameter {name!r} is not used in the formula", token)
        return expression

    def sum(self) -> Expression:
        node = self.product()
        while (token := self.accept("op", "+") or self.accept("op", "-")) is not None:
            node = BinaryOp(token.text, node, self.product())
        return node

    def product(self) -> Expression:
        node = self.unary()
        while (token := self.accept("op", "*") or self.accept("op", "/")) is not None:
            node = BinaryOp(token.text, node, self.unary())
        return node

    def unary(self) -> Expression:
        if self.accept("op", "-"):
            return Negate(self.unary())
        return self.atom()

    def atom(self) -> Expression:
        token = self.current
        if self.accept("number"):
            return Number(float(token.text))
        if self.accept("op", "("):
            node = self.sum()
            self.expect("op", ")", "')'")
            return node
        if token.kind == "keyword" and token.text in {"count", "sum"}:
            return self.measure()
        if (value := self.parameter(token)) is not None:
            self.index += 1
            # A negative value as the parser reads "-1.5", so that text and tree round-trip.
            return Negate(Number(float(-value))) if value < 0 else Number(float(value))
        if self.accept("name"):
            if self.measure_names is not None and token.text not in self.measure_names:
                raise self.error(f"unknown measure {token.text!r}", token)
            return Name(token.text, token.position)
        raise self.error(
            f"expected a number, a measure or '(', found {token.text or 'end of formula'!r}"
        )

    # measures
    def measure(self) -> Measure:
        aggregate = self.expect("keyword").text
        self.expect("op", "(", "'('")
        source_token = self.expect("name", what="a source (calls, forms...)")
        source = self.sources.get(source_token.text)
        if source is None:
            known = ", ".join(sorted(self.sources))
            raise self.error(f"unknown source {source_token.text!r} (known: {known})", source_token)
        field = None
        if self.accept("op", "."):
            field_token = self.expect("name", what="a field name")
            kind = self._field_kind(source, field_token)
            if kind != "number":
                raise self.error(
                    f"cannot sum {field_token.text!r}: it is not a number", field_token
                )
            field = field_token.text
        if aggregate == "sum" and field is None:
            raise self.error("sum needs a field, e.g. sum(calls.wait_seconds)")
        if aggregate == "count" and field is not None:
            raise self.error("count takes a source, not a field: count(calls where ...)")
        condition = self.condition(source) if self.accept("keyword", "where") else None
        self.expect("op", ")", "')'")
        return Measure(aggregate, source.name, field, condition)

    def _field_kind(self, source: Source, token: _Token) -> FieldKind:
        kind = source.fields.get(token.text)
        if kind is None:
            raise self.error(f"unknown field {token.text!r} of {source.name}", token)
        return kind

    def condition(self, source: Source) -> Condition:
        operands = [self.conjunct(source)]
        while self.accept("keyword", "or"):
            operands.append(self.conjunct(source))
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def conjunct(self, source: Source) -> Condition:
        operands = [self.negation(source)]
        while self.accept("keyword", "and"):
            operands.append(self.negation(source))
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def negation(self, source: Source) -> Condition:
        if self.accept("keyword", "not"):
            return Not(self.negation(source))
        if self.accept("op", "("):
            inner = self.condition(source)
            self.expect("op", ")", "')'")
            return inner
        return self.comparison(source)

    def comparison(self, source: Source) -> Condition:
        field_token = self.expect("name", what="a field name")
        kind = self._field_kind(source, field_token)
        field = field_token.text
        for op in ("<=", ">=", "!=", "=", "<", ">"):
            if self.accept("op", op):
                value = self.literal(kind)
                if op not in {"=", "!="} and kind in {"bool", "text"}:
                    raise self.error(
                        f"{op} does not apply to the {kind} field {field!r}", field_token
                    )
                return Comparison(field, op, value)
        if self.accept("keyword", "in"):
            self.expect("op", "(", "'('")
            values = [self.literal(kind)]
            while self.accept("op", ","):
                values.append(self.literal(kind))
            self.expect("op", ")", "')'")
            return Comparison(field, "in", tuple(values))
        if self.accept("keyword", "is"):
            negated = self.accept("keyword", "not") is not None
            self.expect("keyword", "null", "null")
            return Comparison(field, "is not null" if negated else "is null")
        if kind == "bool":
            return Comparison(field, "=", True)
        raise self.error(f"expected a comparison after {field!r}")

    def literal(self, kind: FieldKind) -> object:
        token = self.current
        if (value := self.parameter(token)) is not None:
            self.index += 1
            if kind != "number":
                raise self.error(f"a {kind} field is compared with a {kind}, not a number", token)
            return value
        if self.accept("string"):
            if kind not in {"text", "date"}:
                raise self.error(f"a {kind} field is compared with a {kind}, not text", token)
            return _unquote(token.text)
        if self.accept("number"):
            if kind != "number":
                raise self.error(f"a {kind} field is compared with a {kind}, not a number", token)
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "keyword" and token.text in {"true", "false"}:
            self.index += 1
            if kind != "bool":
                raise self.error(f"a {kind} field is compared with a {kind}, not true/false", token)
            return token.text == "true"
        if token.kind == "name":
            raise self.error(
                f"{token.text!r} is neither a value nor a parameter of the formula "
                f"(give it at the end: with {token.text} = ...)"
            )
        raise self.error(f"expected a value, found {token.text or 'end of formula'!r}")


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def parse(
    text: str, *, sources: Mapping[str, Source], measure_names: frozenset[str] | None = None
) -> Expression:
    """Parse a formula; names of measures are checked when `measure_names` is given."""
    if not text or not text.strip():
        raise FormulaError("the formula is empty", 0, text or "")
    return _Parser(text, sources, measure_names).formula()


# --- reading the tree ---------------------------------------------------------------------


def measures_in(expression: Expression) -> list[Measure]:
    """The inline measures of a formula, in order of appearance, without repeats."""
    found: list[Measure] = []

    def walk(node: Expression) -> None:
        if isinstance(node, Measure):
            if node not in found:
                found.append(node)
        elif isinstance(node, BinaryOp):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, Negate):
            walk(node.operand)

    walk(expression)
    return found


def names_in(expression: Expression) -> list[str]:
    """The named measures a formula refers to."""
    if isinstance(expression, Name):
        return [expression.name]
    if isinstance(expression, BinaryOp):
        return list(dict.fromkeys(names_in(expression.left) + names_in(expression.right)))
    if isinstance(expression, Negate):
        return names_in(expression.operand)
    return []


def split_ratio(expression: Expression) -> tuple[Expression, Expression | None]:
    """(numerator, denominator) when the formula is a ratio at its top, else (formula, None)."""
    if isinstance(expression, BinaryOp) and expression.op == "/":
        return expression.left, expression.right
    return expression, None


Resolver = Callable[[Expression], float | None]


def evaluate(expression: Expression, resolve: Resolver) -> float | None:
    """Evaluate with `resolve` giving the value of each Measure or Name node.

    Any missing operand or a division by zero makes the whole result None ("no data").
    """
    if isinstance(expression, Number):
        return expression.value
    if isinstance(expression, Measure | Name):
        return resolve(expression)
    if isinstance(expression, Negate):
        value = evaluate(expression.operand, resolve)
        return None if value is None else -value
    left = evaluate(expression.left, resolve)
    right = evaluate(expression.right, resolve)
    if left is None or right is None:
        return None
    if expression.op == "+":
        return left + right
    if expression.op == "-":
        return left - right
    if expression.op == "*":
        return left * right
    return None if right == 0 else left / right


def _literal_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def condition_text(condition: Condition) -> str:
    if isinstance(condition, BoolOp):
        return f" {condition.op} ".join(
            f"({condition_text(o)})" if isinstance(o, BoolOp) else condition_text(o)
            for o in condition.operands
        )
    if isinstance(condition, Not):
        inner = condition_text(condition.operand)
        return f"not ({inner})" if isinstance(condition.operand, BoolOp) else f"not {inner}"
    if condition.op in {"is null", "is not null"}:
        return f"{condition.field} {condition.op}"
    if condition.op == "in":
        values = cast(tuple, condition.value)  # the parser makes a tuple for `in`
        return f"{condition.field} in ({', '.join(_literal_text(v) for v in values)})"
    return f"{condition.field} {condition.op} {_literal_text(condition.value)}"


def to_text(expression: Expression) -> str:
    """Write a tree back as formula text; `parse(to_text(tree))` gives the same tree."""
    if isinstance(expression, Number):
        return f"{expression.value:g}"
    if isinstance(expression, Name):
        return expression.name
    if isinstance(expression, Measure):
        target = expression.source + (f".{expression.field}" if expression.field else "")
        where = (
            f" where {condition_text(expression.condition)}"
            if expression.condition is not None
            else ""
        )
        return f"{expression.aggregate}({target}{where})"
    if isinstance(expression, Negate):
        return f"-({to_text(expression.operand)})"
    return f"({to_text(expression.left)} {expression.op} {to_text(expression.right)})"


def inline_names(expression: Expression, measures: Mapping[str, Expression]) -> Expression:
    """Replace every named measure by its definition (frozen into a published version)."""
    if isinstance(expression, Name):
        return measures[expression.name]
    if isinstance(expression, BinaryOp):
        return BinaryOp(
            expression.op,
            inline_names(expression.left, measures),
            inline_names(expression.right, measures),
        )
    if isinstance(expression, Negate):
        return Negate(inline_names(expression.operand, measures))
    return expression
