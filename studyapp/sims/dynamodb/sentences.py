"""The event log in plain sentences: "PutItem on Orders: 1 WCU, item 1.2 KB.", "Query on Orders
read 12 items (3 RCU), returned 2 after the filter.", and what a failure or an action that did
nothing means. Made from an entry's facts (``facts.py``) in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .facts import size_text, units_text


def sentence(entry: dict[str, Any]) -> str:
    told = entry.get("facts") or {}
    kind = told.get("kind")
    if kind == "Advance":
        return _("The clock moved on %(n)s s.") % {"n": units_text(told.get("seconds", 0))}
    if told.get("error"):
        return _failed(told)
    teller = TELLERS.get(kind)
    if teller is not None:
        return teller(told)
    action = entry["action"].get("Action", "")
    if told.get("table"):
        return _("%(action)s on %(table)s: done.") % {"action": action, "table": told["table"]}
    return _("%(action)s: done.") % {"action": action}


def _on(told: dict[str, Any]) -> dict[str, Any]:
    return {
        "action": told["kind"],
        "table": told.get("table", ""),
        "rcu": units_text(told.get("rcu", 0)),
        "wcu": units_text(told.get("wcu", 0)),
        "size": size_text(told.get("size") or 0),
        "old": size_text(told.get("old_size") or 0),
    }


def _indexes(told: dict[str, Any]) -> str:
    shown = [
        _("%(units)s for the index %(index)s") % {"units": units_text(units), "index": name}
        for name, units in told.get("indexes") or []
    ]
    return f" ({'; '.join(shown)})" if shown else ""


def _put(told: dict[str, Any]) -> str:
    text = _("PutItem on %(table)s: %(wcu)s WCU%(indexes)s, item %(size)s.") % {
        **_on(told),
        "indexes": _indexes(told),
    }
    if not told.get("changes"):
        return text + " " + _("The item was already exactly this: nothing changed.")
    if told.get("existed"):
        return text + " " + _("It replaced the whole item that was there (%(old)s).") % _on(told)
    return text


def _update(told: dict[str, Any]) -> str:
    values = {**_on(told), "indexes": _indexes(told)}
    if not told.get("existed"):
        return (
            _("UpdateItem on %(table)s created the item: %(wcu)s WCU%(indexes)s, %(size)s.")
            % values
        )
    text = _("UpdateItem on %(table)s: %(wcu)s WCU%(indexes)s, the item is now %(size)s.") % values
    if not told.get("changes"):
        text += " " + _("No attribute changed.")
    return text


def _delete(told: dict[str, Any]) -> str:
    if not told.get("existed"):
        return _(
            "DeleteItem on %(table)s: no item has that key, so nothing was deleted (%(wcu)s WCU)."
        ) % _on(told)
    return _("DeleteItem on %(table)s: %(wcu)s WCU%(indexes)s, deleted an item of %(size)s.") % {
        **_on(told),
        "indexes": _indexes(told),
    }


def _get(told: dict[str, Any]) -> str:
    how = _("strongly consistent") if told.get("consistent") else _("eventually consistent")
    values = {**_on(told), "how": how}
    if not told.get("found"):
        text = _("GetItem on %(table)s: %(rcu)s RCU (%(how)s), no item with that key.") % values
    else:
        text = _("GetItem on %(table)s: %(rcu)s RCU (%(how)s), found the item (%(size)s).") % values
    if told.get("stale"):
        text += " " + _(
            "That is the item as it was before the latest write: an eventually consistent read "
            "can miss a write made less than a moment ago."
        )
    return text


def _read(told: dict[str, Any]) -> str:
    values = {
        **_on(told),
        "scanned": f"{told.get('scanned', 0):,}",
        "count": f"{told.get('count', 0):,}",
        "where": told.get("table", ""),
    }
    if told.get("index"):
        values["where"] = _("%(table)s (index %(index)s)") % {
            "table": told.get("table", ""),
            "index": told["index"],
        }
    scanned = told.get("scanned", 0)
    if told.get("filtered"):
        text = ngettext(
            "%(action)s on %(where)s read %(scanned)s item (%(rcu)s RCU), returned %(count)s "
            "after the filter.",
            "%(action)s on %(where)s read %(scanned)s items (%(rcu)s RCU), returned %(count)s "
            "after the filter.",
            scanned,
        )
    else:
        text = ngettext(
            "%(action)s on %(where)s read %(scanned)s item (%(rcu)s RCU), returned %(count)s.",
            "%(action)s on %(where)s read %(scanned)s items (%(rcu)s RCU), returned %(count)s.",
            scanned,
        )
    text %= values
    if told.get("more"):
        text += " " + _("A LastEvaluatedKey came back: there may be more to read.")
    return text


def _batch_write(told: dict[str, Any]) -> str:
    requests, left = told.get("requests", 0), told.get("left", 0)
    values = {
        **_on(told),
        "done": f"{requests - left:,}",
        "n": f"{requests:,}",
        "left": f"{left:,}",
    }
    if not left:
        return _("BatchWriteItem: all %(n)s writes done (%(wcu)s WCU).") % values
    return (
        _(
            "BatchWriteItem: %(done)s of %(n)s writes done (%(wcu)s WCU); %(left)s came back in "
            "UnprocessedItems. Retry them after a pause (exponential backoff)."
        )
        % values
    )


def _batch_get(told: dict[str, Any]) -> str:
    requests, left = told.get("requests", 0), told.get("left", 0)
    values = {
        **_on(told),
        "done": f"{requests - left:,}",
        "n": f"{requests:,}",
        "left": f"{left:,}",
        "found": f"{told.get('found', 0):,}",
    }
    text = _("BatchGetItem: read %(done)s of %(n)s keys (%(rcu)s RCU), found %(found)s items.")
    text %= values
    if left:
        text += " " + _("%(left)s keys came back in UnprocessedKeys.") % values
    return text


def _transact_write(told: dict[str, Any]) -> str:
    values = {**_on(told), "n": told.get("requests", 0)}
    if told.get("repeat"):
        return _(
            "TransactWriteItems: the same ClientRequestToken within 10 minutes, so the "
            "transaction was not applied again (0 WCU)."
        )
    return (
        _("TransactWriteItems: %(n)s actions applied together, all or nothing (%(wcu)s WCU).")
        % values
    )


def _transact_get(told: dict[str, Any]) -> str:
    return _("TransactGetItems: read %(n)s items together (%(rcu)s RCU).") % {
        **_on(told),
        "n": told.get("requests", 0),
    }


def _table(told: dict[str, Any]) -> str:
    values = {
        **_on(told),
        "read": f"{told.get('read', 0):,}",
        "write": f"{told.get('write', 0):,}",
        "partitions": told.get("partitions", 1),
    }
    partitions = (
        ngettext("%(partitions)s partition", "%(partitions)s partitions", values["partitions"])
        % values
    )
    if told.get("mode") == "PAY_PER_REQUEST":
        text = _("%(action)s %(table)s: on-demand capacity, %(count)s.")
    else:
        text = _("%(action)s %(table)s: provisioned %(read)s RCU and %(write)s WCU, %(count)s.")
    values["count"] = partitions
    return text % values


def _delete_table(told: dict[str, Any]) -> str:
    return _("DeleteTable %(table)s: the table and all its items are gone.") % _on(told)


def _ttl(told: dict[str, Any]) -> str:
    values = {**_on(told), "attribute": told.get("attribute", "")}
    if told.get("enabled"):
        return (
            _(
                "Time to Live on %(table)s: items whose %(attribute)s (epoch seconds) has passed "
                "are deleted within 48 hours, at no cost."
            )
            % values
        )
    return _("Time to Live on %(table)s is now off.") % values


def _workload(told: dict[str, Any]) -> str:
    units = told.get("wcu") if told.get("operation") == "PutItem" else told.get("rcu")
    values = {
        **_on(told),
        "operation": told.get("operation", ""),
        "requests": f"{told.get('requests', 0):,}",
        "seconds": told.get("seconds", 0),
        "succeeded": f"{told.get('succeeded', 0):,}",
        "throttles": f"{told.get('throttles', 0):,}",
        "units": units_text(units or 0),
        "unit": "WCU" if told.get("operation") == "PutItem" else "RCU",
    }
    return (
        _(
            "Workload on %(table)s: %(requests)s %(operation)s requests in %(seconds)s s, "
            "%(succeeded)s succeeded (%(units)s %(unit)s), %(throttles)s throttled."
        )
        % values
    )


def _failed(told: dict[str, Any]) -> str:
    code = told["error"]
    values = {**_on(told), "code": code, "message": told.get("message", "")}
    where = (
        _("%(action)s on %(table)s") % values if told.get("table") else str(told.get("kind") or "")
    )
    values["where"] = where
    if code == "ConditionalCheckFailedException":
        return (
            _(
                "%(where)s failed: ConditionalCheckFailedException. The condition was false, so "
                "nothing was written; the attempt still consumed %(wcu)s WCU."
            )
            % values
        )
    if code == "TransactionCanceledException":
        values["reasons"] = ", ".join(told.get("reasons") or [])
        return (
            _(
                "%(where)s was cancelled (TransactionCanceledException): reasons, in request "
                "order: %(reasons)s. Nothing was written."
            )
            % values
        )
    if code in ("ProvisionedThroughputExceededException", "ThrottlingException"):
        limit = told.get("limit", "")
        if "KeyRange" in limit:
            why = _("a partition is at its limit this second (a hot key)")
        elif limit.startswith("Index"):
            why = _("a global secondary index is out of write capacity")
        else:
            why = _("the table is out of capacity this second, burst included")
        values["why"] = why
        return (
            _("%(where)s was throttled (%(code)s): %(why)s. Nothing was done; retry later.")
            % values
        )
    return _("%(where)s failed: %(code)s (%(message)s). Nothing changed.") % values


TELLERS = {
    "PutItem": _put,
    "UpdateItem": _update,
    "DeleteItem": _delete,
    "GetItem": _get,
    "Query": _read,
    "Scan": _read,
    "BatchWriteItem": _batch_write,
    "BatchGetItem": _batch_get,
    "TransactWriteItems": _transact_write,
    "TransactGetItems": _transact_get,
    "CreateTable": _table,
    "UpdateTable": _table,
    "DeleteTable": _delete_table,
    "UpdateTimeToLive": _ttl,
    "Workload": _workload,
}
