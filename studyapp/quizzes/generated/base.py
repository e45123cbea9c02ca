"""What every generator shares: the question it returns, and how its options are chosen.

A generator is pure Python over the engines' public APIs (no Django): ``generate(seed)``
builds a scenario from ``random.Random(seed)``, asks the engine for the answer, and asks it
again with each common misconception applied (a Deny ignored, the visibility timeout
forgotten, a filter thought to save capacity); those answers, when they differ from the
right one, are the distractors, each with why it is wrong. ``solve(scenario)`` is the
engine's answer alone, so a test can check the key against it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

OPTIONS = 4
ATTEMPTS = 60  # scenarios drawn per seed before giving up (none needs more than a few)


class GenerationError(RuntimeError):
    """No scenario with enough distinct misconception answers was found for this seed."""


class Retry(Exception):
    """This draw does not make a good question (too few distinct distractors): draw again."""


@dataclass(frozen=True)
class Option:
    text: str  # Markdown, one line
    correct: bool = False
    why: str = ""  # for a distractor: which misconception gives it, and the rule it breaks


@dataclass(frozen=True)
class Generated:
    """One exam-style question, fully determined by (kind, seed)."""

    kind: str  # the generator: "iam", "sqs", "kinesis", "dynamodb"
    seed: int
    shape: str  # the kind of question the seed drew ("decision", "receive", ...)
    task: str  # exam guide task statement code, "2.1"
    topic: str  # slug of the topic the question practises
    difficulty: int  # 1-3, as authored questions
    stem: str  # Markdown: a scenario of two sentences or more, then the question
    options: tuple[Option, ...]
    explanation: str  # Markdown, built from the engine's trace
    sources: tuple[str, ...]
    scenario: dict  # the plain data the engine ran: `solve(scenario)` gives `answer`
    answer: str  # the keyed option's text

    @property
    def key(self) -> str:
        return question_key(self.kind, self.seed)

    @property
    def distractors(self) -> list[Option]:
        return [option for option in self.options if not option.correct]


KEY_PREFIX = "gen-"


def question_key(kind: str, seed: int) -> str:
    return f"{KEY_PREFIX}{kind}-{seed}"


MIN_MISCONCEPTIONS = 2  # distractors that come from a misconception run, not from fillers


def pick_options(
    rng: random.Random,
    answer: str,
    misconceptions: Iterable[tuple[str, str]],
    fillers: Iterable[tuple[str, str]] = (),
) -> tuple[Option, ...]:
    """The answer and OPTIONS - 1 distinct distractors, in a seeded order.

    Distractors are the misconceptions' answers (text, why) that differ from the answer, at
    least MIN_MISCONCEPTIONS of them, completed by fillers. While the answer is the longest
    option so far, a longer filler is preferred: length must not give the answer away.
    Raises Retry when the draw does not give enough.
    """
    chosen: list[Option] = []
    seen = {_norm(answer)}
    for text, why in misconceptions:
        if _norm(text) not in seen and len(chosen) < OPTIONS - 1:
            seen.add(_norm(text))
            chosen.append(Option(text, False, why))
    if len(chosen) < MIN_MISCONCEPTIONS:
        raise Retry
    spare = [(text, why) for text, why in fillers if _norm(text) not in seen]
    while len(chosen) < OPTIONS - 1 and spare:
        longest = max(len(option.text) for option in chosen)
        longer = [item for item in spare if len(item[0]) >= len(answer)]
        pool = longer if len(answer) > longest and longer else spare
        text, why = pool[0]
        spare = [item for item in spare if _norm(item[0]) not in {_norm(text)}]
        chosen.append(Option(text, False, why))
    if len(chosen) < OPTIONS - 1:
        raise Retry
    options = [Option(answer, True), *chosen]
    rng.shuffle(options)
    return tuple(options)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def run_attempts(kind: str, seed: int, draw) -> Generated:
    """Call ``draw(rng)`` until it returns a question; the same seed always gives the same one."""
    rng = random.Random(f"{kind}:{seed}")
    for _attempt in range(ATTEMPTS):
        try:
            return draw(rng)
        except Retry:
            continue
    raise GenerationError(f"no question for {kind} seed {seed}")


def and_list(items: list[str], conjunction: str = "and") -> str:
    """`A`, `A and B`, `A, B and C`."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
