"""Generated questions in the app: stored as questions of their task, practised in their own
rounds, missed ones coming back like authored ones, ready for live quizzes."""

import random
import re
from datetime import timedelta

import pytest

from studyapp.authoring.store import Report, store_questions
from studyapp.live import services as live
from studyapp.live.models import LiveSession
from studyapp.quizzes import practice_filters, services
from studyapp.quizzes.generated import generate, store
from studyapp.quizzes.models import PracticeAnswer, Question, QuestionState
from tests.quizzes.conftest import NOW

pytestmark = pytest.mark.django_db


def test_a_generated_question_is_stored_once_with_its_task_topic_and_options():
    question = store.materialise("iam", 12345)
    assert question.key == "gen-iam-12345"
    assert store.is_generated(question) and not question.retired and question.owner_id is None
    assert question.generator == "iam"
    assert question.task.code == "2.1" and question.domain == 2
    assert question.topic.slug == "iam-policies"
    assert question.kind == Question.Kind.SINGLE
    choices = list(question.choices.all())
    generated = generate("iam", 12345)
    assert [c.text for c in choices] == [o.text for o in generated.options]
    assert [c.text for c in choices if c.correct] == [generated.answer]
    assert all(c.why_html for c in choices if not c.correct)
    assert question.stem_html.startswith("<p>") and "<pre><code>" in question.stem_html
    assert store.materialise("iam", 12345) == question
    assert Question.objects.generated().count() == 1


def test_tables_of_a_stem_scroll_sideways_on_a_phone():
    question = store.materialise("sqs", 3)
    assert '<div class="table-scroll"><table class="data">' in question.stem_html


def test_the_marker_separates_generated_questions_from_the_authored_bank():
    authored = Question.objects.active().count()
    store.materialise("dynamodb", 1)
    store.materialise("kinesis", 1)
    assert Question.objects.active().count() == authored
    assert not Question.objects.active().exclude(generator="").exists()
    assert Question.objects.generated().count() == 2
    assert list(Question.objects.generated("kinesis").values_list("key", flat=True)) == [
        "gen-kinesis-1"
    ]
    assert Question.objects.practicable().count() == authored + 2


def test_mock_exams_never_draw_generated_questions(learner):
    generated = {store.materialise("sqs", seed).pk for seed in range(40)}
    for seed in range(3):
        drawn = set(services.draw_exam_questions(random.Random(seed)))
        assert len(drawn) == 65 and not drawn & generated
    attempt = services.exam_start(user=learner, now=NOW)
    assert not attempt.items.filter(question__generator__gt="").exists()


def test_loading_content_keeps_generated_questions(learner):
    """A load retires or deletes the authored questions it no longer finds; generated ones are
    not content: they stay, with the learner's answers."""
    answered = store.materialise("kinesis", 3)
    unanswered = store.materialise("kinesis", 4)
    right = [c.pk for c in answered.choices.all() if c.correct]
    services.practice_answer(user=learner, question=answered, selected=right, token="t", now=NOW)
    report = Report()
    store_questions([], {}, {}, report)  # content without a single question
    assert report.counts["questions deleted"] > 600
    assert not Question.objects.active().exists()
    kept = Question.objects.generated()
    assert set(kept.values_list("pk", flat=True)) == {answered.pk, unanswered.pk}
    assert PracticeAnswer.objects.filter(question=answered).count() == 1


def test_authored_rounds_leave_generated_questions_out(learner):
    question = store.materialise("sqs", 5)
    everything = practice_filters.PracticeFilter(everything=True).pool(learner)
    assert not everything.filter(pk=question.pk).exists()
    by_task = practice_filters.PracticeFilter(task=question.task).pool(learner)
    assert not by_task.filter(pk=question.pk).exists()
    generated = practice_filters.PracticeFilter(generated="sqs").pool(learner)
    assert list(generated) == [question]


def test_a_generated_round_never_runs_out(learner):
    chosen = practice_filters.PracticeFilter(generated="kinesis")
    rng = random.Random(1)
    seen = set()
    for n in range(5):
        question, reason = store.practice_next(
            learner, chosen.pool(learner), "kinesis", NOW, rng=rng
        )
        assert reason == "new" and question.key.startswith("gen-kinesis-")
        right = [c.pk for c in question.choices.all() if c.correct]
        services.practice_answer(
            user=learner, question=question, selected=right, token=f"k{n}", now=NOW
        )
        seen.add(question.pk)
    assert len(seen) == 5


