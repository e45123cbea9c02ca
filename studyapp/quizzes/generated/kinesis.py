"""Kinesis Data Streams: partition keys on the 128-bit hash key space, shard limits, splits.

Three questions: which shard a record lands on (after resharding, perhaps with an
ExplicitHashKey), which records of a burst are throttled, and what a SplitShard produces.
The Kinesis engine answers; distractors are its answers with a misconception applied: the
ExplicitHashKey ignored, the split parent still taking writes, shards thought to divide the
key space evenly or by a modulo, a failed record thought to fail its whole PutRecords call,
the same key thought to spread over shards, the limit thought to reset per call, a split
thought to cut a shard in half whatever NewStartingHashKey says.
"""

from __future__ import annotations

import random

from studyapp.engines.kinesis import Kinesis, hash_key_for

from .base import Generated, Retry, and_list, pick_options, run_attempts

KIND = "kinesis"
TASK = "1.1"  # the exam guide task statement its questions practise
STREAM = "clickstream"
U = 2**120  # hash keys are shown in units of 2^120: the whole space is 0 to 256u
KIB = 1024
SOURCES = (
    "https://docs.aws.amazon.com/streams/latest/dev/key-concepts.html",
    "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html",
    "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SplitShard.html",
)
KEYS = [f"{name}-{n}" for name in ("user", "sensor", "device", "order") for n in range(1, 60)]


def _u(value: int) -> str:
    amount = value / U
    return f"{amount:.0f}u" if amount == int(amount) else f"{amount:.1f}u"


def _stream(history: dict) -> Kinesis:
    """The stream as the scenario built it: created with some shards, then split."""
    kinesis = Kinesis()
    kinesis.call("CreateStream", {"StreamName": STREAM, "ShardCount": history["shards"]})
    for shard_id, start in history["splits"]:
        kinesis.call(
            "SplitShard",
            {"StreamName": STREAM, "ShardToSplit": shard_id, "NewStartingHashKey": str(start * U)},
        )
    return kinesis


def _shards(kinesis: Kinesis) -> list[dict]:
    """Every shard, open or closed, with its range in units of u."""
    shards = []
    for shard in kinesis.call("ListShards", {"StreamName": STREAM})["Shards"]:
        shards.append(
            {
                "id": shard["ShardId"],
                "start": int(shard["HashKeyRange"]["StartingHashKey"]),
                "end": int(shard["HashKeyRange"]["EndingHashKey"]),
                "parent": shard.get("ParentShardId"),
                "open": shard["SequenceNumberRange"].get("EndingSequenceNumber") is None,
            }
        )
    return shards


def _open(kinesis: Kinesis) -> list[dict]:
    return sorted((s for s in _shards(kinesis) if s["open"]), key=lambda s: s["start"])


