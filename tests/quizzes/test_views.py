import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from studyapp.quizzes.models import ExamAttempt, PracticeAnswer, Question
from tests.quizzes.conftest import correct_places

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
    shown = page.context["choices"]
    wrong = [str(place) for place, c in enumerate(shown, start=1) if not c.correct]
    wrong = wrong[:2] if question.kind == "multiple" else wrong[:1]
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
        f"/exam/{attempt.pk}/q/1/answer/", {"choice": correct_places(item), "action": "next"}
    )
    assert answer["Location"] == f"/exam/{attempt.pk}/q/2/"
    flag = logged_in.post(f"/exam/{attempt.pk}/q/2/answer/", {"action": "flag", "flagged": "1"})
    assert flag["Location"] == f"/exam/{attempt.pk}/q/2/"
    review = logged_in.get(f"/exam/{attempt.pk}/review/")
    body = review.content.decode()
    assert "64 questions unanswered" in body and "1 flagged" in body
    finish = logged_in.post(f"/exam/{attempt.pk}/finish/", {"confirm": "1"})
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
    response = logged_in.post(f"/exam/{attempt.pk}/q/1/answer/", {"choice": correct_places(item)})
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
        logged_in.post(f"/exam/{attempt.pk}/finish/", {"confirm": "1"})
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
        logged_in.post(f"/exam/{attempt.pk}/q/5/answer/", {"choice": correct_places(item)})


def test_exam_home_without_attempts(logged_in):
    body = logged_in.get("/exam/").content.decode()
    assert "No finished attempt yet." in body
    assert 'class="chart trend"' not in body


def _start(logged_in, learner):
    logged_in.post(reverse("quizzes:exam_start"))
    return ExamAttempt.objects.get(user=learner, finished_at__isnull=True)


def test_flagging_keeps_the_option_just_ticked(logged_in, learner):
    attempt = _start(logged_in, learner)
    item = attempt.items.get(position=3)
    chosen = correct_places(item)
    response = logged_in.post(
        f"/exam/{attempt.pk}/q/3/answer/", {"choice": chosen, "action": "flag", "flagged": "1"}
    )
    assert response["Location"] == f"/exam/{attempt.pk}/q/3/"
    item.refresh_from_db()
    assert item.flagged and item.selected == sorted(
        item.choice_order[int(place) - 1] for place in chosen
    )


def test_jumping_from_the_grid_keeps_the_option_just_ticked(logged_in, learner):
    attempt = _start(logged_in, learner)
    item = attempt.items.get(position=1)
    response = logged_in.post(
        f"/exam/{attempt.pk}/q/1/answer/", {"choice": correct_places(item), "goto": "40"}
    )
    assert response["Location"] == f"/exam/{attempt.pk}/q/40/"
    item.refresh_from_db()
    assert item.selected


