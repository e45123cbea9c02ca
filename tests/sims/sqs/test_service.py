"""The SQS simulation: one engine call per action, logged; refusals change nothing; parts."""

from __future__ import annotations

import json

import pytest

from studyapp.sims import presets
from studyapp.sims.sqs import service, simulation
from studyapp.sims.sqs.simulation import SqsSimulation
from studyapp.sims.state import Refused


def create(sim: SqsSimulation, name: str = "orders", **attributes: str) -> None:
    action = {"Action": "CreateQueue", "QueueName": name}
    if attributes:
        action["Attributes"] = attributes
    assert service.call(sim, action) == ""


def send(sim: SqsSimulation, body: str, queue: str = "orders") -> str:
    return service.produce(sim, {"Action": "SendMessage", "QueueName": queue, "MessageBody": body})


def receive(sim: SqsSimulation, number: int, queue: str = "orders") -> str:
    action = {"Action": "ReceiveMessage", "QueueName": queue, "MaxNumberOfMessages": 10}
    return service.consume(sim, number, action)


def round_trip(sim: SqsSimulation) -> SqsSimulation:
    head, parts = sim.to_parts(changed=False)
    return SqsSimulation.from_parts(*json.loads(json.dumps([head, parts])))


def test_each_action_is_one_logged_engine_call():
    sim = SqsSimulation.fresh()
    create(sim)
    send(sim, "A")
    assert receive(sim, 2) == ""
    assert [(e["actor"], e["action"]["Action"]) for e in sim.log] == [
        ("You", "CreateQueue"),
        ("Producer", "SendMessage"),
        ("Consumer 2", "ReceiveMessage"),
    ]
    assert [h["Body"] for h in sim.consumers[1]] == ["A"]
    assert sim.engine.stats["Requests"] == 3


def test_an_engine_error_is_the_message_and_an_event():
    sim = SqsSimulation.fresh()
    assert send(sim, "A", queue="missing").startswith("QueueDoesNotExist: ")
    assert sim.log.last["error"]["Code"] == "QueueDoesNotExist"


@pytest.mark.parametrize(
    ("cap", "value", "action"),
    [
        ("MAX_MESSAGES", 1, {"Action": "SendMessage", "QueueName": "orders", "MessageBody": "B"}),
        ("MAX_STORED_BYTES", 1, {"Action": "SendMessage", "QueueName": "orders", "MessageBody": "B"}),
        ("MAX_QUEUES", 1, {"Action": "CreateQueue", "QueueName": "another"}),
    ],
)  # fmt: skip
def test_a_refused_action_changes_nothing(monkeypatch, cap, value, action):
    sim = SqsSimulation.fresh()
    create(sim)
    send(sim, "A")
    monkeypatch.setattr(simulation, cap, value)
    before = (sim.engine.to_dict(), list(sim.log))
    with pytest.raises(Refused):
        service.produce(sim, action) if "Message" in action["Action"] else service.call(sim, action)
    assert (sim.engine.to_dict(), list(sim.log)) == before


def test_recreating_an_existing_queue_is_allowed_at_the_cap(monkeypatch):
    sim = SqsSimulation.fresh()
    create(sim)
    monkeypatch.setattr(simulation, "MAX_QUEUES", 1)
    create(sim)  # CreateQueue is idempotent for the same name and attributes


def test_a_crashed_consumer_forgets_its_handles_and_it_is_logged():
    sim = SqsSimulation.fresh()
    create(sim)
    send(sim, "A")
    receive(sim, 1)
    service.crash(sim, 1)
    assert sim.consumers[0] == []
    assert sim.log.last["action"] == {"Action": "(consumer crash)"}
    assert sim.log.last["result"] == {"ForgottenReceiptHandles": 1}


def test_consecutive_clock_steps_make_one_entry_and_ticks_need_play():
    sim = SqsSimulation.fresh()
    service.advance(sim, 5)
    service.advance(sim, 7)
    assert len(sim.log) == 1 and sim.log.last["action"]["Seconds"] == 12
    service.tick(sim)
    assert sim.engine.clock.now() == 1_704_067_212
    service.play(sim, 10)
    service.tick(sim)
    assert sim.engine.clock.now() == 1_704_067_222


