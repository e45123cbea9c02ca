"""Shard iterators: opaque tokens that carry their own position, so no state is kept for them."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, NamedTuple

from .errors import invalid

ITERATOR_TYPES = (
    "AT_SEQUENCE_NUMBER",
    "AFTER_SEQUENCE_NUMBER",
    "TRIM_HORIZON",
    "LATEST",
    "AT_TIMESTAMP",
)


class Position(NamedTuple):
    """Where an iterator reads from: the first record whose sequence is `position` or later."""

    stream: str
    stream_created_ms: int
    shard_number: int
    position: int
    issued_ms: int


def encode(position: Position) -> str:
    raw = json.dumps(list(position), separators=(",", ":")).encode()
    return "AAAAAAAAAAE" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: Any) -> Position:
    if not isinstance(token, str) or not token.startswith("AAAAAAAAAAE"):
        raise invalid("Invalid ShardIterator.")
    body = token[len("AAAAAAAAAAE") :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        stream, created, number, position, issued = json.loads(raw)
        return Position(str(stream), int(created), int(number), int(position), int(issued))
    except (binascii.Error, ValueError, TypeError, OverflowError, RecursionError) as error:
        raise invalid("Invalid ShardIterator.") from error


def iterator_stream(token: Any) -> str:
    """The stream a shard iterator reads (what IAM evaluates GetRecords against)."""
    return decode(token).stream
