"""The item editor's view-model: the values its fields show again, and the engine's preview of
an item action (size and capacity cost, before it is sent) told in sentences."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .facts import size_text, units_text
from .simulation import REMEMBERED_TEXT

# Every field a form shows again has a default: a template looking up a missing key of a dict
# would find the dict's method of that name instead (editor.values, reader.values).
EDITOR_DEFAULTS: dict[str, Any] = {
    "table": "",
    "operation": "PutItem",
    "item": "",
    "update": "",
    "condition": "",
    "names": "",
    "values": "",
    "consistent": False,
}
READER_DEFAULTS: dict[str, Any] = {
    "table": "",
    "operation": "Query",
    "index": "",
    "key_condition": "",
    "filter": "",
    "projection": "",
    "names": "",
    "values": "",
    "limit": None,
    "consistent": False,
    "descending": False,
}
WORKLOAD_DEFAULTS: dict[str, Any] = {
    "table": "",
    "operation": "PutItem",
    "rate": 100,
    "seconds": 1,
    "keys": 1000,
    "size": 100,
    "hot_key": "",
    "hot_share": None,
}
EDITOR_FIELDS = ("table", "operation", "item", "update", "condition", "names", "values")


def editor_values(data: Any) -> dict[str, Any]:
    """The item editor as submitted (shown again with a preview, when nothing was saved)."""
    found = {key: str(data.get(key, ""))[:REMEMBERED_TEXT] for key in EDITOR_FIELDS}
    found["consistent"] = bool(data.get("consistent"))
    return found


def preview_view(found: dict[str, Any]) -> dict[str, Any]:
    """The engine's preview of an item action, in sentences."""
    if not found.get("ok"):
        return {"ok": False, "Code": found.get("Code", ""), "Message": found.get("Message", "")}
    values = {
        "units": units_text(found["Units"]),
        "total": units_text(found["TotalUnits"]),
        "size": size_text(found["ItemBytes"]),
    }
    notes = []
    if found["Kind"] == "read":
        reads = found["ReadUnits"]
        cost = _(
            "Cost: %(eventual)s RCU eventually consistent, %(strong)s strongly consistent, "
            "%(tx)s in a transaction (per 4 KB, rounded up)."
        ) % {
            k: units_text(reads[v])
            for k, v in (("eventual", "Eventual"), ("strong", "Strong"), ("tx", "Transactional"))
        }
        if not found["Exists"]:
            notes.append(_("No item has this key: the read still costs the minimum."))
    elif found["ConditionPasses"] is False:
        cost = (
            _(
                "The condition is false for the stored item: the write would fail with "
                "ConditionalCheckFailedException, change nothing, and still cost %(units)s WCU."
            )
            % values
        )
    else:
        indexes = "".join(
            _("; %(units)s for the index %(index)s (%(change)s)")
            % {
                "units": units_text(i["Units"]),
                "index": i["IndexName"],
                "change": CHANGES[i["Change"]],
            }
            for i in found["IndexUnits"]
        )
        cost = _("Cost: %(total)s WCU (%(units)s for the table%(indexes)s).") % {
            **values,
            "indexes": indexes,
        }
        notes.append(
            _(
                "Writes count per 1 KB, rounded up, of the larger of the stored and the new item; "
                "in a transaction, twice: %(tx)s WCU for the table."
            )
            % {"tx": units_text(found["TransactionalUnits"])}
        )
        if found["Action"] == "PutItem":
            notes.append(
                _("An item with this key exists: PutItem replaces it whole.")
                if found["Exists"]
                else _("No item has this key yet: PutItem creates it.")
            )
        if not found["Changes"]:
            notes.append(_("The write would change nothing, and still costs its units."))
    return {
        "ok": True,
        "Action": found["Action"],
        "size_text": values["size"],
        "old_text": size_text(found["OldItemBytes"]) if found["OldItemBytes"] is not None else "",
        "cost_text": cost,
        "notes": notes,
    }


CHANGES = {
    "add": gettext_lazy("a new entry"),
    "remove": gettext_lazy("its entry removed"),
    "move": gettext_lazy("new index key: delete and put"),
    "update": gettext_lazy("entry updated"),
}