def test_a_preset_runs_step_by_step_with_receipt_handles_resolved():
    preset = presets.load(presets.SQS, "poison-message-dlq")
    sim = SqsSimulation.from_preset(preset)
    assert sim.engine.totals()["Queues"] == 0
    while sim.preset["done"] < len(sim.preset["steps"]):
        service.preset_step(sim)
    assert service.preset_step(sim) == "Every step of the preset has run."
    assert not any(e["error"] for e in sim.log)
    assert sim.engine.totals()["Messages"] == 1  # the poison message, in the DLQ


def test_the_simulation_round_trips_through_its_parts_and_goes_on_alike():
    sim = SqsSimulation.fresh(seed=3, duplicates=0.5)
    create(sim)
    for body in "ABC":
        send(sim, body)
    receive(sim, 3)
    service.play(sim, 2)
    sim.ui["queue"] = "orders"
    again = round_trip(sim)
    assert again.to_parts(changed=False)[0] == sim.to_parts(changed=False)[0]
    assert list(again.log) == list(sim.log)
    assert receive(again, 1) == receive(sim, 1)
    assert again.consumers == sim.consumers


def test_a_state_of_another_version_is_not_read():
    head, parts = SqsSimulation.fresh().to_parts(changed=False)
    with pytest.raises(ValueError, match="another version"):
        SqsSimulation.from_parts({**head, "version": 1}, parts)


def test_an_sdk_call_is_logged_as_its_key_and_the_clock_follows_wall_time():
    sim = SqsSimulation.fresh()
    start = sim.engine.clock.now()
    action = {"Action": "CreateQueue", "QueueName": "orders"}
    assert "QueueUrl" in service.sdk_call(sim, action, actor="SDK AKIA1", wall=1000.0)
    assert sim.engine.clock.now() == start  # the first call only notes the wall time
    send_step = {"Action": "SendMessage", "QueueName": "orders", "MessageBody": "x"}
    service.sdk_call(sim, send_step, actor="SDK AKIA1", wall=1030.5)
    assert sim.engine.clock.now() == start + 30.5
    service.sdk_call(sim, send_step, actor="SDK AKIA1", wall=1030.5 + 86400)
    assert sim.engine.clock.now() == start + 30.5 + service.MAX_CATCH_UP
    assert [e["actor"] for e in sim.log] == ["SDK AKIA1"] * 3


def test_an_sdk_call_past_a_cap_is_refused_before_anything_changes():
    sim = SqsSimulation.fresh()
    for i in range(simulation.MAX_QUEUES):
        service.sdk_call(sim, {"Action": "CreateQueue", "QueueName": f"q{i}"}, actor="k", wall=0)
    with pytest.raises(Refused):
        service.sdk_call(sim, {"Action": "CreateQueue", "QueueName": "one-more"}, actor="k", wall=5)
    assert len(sim.log) == simulation.MAX_QUEUES
    assert sim.wall == 0


def test_the_sdk_cannot_move_the_clock_itself():
    assert "Advance" not in service.SDK_ACTIONS


@pytest.mark.parametrize(
    "action",
    [
        {"Action": "SendMessage", "QueueName": "q", "MessageBody": 5},
        {"Action": "SendMessage", "QueueName": "q", "MessageBody": ["a"]},
        {"Action": "SendMessageBatch", "QueueName": "q", "Entries": "x"},
        {"Action": "SendMessageBatch", "QueueName": "q", "Entries": [1, {"Id": "a"}]},
    ],
)
def test_an_sdk_call_of_the_wrong_shape_is_the_engines_error_not_a_crash(action):
    # SDK calls carry any JSON the caller wrote, not what the page's forms allow.
    sim = SqsSimulation.fresh()
    service.sdk_call(sim, {"Action": "CreateQueue", "QueueName": "q"}, actor="k", wall=0)
    result = service.sdk_call(sim, action, actor="k", wall=0)
    assert result["Error"]["Code"] in {"InvalidParameterValue", "MissingParameter"}
