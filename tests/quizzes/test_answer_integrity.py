"""Nothing on a question's page tells which option is right: blind strategies score at chance.

Each test plays as a script would: whole mock exams choosing by the form's values or by the
order of the options, and practice rounds choosing from the page an empty submit shows.
Before options were sent by their place on the screen, the smallest value (a database id,
in authored order, right answers usually first) scored 65 of 65.
"""

import importlib
import random
import re
from collections import Counter
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from studyapp.quizzes.generated import GENERATORS, store
from studyapp.quizzes.models import ExamAttempt, PracticeAnswer, Question

# The module, not the view function of the same name that views/__init__.py exports.
practice_views = importlib.import_module("studyapp.quizzes.views.practice")
VALUE = re.compile(r'name="choice" value="([^"]+)"')
CHOOSE = re.compile(r"\(Choose (TWO|THREE|FOUR)\.?\)")
NUMBER = {"TWO": 2, "THREE": 3, "FOUR": 4}
# Chance is about 1 in 4 for single answers and 1 in 10 for two of five; a leak scores ~100%.
NEAR_CHANCE = 0.5


def how_many(body: str) -> int:
    match = CHOOSE.search(body)
    return NUMBER[match[1]] if match else 1


def play_exam(client, learner, pick) -> float:
    client.post(reverse("quizzes:exam_start"))
    attempt = ExamAttempt.objects.get(user=learner, finished_at__isnull=True)
    for position in range(1, attempt.total + 1):
        body = client.get(f"/exam/{attempt.pk}/q/{position}/").content.decode()
        values = VALUE.findall(body)
        chosen = pick(values)[: how_many(body)]
        client.post(f"/exam/{attempt.pk}/q/{position}/answer/", {"choice": chosen})
    client.post(f"/exam/{attempt.pk}/finish/", {"confirm": "1"})
    attempt.refresh_from_db()
    return attempt.correct / attempt.total


@pytest.mark.django_db
def test_choosing_the_smallest_value_on_every_exam_question_scores_near_chance(client, learner):
    client.force_login(learner)
    assert play_exam(client, learner, lambda values: sorted(values, key=int)) < NEAR_CHANCE


@pytest.mark.django_db
def test_choosing_the_first_option_shown_on_every_exam_question_scores_near_chance(client, learner):
    client.force_login(learner)
    assert play_exam(client, learner, lambda values: values) < NEAR_CHANCE


@pytest.mark.django_db
def test_choosing_the_first_option_of_an_empty_submit_page_scores_near_chance(client, learner):
    client.force_login(learner)
    url = reverse("quizzes:practice_answer")
    for _ in range(40):
        page = client.get("/quiz/practice/", {"all": "1"})
        question, token = page.context["question"], page.context["token"]
        empty = client.post(url, {"question": question.pk, "token": token})
        assert empty.status_code == 400
        body = empty.content.decode()
        values = VALUE.findall(body)
        assert [c.pk for c in empty.context["choices"]] == [c.pk for c in page.context["choices"]]
        client.post(
            url, {"question": question.pk, "token": token, "choice": values[: how_many(body)]}
        )
    answers = PracticeAnswer.objects.filter(user=learner)
    assert answers.count() == 40
    assert answers.filter(correct=True).count() / 40 < NEAR_CHANCE


@pytest.mark.django_db
def test_the_page_sends_places_never_ids(client, learner):
    client.force_login(learner)
    page = client.get("/quiz/practice/", {"all": "1"})
    values = VALUE.findall(page.content.decode())
    assert values == [str(n) for n in range(1, len(page.context["choices"]) + 1)]


@pytest.mark.django_db
def test_practice_will_not_grade_a_question_of_the_exam_in_progress(client, learner):
    client.force_login(learner)
    client.post(reverse("quizzes:exam_start"))
    item = ExamAttempt.objects.get(user=learner).items.select_related("question").first()
    response = client.post(
        reverse("quizzes:practice_answer"),
        {"question": item.question.pk, "token": "abc", "choice": ["1"]},
    )
    assert response.status_code == 409
    assert "mock exam in progress" in response.content.decode()
    assert not PracticeAnswer.objects.exists()


@pytest.mark.django_db
def test_practice_does_not_serve_questions_of_the_exam_in_progress(client, learner):
    from studyapp.cards import scheduling
    from studyapp.quizzes import services

    client.force_login(learner)
    client.post(reverse("quizzes:exam_start"))
    in_exam = set(ExamAttempt.objects.get(user=learner).items.values_list("question_id", flat=True))
    seen = {
        services.practice_next(learner, Question.objects.active(), scheduling.now_utc())[0].pk
        for _ in range(30)
    }
    assert not seen & in_exam


