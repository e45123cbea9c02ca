"""One message and its state: delayed, visible or in flight.

SQS Developer Guide, "Amazon SQS visibility timeout": a message is *stored* until received,
*in flight* between receive and delete; a delayed message (delay queue or message timer)
stays invisible until its delay ends ("Amazon SQS delay queues", "Amazon SQS message timers").
"""

from __future__ import annotations

from typing import Any

DELAYED, VISIBLE, INFLIGHT = 0, 1, 2
STATE_NAMES = ("delayed", "visible", "inflight")


class Message:
    """A stored message; ``__slots__`` keeps a small one well under 1 KB."""

    __slots__ = (
        "attributes",
        "body",
        "dedup_id",
        "duplicate",
        "enqueued_at",
        "expires_at",
        "first_receive_ms",
        "group",
        "message_id",
        "receive_count",
        "received_at",
        "sent_ms",
        "seq",
        "sequence_number",
        "source_arn",
        "state",
        "visible_at",
    )

    def __init__(
        self,
        message_id: str,
        body: str,
        sent_ms: int,
        enqueued_at: float,
        attributes: dict[str, Any] | None = None,
    ) -> None:
        self.message_id = message_id
        self.body = body
        self.sent_ms = sent_ms
        # Retention counts from here; a FIFO message moved to a DLQ restarts it.
        self.enqueued_at = enqueued_at
        self.attributes = attributes
        self.seq = 0
        self.expires_at = 0.0
        self.visible_at = 0.0
        self.state = VISIBLE
        self.receive_count = 0
        self.first_receive_ms: int | None = None
        # When the message was last received: the 12-hour visibility cap counts from here.
        self.received_at = 0.0
        self.group: str | None = None
        self.dedup_id: str | None = None
        self.sequence_number: str | None = None
        self.source_arn: str | None = None
        self.duplicate = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seq": self.seq,
            "id": self.message_id,
            "body": self.body,
            "sent": self.sent_ms,
            "enqueued": self.enqueued_at,
            "visible": self.visible_at,
            "state": self.state,
            "receives": self.receive_count,
        }
        if self.receive_count:
            data["first"] = self.first_receive_ms
            data["received"] = self.received_at
        optional = {
            "attributes": self.attributes,
            "group": self.group,
            "dedup": self.dedup_id,
            "sn": self.sequence_number,
            "source": self.source_arn,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        if self.duplicate:
            data["duplicate"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        m = cls(data["id"], data["body"], data["sent"], data["enqueued"], data.get("attributes"))
        m.seq = data["seq"]
        m.visible_at = data["visible"]
        m.state = data["state"]
        m.receive_count = data["receives"]
        m.first_receive_ms = data.get("first")
        m.received_at = data.get("received", 0.0)
        m.group = data.get("group")
        m.dedup_id = data.get("dedup")
        m.sequence_number = data.get("sn")
        m.source_arn = data.get("source")
        m.duplicate = data.get("duplicate", False)
        return m
