"""Attribute values in DynamoDB's wire format: validation, normal form, size and order.

A value is a one-key object such as ``{"S": "text"}``, ``{"N": "12.5"}``, ``{"B": "<base64>"}``,
``{"SS": [...]}``, ``{"NS": [...]}``, ``{"BS": [...]}``, ``{"M": {...}}``, ``{"L": [...]}``,
``{"NULL": true}`` or ``{"BOOL": false}``. Stored values are in normal form: numbers as DynamoDB
returns them (no exponent, no leading or trailing zeros) and binaries as padded base64, so that
equal values have equal JSON. Stored values are never changed in place, and are shared with
requests and responses: a valid scalar value object of a request may be kept as it is, and a
response (or ``to_dict()``) holds the stored values, so callers treat both as read-only.

Item size follows CapacityUnitCalculations.html ("DynamoDB Item sizes and formats"): attribute
names count (UTF-8 bytes); strings by UTF-8 bytes; numbers ``1 byte per two significant digits
+ 1 byte``; binaries by raw bytes; null and Boolean 1 byte; a list or map 3 bytes plus its
elements, each element 1 more byte (a map element also counts its name).
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from . import limits
from .errors import DynamoDBError, invalid_parameters, validation

SCALARS = ("S", "N", "B")
SET_TYPES = {"SS": "S", "NS": "N", "BS": "B"}
TYPE_NAMES = frozenset(("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"))
_SET_WORDS = {"SS": "string", "NS": "number", "BS": "binary"}

_PLAIN_INTEGER = re.compile(r"-?[1-9][0-9]{0,37}|0")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,6})?")
_MAX_NUMBER_TEXT = 400


def utf8_length(text: str) -> int:
    """Bytes of ``text`` in UTF-8; a string that cannot be encoded is a ValidationException."""
    if text.isascii():
        return len(text)
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise validation("One or more parameter values were invalid: invalid UTF-8") from None


# Numbers -------------------------------------------------------------------------------------


def number_digits(text: str) -> int:
    """Significant digits of a number in normal form (zero has none)."""
    digits = text.lstrip("-").replace(".", "").strip("0")
    return len(digits)


def number_size(text: str) -> int:
    return (number_digits(text) + 1) // 2 + 1


def normal_number(text: Any) -> str:
    """The number as DynamoDB stores it; ValidationException if it is not a valid Number."""
    if not isinstance(text, str):
        raise validation(f"The parameter cannot be converted to a numeric value: {text}")
    if _PLAIN_INTEGER.fullmatch(text):
        return text
    if len(text) > _MAX_NUMBER_TEXT or not _NUMBER.fullmatch(text):
        raise validation(f"The parameter cannot be converted to a numeric value: {text[:64]}")
    return format_decimal(Decimal(text))


def format_decimal(value: Decimal) -> str:
    """Normal form of a finite Decimal, checked against DynamoDB's precision and range."""
    if not value:
        return "0"
    sign, digits, exponent = value.as_tuple()
    while len(digits) > 1 and digits[-1] == 0:
        digits = digits[:-1]
        exponent += 1  # type: ignore[operator]
    if len(digits) > limits.MAX_NUMBER_DIGITS:
        raise validation("Attempting to store more than 38 significant digits in a Number")
    adjusted = exponent + len(digits) - 1  # type: ignore[operator]
    if adjusted > limits.MAX_NUMBER_EXPONENT:
        raise validation(
            "Number overflow. Attempting to store a number with magnitude larger than "
            "supported range"
        )
    if adjusted < limits.MIN_NUMBER_EXPONENT:
        raise validation(
            "Number underflow. Attempting to store a number with magnitude smaller than "
            "supported range"
        )
    return format(Decimal((sign, digits, exponent)), "f")


def to_decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - stored numbers are always valid
        raise validation(f"The parameter cannot be converted to a numeric value: {text}") from None


# Binary --------------------------------------------------------------------------------------


def decode_binary(text: Any) -> bytes:
    if not isinstance(text, str):
        raise validation("Invalid Binary value: a Binary is a base64-encoded string")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise validation(f"Invalid Binary value: {text[:64]!r} is not valid base64") from None


def encode_binary(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# Validation ------------------------------------------------------------------------------------


def _scalar(kind: str, raw: Any) -> tuple[Any, int]:
    """(value in normal form, size in bytes) of one S, N or B value."""
    if kind == "S":
        if not isinstance(raw, str):
            raise validation(f"Invalid String value: {raw!r}")
        return raw, utf8_length(raw)
    if kind == "N":
        text = normal_number(raw)
        return text, number_size(text)
    data = decode_binary(raw)
    return encode_binary(data), len(data)


def check_value(value: Any, depth: int = 1) -> tuple[dict[str, Any], int]:
    """(a fresh value in normal form, its size without a name); ValidationException if invalid."""
    if not isinstance(value, dict) or not value:
        raise validation(
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
        )
    if len(value) > 1:
        raise validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
            "of the supported datatypes"
        )
    ((kind, raw),) = value.items()
    if kind == "S":
        if not isinstance(raw, str):
            raise validation(f"Invalid String value: {raw!r}")
        return {"S": raw}, utf8_length(raw)
    if kind in SCALARS:
        text, size = _scalar(kind, raw)
        return {kind: text}, size
    if kind == "BOOL":
        if not isinstance(raw, bool):
            raise validation(f"Invalid BOOL value: {raw!r}")
        return {"BOOL": raw}, 1
    if kind == "NULL":
        if raw is not True:
            raise invalid_parameters("Null attribute value types must have the value of true")
        return {"NULL": True}, 1
    if kind in SET_TYPES:
        return _check_set(kind, raw)
    if kind not in ("M", "L"):
        raise validation(f"Supplied AttributeValue has an unsupported data type: {kind}")
    if depth >= limits.MAX_NESTING:
        raise validation("Nesting Levels have exceeded supported limits")
    if kind == "L":
        if not isinstance(raw, list):
            raise validation("Invalid List value: L is a list of attribute values")
        elements = []
        size = 3
        for element in raw:
            checked, element_size = check_value(element, depth + 1)
            elements.append(checked)
            size += element_size + 1
        return {"L": elements}, size
    if not isinstance(raw, dict):
        raise validation("Invalid Map value: M is an object of attribute values")
    members = {}
    size = 3
    for name, element in raw.items():
        checked, element_size = check_value(element, depth + 1)
        members[name] = checked
        size += utf8_length(name) + element_size + 1
    return {"M": members}, size


