"""DynamoDB Streams: the change records of a table (Streams.html).

A record is written for each item-level change, in order, with the images its StreamViewType
asks for: KEYS_ONLY (the key attributes), NEW_IMAGE (the item after), OLD_IMAGE (the item
before), NEW_AND_OLD_IMAGES (both). No record is written when a PutItem or UpdateItem does not
change the item ("DynamoDB Streams does not write a stream record for that operation"). Records
are kept 24 hours. A TTL deletion is marked with the service identity
(time-to-live-ttl-streams.html: ``"userIdentity": {"type": "Service", "principalId":
"dynamodb.amazonaws.com"}``). The records have the shape of the Streams API's GetRecords (and of
the events Lambda receives, which add ``eventSourceARN``).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from .errors import REGION
from .limits import STREAM_RETENTION_SECONDS
from .values import item_size

VIEW_TYPES = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
TTL_IDENTITY = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


def stream_label(now: float) -> str:
    """The stream's label: its creation time, as in ``.../stream/2015-05-11T21:21:33.291``."""
    moment = datetime.fromtimestamp(now, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


class Stream:
    """One stream of a table: enabled until the table disables it, readable 24 hours after."""

    def __init__(self, label: str, view_type: str, arn: str, enabled: bool = True) -> None:
        self.label = label
        self.view_type = view_type
        self.arn = arn
        self.enabled = enabled
        self.disabled_at: float | None = None
        self.records: list[dict[str, Any]] = []
        self.written = 0  # records ever appended: record i of all time is records[i - first]

    def append(
        self,
        *,
        key: dict[str, Any],
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        now: float,
        sequence: int,
        seed: int,
        system: bool = False,
    ) -> dict[str, Any]:
        event = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
        change: dict[str, Any] = {"ApproximateCreationDateTime": now, "Keys": key}
        size = item_size(key)
        if new is not None and self.view_type in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES"):
            change["NewImage"] = new
            size += item_size(new)
        if old is not None and self.view_type in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES"):
            change["OldImage"] = old
            size += item_size(old)
        change["SequenceNumber"] = f"{sequence:021d}"
        change["SizeBytes"] = size
        change["StreamViewType"] = self.view_type
        event_id = hashlib.md5(f"{seed}:{sequence}".encode(), usedforsecurity=False).hexdigest()
        record: dict[str, Any] = {
            "eventID": event_id,
            "eventName": event,
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": REGION,
            "dynamodb": change,
            "eventSourceARN": self.arn,
        }
        if system:
            record["userIdentity"] = dict(TTL_IDENTITY)
        self.records.append(record)
        self.written += 1
        return record

    def trim(self, now: float) -> None:
        """Drop records older than 24 hours."""
        cutoff = now - STREAM_RETENTION_SECONDS
        records = self.records
        if records and records[0]["dynamodb"]["ApproximateCreationDateTime"] < cutoff:
            keep = 0
            while (
                keep < len(records)
                and records[keep]["dynamodb"]["ApproximateCreationDateTime"] < cutoff
            ):
                keep += 1
            del records[:keep]

    def expired(self, now: float) -> bool:
        return (
            not self.enabled
            and self.disabled_at is not None
            and now - self.disabled_at >= STREAM_RETENTION_SECONDS
        )

    def block(self, number: int, size: int) -> dict[str, Any]:
        """Records ``number * size`` to ``(number + 1) * size - 1`` of all time that are kept,
        with the number of the first (a part of ``DynamoDB.to_parts``)."""
        first = self.written - len(self.records)
        start = max(number * size, first)
        return {
            "from": start,
            "records": self.records[start - first : (number + 1) * size - first],
        }

    def to_dict(self, *, records: bool = True) -> dict[str, Any]:
        return {
            "label": self.label,
            "view_type": self.view_type,
            "arn": self.arn,
            "enabled": self.enabled,
            "disabled_at": self.disabled_at,
            "written": self.written,
            "kept": len(self.records),
            "records": self.records if records else [],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stream:
        stream = cls(data["label"], data["view_type"], data["arn"], data["enabled"])
        stream.disabled_at = data["disabled_at"]
        stream.records = list(data["records"])
        stream.written = int(data.get("written", len(stream.records)))
        return stream