def test_ticking_an_option_saves_it_at_once_and_updates_the_count(logged_in, learner):
    attempt = _start(logged_in, learner)
    item = attempt.items.get(position=2)
    response = logged_in.post(
        f"/exam/{attempt.pk}/q/2/answer/",
        {"choice": correct_places(item), "action": "save"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert '<span id="answered-count"' in response.content.decode()
    assert "1 of 65 answered" in response.content.decode()
    item.refresh_from_db()
    assert item.selected


def test_finishing_asks_first_and_says_what_is_left(logged_in, learner):
    attempt = _start(logged_in, learner)
    logged_in.post(f"/exam/{attempt.pk}/q/1/answer/", {"action": "flag", "flagged": "1"})
    ask = logged_in.post(f"/exam/{attempt.pk}/finish/")
    body = ask.content.decode()
    assert ask.status_code == 200
    assert "65 questions are unanswered." in body and "1 question is flagged" in body
    attempt.refresh_from_db()
    assert attempt.finished_at is None
    done = logged_in.post(f"/exam/{attempt.pk}/finish/", {"confirm": "1"})
    assert done["Location"] == f"/exam/{attempt.pk}/results/"
    attempt.refresh_from_db()
    assert attempt.finished_at is not None


def test_results_show_only_wrong_or_flagged_questions_and_offer_a_retake(logged_in, learner):
    attempt = _start(logged_in, learner)
    item = attempt.items.get(position=1)
    logged_in.post(f"/exam/{attempt.pk}/q/1/answer/", {"choice": correct_places(item)})
    logged_in.post(f"/exam/{attempt.pk}/q/2/answer/", {"action": "flag", "flagged": "1"})
    logged_in.post(f"/exam/{attempt.pk}/finish/", {"confirm": "1"})
    url = f"/exam/{attempt.pk}/results/"
    wrong = logged_in.get(url, {"show": "wrong"})
    assert len(wrong.context["items"]) == 64
    assert 'id="q1"' not in wrong.content.decode()
    flagged = logged_in.get(url, {"show": "flagged"})
    assert [i.position for i in flagged.context["items"]] == [2]
    retake = logged_in.get("/quiz/practice/", {"exam": attempt.pk, "new_set": "1"})
    wrong_ids = set(attempt.items.filter(correct=False).values_list("question_id", flat=True))
    assert retake.context["question"].pk in wrong_ids


def test_someone_elses_exam_cannot_be_retaken(logged_in, other_learner):
    from datetime import UTC, datetime

    from studyapp.quizzes import services

    other = services.exam_start(user=other_learner, now=datetime.now(UTC))
    services.exam_finish(attempt=other, now=datetime.now(UTC))
    assert logged_in.get("/quiz/practice/", {"exam": other.pk}).status_code == 404


def test_practice_keeps_a_running_score_and_ends_a_set_with_a_summary(logged_in, learner):
    url = reverse("quizzes:practice_answer")
    for number in range(1, 11):
        page = logged_in.get("/quiz/practice/", {"domain": "2"})
        question = page.context["question"]
        assert question.domain == 2
        choice = ["1", "2"] if question.is_multiple else ["1"]
        result = logged_in.post(
            url,
            {
                "question": question.pk,
                "token": page.context["token"],
                "choice": choice,
                "domain": "2",
            },
        )
        assert f'data-set-answered="{number}"' in result.content.decode()
    assert "See the summary of this set" in result.content.decode()
    summary = logged_in.get("/quiz/practice/summary/", {"domain": "2"})
    right = PracticeAnswer.objects.filter(correct=True).count()
    assert f'data-set-correct="{right}"' in summary.content.decode()
    assert len(summary.context["missed"]) == 10 - right


def test_practice_can_draw_only_questions_missed_before(logged_in, learner):
    page = logged_in.get("/quiz/practice/", {"all": "1"})
    question = page.context["question"]
    shown = page.context["choices"]
    wrong = [str(n) for n, c in enumerate(shown, 1) if not c.correct][
        : 2 if question.is_multiple else 1
    ]
    logged_in.post(
        reverse("quizzes:practice_answer"),
        {"question": question.pk, "token": page.context["token"], "choice": wrong, "all": "1"},
    )
    missed = logged_in.get("/quiz/practice/", {"missed": "1"})
    assert missed.context["question"].pk == question.pk


def test_exam_pages_use_few_queries_whatever_the_exam_length(
    logged_in, learner, django_assert_max_num_queries
):
    attempt = _start(logged_in, learner)
    with django_assert_max_num_queries(8):
        assert logged_in.get(f"/exam/{attempt.pk}/q/5/").status_code == 200
    with django_assert_max_num_queries(8):
        assert logged_in.get(f"/exam/{attempt.pk}/review/").status_code == 200
    with django_assert_max_num_queries(8):
        assert logged_in.post(f"/exam/{attempt.pk}/finish/").status_code == 200


def test_exam_home_pages_the_attempts_and_charts_the_latest(logged_in, learner):
    start = timezone.now()
    ExamAttempt.objects.bulk_create(
        ExamAttempt(
            user=learner,
            started_at=start - timedelta(days=30 - i),
            deadline=start - timedelta(days=30 - i) + timedelta(minutes=130),
            finished_at=start - timedelta(days=30 - i) + timedelta(minutes=100),
            correct=40,
            scaled_score=500 + i,
        )
        for i in range(25)
    )
    body = logged_in.get("/exam/").content.decode()
    rows = re.findall(r'<td class="num">(\d+)</td>\s*<td>', body)
    assert rows == [str(524 - i) for i in range(10)]  # newest first
    assert 'href="?page=2" rel="next"' in body and "Page 1 of 3" in body
    assert "Scaled scores of your last 20 mock exams" in body
    assert body.count('class="trend-dot"') == 20
    last = logged_in.get("/exam/?page=3").content.decode()
    assert re.findall(r'<td class="num">(\d+)</td>\s*<td>', last) == [
        str(504 - i) for i in range(5)
    ]
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert logged_in.get("/exam/?page=x").status_code == 200
