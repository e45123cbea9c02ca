"""The expression playground's answer: what the last Query or Scan read, what it returned, and
why (the key condition chooses what is read; the filter only drops items already read and paid
for; the projection only chooses attributes; Limit and 1 MB end a page)."""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils.translation import gettext as _

from .facts import size_text, units_text
from .sentences import sentence

READ_UNIT = 4096


def explain_read(read: dict[str, Any], *, has_next: bool) -> dict[str, Any]:
    scanned, count = read.get("scanned", 0), read.get("count", 0)
    blocks = max(1, math.ceil(read.get("bytes", 0) / READ_UNIT))
    values = {
        "action": read["kind"],
        "scanned": f"{scanned:,}",
        "count": f"{count:,}",
        "dropped": f"{scanned - count:,}",
        "bytes": size_text(read.get("bytes", 0)),
        "blocks": blocks,
        "rcu": units_text(read.get("rcu", 0)),
        "how": _("strongly consistent, 1 RCU per 4 KB")
        if read.get("consistent")
        else _("eventually consistent, 0.5 RCU per 4 KB"),
        "condition": read.get("key_condition", ""),
        "filter": read.get("filter", ""),
        "projection": read.get("projection", ""),
        "limit": read.get("limit"),
    }
    points = []
    if read["kind"] == "Query":
        points.append(
            _(
                "The key condition %(condition)s chose what was read: one item collection, "
                "in sort key order. Only those items were read."
            )
            % values
        )
    else:
        points.append(
            _(
                "A Scan reads every item in partition-key hash order, whatever it returns, "
                "until the page ends."
            )
        )
    points.append(
        _(
            "It read %(scanned)s items, %(bytes)s together, rounded up to %(blocks)s × 4 KB: "
            "%(rcu)s RCU (%(how)s)."
        )
        % values
    )
    if values["filter"]:
        points.append(
            _(
                "The filter %(filter)s ran after the read: it kept %(count)s of %(scanned)s. The "
                "%(dropped)s it dropped were read and paid for all the same."
            )
            % values
        )
    if values["projection"]:
        points.append(
            _(
                "ProjectionExpression %(projection)s chose the attributes returned; it does not "
                "change what is read or the cost."
            )
            % values
        )
    if read.get("select") == "COUNT":
        points.append(_("Select COUNT returns the count only, not the items."))
    last_key = read.get("last_key")
    if last_key:
        why = (
            _("Limit %(limit)s ended the page") % values
            if values["limit"] and scanned >= values["limit"]
            else _("the page reached 1 MB")
        )
        points.append(
            _(
                "%(why)s: LastEvaluatedKey %(key)s came back. Pass it as ExclusiveStartKey to "
                "read on."
            )
            % {"why": why, "key": json.dumps(last_key, ensure_ascii=False)}
        )
    else:
        points.append(_("No LastEvaluatedKey: nothing is left to read."))
    return {
        "sentence": sentence({"facts": read, "action": {"Action": read["kind"]}}),
        "kind": read["kind"],
        "table": read.get("table", ""),
        "index": read.get("index", ""),
        "points": points,
        "reads": [
            {"key": key, "size": size_text(size), "kept": kept}
            for _name, size, kept, key in read.get("reads", [])
        ],
        "reads_left": max(0, scanned - len(read.get("reads", []))),
        "items": [json.dumps(item, ensure_ascii=False) for item in read.get("items", [])],
        "items_left": read.get("items_left", 0),
        "next": bool(last_key) and has_next,
    }
