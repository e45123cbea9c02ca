"""The readiness page and the home page's panel: what they say, what they store, how cheaply."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studyapp.quizzes import services as quiz
from studyapp.quizzes.models import PracticeAnswer, Question
from studyapp.readiness import model
from studyapp.readiness.models import ExamForecast, Snapshot
from tests.history import answers_written

from .conftest import NOW, answer

pytestmark = pytest.mark.django_db
URL = "/readiness/"
PANEL = "/readiness/panel/"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ready_learner(learner, answers, studied):
    for code in ("1.1", "1.2", "1.3", "2.1", "3.4", "4.1"):
        answers(code, right=5, wrong=2, days_ago=2)
        studied(code, 20, stability=8, days_ago=3)
    return learner


def test_the_page_needs_a_signed_in_learner(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert reverse("readiness:page") == URL


def test_too_little_data_is_said_plainly_and_nothing_is_stored(client, learner, clock):
    client.force_login(learner)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Too little data for a prediction yet" in html
    assert f"answer {model.MIN_ANSWERS} more questions" in html
    assert 'id="predicted-score"' not in html
    assert Snapshot.objects.count() == 0
    assert "Study next" in html  # even without data: the heaviest tasks first
    assert html.count('class="study-next-item"') == model.STUDY_NEXT


def test_a_prediction_with_its_range_and_chance_of_passing(client, ready_learner, clock):
    client.force_login(ready_learner)
    html = client.get(URL).content.decode()
    score = int(re.search(r'id="predicted-score">(\d+)<', html)[1])
    snapshot = Snapshot.objects.get(user=ready_learner)
    assert snapshot.score == score and snapshot.day == NOW.date()
    assert snapshot.low < score < snapshot.high
    assert f"likely between {snapshot.low} and {snapshot.high}" in html
    assert "Chance of reaching 720, the pass mark:" in html
    assert "Based on 42 answers" in html
    assert len(snapshot.tasks) == 13
    for code in ("1.1", "4.3"):
        assert f'href="/guide/{code}/"' in html  # every task in the table


def test_one_snapshot_a_day_and_a_chart_of_them(client, ready_learner, answers, clock):
    client.force_login(ready_learner)
    client.get(URL)
    client.get(PANEL)
    assert Snapshot.objects.filter(user=ready_learner).count() == 1
    clock.shift(timedelta(days=1))
    answers("2.2", right=6, wrong=0)
    html = client.get(URL).content.decode()
    days = list(Snapshot.objects.filter(user=ready_learner).values_list("day", flat=True))
    assert days == [NOW.date(), NOW.date() + timedelta(days=1)]
    assert '<svg class="chart readiness-chart"' in html
    assert '<polyline class="line series-1"' in html and '<polygon class="band"' in html


def test_study_next_links_to_cards_questions_guide_and_simulator(client, learner, answers, clock):
    for code in (
        "1.1",
        "1.2",
        "1.3",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "4.1",
        "4.2",
        "4.3",
    ):
        answers(code, right=6, wrong=0)
    answers("2.1", right=0, wrong=6)
    client.force_login(learner)
    html = client.get(URL).content.decode()
    first = html[html.index('class="study-next-item"') :]
    first = first[: first.index("</li>")]
    assert "2.1 Implement authentication and authorization" in first
    for link in (
        "/review/?task=2.1",
        "/quiz/practice/?task=2.1&amp;new_set=1",
        "/guide/2.1/",
        "/sims/iam/",
        "/quiz/practice/?generated=iam&amp;new_set=1",
    ):
        assert f'href="{link}"' in first


def test_each_mock_exam_beside_the_score_predicted_before_it(client, ready_learner, clock):
    attempt = quiz.exam_start(user=ready_learner, now=NOW - timedelta(hours=1))
    attempt = quiz.exam_finish(attempt=attempt, now=NOW - timedelta(minutes=30))
    client.force_login(ready_learner)
    html = client.get(URL).content.decode()
    forecast = ExamForecast.objects.get(attempt=attempt)
    assert forecast.answers == 42  # what came before the exam, not the exam itself
    assert forecast.score is not None and forecast.low < forecast.score < forecast.high
    row = html[html.index('class="data exam-forecasts"') :]
    assert f"{forecast.score} <span" in row
    assert f">{attempt.scaled_score}</td>" in row
    assert f"{attempt.scaled_score - forecast.score:+d}".lstrip("+") in row
    assert '<rect class="exam-actual"' in html and '<circle class="exam-forecast"' in html
    client.get(URL)
    assert ExamForecast.objects.count() == 1


def test_a_forecast_without_enough_data_says_so(client, learner, clock):
    attempt = quiz.exam_finish(
        attempt=quiz.exam_start(user=learner, now=NOW - timedelta(hours=1)), now=NOW
    )
    client.force_login(learner)
    html = client.get(URL).content.decode()
    assert ExamForecast.objects.get(attempt=attempt).score is None
    assert "too little data" in html


def test_the_panel_for_the_home_page(client, ready_learner, clock):
    assert client.get(PANEL).content.decode().strip() == '<div class="readiness-panel">\n  \n</div>'
    client.force_login(ready_learner)
    html = client.get(PANEL).content.decode()
    assert "Predicted exam score: <strong>" in html and 'href="/readiness/"' in html
    assert "Study next:" in html
    home = client.get("/").content.decode()
    assert 'hx-get="/readiness/panel/"' in home and 'href="/readiness/"' in home


def test_no_inline_script_or_handler(client, ready_learner, clock):
    client.force_login(ready_learner)
    for url in (URL, PANEL):
        html = client.get(url).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
        assert re.findall(r"\son[a-z]+=|hx-on", html) == []


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_history(
    client, heavy_learner, other_learner, django_assert_max_num_queries, clock
):
    """5,000 card states, 2,000 answers and three exams cost the queries of 40 answers and
    one exam: everything is summed in SQL."""
    light = other_learner
    questions = list(Question.objects.active()[:40])
    PracticeAnswer.objects.bulk_create(
        answer(light, question, n % 2 == 0, NOW - timedelta(hours=n + 1), f"light-{n}")
        for n, question in enumerate(questions)
    )
    answers_written()
    quiz.exam_finish(attempt=quiz.exam_start(user=light, now=NOW - timedelta(days=1)), now=NOW)
    for _ in range(3):
        attempt = quiz.exam_start(user=heavy_learner, now=NOW - timedelta(days=2))
        quiz.exam_finish(attempt=attempt, now=NOW - timedelta(days=2) + timedelta(hours=1))
    client.force_login(heavy_learner)
    with django_assert_max_num_queries(26):  # two exam forecasts computed
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(19):  # the third
        assert client.get(URL).status_code == 200
    heavy = {url: _queries(client, url) for url in (URL, PANEL)}
    client.force_login(light)
    _queries(client, URL)  # its exam's forecast
    assert {url: _queries(client, url) for url in (URL, PANEL)} == heavy
    assert heavy[URL] <= 12 and heavy[PANEL] <= 8
