"""The Kinesis forms: shard fields accept only the stream's shards; hash keys and points."""

from fractions import Fraction

from studyapp.engines.kinesis import MAX_HASH_KEY
from studyapp.sims.kinesis import forms
from studyapp.sims.kinesis.simulation import KinesisSimulation


def test_split_at_a_point_of_the_bar_picks_the_shard_under_it():
    sim = KinesisSimulation.fresh(4)
    form = forms.SplitForm({"at": "0.3"}, state=sim)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["shard"] == "shardId-000000000001"
    assert form.cleaned_data["new_key"] == int(Fraction("0.3") * (MAX_HASH_KEY + 1))


def test_split_in_the_middle_or_at_a_hash_key():
    sim = KinesisSimulation.fresh(1)
    middle = forms.SplitForm({"shard": "shardId-000000000000", "middle": "1"}, state=sim)
    assert middle.is_valid() and middle.cleaned_data["new_key"] == 2**127
    for bad in ("-1", "1e5", str(MAX_HASH_KEY + 1), ""):
        form = forms.SplitForm({"shard": "shardId-000000000000", "hash_key": bad}, state=sim)
        assert not form.is_valid()
    assert not forms.SplitForm({"at": "1.5"}, state=sim).is_valid()


def test_shard_fields_name_only_the_streams_shards():
    sim = KinesisSimulation.fresh(2)
    form = forms.MergeForm({"shard": "shardId-000000000009", "adjacent": "x"}, state=sim)
    assert not form.is_valid()
    assert "There is no shard shardId-000000000009." in form.errors["shard"]
    records = forms.RecordsForm({"shard": "shardId-000000000001", "limit": "10"}, state=sim)
    assert records.is_valid()


def test_without_a_stream_the_form_says_so():
    form = forms.NoStream({})
    assert not form.is_valid()
    assert form.non_field_errors() == ["There is no stream: load a preset or reset."]


def test_put_form_checks_the_explicit_hash_key():
    assert forms.PutForm({"partition_key": "k", "data": "d", "explicit_hash_key": " 7 "}).is_valid()
    bad = forms.PutForm({"partition_key": "k", "data": "d", "explicit_hash_key": "07"})
    assert not bad.is_valid()
