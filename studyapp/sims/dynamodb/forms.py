"""The DynamoDB simulator's forms: each turns what a learner submitted into one engine request.

Forms that name a table know the simulation (``SimForm``), so that only its tables (and their
indexes) are accepted. JSON fields take DynamoDB JSON ({"pk": {"S": "a"}}); a value that is not
a JSON object, or is nested deeper than DynamoDB allows, is a form error (a 400), while a
request DynamoDB itself would refuse runs and is logged with its error, as the API answers.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studyapp.engines.dynamodb import table_schemas

from .simulation import MAX_ADVANCE, DynamoDBSimulation

MAX_DEPTH = 40  # DynamoDB nests attribute values 32 levels deep, each level two JSON levels
MAX_ITEM_TEXT = 450_000  # an item is at most 400 KB
MAX_EXPRESSION = 4_096
MAX_JSON = 100_000
MAX_WORKLOAD = 10_000  # requests of one Workload from the page
KEY_TYPES = [("S", "S"), ("N", "N"), ("B", "B")]
MODES = [("PROVISIONED", "PROVISIONED"), ("PAY_PER_REQUEST", "PAY_PER_REQUEST")]


def _depth(value: Any) -> int:
    deepest, pending = 0, [(value, 1)]
    while pending:
        current, depth = pending.pop()
        deepest = max(deepest, depth)
        if isinstance(current, dict):
            pending.extend((item, depth + 1) for item in current.values())
        elif isinstance(current, list):
            pending.extend((item, depth + 1) for item in current)
    return deepest


def json_object(text: str, label: str) -> dict[str, Any]:
    """The JSON object in ``text``; a ValidationError that says what is wrong."""
    too_deep = forms.ValidationError(
        _("%(label)s is nested too deeply: DynamoDB allows 32 levels.") % {"label": label}
    )
    try:
        value = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except ValueError as error:
        raise forms.ValidationError(
            _("%(label)s is not valid JSON: %(error)s") % {"label": label, "error": error}
        ) from None
    if _depth(value) > MAX_DEPTH:
        raise too_deep
    if not isinstance(value, dict):
        raise forms.ValidationError(
            _('%(label)s must be a JSON object, such as {"pk": {"S": "a"}}.') % {"label": label}
        )
    return value


def _text(label: str, most: int = MAX_EXPRESSION, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=most, required=False, **kwargs)


class SimForm(forms.Form):
    """A form that names one of the simulation's tables in its ``table`` field."""

    table = forms.ChoiceField(label=gettext_lazy("Table"))

    def __init__(self, data: Any, simulation: DynamoDBSimulation) -> None:
        super().__init__(data)
        self.schemas = {s["TableName"]: s for s in table_schemas(simulation.engine)}
        self.fields["table"].choices = [(name, name) for name in self.schemas]

    def clean_table(self) -> str:
        if not self.schemas:
            raise forms.ValidationError(_("There is no table yet: create one or load a preset."))
        return self.cleaned_data["table"]

    def key_names(self) -> list[str]:
        schema = self.schemas.get(self.cleaned_data.get("table", ""), {})
        return [k["AttributeName"] for k in schema.get("KeySchema", [])]

    def expression_values(self, step: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        if data.get("names"):
            step["ExpressionAttributeNames"] = data["names"]
        if data.get("values"):
            step["ExpressionAttributeValues"] = data["values"]
        return step

    def clean_names(self) -> dict[str, Any] | None:
        text = self.cleaned_data["names"].strip()
        return json_object(text, _("ExpressionAttributeNames")) if text else None

    def clean_values(self) -> dict[str, Any] | None:
        text = self.cleaned_data["values"].strip()
        return json_object(text, _("ExpressionAttributeValues")) if text else None


class ItemForm(SimForm):
    """The item editor: PutItem, UpdateItem, DeleteItem or GetItem of one item."""

    operation = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[(a, a) for a in ("PutItem", "UpdateItem", "DeleteItem", "GetItem")],
    )
    item = forms.CharField(
        label=gettext_lazy("Item (PutItem) or key, in DynamoDB JSON"),
        max_length=MAX_ITEM_TEXT,
        strip=False,
    )
    update = _text(gettext_lazy("UpdateExpression"))
    condition = _text(gettext_lazy("ConditionExpression"))
    names = _text(gettext_lazy("ExpressionAttributeNames (JSON)"), MAX_JSON)
    values = _text(gettext_lazy("ExpressionAttributeValues (JSON)"), MAX_JSON)
    consistent = forms.BooleanField(required=False, label=gettext_lazy("ConsistentRead"))

    def clean_item(self) -> dict[str, Any]:
        return json_object(self.cleaned_data["item"], _("The item"))

    def step(self) -> dict[str, Any]:
        """The request; UpdateItem, DeleteItem and GetItem send only the key attributes."""
        data = self.cleaned_data
        operation, item = data["operation"], data["item"]
        step: dict[str, Any] = {"Action": operation, "TableName": data["table"]}
        if operation == "PutItem":
            step["Item"] = item
        else:
            names = self.key_names()
            key = {name: item[name] for name in names if name in item}
            step["Key"] = key if len(key) == len(names) else item
        if operation == "UpdateItem" and data["update"].strip():
            step["UpdateExpression"] = data["update"]
        if operation == "GetItem":
            step["ConsistentRead"] = data["consistent"]
        elif data["condition"].strip():
            step["ConditionExpression"] = data["condition"]
        return self.expression_values(step)

    def remembered(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "table": data["table"],
            "operation": data["operation"],
            "item": self.data.get("item", ""),
            "update": data["update"],
            "condition": data["condition"],
            "names": self.data.get("names", ""),
            "values": self.data.get("values", ""),
            "consistent": data["consistent"],
        }


