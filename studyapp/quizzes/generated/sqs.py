"""SQS: a timeline of sends, receives, crashes and slow consumers on a queue with a DLQ.

The question asks what a receive at time T returns, what is then in the dead-letter queue,
or what ApproximateReceiveCount a message shows. The SQS engine runs the timeline; each
distractor is the engine's result with one misconception applied: receiving deletes, no
visibility timeout, a crashed consumer's message lost for good, maxReceiveCount off by one,
DelaySeconds or MaxNumberOfMessages ignored, a stale receipt handle that still deletes.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field, replace

from studyapp.engines.sqs import SqsEngine, queue_arn, snapshot

from .base import Generated, Retry, and_list, pick_options, run_attempts

KIND = "sqs"
TASK = "1.1"  # the exam guide task statement its questions practise
QUEUE, DLQ = "orders", "orders-dlq"
MAX_VISIBILITY = 43_200
SOURCES = (
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html",
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html",
)


@dataclass(frozen=True)
class Config:
    visibility: int
    max_receive: int
    delays: dict = field(default_factory=dict)  # body -> DelaySeconds
    receive_deletes: bool = False  # misconception: a receive removes what it returns
    latest_handle: bool = False  # misconception: any receipt handle deletes


@dataclass
class Outcome:
    returned: list[tuple[str, int]]  # the final receive: (body, ApproximateReceiveCount)
    dead: list[str]  # bodies in the DLQ after the final receive
    before: dict[str, str]  # each body's state just before the final receive, in words
    log: list[str]


def _bodies(view: dict, name: str) -> list[dict]:
    return next(q for q in view["Queues"] if q["QueueName"] == name)["Messages"]


def simulate(scenario: dict, config: Config) -> Outcome:
    """Run the timeline on the SQS engine; the last event is the receive the question asks about."""
    engine = SqsEngine()
    engine.apply({"Action": "CreateQueue", "QueueName": DLQ})
    redrive = {"deadLetterTargetArn": queue_arn(DLQ), "maxReceiveCount": str(config.max_receive)}
    engine.apply(
        {
            "Action": "CreateQueue",
            "QueueName": QUEUE,
            "Attributes": {
                "VisibilityTimeout": str(config.visibility),
                "RedrivePolicy": json.dumps(redrive),
            },
        }
    )
    start = engine.clock.now()
    log: list[str] = []
    latest: dict[str, str] = {}
    # (time, order, action) — follow-ups (deletes, visibility changes) join the schedule.
    schedule: list[tuple[float, int, dict]] = [
        (event["t"], n, event) for n, event in enumerate(scenario["events"])
    ]
    order = len(schedule)
    final = len(scenario["events"]) - 1
    outcome = Outcome([], [], {}, log)
    while schedule:
        schedule.sort(key=lambda item: (item[0], item[1]))
        when, n, event = schedule.pop(0)
        engine.apply({"Action": "Advance", "Seconds": when - (engine.clock.now() - start)})
        if "send" in event:
            for body in event["send"]:
                step = {"Action": "SendMessage", "QueueName": QUEUE, "MessageBody": body}
                if config.delays.get(body):
                    step["DelaySeconds"] = config.delays[body]
                engine.apply(step)
            log.append(f"t={when:g} s: the producer sends {and_list(event['send'])}.")
            continue
        if "delete" in event:
            body, handle = event["delete"], event["handle"]
            if config.latest_handle:
                handle = latest[body]
            held = _stored(engine, QUEUE)
            engine.apply({"Action": "DeleteMessage", "QueueName": QUEUE, "ReceiptHandle": handle})
            if _stored(engine, QUEUE) < held:
                log.append(f"t={when:g} s: {event['worker']} deletes {body}.")
            else:
                log.append(
                    f"t={when:g} s: {event['worker']} calls DeleteMessage for {body} with the "
                    "receipt handle of an earlier receive: the call succeeds but the message "
                    "stays, because it was received again since."
                )
            continue
        if "change" in event:
            result = engine.apply(
                {
                    "Action": "ChangeMessageVisibility",
                    "QueueName": QUEUE,
                    "ReceiptHandle": event["handle"],
                    "VisibilityTimeout": event["change"],
                }
            )
            if "Error" in result:
                log.append(
                    f"t={when:g} s: {event['worker']} tries to extend {event['body']}'s "
                    f"visibility timeout, but SQS refuses: {result['Error']['Message']}"
                )
            else:
                log.append(
                    f"t={when:g} s: {event['worker']} extends {event['body']}'s visibility "
                    f"timeout: it stays invisible until t={when + event['change']:g} s."
                )
            continue
        if n == final:
            outcome.before = _states(snapshot(engine), when)
        dead_before = _stored(engine, DLQ)
        result = engine.apply(
            {
                "Action": "ReceiveMessage",
                "QueueName": QUEUE,
                "MaxNumberOfMessages": event["k"],
                # Only the system attributes asked for come back (API_ReceiveMessage).
                "MessageSystemAttributeNames": ["ApproximateReceiveCount"],
            }
        )
        messages = result.get("Messages", [])
        moved: list[str] = []
        if _stored(engine, DLQ) > dead_before or n == final:
            after = snapshot(engine)
            dead = [m["Body"] for m in _bodies(after, DLQ)]
            moved = dead[dead_before:]
        got = [(m["Body"], int(m["Attributes"]["ApproximateReceiveCount"])) for m in messages]
        for message in messages:
            latest[message["Body"]] = message["ReceiptHandle"]
        _log_receive(log, when, event, got, moved, config)
        if n == final:
            outcome.returned = got
            outcome.dead = sorted(m["Body"] for m in _bodies(after, DLQ))
            break
        for message in messages:
            body, handle = message["Body"], message["ReceiptHandle"]
            if config.receive_deletes:
                engine.apply(
                    {"Action": "DeleteMessage", "QueueName": QUEUE, "ReceiptHandle": handle}
                )
                continue
            then = event["then"]
            if then in ("ok", "slow"):
                order += 1
                schedule.append(
                    (
                        when + event["p"],
                        order,
                        {"delete": body, "handle": handle, "worker": event["worker"]},
                    )
                )
            elif then == "extend":
                order += 1
                schedule.append(
                    (
                        when + event["p"],
                        order,
                        {
                            "change": event["extend"],
                            "handle": handle,
                            "body": body,
                            "worker": event["worker"],
                        },
                    )
                )
    return outcome


def _stored(engine: SqsEngine, name: str) -> int:
    """Messages a queue holds, in any state (cheaper than a snapshot)."""
    found = engine.apply(
        {"Action": "GetQueueAttributes", "QueueName": name, "AttributeNames": ["All"]}
    )["Attributes"]
    return sum(
        int(found[key])
        for key in (
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        )
    )


def _states(view: dict, when: float) -> dict[str, str]:
    states = {}
    for m in _bodies(view, QUEUE):
        if m["State"] == "visible":
            states[m["Body"]] = (
                f"visible at t={when:g} s (received {m['ReceiveCount']} times so far)"
            )
        elif m["State"] == "inflight":
            until = when + m["SecondsUntilVisible"]
            states[m["Body"]] = f"in flight until t={until:g} s after its last receive"
        else:
            states[m["Body"]] = f"delayed until t={when + m.get('SecondsUntilVisible', 0):g} s"
    for m in _bodies(view, DLQ):
        states[m["Body"]] = "already in the dead-letter queue"
    return states


def _log_receive(log, when, event, got, moved, config) -> None:
    who = event["worker"]
    parts = []
    if moved:
        parts.append(
            f"SQS moves {and_list(moved)} to {DLQ} instead of delivering "
            f"{'it' if len(moved) == 1 else 'them'} (already received {config.max_receive} "
            f"time{'s' if config.max_receive > 1 else ''})"
        )
    if got:
        received = and_list([f"{body} (receive count {count})" for body, count in got])
        parts.append(f"{who} receives {received}, invisible until t={when + config.visibility:g} s")
    else:
        parts.append(f"{who} receives nothing")
    log.append(f"t={when:g} s: " + "; ".join(parts) + ".")


# Building a timeline ------------------------------------------------------------------------

THEN_TEXT = {
    "ok": "processes what it got for {p} s, then deletes it",
    "crash": "crashes before deleting anything",
    "slow": "needs {p} s to process what it got, then deletes it",
    "extend": "after {p} s extends the visibility timeout of what it got to {extend} s, then crashes",
}


def build(rng: random.Random) -> dict:
    visibility = rng.choice([20, 30, 45, 60])
    max_receive = rng.choice([1, 2, 2, 3])
    bodies = ["A", "B", "C", "D"][: rng.choice([2, 3, 3, 4])]
    delays = {}
    if rng.random() < 0.3:
        delays[bodies[-1]] = rng.choice([15, 30, 45])
    events: list[dict] = [{"t": 0, "send": bodies}]
    t = 0
    workers = ["Worker 1", "Worker 2", "Worker 3"]
    for index in range(rng.choice([2, 3, 3, 4])):
        t += rng.choice([5, 10, 15, 20, 25, 30, 40])
        then = rng.choice(["ok", "crash", "crash", "slow", "extend"])
        event = {"t": t, "worker": workers[index % 3], "k": rng.choice([1, 2, 10]), "then": then}
        if then == "ok":
            event["p"] = rng.choice([2, 5, max(2, visibility // 2)])
        elif then == "slow":
            event["p"] = visibility + rng.choice([5, 10, 20])
        elif then == "extend":
            event["p"] = rng.choice([5, 10])
            event["extend"] = visibility + rng.choice([30, 60])
        events.append(event)
    if all(event.get("then") == "ok" for event in events[1:]):
        events[rng.randrange(1, len(events))]["then"] = "crash"  # something must go wrong
    t += rng.choice([5, 10, 20, 30, 45, 60])
    events.append({"t": t, "worker": "a new worker", "k": 10, "then": "look"})
    return {
        "visibility": visibility,
        "max_receive": max_receive,
        "delays": delays,
        "events": events,
        "ask": rng.choice(["receive", "receive", "dlq", "count"]),
    }


def _config(scenario: dict, **changes) -> Config:
    base = Config(scenario["visibility"], scenario["max_receive"], dict(scenario["delays"]))
    return replace(base, **changes)


def _answer(scenario: dict, outcome: Outcome) -> str:
    ask = scenario["ask"]
    if ask == "receive":
        bodies = [body for body, _count in outcome.returned]
        return _set_text(bodies)
    if ask == "dlq":
        return _set_text(outcome.dead, empty="None of them")
    counts = dict(outcome.returned)
    body = scenario["about"]
    if body not in counts:
        return f"{body} is not returned that time"
    return f"ApproximateReceiveCount is {counts[body]}"


def _set_text(bodies, empty: str = "No message") -> str:
    bodies = sorted(bodies)
    if not bodies:
        return empty
    if len(bodies) == 1:
        return f"Only {bodies[0]}"
    return and_list(bodies)


def solve(scenario: dict) -> str:
    return _answer(scenario, simulate(scenario, _config(scenario)))


def _misconceptions(scenario: dict) -> list[tuple[Config | None, str]]:
    visibility, most = scenario["visibility"], scenario["max_receive"]
    found = [
        (
            _config(scenario, receive_deletes=True),
            "This assumes that receiving a message deletes it. A received message stays in "
            "the queue until DeleteMessage; it becomes visible again when its visibility "
            "timeout ends.",
        ),
        (
            _config(scenario, visibility=0),
            f"This forgets the visibility timeout: a received message stays invisible for "
            f"{visibility} s, even if its consumer crashed.",
        ),
        (
            _config(scenario, visibility=MAX_VISIBILITY),
            "This assumes that a message whose consumer crashed is lost. When its visibility "
            "timeout ends, it becomes visible and is delivered again.",
        ),
        (
            _config(scenario, max_receive=most + 1),
            f"This moves messages one receive too late: with maxReceiveCount {most}, a "
            f"receive that finds a message already received {most} times moves it to the "
            "dead-letter queue.",
        ),
        (
            _config(scenario, latest_handle=True),
            "This assumes that a late DeleteMessage still deletes. Once a message was "
            "received again, only the newest receipt handle deletes it.",
        ),
    ]
    if most > 1:
        found.append(
            (
                _config(scenario, max_receive=most - 1),
                f"This moves messages one receive too early: maxReceiveCount {most} lets a "
                f"message be received {most} times before it moves.",
            )
        )
    if scenario["delays"]:
        found.append(
            (
                _config(scenario, delays={}),
                "This ignores DelaySeconds: a delayed message is invisible until its delay ends.",
            )
        )
    return found


def _max_messages_ignored(scenario: dict) -> dict | None:
    if all(event.get("k", 10) == 10 for event in scenario["events"]):
        return None
    changed = json.loads(json.dumps(scenario))
    for event in changed["events"]:
        if "k" in event:
            event["k"] = 10
    return changed


def _fillers(scenario: dict, outcome: Outcome, answer: str) -> list[tuple[str, str]]:
    ask = scenario["ask"]
    everything = sorted({b for e in scenario["events"] for b in e.get("send", [])})
    out = []
    if ask == "count":
        counts = dict(outcome.returned)
        right = counts[scenario["about"]]
        for value in (right - 1, right + 1, right + 2, 0):
            if value < 1 or value == right:
                continue
            why = (
                "ApproximateReceiveCount counts every receive of the message, this one "
                f"included: the engine counts {right}."
            )
            out.append((f"ApproximateReceiveCount is {value}", why))
        return out
    chosen = [body for body, _count in outcome.returned] if ask == "receive" else list(outcome.dead)
    for body in everything:
        toggled = sorted(set(chosen) ^ {body})
        if ask == "receive":
            state = outcome.before.get(body, "already deleted")
            if body in chosen:
                why = f"{body} is {state}, so this receive returns it."
            else:
                why = f"{body} is {state}, so this receive cannot return it."
            out.append((_set_text(toggled), why))
        else:
            where = "is" if body in chosen else "is not"
            out.append(
                (
                    _set_text(toggled, empty="None of them"),
                    f"After that receive, {body} {where} in {DLQ} (the engine's timeline in "
                    "the explanation shows why).",
                )
            )
    return out


def draw(rng: random.Random, seed: int) -> Generated:
    scenario = build(rng)
    outcome = simulate(scenario, _config(scenario))
    if scenario["ask"] == "count":
        if not outcome.returned:
            raise Retry
        scenario["about"] = rng.choice([body for body, _count in outcome.returned])
    answer = _answer(scenario, outcome)
    candidates = []
    misconceptions = _misconceptions(scenario)
    rng.shuffle(misconceptions)
    for config, why in misconceptions:
        candidates.append((_answer(scenario, simulate(scenario, config)), why))
    changed = _max_messages_ignored(scenario)
    if changed is not None:
        candidates.append(
            (
                _answer(changed, simulate(changed, _config(changed))),
                "This ignores MaxNumberOfMessages: a receive returns at most that many messages.",
            )
        )
    fillers = _fillers(scenario, outcome, answer)
    rng.shuffle(fillers)
    options = pick_options(rng, answer, candidates, fillers)
    return Generated(
        kind=KIND,
        seed=seed,
        shape=scenario["ask"],
        task=TASK,
        topic="sqs-dead-letter-queue"
        if scenario["ask"] == "dlq"
        else "sqs-message-visibility-timeout",
        difficulty=2 if len(scenario["events"]) <= 4 else 3,
        stem=_stem(scenario),
        options=options,
        explanation=_explanation(outcome, answer),
        sources=SOURCES,
        scenario=scenario,
        answer=answer,
    )


def _stem(scenario: dict) -> str:
    visibility, most = scenario["visibility"], scenario["max_receive"]
    lines = [
        f"An order service reads the standard queue `{QUEUE}` (visibility timeout "
        f"{visibility} s). Its redrive policy sends messages to `{DLQ}` with "
        f"maxReceiveCount {most}. Assume that each receive returns the oldest visible "
        "messages first, and that nothing else touches the queues.",
        "",
        "| Time | What happens |",
        "|---|---|",
    ]
    events = scenario["events"]
    for event in events[:-1]:
        if "send" in event:
            text = f"The producer sends {and_list(event['send'])}"
            delayed = [
                f"{body} with DelaySeconds {seconds}"
                for body, seconds in sorted(scenario["delays"].items())
            ]
            if delayed:
                text += f" ({and_list(delayed)})"
        else:
            then = THEN_TEXT[event["then"]].format(**event)
            text = (
                f"{event['worker']} calls ReceiveMessage with MaxNumberOfMessages "
                f"{event['k']} and {then}"
            )
        lines.append(f"| t={event['t']} s | {text} |")
    last = events[-1]
    lines.append(
        f"| t={last['t']} s | A new worker calls ReceiveMessage with MaxNumberOfMessages 10 |"
    )
    lines.append("")
    ask = scenario["ask"]
    if ask == "receive":
        lines.append(f"Which messages does the receive at t={last['t']} s return?")
    elif ask == "dlq":
        lines.append(f"Right after the receive at t={last['t']} s, which messages are in `{DLQ}`?")
    else:
        lines.append(
            f"What ApproximateReceiveCount does message {scenario['about']} show in the "
            f"response to the receive at t={last['t']} s?"
        )
    return "\n".join(lines)


def _explanation(outcome: Outcome, answer: str) -> str:
    lines = ["What the SQS simulator does, event by event:", ""]
    lines += [f"- {line}" for line in outcome.log]
    lines += ["", f"So the answer is: {answer}."]
    return "\n".join(lines)


def generate(seed: int) -> Generated:
    return run_attempts(KIND, seed, lambda rng: draw(rng, seed))
