"""The readiness model on its own: monotone in accuracy and recall, silent without data."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.readiness import model
from studyapp.readiness.model import TaskEvidence, predict

# The exam guide's weights: domain % * task % (content/guide/exam.md).
WEIGHTS = {
    "1.1": 32 * 35, "1.2": 32 * 35, "1.3": 32 * 30,
    "2.1": 26 * 45, "2.2": 26 * 30, "2.3": 26 * 25,
    "3.1": 24 * 25, "3.2": 24 * 20, "3.3": 24 * 20, "3.4": 24 * 35,
    "4.1": 18 * 40, "4.2": 18 * 30, "4.3": 18 * 30,
}  # fmt: skip


def tasks(right=0.0, seen=0.0, answers=0, recall=0.0, cards=50) -> list[TaskEvidence]:
    return [
        TaskEvidence(
            code=code,
            title=code,
            weight=weight / 10_000,
            cards=cards,
            studied=cards if recall else 0,
            recall_sum=recall * cards,
            right=right,
            seen=seen,
            answers=answers,
        )
        for code, weight in WEIGHTS.items()
    ]


def test_no_prediction_without_data():
    prediction = predict(tasks())
    assert not prediction.enough
    assert prediction.score is None and prediction.pass_probability is None
    assert prediction.missing_answers == model.MIN_ANSWERS


def test_no_prediction_below_the_minimum_even_with_perfect_answers_and_recall():
    per_task = (model.MIN_ANSWERS - 1) // 13
    prediction = predict(tasks(right=per_task, seen=per_task, answers=per_task, recall=1.0))
    assert not prediction.enough
    assert prediction.missing_answers == model.MIN_ANSWERS - 13 * per_task


def test_a_prediction_once_there_are_enough_answers():
    prediction = predict(tasks(right=3, seen=4, answers=4, recall=0.5))
    assert prediction.enough
    assert 100 <= prediction.low <= prediction.score <= prediction.high <= 1000
    assert 0 < prediction.pass_probability < 1


def test_study_next_is_weight_times_weakness():
    evidence = tasks(right=8, seen=10, answers=10, recall=0.6)
    weak_heavy = next(t for t in evidence if t.code == "2.1")  # the heaviest task, 11.7 %
    weak_heavy.right = 2
    strong_light = next(t for t in evidence if t.code == "4.2")  # 5.4 %
    strong_light.right = 10
    prediction = predict(evidence)
    assert prediction.study_next[0].evidence.code == "2.1"
    assert "4.2" not in [item.evidence.code for item in prediction.study_next]
    gains = [item.gain for item in prediction.study_next]
    assert gains == sorted(gains, reverse=True)
    first = prediction.study_next[0]
    expected = 900 * first.evidence.weight * model.HOUR_GAIN * (1 - first.estimate)
    assert first.gain == pytest.approx(expected)


def test_recent_answers_weigh_more_and_repeats_less():
    assert model.answer_weight(0) == 1
    assert model.answer_weight(model.HALF_LIFE_DAYS) == 0.5
    assert model.answer_weight(2 * model.HALF_LIFE_DAYS) == 0.25
    assert model.answer_weight(0, repeat=True) == model.REPEAT_WEIGHT


def test_perfect_learner_scores_high_and_passes_a_failing_one_does_not():
    good = predict(tasks(right=40, seen=40, answers=40, recall=0.95))
    poor = predict(tasks(right=8, seen=40, answers=40, recall=0.1))
    assert good.score > 900 and good.pass_probability > 0.99
    assert poor.score < 400 and poor.pass_probability < 0.01


evidence_strategy = st.lists(
    st.tuples(
        st.floats(0, 1),  # accuracy
        st.floats(0, 30),  # weighted answers
        st.floats(0, 1),  # recall
    ),
    min_size=13,
    max_size=13,
)


def build(values) -> list[TaskEvidence]:
    evidence = tasks()
    for task, (accuracy, seen, recall) in zip(evidence, values, strict=True):
        task.seen, task.right = seen, seen * accuracy
        task.answers = model.MIN_ANSWERS  # enough, whatever the weights
        task.studied, task.recall_sum = task.cards, recall * task.cards
    return evidence


@settings(max_examples=200, deadline=None)
@given(evidence_strategy, st.integers(0, 12), st.floats(0.01, 5))
def test_monotone_in_accuracy(values, index, extra):
    """Turning wrong answers into right ones never lowers any estimate or the score."""
    before = build(values)
    after = build(values)
    task = after[index]
    task.right = min(task.seen, task.right + extra)
    old, new = predict(before), predict(after)
    assert new.share >= old.share - 1e-12
    assert new.score >= old.score
    assert new.pass_probability >= old.pass_probability - 1e-12
    for a, b in zip(old.tasks, new.tasks, strict=True):
        assert b.estimate >= a.estimate - 1e-12


@settings(max_examples=200, deadline=None)
@given(evidence_strategy, st.integers(0, 12), st.floats(0.01, 1))
def test_monotone_in_recall(values, index, extra):
    """Remembering more of a task's cards never lowers its estimate or the score."""
    before = build(values)
    after = build(values)
    task = after[index]
    task.recall_sum = min(task.cards, task.recall_sum + extra * task.cards)
    old, new = predict(before), predict(after)
    assert new.share >= old.share - 1e-12
    assert new.tasks[index].estimate >= old.tasks[index].estimate - 1e-12
    assert new.score >= old.score


@settings(max_examples=100, deadline=None)
@given(evidence_strategy)
def test_more_answers_narrow_the_knowledge_part_of_the_range(values):
    evidence = build(values)
    doubled = [replace(task, right=task.right * 4, seen=task.seen * 4) for task in evidence]
    one, four = predict(evidence), predict(doubled)
    assert four.high - four.low <= one.high - one.low + 1


def test_the_chance_of_passing_never_reads_as_certain():
    assert [model.percent(p) for p in (0.0, 0.004, 0.006, 0.5, 0.994, 0.996, 1.0)] == [
        "<1", "<1", "1", "50", "99", ">99", ">99"
    ]  # fmt: skip
    assert model.percent(None) == ""
    good = predict(tasks(right=40, seen=40, answers=40, recall=0.95))
    assert good.pass_percent == ">99"
