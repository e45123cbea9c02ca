"""Generated questions, 1,000 seeds per generator: the key is the engine's answer, no
distractor is, every question renders, and the same seed gives the same question."""

import re
from collections import Counter

import pytest

from studyapp.quizzes import generated
from studyapp.quizzes.generated.store import render_block, render_inline

SEEDS = range(1_000)
MAX_RIGHT_IS_LONGEST_SHARE = 0.35  # four options: 0.25 if length told nothing
POSITION_SHARE = (0.18, 0.32)  # where the right option is authored: about 1 in 4 each
SENTENCE_END = re.compile(r"[.?!](?=\s|$)")


def norm(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.parametrize("kind", generated.KINDS)
def test_a_thousand_seeds_keyed_by_the_engine_and_rendered(kind):
    longest = 0
    positions: Counter[int] = Counter()
    shapes: Counter[str] = Counter()
    for seed in SEEDS:
        question = generated.generate(kind, seed)
        assert question.kind == kind and question.seed == seed
        assert question.key == f"gen-{kind}-{seed}"
        shapes[question.shape] += 1
        # The key is what the engine computes, asked afresh from the plain scenario.
        engine_answer = generated.solve(kind, question.scenario)
        assert question.answer == engine_answer, (seed, question.answer, engine_answer)
        right = [option for option in question.options if option.correct]
        assert [option.text for option in right] == [engine_answer]
        assert len(question.options) == 4
        assert len({norm(option.text) for option in question.options}) == 4
        for option in question.distractors:
            assert norm(option.text) != norm(engine_answer), (seed, option.text)
            assert option.why, (seed, option.text)
        # A scenario of two sentences or more, then the question.
        prose = re.sub(r"```.*?```|\|.*\|", "", question.stem, flags=re.DOTALL)
        assert len(SENTENCE_END.findall(prose)) >= 2, (seed, question.stem)
        assert question.stem.rstrip().endswith("?")
        # It renders: stem, options, reasons and explanation become non-empty safe HTML.
        stem_html = render_block(question.stem)
        assert stem_html.startswith("<") and "<script" not in stem_html
        for option in question.options:
            assert render_inline(option.text).strip()
        assert question.explanation.rstrip().endswith(f"So the answer is: {engine_answer}.")
        assert render_block(question.explanation).startswith("<")
        lengths = [len(option.text) for option in question.options]
        if lengths.count(max(lengths)) == 1 and len(engine_answer) == max(lengths):
            longest += 1
        positions[[option.correct for option in question.options].index(True)] += 1
    assert longest / len(SEEDS) <= MAX_RIGHT_IS_LONGEST_SHARE
    low, high = POSITION_SHARE
    assert all(low <= positions[place] / len(SEEDS) <= high for place in range(4)), positions
    assert len(shapes) >= 1


@pytest.mark.parametrize("kind", generated.KINDS)
def test_the_same_seed_gives_the_same_question(kind):
    for seed in range(0, 1_000, 37):
        assert generated.generate(kind, seed) == generated.generate(kind, seed)
    assert generated.generate(kind, 1) != generated.generate(kind, 2)


@pytest.mark.parametrize(
    ("kind", "shapes"),
    [
        ("iam", {"decision"}),
        ("sqs", {"receive", "dlq", "count"}),
        ("kinesis", {"shard", "throttle", "split"}),
        ("dynamodb", {"capacity", "query-scan", "conditional"}),
    ],
)
def test_every_kind_of_question_comes_up(kind, shapes):
    assert {generated.generate(kind, seed).shape for seed in range(200)} == shapes
