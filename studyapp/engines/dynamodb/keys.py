"""Primary keys and index keys: schemas, extraction from items and requests, hashing.

A key attribute is a scalar (S, N or B, the AttributeDefinitions type) of 1 to 2,048 bytes for a
partition key and 1 to 1,024 bytes for a sort key (ServiceQuotas.html, "Partition keys and sort
keys"). Python values order keys: str for S (code point order is UTF-8 byte order), Decimal for
N, bytes for B. A partition key's hash (MD5 of its type and bytes, as a 128-bit integer) places
it on a partition and orders a Scan.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from . import limits
from .errors import invalid_parameters, key_mismatch, validation
from .values import SCALARS, check_value, decode_binary, utf8_length

ScalarKey = str | Decimal | bytes


def comparable(kind: str, raw: str) -> ScalarKey:
    if kind == "S":
        return raw
    if kind == "N":
        return Decimal(raw)
    return decode_binary(raw)


def key_hash(kind: str, raw: str) -> int:
    data = raw.encode("utf-8") if kind != "B" else decode_binary(raw)
    digest = hashlib.md5(kind.encode() + data, usedforsecurity=False).digest()
    return int.from_bytes(digest, "big")


def _key_bytes(kind: str, raw: str) -> int:
    if kind == "S":
        return utf8_length(raw)
    if kind == "B":
        return len(decode_binary(raw))
    return len(raw)


class KeySchema:
    """A HASH attribute and an optional RANGE attribute, each with its scalar type."""

    __slots__ = ("hash_name", "hash_type", "names", "range_name", "range_type")

    def __init__(
        self, hash_name: str, hash_type: str, range_name: str | None, range_type: str | None
    ) -> None:
        self.hash_name = hash_name
        self.hash_type = hash_type
        self.range_name = range_name
        self.range_type = range_type
        self.names: tuple[str, ...] = (
            (hash_name,)
            if range_name is None
            else (
                hash_name,
                range_name,
            )
        )

    @property
    def composite(self) -> bool:
        return self.range_name is not None

    def to_wire(self) -> list[dict[str, str]]:
        schema = [{"AttributeName": self.hash_name, "KeyType": "HASH"}]
        if self.range_name is not None:
            schema.append({"AttributeName": self.range_name, "KeyType": "RANGE"})
        return schema

    def types(self) -> dict[str, str]:
        found = {self.hash_name: self.hash_type}
        if self.range_name is not None:
            found[self.range_name] = self.range_type  # type: ignore[assignment]
        return found

    # Items -------------------------------------------------------------------------------

    def item_key(self, item: dict[str, Any]) -> tuple[ScalarKey, ScalarKey | None]:
        """(partition, sort) key values of an item written to a table; ValidationException if
        a key attribute is missing, of the wrong type, empty or too long."""
        pk = self._item_part(item, self.hash_name, self.hash_type, limits.MAX_PARTITION_KEY_BYTES)
        if self.range_name is None:
            return pk, None
        sk = self._item_part(
            item,
            self.range_name,
            self.range_type,  # type: ignore[arg-type]
            limits.MAX_SORT_KEY_BYTES,
        )
        return pk, sk

    def _item_part(self, item: dict[str, Any], name: str, kind: str, most: int) -> ScalarKey:
        value = item.get(name)
        if value is None:
            raise invalid_parameters(f"Missing the key {name} in the item")
        raw = value.get(kind)
        if raw is None:
            actual = next(iter(value))
            raise invalid_parameters(
                f"Type mismatch for key {name} expected: {kind} actual: {actual}"
            )
        return _checked_part(name, kind, raw, most)

    def key_of(self, item: dict[str, Any]) -> dict[str, Any]:
        """The key attributes of a stored item."""
        if self.range_name is None:
            return {self.hash_name: item[self.hash_name]}
        return {self.hash_name: item[self.hash_name], self.range_name: item[self.range_name]}

    # Requests ----------------------------------------------------------------------------

    def request_key(self, key: Any) -> tuple[dict[str, Any], ScalarKey, ScalarKey | None]:
        """(key item, partition, sort) of a ``Key`` parameter: exactly the key attributes."""
        if not isinstance(key, dict) or len(key) != len(self.names):
            raise key_mismatch()
        checked = {}
        parts: list[ScalarKey] = []
        for name, kind, most in (
            (self.hash_name, self.hash_type, limits.MAX_PARTITION_KEY_BYTES),
            (self.range_name, self.range_type, limits.MAX_SORT_KEY_BYTES),
        ):
            if name is None:
                break
            value = key.get(name)
            if value is None:
                raise key_mismatch()
            raw = value.get(kind) if type(value) is dict and len(value) == 1 else None
            if kind != "S" or type(raw) is not str:  # strings are kept as given
                value, _ = check_value(value)
                raw = value.get(kind)  # type: ignore[arg-type]
                if raw is None:
                    raise key_mismatch()
            parts.append(_checked_part(name, kind, raw, most))  # type: ignore[arg-type]
            checked[name] = value
        return checked, parts[0], parts[1] if len(parts) > 1 else None

    def partition_hash(self, item: dict[str, Any]) -> int:
        return key_hash(self.hash_type, item[self.hash_name][self.hash_type])


def _checked_part(name: str, kind: str, raw: str, most: int) -> ScalarKey:
    size = _key_bytes(kind, raw)
    if size == 0:
        what = "string" if kind == "S" else "binary"
        raise validation(
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            f"cannot contain an empty {what} value. Key: {name}"
        )
    if size > most:
        which = "hashkey" if most == limits.MAX_PARTITION_KEY_BYTES else "range key"
        raise invalid_parameters(
            f"Size of {which} has exceeded the maximum size limit of {most} bytes"
        )
    return comparable(kind, raw)


def parse_definitions(raw: Any) -> dict[str, str]:
    """AttributeDefinitions as {name: type}."""
    if not isinstance(raw, list) or not raw:
        raise invalid_parameters("AttributeDefinitions must be a non-empty list")
    found: dict[str, str] = {}
    for definition in raw:
        if not isinstance(definition, dict):
            raise invalid_parameters("An AttributeDefinition is an object")
        name, kind = definition.get("AttributeName"), definition.get("AttributeType")
        if not isinstance(name, str) or not 1 <= len(name) <= limits.MAX_NAME_LENGTH:
            raise invalid_parameters(f"Invalid AttributeName in AttributeDefinitions: {name}")
        if kind not in SCALARS:
            raise validation(
                f"1 validation error detected: Value '{kind}' at "
                "'attributeDefinitions.member.attributeType' failed to satisfy constraint: "
                "Member must satisfy enum value set: [B, N, S]"
            )
        if name in found:
            raise invalid_parameters(f"Duplicate AttributeName in AttributeDefinitions: {name}")
        found[name] = kind
    return found


def parse_key_schema(raw: Any, definitions: dict[str, str], where: str) -> KeySchema:
    """A KeySchema list checked against AttributeDefinitions; ``where`` names the table or index
    in messages."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= 2:
        raise validation(
            f"1 validation error detected: Value '{raw}' at 'keySchema' failed to satisfy "
            "constraint: Member must have length less than or equal to 2"
        )
    elements = []
    for element in raw:
        if not isinstance(element, dict) or not isinstance(element.get("AttributeName"), str):
            raise invalid_parameters(f"Invalid KeySchema of {where}")
        elements.append((element.get("AttributeName"), element.get("KeyType")))
    if elements[0][1] != "HASH":
        raise invalid_parameters(
            f"Invalid KeySchema: The first KeySchemaElement is not a HASH key type ({where})"
        )
    if len(elements) == 2:
        if elements[1][1] != "RANGE":
            raise invalid_parameters(
                f"Invalid KeySchema: The second KeySchemaElement is not a RANGE key type ({where})"
            )
        if elements[0][0] == elements[1][0]:
            raise invalid_parameters(
                "Both the Hash Key and the Range Key element in the KeySchema have the same name"
            )
    names = [name for name, _ in elements]
    undefined = [name for name in names if name not in definitions]
    if undefined:
        raise invalid_parameters(
            f"Some index key attributes are not defined in AttributeDefinitions. "
            f"Keys: {undefined}, AttributeDefinitions: {sorted(definitions)}"
        )
    hash_name = names[0]
    range_name = names[1] if len(names) == 2 else None
    return KeySchema(
        hash_name,
        definitions[hash_name],
        range_name,
        definitions[range_name] if range_name is not None else None,
    )