def _history(rng: random.Random, splits: int) -> dict:
    history = {"shards": rng.choice([1, 2, 4]), "splits": []}
    kinesis = _stream(history)
    for _ in range(splits):
        candidates = [s for s in _open(kinesis) if (s["end"] + 1 - s["start"]) // U >= 32]
        shard = rng.choice(candidates)
        low, high = shard["start"] // U, (shard["end"] + 1) // U
        middle = (low + high) // 2
        points = [p for p in range(low + 8, high, 8) if p != middle] or [middle]
        history["splits"].append((shard["id"], rng.choice(points)))
        kinesis = _stream(history)
    return history


def _range_text(shard: dict) -> str:
    return f"{_u(shard['start'])} to {_u(shard['end'] + 1)}"


def _shard_table(kinesis: Kinesis) -> str:
    lines = ["| Shard | Hash key range | State |", "|---|---|---|"]
    for shard in sorted(_shards(kinesis), key=lambda s: s["id"]):
        state = "open" if shard["open"] else "closed (split)"
        lines.append(f"| `{shard['id']}` | {_range_text(shard)} | {state} |")
    return "\n".join(lines)


def _history_text(history: dict) -> str:
    text = f"The stream `{STREAM}` was created with {history['shards']} shard" + (
        "s" if history["shards"] > 1 else ""
    )
    if history["splits"]:
        splits = [f"`{shard}` at {start}u" for shard, start in history["splits"]]
        text += f", then SplitShard split {and_list(splits)}"
    return text + "."


def _clear_hash(rng: random.Random, kinesis: Kinesis) -> tuple[str, int]:
    """A partition key whose hash is not within 0.5u of a shard boundary (easy to place)."""
    bounds = [s["start"] for s in _shards(kinesis)] + [s["end"] + 1 for s in _shards(kinesis)]
    for _ in range(200):
        key = rng.choice(KEYS)
        value = hash_key_for(key)
        if all(abs(value - bound) > U // 2 for bound in bounds):
            return key, value
    raise Retry


# Which shard? -------------------------------------------------------------------------------


def _put(kinesis: Kinesis, key: str, explicit: int | None) -> str:
    params = {"StreamName": STREAM, "PartitionKey": key, "Data": "event"}
    if explicit is not None:
        params["ExplicitHashKey"] = str(explicit)
    return kinesis.call("PutRecord", params)["ShardId"]


def _solve_shard(scenario: dict) -> str:
    return f"`{_put(_stream(scenario['history']), scenario['key'], scenario['explicit'])}`"


def _draw_shard(rng: random.Random, seed: int) -> Generated:
    history = _history(rng, rng.choice([0, 1, 1, 2]))
    kinesis = _stream(history)
    key, value = _clear_hash(rng, kinesis)
    explicit = None
    if rng.random() < 0.35:
        shard = rng.choice(_open(kinesis))
        width = (shard["end"] + 1 - shard["start"]) // U
        explicit = shard["start"] + rng.randrange(width) * U + U // 2
    scenario = {"shape": "shard", "history": history, "key": key, "explicit": explicit}
    answer = _solve_shard(scenario)
    opened = _open(kinesis)
    misconceptions = []
    if explicit is not None:
        misconceptions.append(
            (
                f"`{_put(_stream(history), key, None)}`",
                "This ignores the ExplicitHashKey: when a record carries one, it decides the "
                "shard instead of the MD5 hash of the partition key.",
            )
        )
    if history["splits"]:
        before = _stream({"shards": history["shards"], "splits": history["splits"][:-1]})
        misconceptions.append(
            (
                f"`{_put(before, key, explicit)}`",
                "This writes to the shard as it was before the last split. A split closes "
                "the parent shard: new records go to the child whose range holds the hash key.",
            )
        )
        even = Kinesis()
        even.call("CreateStream", {"StreamName": STREAM, "ShardCount": len(opened)})
        place = [s["id"] for s in _open(even)].index(_put(even, key, explicit).strip("`"))
        misconceptions.append(
            (
                f"`{opened[place]['id']}`",
                "This assumes the open shards divide the hash key space evenly. After "
                "resharding they need not: each owns the range ListShards shows.",
            )
        )
    hashed = explicit if explicit is not None else value
    misconceptions.append(
        (
            f"`{opened[hashed % len(opened)]['id']}`",
            "This takes the hash modulo the number of shards. Each shard owns a contiguous "
            "range of hash keys, and a record goes to the shard whose range holds its hash key.",
        )
    )
    rng.shuffle(misconceptions)
    fillers = []
    for shard in _shards(kinesis):
        if shard["open"]:
            why = f"`{shard['id']}` owns {_range_text(shard)}, which does not hold {_u(hashed)}."
        else:
            why = f"`{shard['id']}` is closed by a split: it accepts no new records."
        fillers.append((f"`{shard['id']}`", why))
    rng.shuffle(fillers)
    options = pick_options(rng, answer, misconceptions, fillers)
    record = f"a record with partition key `{key}` (MD5 hash key {_u(value)})"
    if explicit is not None:
        record += f" and ExplicitHashKey {_u(explicit)}"
    stem = (
        f"{_history_text(history)} Hash keys below are shown in units of u = 2^120, so the "
        "hash key space runs from 0 to 256u.\n\n"
        f"{_shard_table(kinesis)}\n\n"
        f"A producer now calls PutRecord with {record}. Which shard stores the record?"
    )
    holder = next(s for s in opened if f"`{s['id']}`" == answer)
    source = (
        "the ExplicitHashKey, which overrides the partition key's MD5 hash"
        if explicit is not None
        else "the MD5 hash of the partition key"
    )
    explanation = (
        f"The record's hash key is {_u(hashed)} ({source}). The Kinesis simulator finds the "
        f"open shard whose range holds it: {answer}, which owns {_range_text(holder)}. Closed "
        f"shards (the parents of splits) take no new records.\n\nSo the answer is: {answer}."
    )
    return _question(seed, scenario, "shard", stem, options, explanation, answer, 2)


# Which records are throttled? ---------------------------------------------------------------


def _records(scenario: dict, *, spread: bool = False, pause: bool = False) -> list[bool]:
    """Put the scenario's calls; True for each record the stream refused."""
    kinesis = _stream(scenario["history"])
    starts = [s["start"] for s in _open(kinesis)]
    refused: list[bool] = []
    number = 0
    for call in scenario["calls"]:
        entries = []
        for key, size in call:
            entry = {"PartitionKey": key, "Data": "x" * (size * KIB - len(key))}
            if spread:
                entry["ExplicitHashKey"] = str(starts[number % len(starts)] + U)
            entries.append(entry)
            number += 1
        result = kinesis.call("PutRecords", {"StreamName": STREAM, "Records": entries})
        refused += [
            record.get("ErrorCode") == "ProvisionedThroughputExceededException"
            for record in result["Records"]
        ]
        if pause:
            kinesis.call("Advance", {"Seconds": 1})
    return refused


def _numbers_text(refused: list[bool]) -> str:
    numbers = [str(n) for n, failed in enumerate(refused, start=1) if failed]
    # Every option names "record" once and lists with commas (the stem says "and" too): no
    # option shares more words with the stem than another.
    if not numbers:
        return "No record"
    if len(numbers) == len(refused):
        return "Every record"
    return f"Record{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"


def _solve_throttle(scenario: dict) -> str:
    return _numbers_text(_records(scenario))


def _draw_throttle(rng: random.Random, seed: int) -> Generated:
    history = _history(rng, rng.choice([0, 0, 1]))
    kinesis = _stream(history)
    keys = []
    for _ in range(rng.choice([2, 3])):
        key, _value = _clear_hash(rng, kinesis)
        keys.append(key)
    count = rng.choice([5, 6, 7])
    records = [(rng.choice(keys), rng.choice(range(150, 650, 50))) for _ in range(count)]
    cut = rng.choice([count, rng.randint(2, count - 2)])
    calls = [records[:cut], records[cut:]] if cut < count else [records]
    scenario = {"shape": "throttle", "history": history, "calls": calls}
    refused = _records(scenario)
    answer = _numbers_text(refused)
    misconceptions = [
        (
            _numbers_text(_records(scenario, spread=True)),
            "This assumes the records of one partition key spread over the shards. Every "
            "record of a key goes to the one shard that owns its hash key, so a hot key "
            "fills that shard's 1 MiB per second.",
        ),
        (
            "No record",
            "This counts only the 1,000 records per second limit. Each shard also takes at "
            "most 1 MiB per second (data plus partition keys).",
        ),
    ]
    if len(calls) > 1:
        misconceptions.append(
            (
                _numbers_text(_records(scenario, pause=True)),
                "This assumes the limit starts again with each PutRecords call. It is per "
                "shard and per second, whatever the number of calls.",
            )
        )
    whole: list[bool] = []
    after_first: list[bool] = []
    position = 0
    for call in calls:
        part = refused[position : position + len(call)]
        whole += [any(part)] * len(part)
        first = part.index(True) if any(part) else len(part)
        after_first += [index >= first for index in range(len(part))]
        position += len(call)
    misconceptions += [
        (
            _numbers_text(whole),
            "This assumes one refused record fails its whole PutRecords call. PutRecords is "
            "not atomic: each record succeeds or fails on its own (FailedRecordCount).",
        ),
        (
            _numbers_text(after_first),
            "This assumes the call stops at the first refused record. The records after it "
            "are still tried, and those for a shard with room left succeed.",
        ),
    ]
    rng.shuffle(misconceptions)
    opened = _open(kinesis)
    fillers = []
    for index in range(count):
        toggled = refused[:]
        toggled[index] = not toggled[index]
        key = records[index][0]
        shard = next(s for s in opened if s["start"] <= hash_key_for(key) <= s["end"])
        state = "is refused" if refused[index] else "fits"
        fillers.append(
            (
                _numbers_text(toggled),
                f"Record {index + 1} {state}: it goes to `{shard['id']}`, and the explanation "
                "adds up what that shard took in this second.",
            )
        )
    rng.shuffle(fillers)
    options = pick_options(rng, answer, misconceptions, fillers)
    lines = [
        f"{_history_text(history)} Hash keys are shown in units of u = 2^120 (the space runs "
        "from 0 to 256u). The stream is in provisioned mode, so each shard accepts up to "
        "1 MiB and 1,000 records per second.",
        "",
        _shard_table(kinesis),
        "",
        "| Partition key | MD5 hash key |",
        "|---|---|",
    ]
    lines += [f"| `{key}` | {_u(hash_key_for(key))} |" for key in sorted(set(keys))]
    lines += ["", "Within the same second, a producer makes "]
    if len(calls) == 1:
        lines[-1] += "one PutRecords call with these records, in this order:"
    else:
        lines[-1] += (
            f"two PutRecords calls: records 1 to {cut} in the first, the rest in the second."
        )
    lines += ["", "| Record | Partition key | Size (data and key) |", "|---|---|---|"]
    lines += [f"| {n} | `{key}` | {size} KiB |" for n, (key, size) in enumerate(records, start=1)]
    lines += ["", "Which records fail with ProvisionedThroughputExceededException?"]
    explanation = _throttle_explanation(kinesis, records, refused, answer)
    return _question(seed, scenario, "throttle", "\n".join(lines), options, explanation, answer, 3)


def _throttle_explanation(kinesis, records, refused, answer) -> str:
    lines = [
        "Each record goes to the open shard that owns its hash key; each shard counts "
        "what it accepted in this second (1 MiB = 1,024 KiB):",
        "",
    ]
    used: dict[str, int] = {}
    for n, ((key, size), failed) in enumerate(zip(records, refused, strict=True), start=1):
        shard = next(s for s in _open(kinesis) if s["start"] <= hash_key_for(key) <= s["end"])
        before = used.get(shard["id"], 0)
        if failed:
            lines.append(
                f"- Record {n} (`{key}`, {size} KiB) → `{shard['id']}`: {before} + {size} KiB "
                "would pass 1,024 KiB, so it is refused."
            )
        else:
            used[shard["id"]] = before + size
            lines.append(
                f"- Record {n} (`{key}`, {size} KiB) → `{shard['id']}`: accepted, "
                f"{before + size} KiB so far."
            )
    lines += ["", f"So the answer is: {answer}."]
    return "\n".join(lines)


# What does a split produce? -----------------------------------------------------------------


def _split_result(history: dict, shard_id: str, start: int) -> tuple[dict, dict]:
    kinesis = _stream({**history, "splits": [*history["splits"], (shard_id, start)]})
    children = sorted(
        (s for s in _shards(kinesis) if s["parent"] == shard_id), key=lambda s: s["start"]
    )
    return children[0], children[1]


def _split_text(low: dict, high: dict, parent: str, fate: str = "stops taking writes") -> str:
    return (
        f"`{low['id']}` ({_range_text(low)}) and `{high['id']}` ({_range_text(high)}) open; "
        f"`{parent}` {fate}"
    )


def _solve_split(scenario: dict) -> str:
    low, high = _split_result(scenario["history"], scenario["parent"], scenario["at"])
    return _split_text(low, high, scenario["parent"])


def _draw_split(rng: random.Random, seed: int) -> Generated:
    history = _history(rng, rng.choice([0, 1]))
    kinesis = _stream(history)
    candidates = [s for s in _open(kinesis) if (s["end"] + 1 - s["start"]) // U >= 32]
    parent = rng.choice(candidates)
    low_u, high_u = parent["start"] // U, (parent["end"] + 1) // U
    middle = (low_u + high_u) // 2
    at = rng.choice([p for p in range(low_u + 8, high_u, 8) if p != middle])
    scenario = {"shape": "split", "history": history, "parent": parent["id"], "at": at}
    low, high = _split_result(history, parent["id"], at)
    answer = _split_text(low, high, parent["id"])
    half_low, half_high = _split_result(history, parent["id"], middle)
    kept = {**low, "id": parent["id"]}
    misconceptions = [
        (
            _split_text(half_low, half_high, parent["id"]),
            f"This cuts the shard in half. SplitShard splits at NewStartingHashKey ({at}u): "
            "the upper child starts there.",
        ),
        (
            _split_text(low, high, parent["id"], "keeps taking writes"),
            "This keeps the parent open. A split closes the parent: it takes no new records, "
            "and its records stay readable until they expire.",
        ),
        (
            f"`{kept['id']}` keeps {_range_text(low)} and a new `{high['id']}` takes "
            f"{_range_text(high)}",
            "This keeps the parent as one of the two shards. A split always creates two new "
            "child shards and closes the parent.",
        ),
    ]
    rng.shuffle(misconceptions)
    fillers = [
        (
            _split_text(low, high, parent["id"], "is deleted at once"),
            "The parent is closed, not deleted: consumers read its remaining records before "
            "moving to the children, until they expire with the retention period.",
        ),
    ]
    options = pick_options(rng, answer, misconceptions, fillers)
    stem = (
        f"{_history_text(history)} Hash keys are shown in units of u = 2^120 (the space runs "
        "from 0 to 256u). The shard `" + parent["id"] + "` is hot, so an operator calls "
        f"SplitShard on it with NewStartingHashKey {at}u.\n\n"
        f"{_shard_table(kinesis)}\n\n"
        "What does ListShards show for the shards involved once the split is done?"
    )
    explanation = (
        f"The Kinesis simulator closes `{parent['id']}` and creates two children: "
        f"`{low['id']}` from {_u(low['start'])} up to just below {at}u, and `{high['id']}` "
        f"from {at}u (NewStartingHashKey) to {_u(high['end'] + 1)}. The parent stays listed, "
        "closed (it has an EndingSequenceNumber), until its records expire; new records go to "
        f"the children.\n\nSo the answer is: {answer}."
    )
    return _question(seed, scenario, "split", stem, options, explanation, answer, 2)


def _question(seed, scenario, shape, stem, options, explanation, answer, difficulty) -> Generated:
    return Generated(
        kind=KIND,
        seed=seed,
        shape=shape,
        task=TASK,
        topic="kinesis-data-stream",
        difficulty=difficulty,
        stem=stem,
        options=options,
        explanation=explanation,
        sources=SOURCES,
        scenario=scenario,
        answer=answer,
    )


SOLVERS = {"shard": _solve_shard, "throttle": _solve_throttle, "split": _solve_split}
DRAWS = {"shard": _draw_shard, "throttle": _draw_throttle, "split": _draw_split}


def solve(scenario: dict) -> str:
    return SOLVERS[scenario["shape"]](scenario)


def generate(seed: int) -> Generated:
    def draw(rng: random.Random) -> Generated:
        return DRAWS[rng.choice(["shard", "shard", "throttle", "throttle", "split"])](rng, seed)

    return run_attempts(KIND, seed, draw)
