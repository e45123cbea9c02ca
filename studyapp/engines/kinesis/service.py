"""The Kinesis Data Streams API: actions with AWS's parameter names and response shapes.

State is plain JSON, whole (``to_dict`` / ``from_dict``) or in parts (``to_parts`` /
``from_parts``): a small head plus each shard's records in numbered blocks, so that a web page
can store only the blocks an action appended to.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from ..clock import MAX_NOW, Clock
from . import iterators, limits, listing
from .errors import (
    ACCOUNT_ID,
    EXPIRED_ITERATOR,
    LIMIT_EXCEEDED,
    RESOURCE_IN_USE,
    UNKNOWN_OPERATION,
    KinesisError,
    invalid,
    missing,
    rate_exceeded,
    stream_not_found,
    validation,
)
from .hashing import MAX_HASH_KEY, hash_key_for
from .iterators import Position
from .producer import produce
from .records import check_record, parse_hash_key
from .shard import ARRIVAL, DATA, KEY, SEQ, Shard
from .stream import Stream, parse_sequence_number, sequence_number

STREAM_NAME = re.compile(r"[a-zA-Z0-9_.-]{1,128}")
INTEGER = re.compile(r"-?[0-9]{1,20}")  # ASCII: str.isdigit() takes "²" and other digits
RECORDS_PER_PART = 256  # records in one stored block (see to_parts)

ACTIONS = {
    "CreateStream": "create_stream",
    "DeleteStream": "delete_stream",
    "ListStreams": "list_streams",
    "DescribeStreamSummary": "describe_stream_summary",
    "ListShards": "list_shards",
    "PutRecord": "put_record",
    "PutRecords": "put_records",
    "GetShardIterator": "get_shard_iterator",
    "GetRecords": "get_records",
    "SplitShard": "split_shard",
    "MergeShards": "merge_shards",
    "UpdateShardCount": "update_shard_count",
    "IncreaseStreamRetentionPeriod": "increase_stream_retention_period",
    "DecreaseStreamRetentionPeriod": "decrease_stream_retention_period",
    # Not AWS actions: the simulator's own controls.
    "Advance": "advance",
    "Produce": "produce",
}


def _int(params: dict[str, Any], key: str, wire_name: str, default: int | None = None) -> int:
    value = params.get(key)
    if value is None:
        if default is None:
            raise missing(wire_name)
        return default
    if isinstance(value, bool):
        raise validation(f"Value '{value}' at '{wire_name}' must be an integer.")
    if isinstance(value, str) and INTEGER.fullmatch(value.strip()):
        return int(value)
    if isinstance(value, int):
        return value
    raise validation(f"Value '{value}' at '{wire_name}' must be an integer.")


def _timestamp_ms(value: Any) -> int:
    """AT_TIMESTAMP takes epoch seconds (a number) or an ISO 8601 date-time."""
    seconds: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value) if abs(value) < 1e300 else math.inf
    elif isinstance(value, str):
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                seconds = when.timestamp()
    # Beyond the clock's years (or inf, nan) a timestamp is not one.
    if seconds is None or not math.isfinite(seconds) or abs(seconds) > MAX_NOW:
        raise invalid(f"Timestamp {value} is not a valid timestamp.")
    return round(seconds * 1000)


def _shard_shape(stream: Stream, shard: Shard) -> dict[str, Any]:
    return {
        "ShardId": shard.shard_id,
        "ParentShardId": shard.parent,
        "AdjacentParentShardId": shard.adjacent_parent,
        "HashKeyRange": {"StartingHashKey": str(shard.start), "EndingHashKey": str(shard.end)},
        "SequenceNumberRange": {
            "StartingSequenceNumber": sequence_number(shard.start_seq),
            "EndingSequenceNumber": (
                None if shard.end_seq is None else sequence_number(shard.end_seq)
            ),
        },
    }


class Kinesis:
    """An account's Kinesis Data Streams in one region, on a virtual clock.

    Each action takes AWS's parameter names as keyword arguments and returns AWS's response
    shape, or raises KinesisError; `dispatch` turns the error into {"Error": {...}}.
    """

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock if clock is not None else Clock()
        self.streams: dict[str, Stream] = {}
        # Calls this second of each action with a per-account limit: {action: [second, count]}.
        self.calls: dict[str, list[int]] = {}
        # What to_parts() last gave, per shard: (shard, first block, records written);
        # None until it has given everything once.
        self._reported: dict[str, tuple[Shard, int, int]] | None = None

    # Plumbing -------------------------------------------------------------------------

    def call(self, action: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one action by its AWS name; raises KinesisError, whatever the parameters."""
        method = ACTIONS.get(action) if isinstance(action, str) else None
        if method is None:
            raise KinesisError(UNKNOWN_OPERATION, f"Unknown action: {action}")
        if params is not None and not isinstance(params, dict):
            raise validation("The parameters of an action are an object.")
        self._count_call(action)
        try:
            return getattr(self, method)(**(params or {}))
        except (TypeError, ValueError, AttributeError, ArithmeticError, RecursionError) as error:
            # Parameters come from forms and files: a value of a type no check foresaw is
            # still the caller's fault, an error for this call, never a crash.
            raise validation(f"A parameter has a value of the wrong kind: {error}") from None

    def _count_call(self, action: str) -> None:
        """LimitExceededException past an action's calls a second per account (see limits)."""
        limit = limits.ACCOUNT_CALLS_PER_SECOND.get(action)
        if limit is None:
            return
        second = math.floor(self.clock.now())
        self.calls = {name: seen for name, seen in self.calls.items() if seen[0] == second}
        seen = self.calls.setdefault(action, [second, 0])
        if seen[1] >= limit:
            raise KinesisError(
                LIMIT_EXCEEDED,
                f"Rate exceeded for {action} under account {ACCOUNT_ID}: at most {limit} "
                "calls a second.",
            )
        seen[1] += 1

    def dispatch(self, action: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one action; a failure comes back as {"Error": {"Code", "Message"}}."""
        try:
            return self.call(action, params)
        except KinesisError as error:
            return error.to_result()

    def _now(self) -> tuple[int, int]:
        """(now in ms, the whole second that limits are accounted in)."""
        return self.clock.now_ms(), math.floor(self.clock.now())

    def _stream(self, params: dict[str, Any]) -> Stream:
        name = params.get("StreamName")
        arn = params.get("StreamARN")
        if arn is not None:
            if not isinstance(arn, str) or ":stream/" not in arn:
                raise invalid(f"StreamARN {arn} is not a valid stream ARN.")
            from_arn = arn.rsplit(":stream/", 1)[1]
            if name is not None and name != from_arn:
                raise invalid("StreamName and StreamARN name different streams.")
            name = from_arn
        if name is None:
            raise invalid("Either StreamName or StreamARN should be provided.")
        stream = self.streams.get(name) if isinstance(name, str) else None
        if stream is None:
            raise stream_not_found(str(name))
        return stream

    def stream(self, name: str) -> Stream:
        """The model of a stream, for views; ResourceNotFoundException if there is none."""
        return self._stream({"StreamName": name})

    # Streams --------------------------------------------------------------------------

    def create_stream(self, **p: Any) -> dict[str, Any]:
        name = p.get("StreamName")
        if name is None:
            raise missing("streamName")
        if not isinstance(name, str) or not STREAM_NAME.fullmatch(name):
            raise validation(
                f"Value '{name}' at 'streamName' failed to satisfy constraint: Member must "
                "satisfy regular expression pattern: [a-zA-Z0-9_.-]+ (1-128 characters)"
            )
        details = p.get("StreamModeDetails") or {}
        mode = details.get("StreamMode", "PROVISIONED") if isinstance(details, dict) else details
        if mode != "PROVISIONED":
            raise invalid(f"StreamMode {mode} is not simulated here; use PROVISIONED.")
        count = _int(p, "ShardCount", "shardCount")
        if count < 1:
            raise validation(
                f"Value '{count}' at 'shardCount' failed to satisfy constraint: Member must "
                "have value greater than or equal to 1"
            )
        if count > limits.MAX_OPEN_SHARDS:
            raise KinesisError(
                "LimitExceededException",
                f"This request would exceed the shard limit of {limits.MAX_OPEN_SHARDS}.",
            )
        if name in self.streams:
            raise KinesisError(
                RESOURCE_IN_USE, f"Stream {name} under account 000000000000 already exists."
            )
        self.streams[name] = Stream(name, count, self.clock.now_ms())
        return {}

    def delete_stream(self, **p: Any) -> dict[str, Any]:
        stream = self._stream(p)
        del self.streams[stream.name]
        return {}

    def list_streams(self, **p: Any) -> dict[str, Any]:
        names = sorted(self.streams)
        return {
            "StreamNames": names,
            "HasMoreStreams": False,
            "StreamSummaries": [
                {
                    "StreamName": n,
                    "StreamARN": self.streams[n].arn,
                    "StreamStatus": "ACTIVE",
                    "StreamModeDetails": {"StreamMode": "PROVISIONED"},
                    "StreamCreationTimestamp": self.streams[n].created_ms / 1000,
                }
                for n in names
            ],
        }

    def describe_stream_summary(self, **p: Any) -> dict[str, Any]:
        stream = self._stream(p)
        stream.expire(self.clock.now_ms())
        return {
            "StreamDescriptionSummary": {
                "StreamName": stream.name,
                "StreamARN": stream.arn,
                "StreamStatus": "ACTIVE",
                "StreamModeDetails": {"StreamMode": "PROVISIONED"},
                "RetentionPeriodHours": stream.retention_hours,
                "StreamCreationTimestamp": stream.created_ms / 1000,
                "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
                "EncryptionType": "NONE",
                "OpenShardCount": len(stream.open_shards),
                "ConsumerCount": 0,
            }
        }

    def list_shards(self, **p: Any) -> dict[str, Any]:
        """ListShards with its ShardFilter types and its pages (see listing)."""
        now_ms = self.clock.now_ms()
        if p.get("NextToken") is not None:
            for name in ("StreamName", "StreamARN", "ExclusiveStartShardId"):
                if p.get(name) is not None:
                    # API_ListShards: "You cannot specify this parameter if you specify the
                    # NextToken parameter."
                    raise invalid(f"{name} cannot be provided together with NextToken.")
            page = listing.decode_token(p["NextToken"], now_ms)
            stream = self.streams.get(page.stream)  # type: ignore[assignment]
            if stream is None or stream.created_ms != page.stream_created_ms:
                raise stream_not_found(page.stream)
            after, kind, shard_id, when_ms = page.after, page.kind, page.shard_id, page.when_ms
        else:
            stream = self._stream(p)
            after = p.get("ExclusiveStartShardId")
            if after is not None:
                after = listing.check_shard_id(after, "exclusiveStartShardId")
            kind, shard_id, when_ms = "FROM_TRIM_HORIZON", None, None
            if p.get("ShardFilter") is not None:
                kind, shard_id, when = listing.read_filter(p["ShardFilter"])
                when_ms = None if when is None else _timestamp_ms(when)
        asked = _int(p, "MaxResults", "maxResults", listing.DEFAULT_MAX_RESULTS)
        if not 1 <= asked <= listing.MAX_RESULTS_LIMIT:
            raise validation(
                f"Value '{asked}' at 'maxResults' failed to satisfy constraint: Member must "
                f"have value between 1 and {listing.MAX_RESULTS_LIMIT}"
            )
        stream.expire(now_ms)
        shards = sorted(stream.shards.values(), key=lambda s: s.number)
        if after is not None:
            shards = [s for s in shards if s.shard_id > after]
        horizon_ms = max(now_ms - stream.retention_ms, stream.created_ms)
        shards = listing.select(shards, kind, shard_id, when_ms, horizon_ms)
        size = min(asked, listing.DEFAULT_MAX_RESULTS)
        result: dict[str, Any] = {"Shards": [_shard_shape(stream, s) for s in shards[:size]]}
        if len(shards) > size:
            result["NextToken"] = listing.encode_token(
                listing.Page(
                    stream.name,
                    stream.created_ms,
                    shards[size - 1].shard_id,
                    kind,
                    shard_id,
                    when_ms,
                    now_ms,
                )
            )
        return result

    def increase_stream_retention_period(self, **p: Any) -> dict[str, Any]:
        return self._set_retention(p, longer=True)

    def decrease_stream_retention_period(self, **p: Any) -> dict[str, Any]:
        return self._set_retention(p, longer=False)

    def _set_retention(self, p: dict[str, Any], longer: bool) -> dict[str, Any]:
        stream = self._stream(p)
        hours = _int(p, "RetentionPeriodHours", "retentionPeriodHours")
        if not limits.RETENTION_MIN_HOURS <= hours <= limits.RETENTION_MAX_HOURS:
            raise invalid(
                f"Minimum allowed retention period is {limits.RETENTION_MIN_HOURS} hours and "
                f"maximum is {limits.RETENTION_MAX_HOURS} hours; requested {hours}."
            )
        # API Reference: Increase "Must be more than the current retention period",
        # Decrease "Must be less than the current retention period".
        if longer and hours <= stream.retention_hours:
            raise invalid(
                f"Requested retention period ({hours} hours) for stream {stream.name} can not "
                f"be shorter than existing retention period ({stream.retention_hours} hours). "
                "Use DecreaseStreamRetentionPeriod API."
            )
        if not longer and hours >= stream.retention_hours:
            raise invalid(
                f"Requested retention period ({hours} hours) for stream {stream.name} can not "
                f"be longer than existing retention period ({stream.retention_hours} hours). "
                "Use IncreaseStreamRetentionPeriod API."
            )
        stream.set_retention(hours, self.clock.now_ms())
        return {}

    # Writes ---------------------------------------------------------------------------

    def put_record(self, **p: Any) -> dict[str, Any]:
        stream = self._stream(p)
        key, data, size, hash_key = check_record(
            p.get("PartitionKey"), p.get("Data"), p.get("ExplicitHashKey")
        )
        ordering = p.get("SequenceNumberForOrdering")
        if ordering is not None:
            parse_sequence_number(ordering, "SequenceNumberForOrdering")
        now_ms, second = self._now()
        shard, seq = stream.put(key, data, size, hash_key, now_ms, second)
        return {"ShardId": shard.shard_id, "SequenceNumber": sequence_number(seq)}

    def put_records(self, **p: Any) -> dict[str, Any]:
        stream = self._stream(p)
        entries = p.get("Records")
        if entries is None:
            raise missing("records")
        if not isinstance(entries, list) or not entries:
            raise validation(
                "Value at 'records' failed to satisfy constraint: Member must have length "
                "greater than or equal to 1"
            )
        if len(entries) > limits.PUT_RECORDS_MAX_RECORDS:
            raise validation(
                f"Value at 'records' failed to satisfy constraint: Member must have length "
                f"less than or equal to {limits.PUT_RECORDS_MAX_RECORDS}"
            )
        records = []
        for i, entry in enumerate(entries, 1):
            if not isinstance(entry, dict):
                raise validation(f"Value at 'records.{i}' must be an object.")
            records.append(
                check_record(
                    entry.get("PartitionKey"),
                    entry.get("Data"),
                    entry.get("ExplicitHashKey"),
                    f"records.{i}.member.",
                )
            )
        total = sum(r[2] for r in records)
        if total > limits.PUT_RECORDS_MAX_BYTES:
            raise invalid(
                f"Records total {total} bytes; a PutRecords request can carry at most "
                f"{limits.PUT_RECORDS_MAX_BYTES} bytes including partition keys."
            )
        now_ms, second = self._now()
        results: list[dict[str, Any]] = []
        failed = 0
        # In order: a record refused by its shard's limit does not stop the ones after it.
        for key, data, size, hash_key in records:
            try:
                shard, seq = stream.put(key, data, size, hash_key, now_ms, second)
            except KinesisError as error:
                failed += 1
                results.append({"ErrorCode": error.code, "ErrorMessage": error.message})
            else:
                results.append({"SequenceNumber": sequence_number(seq), "ShardId": shard.shard_id})
        return {"FailedRecordCount": failed, "Records": results}

    # Reads ----------------------------------------------------------------------------

    def get_shard_iterator(self, **p: Any) -> dict[str, Any]:
        stream = self._stream(p)
        now_ms = self.clock.now_ms()
        stream.expire(now_ms)
        shard_id = p.get("ShardId")
        if shard_id is None:
            raise missing("shardId")
        shard = stream.shard(shard_id)
        kind = p.get("ShardIteratorType")
        if kind is None:
            raise missing("shardIteratorType")
        if kind not in iterators.ITERATOR_TYPES:
            raise validation(
                f"Value '{kind}' at 'shardIteratorType' failed to satisfy constraint: Member "
                f"must satisfy enum value set: [{', '.join(iterators.ITERATOR_TYPES)}]"
            )
        latest = stream.seq + 1 if shard.is_open else shard.end_seq
        second = math.floor(self.clock.now())
        if kind == "TRIM_HORIZON":
            position = shard.start_seq
        elif kind == "LATEST":
            position = latest
        elif kind == "AT_TIMESTAMP":
            when = p.get("Timestamp")
            if when is None:
                raise invalid(
                    "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP."
                )
            index = shard.index_at(_timestamp_ms(when))
            position = shard.records[index][SEQ] if index < len(shard.records) else latest
        else:
            text = p.get("StartingSequenceNumber")
            if text is None:
                raise invalid(f"Must specify StartingSequenceNumber for iterator of type {kind}.")
            seq = parse_sequence_number(text, "StartingSequenceNumber")
            stream.check_sequence_number(shard, seq, text, "StartingSequenceNumber")
            position = seq if kind == "AT_SEQUENCE_NUMBER" else seq + 1
        # API_GetShardIterator: five transactions per second per open shard; "If a
        # GetShardIterator request is made too often, you receive a
        # ProvisionedThroughputExceededException."
        if shard.iterator_calls(second) >= limits.SHARD_ITERATOR_CALLS_PER_SECOND:
            shard.note_throttle(second)
            raise rate_exceeded(shard.shard_id, stream.name)
        shard.note_iterator(second)
        token = iterators.encode(
            Position(stream.name, stream.created_ms, shard.number, position, now_ms)
        )
        return {"ShardIterator": token}

    def get_records(self, **p: Any) -> dict[str, Any]:
        token = p.get("ShardIterator")
        if token is None:
            raise missing("shardIterator")
        if isinstance(token, str) and not 1 <= len(token) <= limits.SHARD_ITERATOR_MAX_CHARS:
            raise validation(
                f"Value at 'shardIterator' failed to satisfy constraint: Member must have "
                f"length between 1 and {limits.SHARD_ITERATOR_MAX_CHARS}"
            )
        where = iterators.decode(token)
        now_ms, second = self._now()
        age = now_ms - where.issued_ms
        if age >= limits.ITERATOR_LIFETIME_MS:
            raise KinesisError(
                EXPIRED_ITERATOR,
                f"Iterator expired. The iterator was created at time {where.issued_ms} while "
                f"right now it is {now_ms} which is further in the future than the tolerated "
                f"delay of {limits.ITERATOR_LIFETIME_MS} milliseconds.",
            )
        limit = _int(p, "Limit", "limit", limits.GET_RECORDS_MAX_LIMIT)
        if not 1 <= limit <= limits.GET_RECORDS_MAX_LIMIT:
            raise invalid(
                f"Limit {limit} is out of range: it must be from 1 to "
                f"{limits.GET_RECORDS_MAX_LIMIT}."
            )
        stream = self.streams.get(where.stream)
        if stream is None or stream.created_ms != where.stream_created_ms:
            raise stream_not_found(where.stream)
        stream.expire(now_ms)
        shard = stream.shard(f"shardId-{where.shard_number:012d}")
        batch, position, behind, at_end = stream.read(shard, where.position, limit, now_ms, second)
        result: dict[str, Any] = {
            "Records": [
                {
                    "SequenceNumber": sequence_number(r[SEQ]),
                    "ApproximateArrivalTimestamp": r[ARRIVAL] / 1000,
                    "Data": r[DATA],
                    "PartitionKey": r[KEY],
                }
                for r in batch
            ],
            "NextShardIterator": None,
            "MillisBehindLatest": behind,
        }
        if at_end:
            result["ChildShards"] = stream.child_shards(shard)
        else:
            result["NextShardIterator"] = iterators.encode(
                where._replace(position=position, issued_ms=now_ms)
            )
        return result

    # Resharding -----------------------------------------------------------------------

    def split_shard(self, **p: Any) -> dict[str, Any]:
        stream = self._stream(p)
        now_ms = self.clock.now_ms()
        stream.expire(now_ms)
        if p.get("ShardToSplit") is None:
            raise missing("shardToSplit")
        if p.get("NewStartingHashKey") is None:
            raise missing("newStartingHashKey")
        new_start = parse_hash_key(p["NewStartingHashKey"], "NewStartingHashKey")
        stream.split(p["ShardToSplit"], new_start, now_ms)
        return {}

    def merge_shards(self, **p: Any) -> dict[str, Any]:
        stream = self._stream(p)
        now_ms = self.clock.now_ms()
        stream.expire(now_ms)
        if p.get("ShardToMerge") is None:
            raise missing("shardToMerge")
        if p.get("AdjacentShardToMerge") is None:
            raise missing("adjacentShardToMerge")
        stream.merge(p["ShardToMerge"], p["AdjacentShardToMerge"], now_ms)
        return {}

    def update_shard_count(self, **p: Any) -> dict[str, Any]:
        stream = self._stream(p)
        now_ms = self.clock.now_ms()
        stream.expire(now_ms)
        target = _int(p, "TargetShardCount", "targetShardCount")
        scaling = p.get("ScalingType")
        if scaling is None:
            raise missing("scalingType")
        if scaling != "UNIFORM_SCALING":
            raise validation(
                f"Value '{scaling}' at 'scalingType' failed to satisfy constraint: Member "
                "must satisfy enum value set: [UNIFORM_SCALING]"
            )
        current = stream.update_shard_count(target, now_ms)
        return {
            "StreamName": stream.name,
            "CurrentShardCount": current,
            "TargetShardCount": target,
            "StreamARN": stream.arn,
        }

    # The simulator's own controls -----------------------------------------------------

    def advance(self, **p: Any) -> dict[str, Any]:
        seconds = p.get("Seconds")
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or seconds < 0
        ):
            raise validation(f"Seconds must be a number of seconds, zero or more; got {seconds}.")
        self._check_headroom(seconds)
        self.clock.advance(seconds)
        return {}

    def _check_headroom(self, seconds: float) -> None:
        if seconds > self.clock.headroom():
            raise validation(
                f"The clock can move at most {self.clock.headroom():.0f} more seconds (to "
                f"9999-12-31T23:59:59Z); got {seconds}."
            )

    def produce(self, **p: Any) -> dict[str, Any]:
        """Records from a producer over some seconds (see producer.produce)."""
        stream = self._stream(p)
        seconds = p.get("Seconds", 1)
        if isinstance(seconds, int | float) and not isinstance(seconds, bool):
            self._check_headroom(seconds)
        return produce(stream, self.clock, p)

    def locate(self, stream_name: str, partition_key: str) -> dict[str, Any]:
        """Where a partition key lands: its hash key and the open shard that holds it."""
        stream = self.stream(stream_name)
        hash_key = hash_key_for(partition_key)
        return {
            "PartitionKey": partition_key,
            "HashKey": str(hash_key),
            "ShardId": stream.shard_for(hash_key).shard_id,
            "position": hash_key / MAX_HASH_KEY,
        }

    def describe_iterator(self, token: str) -> dict[str, Any]:
        """What an iterator points at, for a consumer panel: shard, position and expiry."""
        where = iterators.decode(token)
        return {
            "StreamName": where.stream,
            "ShardId": f"shardId-{where.shard_number:012d}",
            "Position": sequence_number(where.position),
            "IssuedMs": where.issued_ms,
            "ExpiresMs": where.issued_ms + limits.ITERATOR_LIFETIME_MS,
            "Expired": self.clock.now_ms() - where.issued_ms >= limits.ITERATOR_LIFETIME_MS,
        }

    # State ----------------------------------------------------------------------------

    def totals(self, stream_name: str | None = None) -> dict[str, int]:
        """Records kept (past retention dropped) and their bytes, data plus partition keys:
        of one stream, or of every stream."""
        now_ms = self.clock.now_ms()
        streams = [self.stream(stream_name)] if stream_name is not None else self.streams.values()
        records = size = 0
        for stream in streams:
            stream.expire(now_ms)
            for shard in stream.shards.values():
                records += len(shard.records)
                size += shard.stored_bytes
        return {"Records": records, "Bytes": size}

    def to_dict(self, *, records: bool = True) -> dict[str, Any]:
        """A plain JSON value holding everything, clock included (``records=False``: the
        head of ``to_parts``)."""
        return {
            "version": 1,
            "clock": self.clock.to_dict(),
            "calls": {name: list(seen) for name, seen in self.calls.items()},
            "streams": [s.to_dict(records=records) for s in self.streams.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], clock: Clock | None = None) -> Kinesis:
        """Rebuild from to_dict(); a given clock is used as is, else the saved one."""
        kinesis = cls(clock if clock is not None else Clock.from_dict(data["clock"]))
        kinesis.calls = {
            str(name): [int(second), int(count)]
            for name, (second, count) in data.get("calls", {}).items()
        }
        for item in data.get("streams", []):
            stream = Stream.from_dict(item)
            kinesis.streams[stream.name] = stream
        return kinesis

    def to_parts(self, *, changed: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
        """The state as a small head plus keyed parts: each shard's records in blocks of
        RECORDS_PER_PART, numbered for good (see shard.py); ``from_parts`` joins them again.

        ``changed=True``: only the parts changed since the last ``to_parts`` (the blocks
        appended to), a part that is gone (trimmed, its shard or stream deleted) as None. An
        engine that never gave its parts (new, or from ``from_dict``) gives them all: store
        them in place of whatever was stored.
        """
        changed = changed and self._reported is not None
        before = self._reported if changed else {}
        size = RECORDS_PER_PART
        parts: dict[str, Any] = {}
        reported: dict[str, tuple[Shard, int, int]] = {}
        for stream in self.streams.values():
            for shard in stream.shards.values():
                key = f"{stream.name}@{stream.created_ms}/{shard.number}"
                low = (shard.written - len(shard.records)) // size
                high = (shard.written - 1) // size
                old = before.pop(key, None)
                if old is not None and old[0] is shard:
                    first_new = low if shard.written > old[2] else high + 1
                    first_new = max(first_new, old[2] // size)
                    parts.update(dict.fromkeys(f"{key}/{b}" for b in range(old[1], low)))
                else:
                    if old is not None:  # a stream deleted and made again in the same ms
                        _forget(parts, key, old, size)
                    first_new = low
                for b in range(first_new, high + 1):
                    parts[f"{key}/{b}"] = shard.block(b, size)
                reported[key] = (shard, low, shard.written)
        for key, old in before.items():
            _forget(parts, key, old, size)
        self._reported = reported
        return self.to_dict(records=False), parts

    @classmethod
    def from_parts(cls, head: dict[str, Any], parts: dict[str, Any]) -> Kinesis:
        """The engine that ``to_parts`` described: its head and every part stored since."""
        blocks: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for key, value in parts.items():
            shard_key, _, number = key.rpartition("/")
            if not number.isdigit() or not isinstance(value, dict):
                raise ValueError(f"not a part of a Kinesis engine: {key!r}")
            blocks.setdefault(shard_key, []).append((int(number), value))
        data = {**head, "streams": []}
        for stream in head["streams"]:
            shards = []
            for shard in stream["shards"]:
                first = shard["written"] - shard["kept"]
                records = []
                found = sorted(
                    blocks.get(f"{stream['name']}@{stream['created_ms']}/{shard['number']}", []),
                    key=lambda b: b[0],
                )
                for _number, block in found:
                    start = block["from"]
                    records += block["records"][max(0, first - start) :]
                if len(records) != shard["kept"]:
                    raise ValueError(
                        f"{stream['name']}: the stored blocks do not hold every record"
                    )
                shards.append({**shard, "records": records})
            data["streams"].append({**stream, "shards": shards})
        kinesis = cls.from_dict(data)
        kinesis._reported = {
            f"{stream.name}@{stream.created_ms}/{shard.number}": (
                shard,
                (shard.written - len(shard.records)) // RECORDS_PER_PART,
                shard.written,
            )
            for stream in kinesis.streams.values()
            for shard in stream.shards.values()
        }
        return kinesis


def _forget(parts: dict[str, Any], key: str, old: tuple[Shard, int, int], size: int) -> None:
    """Mark every block a shard had stored as gone (a value set later for a key wins)."""
    for b in range(old[1], (old[2] - 1) // size + 1):
        parts.setdefault(f"{key}/{b}", None)