class ReadForm(SimForm):
    """The expression playground: one Query or Scan, of the table or one of its indexes."""

    operation = forms.ChoiceField(
        label=gettext_lazy("Action"), choices=[("Query", "Query"), ("Scan", "Scan")]
    )
    index = forms.CharField(label=gettext_lazy("Index"), max_length=255, required=False)
    key_condition = _text(gettext_lazy("KeyConditionExpression (Query)"))
    filter = _text(gettext_lazy("FilterExpression"))
    projection = _text(gettext_lazy("ProjectionExpression"))
    names = _text(gettext_lazy("ExpressionAttributeNames (JSON)"), MAX_JSON)
    values = _text(gettext_lazy("ExpressionAttributeValues (JSON)"), MAX_JSON)
    limit = forms.IntegerField(
        label=gettext_lazy("Limit"), min_value=1, max_value=1000, required=False
    )
    consistent = forms.BooleanField(required=False, label=gettext_lazy("ConsistentRead"))
    descending = forms.BooleanField(
        required=False, label=gettext_lazy("Newest first (ScanIndexForward false)")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        table, index = data.get("table"), data.get("index", "")
        if table and index:
            known = [i["IndexName"] for i in self.schemas[table]["Indexes"]]
            if index not in known:
                self.add_error(
                    "index",
                    _("The table %(table)s has no index %(index)s.")
                    % {"table": table, "index": index},
                )
        return data

    def step(self) -> dict[str, Any]:
        data = self.cleaned_data
        step: dict[str, Any] = {"Action": data["operation"], "TableName": data["table"]}
        if data["index"]:
            step["IndexName"] = data["index"]
        for field, name in (
            ("filter", "FilterExpression"),
            ("projection", "ProjectionExpression"),
        ):
            if data[field].strip():
                step[name] = data[field]
        if data["operation"] == "Query":
            if data["key_condition"].strip():
                step["KeyConditionExpression"] = data["key_condition"]
            if data["descending"]:
                step["ScanIndexForward"] = False
        if data["limit"] is not None:
            step["Limit"] = data["limit"]
        if data["consistent"]:
            step["ConsistentRead"] = True
        return self.expression_values(step)

    def remembered(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ("table", "operation", "index", "key_condition", "filter", "projection")
        found: dict[str, Any] = {key: data[key] for key in keys}
        found.update(
            names=self.data.get("names", ""),
            values=self.data.get("values", ""),
            limit=data["limit"],
            consistent=data["consistent"],
            descending=data["descending"],
        )
        return found


class CreateTableForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("TableName"), max_length=255)
    pk = forms.CharField(label=gettext_lazy("Partition key"), max_length=255)
    pk_type = forms.ChoiceField(label=gettext_lazy("Partition key type"), choices=KEY_TYPES)
    sk = forms.CharField(label=gettext_lazy("Sort key (optional)"), max_length=255, required=False)
    sk_type = forms.ChoiceField(label=gettext_lazy("Sort key type"), choices=KEY_TYPES)
    mode = forms.ChoiceField(label=gettext_lazy("BillingMode"), choices=MODES)
    rcu = forms.IntegerField(
        label=gettext_lazy("ReadCapacityUnits"), min_value=1, max_value=40_000, required=False
    )
    wcu = forms.IntegerField(
        label=gettext_lazy("WriteCapacityUnits"), min_value=1, max_value=40_000, required=False
    )
    gsi = forms.CharField(
        label=gettext_lazy("Global secondary index (optional)"), max_length=255, required=False
    )
    gsi_pk = forms.CharField(
        label=gettext_lazy("Index partition key"), max_length=255, required=False
    )
    gsi_pk_type = forms.ChoiceField(
        label=gettext_lazy("Index partition key type"), choices=KEY_TYPES
    )
    gsi_sk = forms.CharField(label=gettext_lazy("Index sort key"), max_length=255, required=False)
    gsi_sk_type = forms.ChoiceField(label=gettext_lazy("Index sort key type"), choices=KEY_TYPES)
    gsi_projection = forms.ChoiceField(
        label=gettext_lazy("Projection"),
        choices=[(p, p) for p in ("ALL", "KEYS_ONLY")],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("mode") == "PROVISIONED":
            for field in ("rcu", "wcu"):
                if data.get(field) is None and field not in self.errors:
                    self.add_error(field, _("Provisioned capacity needs a number of units."))
        if data.get("gsi") and not data.get("gsi_pk"):
            self.add_error("gsi_pk", _("A global secondary index needs a partition key."))
        types: dict[str, str] = {}
        for name, kind in (("pk", "pk_type"), ("sk", "sk_type")) + (
            (("gsi_pk", "gsi_pk_type"), ("gsi_sk", "gsi_sk_type")) if data.get("gsi") else ()
        ):
            attribute = data.get(name)
            if attribute and types.setdefault(attribute, data.get(kind, "S")) != data.get(kind):
                self.add_error(
                    kind, _("%(name)s is given two different types.") % {"name": attribute}
                )
        data["types"] = types
        return data

    def step(self) -> dict[str, Any]:
        data = self.cleaned_data
        schema = [{"AttributeName": data["pk"], "KeyType": "HASH"}]
        if data["sk"]:
            schema.append({"AttributeName": data["sk"], "KeyType": "RANGE"})
        capacity = {"ReadCapacityUnits": data["rcu"], "WriteCapacityUnits": data["wcu"]}
        step: dict[str, Any] = {
            "Action": "CreateTable",
            "TableName": data["name"],
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": kind}
                for name, kind in data["types"].items()
            ],
            "KeySchema": schema,
            "BillingMode": data["mode"],
        }
        provisioned = data["mode"] == "PROVISIONED"
        if provisioned:
            step["ProvisionedThroughput"] = capacity
        if data["gsi"]:
            index_schema = [{"AttributeName": data["gsi_pk"], "KeyType": "HASH"}]
            if data["gsi_sk"]:
                index_schema.append({"AttributeName": data["gsi_sk"], "KeyType": "RANGE"})
            index: dict[str, Any] = {
                "IndexName": data["gsi"],
                "KeySchema": index_schema,
                "Projection": {"ProjectionType": data["gsi_projection"]},
            }
            if provisioned:
                index["ProvisionedThroughput"] = dict(capacity)
            step["GlobalSecondaryIndexes"] = [index]
        return step


class CapacityForm(SimForm):
    mode = forms.ChoiceField(label=gettext_lazy("BillingMode"), choices=MODES)
    rcu = forms.IntegerField(
        label=gettext_lazy("ReadCapacityUnits"), min_value=1, max_value=40_000, required=False
    )
    wcu = forms.IntegerField(
        label=gettext_lazy("WriteCapacityUnits"), min_value=1, max_value=40_000, required=False
    )

    def step(self) -> dict[str, Any]:
        data = self.cleaned_data
        step: dict[str, Any] = {
            "Action": "UpdateTable",
            "TableName": data["table"],
            "BillingMode": data["mode"],
        }
        if data["mode"] == "PROVISIONED":
            step["ProvisionedThroughput"] = {
                "ReadCapacityUnits": data["rcu"] or 5,
                "WriteCapacityUnits": data["wcu"] or 5,
            }
        return step


class TableForm(SimForm):
    """Names a table only (DeleteTable)."""


class PickForm(SimForm):
    """An item of the drawing, to load into the item editor."""

    key = forms.CharField(max_length=MAX_ITEM_TEXT)

    def clean_key(self) -> dict[str, Any]:
        return json_object(self.cleaned_data["key"], _("The key"))


class WorkloadForm(SimForm):
    operation = forms.ChoiceField(
        label=gettext_lazy("Requests"), choices=[("PutItem", "PutItem"), ("GetItem", "GetItem")]
    )
    rate = forms.IntegerField(
        label=gettext_lazy("Requests per second"), min_value=1, max_value=MAX_WORKLOAD
    )
    seconds = forms.IntegerField(label=gettext_lazy("Seconds"), min_value=1, max_value=10)
    size = forms.IntegerField(
        label=gettext_lazy("Item size (bytes)"), min_value=16, max_value=8_000, required=False
    )
    keys = forms.IntegerField(
        label=gettext_lazy("Distinct partition keys"), min_value=1, max_value=10_000
    )
    hot_key = forms.CharField(label=gettext_lazy("Hot key"), max_length=100, required=False)
    hot_share = forms.FloatField(
        label=gettext_lazy("Share of requests to the hot key"),
        min_value=0,
        max_value=1,
        required=False,
    )
    consistent = forms.BooleanField(required=False, label=gettext_lazy("ConsistentRead"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rate, seconds = data.get("rate"), data.get("seconds")
        if rate and seconds and rate * seconds > MAX_WORKLOAD:
            raise forms.ValidationError(
                _("A workload sends at most %(n)s requests here (requests per second × seconds).")
                % {"n": f"{MAX_WORKLOAD:,}"}
            )
        return data

    def step(self) -> dict[str, Any]:
        data = self.cleaned_data
        step: dict[str, Any] = {
            "Action": "Workload",
            "TableName": data["table"],
            "Operation": data["operation"],
            "RequestsPerSecond": data["rate"],
            "Seconds": data["seconds"],
            "Keys": data["keys"],
            "ItemSize": data["size"] or 100,
        }
        if data["hot_key"]:
            step["HotKey"] = data["hot_key"]
            step["HotShare"] = 1.0 if data["hot_share"] is None else data["hot_share"]
        if data["operation"] == "GetItem":
            step["ConsistentRead"] = data["consistent"]
        return step

    def remembered(self) -> dict[str, Any]:
        keys = ("table", "operation", "rate", "seconds", "size", "keys", "hot_key", "hot_share")
        return {key: self.cleaned_data[key] for key in keys}


class AdvanceForm(forms.Form):
    seconds = forms.IntegerField(
        label=gettext_lazy("Seconds to advance"), min_value=1, max_value=MAX_ADVANCE
    )
