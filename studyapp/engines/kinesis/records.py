"""Checks every write shares: a record's partition key, data and hash key, with AWS's errors."""

from __future__ import annotations

import re
from typing import Any

from . import limits
from .errors import invalid, missing, validation
from .hashing import MAX_HASH_KEY, hash_key_for

HASH_KEY = re.compile(r"0|[1-9]\d{0,38}", re.ASCII)


def parse_hash_key(value: Any, wire_name: str) -> int:
    """A hash key given as a decimal string (or an int); ValidationException if malformed."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not HASH_KEY.fullmatch(value):
        raise validation(
            f"Value '{value}' at '{wire_name}' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: 0|([1-9]\\d{0,38})"
        )
    key = int(value)
    if key > MAX_HASH_KEY:
        raise invalid(f"{wire_name} {value} is not in the range [0, 2^128 - 1].")
    return key


def utf8_size(text: str, wire_name: str) -> int:
    """Bytes of a string in UTF-8; ValidationException for text UTF-8 cannot carry (a lone
    surrogate such as "\ud800", which JSON can spell but no request can send)."""
    if text.isascii():
        return len(text)
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise validation(
            f"Value at '{wire_name}' failed to satisfy constraint: Member must be valid "
            "Unicode text (it holds a lone surrogate)"
        ) from None


def check_record(
    partition_key: Any, data: Any, explicit_hash_key: Any, prefix: str = ""
) -> tuple[str, str, int, int]:
    """Validate one record: (partition key, data, size in bytes, hash key).

    Data is at most 10 MiB (the API Reference's Data member; ValidationException); data plus
    partition key at most the stream's maximum record size, 1 MiB (InvalidArgumentException).
    """
    if partition_key is None:
        raise missing(prefix + "partitionKey")
    if not isinstance(partition_key, str) or not 1 <= len(partition_key) <= 256:
        raise validation(
            f"Value '{partition_key}' at '{prefix}partitionKey' failed to satisfy "
            "constraint: Member must have length between 1 and 256"
        )
    key_bytes = utf8_size(partition_key, prefix + "partitionKey")
    if data is None:
        raise missing(prefix + "data")
    if isinstance(data, bytes | bytearray):
        size = len(data)
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError as error:
            raise validation("This simulator keeps Data as UTF-8 text.") from error
    elif isinstance(data, str):
        size = utf8_size(data, prefix + "data")
    else:
        raise validation(f"Value at '{prefix}data' must be text.")
    if size > limits.MAX_DATA_BYTES:
        raise validation(
            f"Value at '{prefix}data' failed to satisfy constraint: Member must have "
            f"length less than or equal to {limits.MAX_DATA_BYTES}"
        )
    size += key_bytes
    if size > limits.MAX_RECORD_BYTES:
        raise invalid(
            f"Record size {size} bytes (data plus partition key) exceeds the maximum "
            f"record size of {limits.MAX_RECORD_BYTES} bytes."
        )
    if explicit_hash_key is None:
        hash_key = hash_key_for(partition_key)
    else:
        hash_key = parse_hash_key(explicit_hash_key, prefix + "explicitHashKey")
    return partition_key, data, size, hash_key
