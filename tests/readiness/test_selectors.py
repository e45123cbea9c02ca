"""Evidence for the model, read from the database: weights, repeats, the state at a moment."""

from datetime import timedelta

import pytest

from studyapp.cards import scheduling
from studyapp.cards.models import Card, CardState
from studyapp.cards.services import review_key, review_record
from studyapp.quizzes import services as quiz
from studyapp.quizzes.models import ExamAttempt
from studyapp.readiness import model, selectors

from .conftest import NOW

pytestmark = pytest.mark.django_db


def by_code(evidence):
    return {task.code: task for task in evidence}


def test_every_task_with_its_exam_weight_and_its_cards(learner):
    evidence = by_code(selectors.evidence(learner, NOW))
    assert len(evidence) == 13
    assert sum(task.weight for task in evidence.values()) == pytest.approx(1.0)
    assert evidence["2.1"].weight == pytest.approx(0.26 * 0.45)
    assert all(task.cards >= 40 for task in evidence.values())
    assert all(task.answers == 0 and task.studied == 0 for task in evidence.values())


def test_answers_count_by_task_recent_ones_weighing_more(learner, answers):
    answers("1.2", right=3, wrong=1)
    answers("1.2", right=0, wrong=4, days_ago=model.HALF_LIFE_DAYS, offset=10)
    task = by_code(selectors.evidence(learner, NOW))["1.2"]
    assert task.answers == 8
    assert task.seen == pytest.approx(4 + 4 * 0.5)
    assert task.right == pytest.approx(3)
    assert task.accuracy == pytest.approx(3 / 6)


@pytest.mark.parametrize("days_ago", [0.25, 1.5, 10, 33.3, 100])
def test_an_answers_weight_is_the_models_at_its_age_to_the_minute(learner, answers, days_ago):
    answers("4.2", right=1, wrong=0, days_ago=days_ago)  # answered a second before that
    task = by_code(selectors.evidence(learner, NOW))["4.2"]
    expected = model.answer_weight(days_ago + 1 / 86_400)
    assert task.seen == pytest.approx(expected, rel=1e-6) and task.right == task.seen


def test_a_question_answered_again_weighs_less(learner, answers):
    answers("3.1", right=3, wrong=0, repeat=True)  # the same question three times
    task = by_code(selectors.evidence(learner, NOW))["3.1"]
    assert task.answers == 3
    assert task.seen == pytest.approx(1 + 2 * model.REPEAT_WEIGHT)


def test_answers_older_than_the_horizon_are_left_out(learner, answers):
    answers("4.1", right=5, wrong=0, days_ago=selectors.HORIZON.days + 1)
    assert by_code(selectors.evidence(learner, NOW))["4.1"].answers == 0


def test_mock_exam_answers_count_once_the_exam_is_finished(learner):
    attempt = quiz.exam_start(user=learner, now=NOW - timedelta(hours=2))
    assert sum(t.answers for t in selectors.evidence(learner, NOW)) == 0
    quiz.exam_finish(attempt=attempt, now=NOW - timedelta(hours=1))
    evidence = selectors.evidence(learner, NOW)
    assert sum(t.answers for t in evidence) == attempt.items.count()
    assert sum(t.right for t in evidence) == 0  # nothing answered: all wrong


def test_stored_exam_scores_are_weighted_by_when_the_exam_finished(learner):
    """An exam's answers count with model.answer_weight of its finish (the SQL of
    exam_scores.py sums them); a task code no longer in the exam guide is left out."""
    stamps = [(21, {"1.1": [3, 4], "9.9": [1, 1]}), (42, {"1.1": [1, 2], "2.1": [0, 5]})]
    for days, scores in stamps:
        finished = NOW - timedelta(days=days)
        ExamAttempt.objects.create(
            user=learner,
            started_at=finished - timedelta(hours=1),
            deadline=finished,
            finished_at=finished,
            correct=0,
            scaled_score=100,
            task_scores=scores,
        )
    tasks = by_code(selectors.evidence(learner, NOW))
    assert "9.9" not in tasks
    assert (tasks["1.1"].answers, tasks["2.1"].answers) == (6, 5)
    assert tasks["1.1"].seen == pytest.approx(4 * 0.5 + 2 * 0.25)  # 21 days: half weight
    assert tasks["1.1"].right == pytest.approx(3 * 0.5 + 1 * 0.25)
    assert tasks["2.1"].seen == pytest.approx(5 * 0.25) and tasks["2.1"].right == 0
    assert sum(task.answers for task in tasks.values()) == 11


def test_recall_is_the_fsrs_retrievability_of_the_tasks_cards(learner, studied):
    states = studied("2.2", 10, stability=5.0, days_ago=5)
    task = by_code(selectors.evidence(learner, NOW))["2.2"]
    scheduler = scheduling.scheduler_for(None)
    expected = sum(scheduling.retrievability(scheduler, s, NOW) for s in states)
    assert task.studied == 10
    assert task.recall_sum == pytest.approx(expected)
    assert task.recall == pytest.approx(expected / task.cards)
    assert 0.85 < expected / 10 < 0.95  # five days on a five-day stability: about 90 %


def test_evidence_at_a_past_moment_ignores_what_came_after(learner, answers):
    card = Card.objects.filter(owner__isnull=True, task__code="1.1").first()
    then = NOW - timedelta(days=3)
    first = review_record(
        user=learner,
        card=card,
        rating=3,
        key=review_key(learner.pk, card.pk, None),
        now=then - timedelta(days=1),
    )
    assert first.created
    state = CardState.objects.get(user=learner, card=card)
    review_record(
        user=learner,
        card=card,
        rating=1,
        key=review_key(learner.pk, card.pk, state),
        now=NOW - timedelta(hours=1),
    )
    answers("1.1", right=2, wrong=0, days_ago=5)
    answers("1.1", right=0, wrong=6, days_ago=1)
    past = by_code(selectors.evidence(learner, NOW, at=then))["1.1"]
    assert past.answers == 2 and past.right == past.seen
    assert past.studied == 1
    scheduler = scheduling.scheduler_for(None)
    assert past.recall_sum == pytest.approx(scheduling.retrievability(scheduler, state, then))
    now = by_code(selectors.evidence(learner, NOW))["1.1"]
    assert now.answers == 8 and now.studied == 1


def test_other_learners_do_not_count(learner, other_learner, answers, studied):
    answers("1.3", right=4, wrong=0)
    studied("1.3", 5)
    evidence = selectors.evidence(other_learner, NOW)
    assert sum(t.answers for t in evidence) == 0 and sum(t.studied for t in evidence) == 0


def test_study_links_reach_cards_questions_guide_and_simulators():
    links = selectors.study_links("2.1")
    assert links.cards == "/review/?task=2.1"
    assert links.questions.startswith("/quiz/practice/?task=2.1")
    assert links.guide == "/guide/2.1/"
    assert "/sims/iam/" in [url for _label, url in links.simulators]
    assert [url for _label, url in links.generated] == ["/quiz/practice/?generated=iam&new_set=1"]
    none = selectors.study_links("3.2")
    assert none.simulators == [] and none.generated == []
