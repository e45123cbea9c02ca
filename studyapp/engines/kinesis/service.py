"""The Kinesis Data Streams API: actions with AWS's parameter names and response shapes."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from ..clock import Clock
from . import iterators, limits
from .errors import (
    EXPIRED_ITERATOR,
    RESOURCE_IN_USE,
    UNKNOWN_OPERATION,
    KinesisError,
    invalid,
    missing,
    stream_not_found,
    validation,
)
from .hashing import MAX_HASH_KEY, hash_key_for
from .iterators import Position
from .shard import ARRIVAL, DATA, KEY, SEQ, Shard
from .stream import Stream, parse_sequence_number, sequence_number

STREAM_NAME = re.compile(r"[a-zA-Z0-9_.-]{1,128}")
HASH_KEY = re.compile(r"0|[1-9]\d{0,38}")

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
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, int):
        return value
    raise validation(f"Value '{value}' at '{wire_name}' must be an integer.")


def _hash_key(value: Any, wire_name: str) -> int:
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


def _timestamp_ms(value: Any) -> int:
    """AT_TIMESTAMP takes epoch seconds (a number) or an ISO 8601 date-time."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(value * 1000)
    if isinstance(value, str):
        try:
            return round(float(value) * 1000)
        except ValueError:
            pass
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return round(when.timestamp() * 1000)
    raise invalid(f"Timestamp {value} is not a valid timestamp.")


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

    # Plumbing -------------------------------------------------------------------------

    def call(self, action: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one action by its AWS name; raises KinesisError."""
        method = ACTIONS.get(action) if isinstance(action, str) else None
        if method is None:
            raise KinesisError(UNKNOWN_OPERATION, f"Unknown action: {action}")
        return getattr(self, method)(**(params or {}))

    def dispatch(self, action: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one action; a failure comes back as {"Error": {"Code", "Message"}}."""
        try:
            return self.call(action, params)
        except KinesisError as error:
            return error.to_dict()

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
        stream = self._stream(p)
        stream.expire(self.clock.now_ms())
        shards = sorted(stream.shards.values(), key=lambda s: s.number)
        shard_filter = p.get("ShardFilter")
        if isinstance(shard_filter, dict) and shard_filter.get("Type") == "AT_LATEST":
            shards = [s for s in shards if s.is_open]
        after = p.get("ExclusiveStartShardId")
        if isinstance(after, str):
            shards = [s for s in shards if s.shard_id > after]
        return {"Shards": [_shard_shape(stream, s) for s in shards]}

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
        if longer and hours < stream.retention_hours:
            raise invalid(
                f"Requested retention period ({hours} hours) for stream {stream.name} can not "
                f"be shorter than existing retention period ({stream.retention_hours} hours). "
                "Use DecreaseStreamRetentionPeriod API."
            )
        if not longer and hours > stream.retention_hours:
            raise invalid(
                f"Requested retention period ({hours} hours) for stream {stream.name} can not "
                f"be longer than existing retention period ({stream.retention_hours} hours). "
                "Use IncreaseStreamRetentionPeriod API."
            )
        stream.set_retention(hours, self.clock.now_ms())
        return {}

    # Writes ---------------------------------------------------------------------------

    @staticmethod
    def _record(
        partition_key: Any, data: Any, explicit_hash_key: Any, prefix: str = ""
    ) -> tuple[str, str, int, int]:
        """Validate one record: (partition key, data, size in bytes, hash key)."""
        if partition_key is None:
            raise missing(prefix + "partitionKey")
        if not isinstance(partition_key, str) or not 1 <= len(partition_key) <= 256:
            raise validation(
                f"Value '{partition_key}' at '{prefix}partitionKey' failed to satisfy "
                "constraint: Member must have length between 1 and 256"
            )
        if data is None:
            raise missing(prefix + "data")
        if isinstance(data, bytes | bytearray):
            size = len(data)
            try:
                data = bytes(data).decode("utf-8")
            except UnicodeDecodeError as error:
                raise validation("This simulator keeps Data as UTF-8 text.") from error
        elif isinstance(data, str):
            size = len(data) if data.isascii() else len(data.encode("utf-8"))
        else:
            raise validation(f"Value at '{prefix}data' must be text.")
        if size > limits.MAX_RECORD_BYTES:
            raise validation(
                f"Value at '{prefix}data' failed to satisfy constraint: Member must have "
                f"length less than or equal to {limits.MAX_RECORD_BYTES}"
            )
        key_bytes = len(partition_key) if partition_key.isascii() else len(partition_key.encode())
        size += key_bytes
        if size > limits.MAX_RECORD_BYTES:
            raise invalid(
                f"Record size {size} bytes (data plus partition key) exceeds the maximum "
                f"record size of {limits.MAX_RECORD_BYTES} bytes."
            )
        if explicit_hash_key is None:
            hash_key = hash_key_for(partition_key)
        else:
            hash_key = _hash_key(explicit_hash_key, prefix + "explicitHashKey")
        return partition_key, data, size, hash_key

    def put_record(self, **p: Any) -> dict[str, Any]:
        stream = self._stream(p)
        key, data, size, hash_key = self._record(
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
                self._record(
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
            last = stream.seq if shard.is_open else shard.end_seq
            if not shard.start_seq <= seq <= last:
                raise invalid(
                    f"StartingSequenceNumber {text} used in GetShardIterator on shard "
                    f"{shard.shard_id} in stream {stream.name} under account 000000000000 "
                    "is invalid because it did not come from this stream."
                )
            position = seq if kind == "AT_SEQUENCE_NUMBER" else seq + 1
        token = iterators.encode(
            Position(stream.name, stream.created_ms, shard.number, position, now_ms)
        )
        return {"ShardIterator": token}

    def get_records(self, **p: Any) -> dict[str, Any]:
        token = p.get("ShardIterator")
        if token is None:
            raise missing("shardIterator")
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
        new_start = _hash_key(p["NewStartingHashKey"], "NewStartingHashKey")
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
        self.clock.advance(seconds)
        return {}

    def produce(self, **p: Any) -> dict[str, Any]:
        from .producer import produce

        return produce(self, p)

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

    def to_dict(self) -> dict[str, Any]:
        """A plain JSON value holding everything, clock included."""
        return {
            "version": 1,
            "clock": self.clock.to_dict(),
            "streams": [s.to_dict() for s in self.streams.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], clock: Clock | None = None) -> Kinesis:
        """Rebuild from to_dict(); a given clock is used as is, else the saved one."""
        kinesis = cls(clock if clock is not None else Clock.from_dict(data["clock"]))
        for item in data.get("streams", []):
            stream = Stream.from_dict(item)
            kinesis.streams[stream.name] = stream
        return kinesis
