"""The Kinesis simulation: logged engine calls, refusals that change nothing, presets, parts."""

from __future__ import annotations

import json

import pytest

from studyapp.engines.kinesis import KinesisError
from studyapp.sims import presets
from studyapp.sims.kinesis import service, simulation
from studyapp.sims.kinesis.simulation import KinesisSimulation
from studyapp.sims.state import Refused

RUN = {"strategy": "random", "rate": 400, "size": 10, "key": "k", "hot_share": 0.5}


def round_trip(sim: KinesisSimulation) -> KinesisSimulation:
    head, parts = sim.to_parts(changed=False)
    return KinesisSimulation.from_parts(*json.loads(json.dumps([head, parts])))


def test_a_fresh_simulation_has_a_logged_four_shard_stream():
    sim = KinesisSimulation.fresh()
    assert sim.stream == "sim" and len(sim.shard_ids(open_only=True)) == 4
    assert [e["action"] for e in sim.log] == ["CreateStream"]


def test_an_engine_error_is_logged_then_raised():
    sim = KinesisSimulation.fresh()
    with pytest.raises(KinesisError):
        service.set_retention(sim, "DecreaseStreamRetentionPeriod", 12)
    assert sim.log.last["error"] == "InvalidArgumentException"


def test_a_run_that_would_keep_too_much_changes_nothing(monkeypatch):
    sim = KinesisSimulation.fresh()
    service.configure_producer(sim, RUN, "run", 1)
    monkeypatch.setattr(simulation, "MAX_RECORDS_KEPT", 500)
    before = (sim.kinesis.to_dict(), dict(sim.producer), list(sim.log))
    with pytest.raises(Refused, match="at most 500 records"):
        service.configure_producer(sim, {**RUN, "size": 99}, "run", 1)
    assert (sim.kinesis.to_dict(), sim.producer, list(sim.log)) == before


def test_a_running_producer_stops_when_the_stream_is_full(monkeypatch):
    sim = KinesisSimulation.fresh()
    service.configure_producer(sim, RUN, "start", 1)
    service.play(sim, True)
    monkeypatch.setattr(simulation, "MAX_RECORDS_KEPT", 100)
    notice = service.advance(sim, 1)
    assert notice.level == "error" and notice.text.startswith("Producer stopped.")
    assert not sim.producer["running"] and not sim.playing
    assert sim.log.last["action"] == "Advance"


def test_a_preset_logs_each_step_at_its_time_and_sets_up_the_producer():
    preset = presets.load(presets.KINESIS, "hot-partition-key")
    sim, notice = service.from_preset(preset)
    assert notice.text.startswith("Loaded the preset “Hot partition key”: 3 steps")
    assert sim.stream == "clicks" and sim.preset == "hot-partition-key"
    assert [e["action"] for e in sim.log] == ["CreateStream", "Produce", "Produce"]
    assert [e["at"][11:19] for e in sim.log] == ["00:00:00", "00:00:00", "00:00:02"]
    assert sim.producer["running"] and sim.producer["strategy"] == "skewed"
    assert sim.producer["key"] == "tenant-1"
    assert sum(throttled for _accepted, throttled in sim.totals.values()) > 0


def test_consumers_read_with_their_iterators():
    sim = KinesisSimulation.fresh(1)
    service.put_record(sim, "k", "a", "")
    shard = "shardId-000000000000"
    with pytest.raises(Refused, match="get one first"):
        service.get_records(sim, shard, 10)
    service.get_iterator(sim, shard, "TRIM_HORIZON", "", None)
    notice = service.get_records(sim, shard, 10)
    assert notice.text == f"{shard}: 1 record, 0 ms behind."
    assert sim.consumers[shard]["records"][0]["Data"] == "a"
    service.forget_consumer(sim, shard)
    assert sim.consumers == {}