@pytest.mark.django_db
def test_a_double_clicked_check_answer_records_one_answer(client, learner):
    client.force_login(learner)
    page = client.get("/quiz/practice/", {"all": "1"})
    data = {
        "question": page.context["question"].pk,
        "token": page.context["token"],
        "choice": ["1"],
    }
    if page.context["question"].is_multiple:
        data["choice"] = ["1", "2"]
    first = client.post(reverse("quizzes:practice_answer"), data)
    second = client.post(reverse("quizzes:practice_answer"), data)
    assert first.status_code == second.status_code == 200
    assert PracticeAnswer.objects.count() == 1


@pytest.mark.django_db
def test_a_double_clicked_start_exam_opens_one_attempt(client, learner, monkeypatch):
    from studyapp.quizzes import services

    client.force_login(learner)
    client.post(reverse("quizzes:exam_start"))
    current = ExamAttempt.objects.get(user=learner)
    # The race: the second click's request passed the "one in progress?" check before the
    # first one's attempt was committed.
    monkeypatch.setattr(services, "unfinished_exam", lambda user: None)
    again = services.exam_start(user=learner, now=datetime.now(UTC))
    assert again.pk == current.pk
    assert ExamAttempt.objects.filter(user=learner).count() == 1


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9-]{3,}", text.lower()))


GENERATED_STRATEGIES = {
    "first shown": lambda stem, texts: 0,
    "longest": lambda stem, texts: max(range(len(texts)), key=lambda i: len(texts[i])),
    "most words of the stem": lambda stem, texts: max(
        range(len(texts)), key=lambda i: len(words(texts[i]) & words(stem))
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["iam", "sqs", "kinesis", "dynamodb"])
def test_blind_strategies_on_generated_questions_score_near_chance(
    client, learner, kind, monkeypatch, time_machine
):
    """Questions a simulator writes, as the practice page shows them: neither the order
    shown, the options' lengths nor the words they share with the scenario tell the right
    one. The seeds and the forms' tokens (which order the options shown) are drawn from fixed
    sequences and the clock is frozen, so the rounds are the same every run."""
    # The clock stands still: a missed question is due again a minute later, and on a busy
    # machine the rounds took long enough for those to come back and change the draw.
    time_machine.move_to(datetime(2026, 11, 27, 9, 0, tzinfo=UTC), tick=False)
    seeds = random.Random(f"blind-{kind}")
    monkeypatch.setattr(store, "secrets", SimpleNamespace(randbelow=seeds.randrange))
    tokens = random.Random(f"tokens-{kind}")
    monkeypatch.setattr(
        practice_views,
        "secrets",
        SimpleNamespace(token_urlsafe=lambda n: f"{tokens.getrandbits(96):x}"),
    )
    client.force_login(learner)
    url = reverse("quizzes:practice_answer")
    rounds = 30
    scores = dict.fromkeys(GENERATED_STRATEGIES, 0)
    for _ in range(rounds):
        page = client.get("/quiz/practice/", {"generated": kind})
        question, token = page.context["question"], page.context["token"]
        assert question.generator == kind
        body = page.content.decode()
        values = VALUE.findall(body)
        shown = page.context["choices"]
        texts = [choice.text for choice in shown]
        for name, pick in GENERATED_STRATEGIES.items():
            scores[name] += shown[pick(question.stem_text, texts)].correct
        client.post(url, {"question": question.pk, "token": token, "choice": values[:1]})
    assert PracticeAnswer.objects.filter(user=learner, question__generator=kind).count() == rounds
    assert {name: n / rounds < NEAR_CHANCE for name, n in scores.items()} == dict.fromkeys(
        GENERATED_STRATEGIES, True
    ), scores


SEEDS = range(400)
PER_SHAPE_LIMIT = 0.5  # a shape's options may tie two ways (two options share the stem's numbers)
PER_KIND_LIMIT = 0.45


@pytest.mark.parametrize("kind", ["iam", "sqs", "kinesis", "dynamodb"])
def test_no_blind_strategy_finds_generated_answers_across_seeds(kind):
    """Over 400 seeds, and for each shape of question a generator draws, no blind strategy
    picks the keyed option much more often than chance (a wording such as "The write
    succeeds" against "It fails with ConditionalCheckFailedException" made the longest
    option right in 55% of conditional-write questions)."""
    generate = GENERATORS[kind].generate
    hits: Counter = Counter()
    drawn: Counter = Counter()
    for seed in SEEDS:
        question = generate(seed)
        texts = [option.text for option in question.options]
        drawn[question.shape] += 1
        for name, pick in GENERATED_STRATEGIES.items():
            if question.options[pick(question.stem, texts)].correct:
                hits[question.shape, name] += 1
                hits[name] += 1
    too_often = {
        (shape, name): round(hits[shape, name] / count, 2)
        for shape, count in drawn.items()
        if count >= 40
        for name in GENERATED_STRATEGIES
        if hits[shape, name] / count >= PER_SHAPE_LIMIT
    }
    too_often |= {
        name: round(hits[name] / len(SEEDS), 2)
        for name in GENERATED_STRATEGIES
        if hits[name] / len(SEEDS) >= PER_KIND_LIMIT
    }
    assert too_often == {}