def _check_set(kind: str, raw: Any) -> tuple[dict[str, Any], int]:
    word = _SET_WORDS[kind]
    if not isinstance(raw, list):
        raise validation(f"Invalid {kind} value: a set is a list")
    if not raw:
        raise invalid_parameters(f"An {word} set  may not be empty")
    element_kind = SET_TYPES[kind]
    members = []
    size = 0
    for element in raw:
        text, element_size = _scalar(element_kind, element)
        members.append(text)
        size += element_size
    if len(set(members)) != len(members):
        shown = ", ".join(str(member) for member in members[:10])
        raise invalid_parameters(f"Input collection [{shown}] contains duplicates.")
    return {kind: members}, size


def check_item(item: Any, what: str = "Item") -> tuple[dict[str, dict[str, Any]], int]:
    """(a fresh item in normal form, its size in bytes); ValidationException if invalid."""
    if not isinstance(item, dict):
        raise validation(f"Invalid {what}: an item is an object of attribute values")
    checked = {}
    size = 0
    plain_integer = _PLAIN_INTEGER.fullmatch
    for name, value in item.items():
        if type(name) is not str or not name:
            raise invalid_parameters("An attribute name must be at least one character long")
        size += len(name) if name.isascii() else utf8_length(name)
        # Fast path: a string, a Boolean or an integer in normal form is kept as given.
        if type(value) is dict and len(value) == 1:
            raw = value.get("S")
            if type(raw) is str:
                checked[name] = value
                size += len(raw) if raw.isascii() else utf8_length(raw)
                continue
            raw = value.get("N")
            if type(raw) is str and plain_integer(raw):
                checked[name] = value
                size += (len(raw.lstrip("-").rstrip("0")) + 1) // 2 + 1
                continue
            if type(value.get("BOOL")) is bool:
                checked[name] = value
                size += 1
                continue
        checked[name], value_size = check_value(value)
        size += value_size
    return checked, size


def value_size(value: dict[str, Any], depth: int = 1) -> int:
    """Size of a value already in normal form (update results); checks the nesting limit."""
    ((kind, raw),) = value.items()
    if kind == "S":
        return utf8_length(raw)
    if kind == "N":
        return number_size(raw)
    if kind == "B":
        return len(decode_binary(raw))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(utf8_length(member) for member in raw)
    if kind == "NS":
        return sum(number_size(member) for member in raw)
    if kind == "BS":
        return sum(len(decode_binary(member)) for member in raw)
    if depth >= limits.MAX_NESTING:
        raise validation("Nesting Levels have exceeded supported limits")
    if kind == "L":
        return 3 + sum(value_size(element, depth + 1) + 1 for element in raw)
    return 3 + sum(
        utf8_length(name) + value_size(element, depth + 1) + 1 for name, element in raw.items()
    )


def item_size(item: dict[str, dict[str, Any]]) -> int:
    return sum(utf8_length(name) + value_size(value) for name, value in item.items())


# Comparison ------------------------------------------------------------------------------------


def kind_of(value: dict[str, Any]) -> str:
    for kind in value:
        return kind
    raise DynamoDBError("InternalServerError", "empty attribute value")  # pragma: no cover


def sort_key(value: dict[str, Any]) -> Any:
    """What orders scalars of one type: str (code points = UTF-8 byte order), Decimal, bytes."""
    for kind, raw in value.items():
        if kind == "S":
            return raw
        if kind == "N":
            return Decimal(raw)
        return base64.b64decode(raw)
    raise DynamoDBError("InternalServerError", "empty attribute value")  # pragma: no cover


def equal(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """DynamoDB equality of two values in normal form (sets ignore order)."""
    ((kind_a, raw_a),) = a.items()
    ((kind_b, raw_b),) = b.items()
    if kind_a != kind_b:
        return False
    if kind_a in SET_TYPES:
        return set(raw_a) == set(raw_b)
    if kind_a == "L":
        return len(raw_a) == len(raw_b) and all(map(equal, raw_a, raw_b))
    if kind_a == "M":
        return raw_a.keys() == raw_b.keys() and all(equal(raw_a[k], raw_b[k]) for k in raw_a)
    return raw_a == raw_b