def test_a_missed_generated_question_comes_back_first(learner):
    chosen = practice_filters.PracticeFilter(generated="dynamodb")
    question, _reason = store.practice_next(learner, chosen.pool(learner), "dynamodb", NOW)
    wrong = [c.pk for c in question.choices.all() if not c.correct][:1]
    graded = services.practice_answer(
        user=learner, question=question, selected=wrong, token="w", now=NOW
    )
    assert not graded.correct
    assert QuestionState.objects.get(user=learner, question=question).due <= NOW + timedelta(
        minutes=1
    )
    later = NOW + timedelta(minutes=2)
    assert store.practice_next(learner, chosen.pool(learner), "dynamodb", later) == (
        question,
        "due",
    )
    missed = practice_filters.PracticeFilter(missed=True).pool(learner)
    assert missed.filter(pk=question.pk).exists()


def test_practice_page_round_trip(client, learner):
    client.force_login(learner)
    response = client.get("/quiz/practice/", {"generated": "sqs", "new_set": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "written by the simulator" in html
    question_id = int(re.search(r'name="question" value="(\d+)"', html)[1])
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    question = Question.objects.get(pk=question_id)
    assert question.key.startswith("gen-sqs-")
    assert 'name="generated" value="sqs"' in html
    # Options go by place; nothing in the page tells the right one.
    assert re.findall(r'name="choice" value="(\d+)"', html) == ["1", "2", "3", "4"]
    assert str(question.choices.get(correct=True).pk) not in re.findall(r'value="(\d+)"', html)
    response = client.post(
        "/quiz/practice/answer/",
        {"question": question_id, "token": token, "choice": ["1"], "generated": "sqs"},
    )
    assert response.status_code == 200
    assert PracticeAnswer.objects.get(user=learner).question == question
    assert "So the answer is:" in response.content.decode()
    assert QuestionState.objects.filter(user=learner, question=question).exists()


def test_the_filter_form_offers_each_simulator_and_refuses_others(client, learner):
    client.force_login(learner)
    html = client.get("/quiz/practice/").content.decode()
    for kind in ("iam", "sqs", "kinesis", "dynamodb"):
        assert f'name="generated" value="{kind}"' in html
    assert client.get("/quiz/practice/", {"generated": "nope"}).status_code == 404


def test_topic_counts_in_the_filter_form_are_the_authored_bank(client, learner):
    client.force_login(learner)

    def count(slug):
        html = client.get("/quiz/practice/").content.decode()
        return int(re.search(rf'value="{slug}"[^>]*>[^<]*<span class="size">\((\d+)\)', html)[1])

    before = count("iam-policies")
    for seed in range(3):
        store.materialise("iam", seed)
    assert Question.objects.generated("iam").filter(topic__slug="iam-policies").count() == 3
    assert count("iam-policies") == before


def test_instructors_can_put_generated_questions_in_a_live_quiz(instructor):
    questions = store.live_questions(kind="sqs", count=3, seeds=[7, 8, 9])
    assert [q.key for q in questions] == ["gen-sqs-7", "gen-sqs-8", "gen-sqs-9"]
    session = live.session_create(host=instructor, title="SQS timelines", questions=questions)
    assert list(session.items.values_list("question__key", flat=True)) == [
        "gen-sqs-7",
        "gen-sqs-8",
        "gen-sqs-9",
    ]
    fresh = store.live_questions(kind="iam", count=2)
    assert len(fresh) == 2 and all(q.key.startswith("gen-iam-") for q in fresh)
    with pytest.raises(ValueError):
        store.live_questions(kind="s3", count=1)


def test_the_live_quiz_form_offers_generated_questions(client, instructor):
    client.force_login(instructor)
    assert 'value="generated"' in client.get("/live/new/").content.decode()
    response = client.post(
        "/live/new/",
        {"title": "Shards", "source": "generated", "generator": "kinesis", "count": 3,
         "time_limit": 20},
    )  # fmt: skip
    assert response.status_code == 302
    session = LiveSession.objects.get(title="Shards")
    assert list(session.items.values_list("question__generator", flat=True)) == ["kinesis"] * 3
    refused = client.post(
        "/live/new/",
        {"title": "No", "source": "generated", "generator": "s3", "count": 3, "time_limit": 20},
    )
    assert refused.status_code == 400 and not LiveSession.objects.filter(title="No").exists()
