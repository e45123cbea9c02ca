"""The Kinesis simulator's forms; those that name shards know the simulation, so that only
the stream's own shards are accepted."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studyapp.engines.kinesis import MAX_HASH_KEY, STRATEGIES

from .simulation import (
    ITERATOR_TYPES,
    MAX_ADVANCE_SECONDS,
    MAX_PRODUCE_SECONDS,
    MAX_RECORDS_PER_REQUEST,
    KinesisSimulation,
    middle_of,
    shard_at,
)

HASH_KEY = re.compile(r"0|[1-9]\d{0,38}")
FRACTION = re.compile(r"0?\.\d{1,12}")


class StateForm(forms.Form):
    def __init__(self, data, *, state: KinesisSimulation) -> None:
        super().__init__(data)
        self.state = state

    def shard_field(self, name: str, *, open_only: bool = False) -> str:
        value = self.cleaned_data.get(name, "")
        if value not in self.state.shard_ids(open_only=open_only):
            raise forms.ValidationError(_("There is no shard %(shard)s.") % {"shard": value})
        return value


class ResetForm(forms.Form):
    shards = forms.IntegerField(label=gettext_lazy("Shards"), min_value=1, max_value=64)


class AdvanceForm(forms.Form):
    seconds = forms.IntegerField(
        label=gettext_lazy("Seconds"), min_value=1, max_value=MAX_ADVANCE_SECONDS
    )


class ProducerForm(forms.Form):
    strategy = forms.ChoiceField(
        label=gettext_lazy("Partition keys"), choices=[(s, s) for s in STRATEGIES]
    )
    rate = forms.IntegerField(
        label=gettext_lazy("Records per second"),
        min_value=1,
        max_value=MAX_RECORDS_PER_REQUEST,
    )
    size = forms.IntegerField(
        label=gettext_lazy("Record size (bytes)"), min_value=0, max_value=1024 * 1024 - 256
    )
    key = forms.CharField(label=gettext_lazy("Hot partition key"), max_length=256)
    hot_share = forms.FloatField(label=gettext_lazy("Hot key share"), min_value=0, max_value=1)
    seconds = forms.IntegerField(
        label=gettext_lazy("Seconds to run"), min_value=1, max_value=MAX_PRODUCE_SECONDS
    )
    do = forms.ChoiceField(choices=[(d, d) for d in ("run", "start", "stop")])


class PutForm(forms.Form):
    partition_key = forms.CharField(label=gettext_lazy("Partition key"), max_length=256)
    data = forms.CharField(label=gettext_lazy("Data"), max_length=1000, strip=False)
    explicit_hash_key = forms.CharField(
        label=gettext_lazy("Explicit hash key"), max_length=39, required=False
    )

    def clean_explicit_hash_key(self) -> str:
        value = self.cleaned_data["explicit_hash_key"].strip()
        if value and (not HASH_KEY.fullmatch(value) or int(value) > MAX_HASH_KEY):
            raise forms.ValidationError(_("A hash key is a whole number from 0 to 2^128 - 1."))
        return value


class SplitForm(StateForm):
    shard = forms.CharField(label=gettext_lazy("Shard to split"), max_length=40, required=False)
    hash_key = forms.CharField(
        label=gettext_lazy("New starting hash key"), max_length=39, required=False
    )
    at = forms.CharField(max_length=14, required=False)  # a point on the bar, 0 to 1
    middle = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        at = data.get("at", "")
        if at:
            if not FRACTION.fullmatch(at):
                raise forms.ValidationError(_("The point on the bar must be between 0 and 1."))
            key = int(Fraction(at) * (MAX_HASH_KEY + 1))
            data["shard"] = shard_at(self.state, key)
            data["new_key"] = key
            return data
        data["shard"] = self.shard_field("shard", open_only=True)
        if data.get("middle"):
            data["new_key"] = middle_of(self.state, data["shard"])
            return data
        text = data.get("hash_key", "").strip()
        if not HASH_KEY.fullmatch(text) or int(text) > MAX_HASH_KEY:
            raise forms.ValidationError(_("A hash key is a whole number from 0 to 2^128 - 1."))
        data["new_key"] = int(text)
        return data


class MergeForm(StateForm):
    shard = forms.CharField(label=gettext_lazy("Shard to merge"), max_length=40)
    adjacent = forms.CharField(label=gettext_lazy("Adjacent shard"), max_length=40)

    def clean_shard(self) -> str:
        return self.shard_field("shard", open_only=True)

    def clean_adjacent(self) -> str:
        return self.shard_field("adjacent", open_only=True)


class ScaleForm(forms.Form):
    target = forms.IntegerField(label=gettext_lazy("Target shard count"), min_value=1, max_value=64)


class RetentionForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[
            ("IncreaseStreamRetentionPeriod", "IncreaseStreamRetentionPeriod"),
            ("DecreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod"),
        ],
    )
    hours = forms.IntegerField(label=gettext_lazy("Hours"), min_value=1, max_value=100_000)


class IteratorForm(StateForm):
    shard = forms.CharField(label=gettext_lazy("Shard"), max_length=40)
    type = forms.ChoiceField(
        label=gettext_lazy("Iterator type"), choices=[(t, t) for t in ITERATOR_TYPES]
    )
    sequence_number = forms.CharField(
        label=gettext_lazy("Sequence number"), max_length=64, required=False
    )
    timestamp = forms.FloatField(
        label=gettext_lazy("Timestamp (epoch seconds)"),
        required=False,
        min_value=0,
        max_value=10**11,
    )

    def clean_shard(self) -> str:
        return self.shard_field("shard")


class RecordsForm(StateForm):
    shard = forms.CharField(max_length=40)
    limit = forms.IntegerField(label=gettext_lazy("Limit"), min_value=1, max_value=10_000)


class ConsumerForm(forms.Form):
    shard = forms.CharField(max_length=40)


class PlayForm(forms.Form):
    on = forms.BooleanField(required=False)


class NoStream(forms.Form):
    """Stands in for a form that needs the stream, when there is none."""

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError(_("There is no stream: load a preset or reset."))
