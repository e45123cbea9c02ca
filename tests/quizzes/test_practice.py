import importlib
from datetime import timedelta

import pytest
from django.apps import apps

from studyapp.quizzes import services
from studyapp.quizzes.models import PracticeAnswer, Question, QuestionState
from tests.quizzes.conftest import NOW

pytestmark = pytest.mark.django_db


def ids(question, correct=True):
    return sorted(c.pk for c in question.choices.all() if c.correct == correct)


def single():
    return Question.objects.active().filter(kind="single").prefetch_related("choices").first()


def test_right_answer_is_recorded_and_scheduled_days_ahead(learner):
    question = single()
    graded = services.practice_answer(
        user=learner, question=question, selected=ids(question), token="t1", now=NOW
    )
    assert graded.correct
    state = QuestionState.objects.get(user=learner, question=question)
    assert state.due >= NOW + timedelta(minutes=10)


def test_missed_question_comes_back_within_minutes_and_first(learner):
    question = single()
    wrong = ids(question, correct=False)[:1]
    graded = services.practice_answer(
        user=learner, question=question, selected=wrong, token="t1", now=NOW
    )
    assert not graded.correct
    assert graded.correct_ids == ids(question)
    state = QuestionState.objects.get(user=learner, question=question)
    assert state.due == NOW + timedelta(
        minutes=1
    )  # FSRS: Again goes back to the first learning step
    later = NOW + timedelta(minutes=2)
    assert services.practice_next(learner, Question.objects.active(), later) == (question, "due")
    assert (
        services.practice_next(learner, Question.objects.active(), NOW)[1] == "new"
    )  # not yet due


def test_resubmitting_the_same_form_records_one_answer(learner):
    question = single()
    services.practice_answer(
        user=learner, question=question, selected=ids(question), token="same", now=NOW
    )
    again = services.practice_answer(
        user=learner, question=question, selected=ids(question, False)[:1], token="same", now=NOW
    )
    assert again.correct  # the first answer stands
    assert PracticeAnswer.objects.filter(user=learner).count() == 1
    assert QuestionState.objects.get(user=learner, question=question).reps == 1


def test_multiple_response_needs_every_correct_choice(learner):
    question = Question.objects.active().filter(kind="multiple").prefetch_related("choices").first()
    assert not services.practice_answer(
        user=learner, question=question, selected=ids(question)[:1], token="a", now=NOW
    ).correct
    assert services.practice_answer(
        user=learner, question=question, selected=ids(question), token="b", now=NOW
    ).correct


@pytest.mark.parametrize("selected", [[], [123456789]])
def test_bad_selections_are_rejected(learner, selected):
    with pytest.raises(services.AnswerError):
        services.practice_answer(
            user=learner, question=single(), selected=selected, token="x", now=NOW
        )
    assert not PracticeAnswer.objects.exists()


def test_topic_filter(learner):
    from studyapp.notes.models import Topic

    topic = Topic.objects.get(slug="sqs-fifo-deduplication")
    question, reason = services.practice_next(
        learner, Question.objects.active().filter(topic=topic), NOW
    )
    assert question.topic == topic and reason == "new"


def test_an_answer_says_whether_it_is_the_learners_first_to_its_question(learner, other_learner):
    question, other = Question.objects.active().filter(kind="single")[:2]
    for n, (user, asked) in enumerate(
        [(learner, question), (learner, question), (learner, other), (other_learner, question)]
    ):
        services.practice_answer(
            user=user, question=asked, selected=ids(asked), token=f"t{n}", now=NOW
        )
    firsts = list(PracticeAnswer.objects.order_by("pk").values_list("first", flat=True))
    assert firsts == [True, False, True, True]  # the second answer to a question is a repeat


def test_an_answer_keeps_its_questions_task_statement(learner):
    question = Question.objects.active().filter(task__isnull=False).first()
    services.practice_answer(
        user=learner, question=question, selected=ids(question), token="t", now=NOW
    )
    assert PracticeAnswer.objects.get(token="t").task_id == question.task_id


def test_the_migration_fills_in_the_task_of_earlier_answers(learner):
    questions = list(Question.objects.active().filter(task__isnull=False)[:3])
    PracticeAnswer.objects.bulk_create(
        PracticeAnswer(user=learner, question=q, correct=True, answered_at=NOW, token=f"m{n}")
        for n, q in enumerate(questions)
    )
    assert set(PracticeAnswer.objects.values_list("task", flat=True)) == {None}
    migration = importlib.import_module("studyapp.quizzes.migrations.0009_practiceanswer_task")
    migration.fill_tasks(apps, None)
    stored = dict(PracticeAnswer.objects.values_list("question_id", "task_id"))
    assert stored == {q.pk: q.task_id for q in questions} and None not in stored.values()


def test_the_migration_marks_each_questions_earliest_answer_as_its_first(learner, other_learner):
    questions = list(Question.objects.active()[:3])
    order = [(learner, 0), (learner, 1), (learner, 0), (other_learner, 0), (learner, 0)]
    PracticeAnswer.objects.bulk_create(
        PracticeAnswer(
            user=user,
            question=questions[q],
            correct=True,
            answered_at=NOW + timedelta(minutes=n),
            token=f"m{n}",
            first=False,  # as if written before the field existed
        )
        for n, (user, q) in enumerate(order)
    )
    migration = importlib.import_module("studyapp.quizzes.migrations.0008_practiceanswer_first")
    migration.mark_firsts(apps, None)
    firsts = list(PracticeAnswer.objects.order_by("pk").values_list("first", flat=True))
    assert firsts == [True, True, False, True, False]
