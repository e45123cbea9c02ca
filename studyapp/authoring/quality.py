"""Measure the question bank and the deck against the exam's realism bar.

The same measures run over parsed drafts (`validate_content`, helpers' checks) and over the
loaded database (the content-quality test); the thresholds live in that test.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# Exam qualifiers are written in capitals in AWS's own sample questions.
QUALIFIER = re.compile(r"\b(LEAST|MOST|FEWEST|LOWEST|FASTEST)\b")
# A sentence ends with . ? or ! followed by a space or the end (not "e.g." inside a word),
# or with a colon that introduces a code block or a list on the next line.
SENTENCE_END = re.compile(r"[.?!](?:\s|$)|:\n")
# "(Choose TWO.)" is an instruction, not a sentence of the scenario.
CHOOSE = re.compile(r"\(Choose [A-Z]+\.?\)")


@dataclass(frozen=True)
class QuestionFacts:
    key: str
    task: str
    stem: str
    options: tuple[tuple[str, bool], ...]
    sources: tuple[str, ...]

    @property
    def multiple(self) -> bool:
        return sum(correct for _text, correct in self.options) > 1

    @property
    def has_qualifier(self) -> bool:
        return bool(QUALIFIER.search(self.stem))

    @property
    def is_scenario(self) -> bool:
        return len(SENTENCE_END.findall(CHOOSE.sub("", self.stem).strip())) >= 2

    @property
    def right_is_longest(self) -> bool:
        """Single answer: the right option is strictly longer than every wrong one."""
        right = [len(text) for text, correct in self.options if correct]
        wrong = [len(text) for text, correct in self.options if not correct]
        return len(right) == 1 and right[0] > max(wrong)

    @property
    def right_positions(self) -> tuple[int, ...]:
        return tuple(index for index, (_text, correct) in enumerate(self.options) if correct)


@dataclass(frozen=True)
class CardFacts:
    key: str
    task: str
    sources: tuple[str, ...]


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass
class Measures:
    questions: list[QuestionFacts] = field(default_factory=list)
    cards: list[CardFacts] = field(default_factory=list)

    @property
    def singles(self) -> list[QuestionFacts]:
        return [question for question in self.questions if not question.multiple]

    @property
    def multiple_share(self) -> float:
        return share(sum(q.multiple for q in self.questions), len(self.questions))

    @property
    def qualifier_share(self) -> float:
        return share(sum(q.has_qualifier for q in self.questions), len(self.questions))

    @property
    def scenario_share(self) -> float:
        return share(sum(q.is_scenario for q in self.questions), len(self.questions))

    @property
    def longest_share(self) -> float:
        singles = self.singles
        return share(sum(q.right_is_longest for q in singles), len(singles))

    @property
    def first_position_share(self) -> float:
        """How often the single right answer is authored first (shuffled on screen anyway)."""
        singles = self.singles
        return share(sum(q.right_positions == (0,) for q in singles), len(singles))

    def questions_per_task(self) -> Counter:
        return Counter(question.task for question in self.questions)

    def cards_per_task(self) -> Counter:
        return Counter(card.task for card in self.cards)

    def without_sources(self) -> list[str]:
        items: Iterable = [*self.questions, *self.cards]
        return [item.key for item in items if not item.sources]

    def not_scenarios(self) -> list[str]:
        return [question.key for question in self.questions if not question.is_scenario]

    def lines(self) -> list[str]:
        per_task = self.questions_per_task()
        cards = self.cards_per_task()
        tasks = sorted(set(per_task) | set(cards))
        return [
            f"questions: {len(self.questions)} (multiple response {self.multiple_share:.0%})",
            f"cards: {len(self.cards)}",
            f"qualifier share: {self.qualifier_share:.0%}",
            f"scenario share (2+ sentences): {self.scenario_share:.0%}",
            f"right option strictly longest (single answer): {self.longest_share:.0%}",
            f"right option authored first (single answer): {self.first_position_share:.0%}",
            "per task (questions/cards): "
            + ", ".join(f"{task} {per_task[task]}/{cards[task]}" for task in tasks),
            f"items without a source: {len(self.without_sources())}",
        ]


def measure(bundle, include: Callable[[object], bool] | None = None) -> Measures:
    """Measures of a parsed content bundle (`authoring.loader.collect`), optionally filtered."""
    keep = include or (lambda _item: True)
    return Measures(
        questions=[
            QuestionFacts(
                key=draft.key,
                task=draft.task_code,
                stem=draft.stem,
                options=tuple((choice.text, choice.correct) for choice in draft.choices),
                sources=tuple(draft.sources),
            )
            for draft in bundle.questions
            if keep(draft)
        ],
        cards=[
            CardFacts(key=draft.key, task=draft.task_code, sources=tuple(draft.sources))
            for draft in bundle.cards
            if keep(draft)
        ],
    )
