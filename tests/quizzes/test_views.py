import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from studyapp.quizzes.models import ExamAttempt, PracticeAnswer, Question
from tests.quizzes.conftest import correct_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, learner):
    client.force_login(learner)
    return client


def test_practice_and_exam_need_an_account(client):
    assert client.get("/quiz/practice/").status_code == 302
    assert client.get("/exam/").status_code == 302


def test_practice_page_lists_topics_then_shows_a_question(logged_in):
    page = logged_in.get("/quiz/practice/")
    assert page.status_code == 200
    assert 'value="sqs-fifo-queue"' in page.content.decode()
    question_page = logged_in.get("/quiz/practice/", {"topic": "sqs-fifo-queue"})
    question = question_page.context["question"]
    assert question.topic.slug == "sqs-fifo-queue"
    body = question_page.content.decode()
    assert 'name="choice"' in body
    assert "is-correct" not in body  # no answer is given away before answering


def test_practice_answer_shows_the_verdict_reasons_and_explanation(logged_in):
    page = logged_in.get("/quiz/practice/", {"all": "1"})
    question = page.context["question"]
    wrong = [c.pk for c in question.choices.all() if not c.correct][:1]
    if question.kind == "multiple":
        wrong = [c.pk for c in question.choices.all() if not c.correct][:2]
    response = logged_in.post(
        reverse("quizzes:practice_answer"),
        {"question": question.pk, "choice": wrong, "token": page.context["token"]},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not quite." in body
    assert question.explanation_html in body
    assert body.count('class="why"') == sum(1 for c in question.choices.all() if not c.correct)
    assert PracticeAnswer.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"question": "abc", "choice": "1", "token": "t"},
        {"question": "999999", "choice": "1", "token": "t"},
        {"question": "{q}", "choice": "99999999", "token": "t"},
        {"question": "{q}", "choice": "drop table", "token": "t"},
        {"question": "{q}", "token": "t"},
    ],
)
def test_tampered_practice_forms_get_400(logged_in, data):
    question = Question.objects.active().first()
    data = {key: value.replace("{q}", str(question.pk)) for key, value in data.items()}
    response = logged_in.post(reverse("quizzes:practice_answer"), data)
    assert response.status_code == 400
    assert not PracticeAnswer.objects.exists()


def test_exam_flow_start_answer_flag_review_finish(logged_in, learner):
    response = logged_in.post(reverse("quizzes:exam_start"))
    attempt = ExamAttempt.objects.get(user=learner)
    assert response["Location"] == f"/exam/{attempt.pk}/q/1/"
    page = logged_in.get(response["Location"])
    assert page.status_code == 200
    assert (
        'data-remaining="7800"' in page.content.decode()
        or 'data-remaining="7799"' in page.content.decode()
    )
    item = attempt.items.get(position=1)
    answer = logged_in.post(
        f"/exam/{attempt.pk}/q/1/answer/", {"choice": correct_ids(item), "action": "next"}
    )
    assert answer["Location"] == f"/exam/{attempt.pk}/q/2/"
    flag = logged_in.post(f"/exam/{attempt.pk}/q/2/answer/", {"action": "flag", "flagged": "1"})
    assert flag["Location"] == f"/exam/{attempt.pk}/q/2/"
    review = logged_in.get(f"/exam/{attempt.pk}/review/")
    body = review.content.decode()
    assert "64 questions unanswered" in body and "1 flagged" in body
    finish = logged_in.post(f"/exam/{attempt.pk}/finish/")
    assert finish["Location"] == f"/exam/{attempt.pk}/results/"
    results = logged_in.get(finish["Location"]).content.decode()
    assert 'data-scaled-score="114"' in results  # 1 of 65: 100 + 900/65
    assert "estimate" in results
    assert (
        results.count('class="explanation') == 0
        and results.count("<details><summary>Explanation") == 65
    )


def test_tampered_exam_answer_gets_400(logged_in, learner):
    logged_in.post(reverse("quizzes:exam_start"))
    attempt = ExamAttempt.objects.get(user=learner)
    assert (
        logged_in.post(f"/exam/{attempt.pk}/q/1/answer/", {"choice": ["99999999"]}).status_code
        == 400
    )
    assert logged_in.post(f"/exam/{attempt.pk}/q/1/answer/", {"choice": ["x"]}).status_code == 400
    assert logged_in.post(f"/exam/{attempt.pk}/q/66/answer/", {"choice": ["1"]}).status_code == 404
    assert logged_in.get(f"/exam/{attempt.pk}/q/66/").status_code == 404


def test_another_learners_exam_is_not_found(client, learner, other_learner):
    client.force_login(learner)
    client.post(reverse("quizzes:exam_start"))
    attempt = ExamAttempt.objects.get(user=learner)
    client.force_login(other_learner)
    assert client.get(f"/exam/{attempt.pk}/q/1/").status_code == 404
    assert client.post(f"/exam/{attempt.pk}/q/1/answer/", {"choice": ["1"]}).status_code == 404
    assert client.get(f"/exam/{attempt.pk}/results/").status_code == 404


def test_answer_after_time_is_rejected_and_goes_to_results(logged_in, learner, time_machine):
    time_machine.move_to("2026-11-27T09:00Z", tick=False)
    logged_in.post(reverse("quizzes:exam_start"))
    attempt = ExamAttempt.objects.get(user=learner)
    item = attempt.items.get(position=1)
    time_machine.move_to("2026-11-27T11:10:01Z", tick=False)
    response = logged_in.post(f"/exam/{attempt.pk}/q/1/answer/", {"choice": correct_ids(item)})
    assert response["Location"] == f"/exam/{attempt.pk}/results/"
    attempt.refresh_from_db()
    assert attempt.finished and attempt.correct == 0


def test_closed_browser_exam_is_scored_on_the_next_visit(logged_in, learner, time_machine):
    time_machine.move_to("2026-11-27T09:00Z", tick=False)
    logged_in.post(reverse("quizzes:exam_start"))
    time_machine.shift(timedelta(hours=5))
    page = logged_in.get("/exam/").content.decode()
    attempt = ExamAttempt.objects.get(user=learner)
    assert attempt.finished
    assert re.search(rf'href="/exam/{attempt.pk}/results/"', page)
    assert "Start a mock exam" in page


def test_exam_history_draws_a_trend(logged_in, learner):
    for _ in range(2):
        logged_in.post(reverse("quizzes:exam_start"))
        attempt = ExamAttempt.objects.filter(user=learner, finished_at__isnull=True).get()
        logged_in.post(f"/exam/{attempt.pk}/finish/")
    body = logged_in.get("/exam/").content.decode()
    assert 'class="chart trend"' in body
    assert "Scaled scores of your last 2 mock exams: 100, 100" in body


def test_exam_posts_need_csrf(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(reverse("quizzes:exam_start")).status_code == 403


def test_starting_and_answering_use_few_queries(logged_in, learner, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        logged_in.post(reverse("quizzes:exam_start"))
    attempt = ExamAttempt.objects.get(user=learner)
    item = attempt.items.get(position=5)
    with django_assert_max_num_queries(12):
        logged_in.post(f"/exam/{attempt.pk}/q/5/answer/", {"choice": correct_ids(item)})


def test_exam_home_without_attempts(logged_in):
    body = logged_in.get("/exam/").content.decode()
    assert "No finished attempt yet." in body
    assert 'class="chart trend"' not in body