def test_shards_are_read_through_the_api():
    sim = KinesisSimulation.fresh(2)
    low, high = sim.shard_ids()
    middle = simulation.middle_of(sim, low)
    assert middle == 2**126
    assert (simulation.shard_at(sim, middle), simulation.shard_at(sim, 2**127)) == (low, high)
    service.split(sim, low, middle // 2)
    assert sim.shard_ids(open_only=True) == [high, "shardId-000000000002", "shardId-000000000003"]


def test_the_simulation_round_trips_through_its_parts_and_goes_on_alike():
    sim, _notice = service.from_preset(presets.load(presets.KINESIS, "split-hot-shard"))
    service.get_iterator(sim, "shardId-000000000000", "TRIM_HORIZON", "", None)
    again = round_trip(sim)
    assert again.to_parts(changed=False)[0] == sim.to_parts(changed=False)[0]
    assert list(again.log) == list(sim.log)
    assert service.advance(again, 3) == service.advance(sim, 3)
    assert again.kinesis.to_dict() == sim.kinesis.to_dict()
    assert again.totals == sim.totals


def test_an_sdk_call_puts_the_stream_it_named_on_show_and_is_logged():
    sim = KinesisSimulation.fresh()
    service.sdk_call(sim, "CreateStream", {"StreamName": "orders", "ShardCount": 1}, wall=10.0)
    assert sim.stream == "orders"
    service.sdk_call(
        sim, "PutRecord", {"StreamName": "orders", "Data": "x", "PartitionKey": "k"}, wall=12.0
    )
    assert [e["action"] for e in sim.log][-2:] == ["CreateStream", "PutRecord"]
    assert round_trip(sim).wall == 12.0


def test_the_clock_follows_wall_time_between_sdk_calls():
    sim = KinesisSimulation.fresh()
    start = sim.kinesis.clock.now()
    service.sdk_call(sim, "ListStreams", {}, wall=100.0)
    service.sdk_call(sim, "ListStreams", {}, wall=102.0)
    assert sim.kinesis.clock.now() == start + 2


def test_an_sdk_error_is_logged_then_raised():
    sim = KinesisSimulation.fresh()
    with pytest.raises(KinesisError):
        service.sdk_call(sim, "DescribeStreamSummary", {"StreamName": "nope"}, wall=1.0)
    assert sim.log.last["error"] == "ResourceNotFoundException"
    assert sim.stream == "sim"


def test_an_sdk_put_past_the_simulators_cap_is_refused_before_anything_changes():
    sim = KinesisSimulation.fresh()
    records = [{"Data": "x" * 1000, "PartitionKey": "k"}] * 500
    logged = len(sim.log)
    accepted = 0
    with pytest.raises(Refused):
        for second in range(100):
            service.sdk_call(
                sim, "PutRecords", {"StreamName": "sim", "Records": records}, wall=float(second)
            )
            accepted += 1
    assert 0 < accepted < 100
    assert len(sim.log) == logged + accepted  # the refused call left no trace
    assert sim.wall == float(accepted - 1)


def test_iterators_name_their_stream_for_iam():
    sim = KinesisSimulation.fresh()
    token = service.sdk_call(
        sim,
        "GetShardIterator",
        {"StreamName": "sim", "ShardId": "shardId-000000000000", "ShardIteratorType": "LATEST"},
        wall=1.0,
    )["ShardIterator"]
    assert service.stream_of_iterator(token) == "sim"
    assert service.stream_of_iterator("junk") is None


def test_the_simulator_lists_every_shard_past_a_page_of_a_thousand():
    """ListShards gives at most 1,000 shards a call (API_ListShards): the page follows
    NextToken to show them all."""
    sim = KinesisSimulation.fresh(shards=500)
    for target in (250, 500):
        sim.kinesis.call(
            "UpdateShardCount",
            {"StreamName": "sim", "TargetShardCount": target, "ScalingType": "UNIFORM_SCALING"},
        )
    every = sim.shard_ids()
    assert len(every) > 1000
    assert every == sorted(sim.kinesis.stream("sim").shards)
    assert len(sim.shard_ids(open_only=True)) == 500
