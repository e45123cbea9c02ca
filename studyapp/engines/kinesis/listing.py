"""ListShards' shard filters (API Reference, ListShards and ShardFilter).

AFTER_SHARD_ID: the shards whose ID follows ShardId. AT_TRIM_HORIZON: the shards that were
open at the trim horizon. FROM_TRIM_HORIZON (the default): every shard within the retention
period. AT_LATEST: the open shards. AT_TIMESTAMP: the shards open at Timestamp (started at or
before it, ended at or after it or still open). FROM_TIMESTAMP: the shards closed at or after
Timestamp, and the open ones; a Timestamp before the trim horizon counts as the trim horizon.

A call returns up to MaxResults shards (default and at most 1,000; 1 to 10,000 may be asked)
and a NextToken for the rest, which carries the stream, the filter and the last shard listed;
"Tokens expire after 300 seconds" (ExpiredNextTokenException).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, NamedTuple

from .errors import EXPIRED_NEXT_TOKEN, KinesisError, invalid, missing, validation
from .shard import Shard

SHARD_FILTER_TYPES = (
    "AFTER_SHARD_ID",
    "AT_TRIM_HORIZON",
    "FROM_TRIM_HORIZON",
    "AT_LATEST",
    "AT_TIMESTAMP",
    "FROM_TIMESTAMP",
)
_TIMESTAMP_TYPES = ("AT_TIMESTAMP", "FROM_TIMESTAMP")
SHARD_ID = re.compile(r"[a-zA-Z0-9_.-]{1,128}")
DEFAULT_MAX_RESULTS = 1_000  # also the most one call returns
MAX_RESULTS_LIMIT = 10_000  # the most that may be asked for
NEXT_TOKEN_LIFETIME_MS = 300_000


class Page(NamedTuple):
    """Where a listing goes on: what a NextToken carries."""

    stream: str
    stream_created_ms: int
    after: str | None  # the last shard listed so far
    kind: str
    shard_id: str | None
    when_ms: int | None
    issued_ms: int


def encode_token(page: Page) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(page)).encode()).decode()


def decode_token(token: Any, now_ms: int) -> Page:
    """The page a NextToken names: InvalidArgumentException if it is not one,
    ExpiredNextTokenException once 300 seconds have passed."""
    try:
        if not isinstance(token, str) or not 1 <= len(token) <= 1_048_576:
            raise ValueError
        page = Page(*json.loads(base64.urlsafe_b64decode(token.encode("ascii"))))
        if not (
            all(isinstance(page[i], int) for i in (1, 6))
            and all(isinstance(page[i], str) for i in (0, 3))
            and page.kind in SHARD_FILTER_TYPES
            and all(page[i] is None or isinstance(page[i], str) for i in (2, 4))
            and (page.when_ms is None or isinstance(page.when_ms, int))
        ):
            raise ValueError
    except (binascii.Error, ValueError, TypeError, RecursionError):
        raise invalid(f"Invalid NextToken: {str(token)[:64]}") from None
    if now_ms - page.issued_ms > NEXT_TOKEN_LIFETIME_MS:
        raise KinesisError(EXPIRED_NEXT_TOKEN, "The NextToken has expired (after 300 seconds).")
    return page


def check_shard_id(value: Any, wire_name: str) -> str:
    """A ShardId parameter: 1 to 128 characters of [a-zA-Z0-9_.-] (ValidationException)."""
    if not isinstance(value, str) or not SHARD_ID.fullmatch(value):
        raise validation(
            f"Value '{value}' at '{wire_name}' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 1 "
            "and 128"
        )
    return value


def read_filter(value: Any) -> tuple[str, str | None, Any]:
    """(Type, ShardId, Timestamp) of a ShardFilter, each checked against its type's rules."""
    if not isinstance(value, dict):
        raise validation("Value at 'shardFilter' must be an object with a Type.")
    kind = value.get("Type")
    if kind is None:
        raise missing("shardFilter.type")
    if kind not in SHARD_FILTER_TYPES:
        raise validation(
            f"Value '{kind}' at 'shardFilter.type' failed to satisfy constraint: Member must "
            f"satisfy enum value set: [{', '.join(SHARD_FILTER_TYPES)}]"
        )
    shard_id = value.get("ShardId")
    when = value.get("Timestamp")
    if kind == "AFTER_SHARD_ID":
        if shard_id is None:
            raise invalid("ShardId must be provided with the AFTER_SHARD_ID shard filter type.")
        check_shard_id(shard_id, "shardFilter.shardId")
    elif shard_id is not None:
        raise invalid("ShardId can only be used with the AFTER_SHARD_ID shard filter type.")
    if kind in _TIMESTAMP_TYPES:
        if when is None:
            raise invalid(f"Timestamp must be provided with the {kind} shard filter type.")
    elif when is not None:
        raise invalid("Timestamp can only be used with the AT_TIMESTAMP or FROM_TIMESTAMP types.")
    return kind, shard_id, when


def select(
    shards: list[Shard], kind: str, shard_id: str | None, when_ms: int | None, horizon_ms: int
) -> list[Shard]:
    """The shards a filter keeps; `horizon_ms` is the trim horizon (never before the stream
    was created)."""
    if kind == "AFTER_SHARD_ID":
        return [s for s in shards if s.shard_id > shard_id]  # type: ignore[operator]
    if kind == "AT_LATEST":
        return [s for s in shards if s.is_open]
    if kind == "AT_TRIM_HORIZON":
        return [s for s in shards if _open_at(s, horizon_ms)]
    if kind == "AT_TIMESTAMP":
        return [s for s in shards if _open_at(s, when_ms)]  # type: ignore[arg-type]
    if kind == "FROM_TIMESTAMP":
        since = max(when_ms, horizon_ms)  # type: ignore[type-var]
        return [s for s in shards if s.closed_ms is None or s.closed_ms >= since]
    return shards  # FROM_TRIM_HORIZON


def _open_at(shard: Shard, when_ms: int) -> bool:
    return shard.created_ms <= when_ms and (shard.closed_ms is None or shard.closed_ms >= when_ms)
