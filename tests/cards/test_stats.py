import re
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from studyapp.cards import charts, scheduling, stats
from studyapp.cards.models import CardState, ReviewLog
from tests.cards.conftest import NOW

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


def log(user, card, *, day: date, rating=3, state_before=2, elapsed=30.0, key=None):
    return ReviewLog.objects.create(
        user=user,
        card=card,
        rating=rating,
        reviewed_at=NOW.replace(year=day.year, month=day.month, day=day.day),
        review_day=day,
        state_before=state_before,
        elapsed_days=elapsed,
        scheduled_days=10,
        idempotency_key=key or f"{card.pk}:{day}:{rating}:{elapsed}",
    )


def test_true_retention_counts_only_mature_review_cards(learner, small_deck):
    card = small_deck[0]
    log(learner, card, day=TODAY, rating=3, elapsed=30)
    log(learner, card, day=TODAY - timedelta(days=40), rating=1, elapsed=25)
    log(learner, card, day=TODAY - timedelta(days=80), rating=4, elapsed=21)
    log(learner, card, day=TODAY - timedelta(days=81), rating=1, elapsed=5)  # young: ignored
    log(
        learner, card, day=TODAY - timedelta(days=82), rating=1, state_before=3, elapsed=30
    )  # relearning
    log(
        learner, card, day=TODAY - timedelta(days=83), rating=1, state_before=None, elapsed=None
    )  # new
    retention = stats.true_retention(learner)
    assert (retention.passed, retention.total) == (2, 3)
    assert retention.rate == pytest.approx(2 / 3)


def test_streak_counts_consecutive_days_up_to_today_or_yesterday():
    days = {TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=2), TODAY - timedelta(days=5)}
    assert stats.streak(days, TODAY) == 3
    assert stats.streak(days - {TODAY}, TODAY) == 2
    assert stats.streak(set(), TODAY) == 0


def test_due_forecast_puts_overdue_cards_today(learner, small_deck):
    for offset, card in zip([-3, 0, 1, 1, 29], small_deck, strict=True):
        CardState.objects.create(
            user=learner,
            card=card,
            state=2,
            stability=5,
            difficulty=5,
            due=NOW + timedelta(days=offset),
            last_review=NOW - timedelta(days=5),
            reps=2,
        )
    forecast = stats.due_forecast(learner, NOW)
    assert len(forecast) == 30
    assert forecast[0] == 2 and forecast[1] == 2 and forecast[29] == 1
    assert sum(forecast) == 5


def test_topic_retrievability_is_fsrs_recall_probability_averaged(learner, small_deck):
    a = CardState.objects.create(
        user=learner,
        card=small_deck[0],
        state=2,
        stability=10,
        difficulty=5,
        due=NOW,
        last_review=NOW - timedelta(days=10),
        reps=2,
    )
    b = CardState.objects.create(
        user=learner,
        card=small_deck[1],
        state=2,
        stability=40,
        difficulty=5,
        due=NOW,
        last_review=NOW - timedelta(days=2),
        reps=2,
    )
    (row,) = stats.topic_retrievability(learner, NOW)
    scheduler = scheduling.scheduler_for(None)
    expected = (
        scheduler.get_card_retrievability(scheduling.to_fsrs(a, a.card_id), NOW)
        + scheduler.get_card_retrievability(scheduling.to_fsrs(b, b.card_id), NOW)
    ) / 2
    assert row["cards"] == 2
    assert row["retrievability"] == pytest.approx(expected)
    assert 0.85 < row["retrievability"] < 0.99  # reviewed at its due date, a card sits near 90%


def test_heatmap_has_a_cell_per_day_with_counts_in_text():
    per_day = {TODAY: 3, TODAY - timedelta(days=10): 20}
    svg = str(charts.heatmap(per_day, TODAY))
    days = re.findall(r'data-day="([\d-]+)" data-count="(\d+)"', svg)
    assert len(days) >= 365
    assert (TODAY.isoformat(), "3") in days
    assert "<title>Nov. 27, 2026: 3 reviews</title>" in svg  # the page's language and format
    assert 'aria-label="23 reviews on 2 days in the last year"' in svg


def test_stats_page_reflects_reviews(client, learner, small_deck, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(learner)
    for card in small_deck[:3]:
        state = CardState.objects.filter(user=learner, card=card).first()
        from studyapp.cards import services

        services.review_record(
            user=learner,
            card=card,
            rating=3,
            key=services.review_key(learner.pk, card.pk, state),
            now=NOW,
        )
    response = client.get(reverse("cards:stats"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-stat="reviews-today">3<' in body
    assert 'data-state="learning">3<' in body
    assert 'data-state="new">2<' in body
    assert "1-day streak" in body
    assert f'data-day="{TODAY.isoformat()}" data-count="3"' in body


def test_stats_are_private(client, learner, other_learner, small_deck):
    from studyapp.cards import services

    key = services.review_key(learner.pk, small_deck[0].pk, None)
    services.review_record(user=learner, card=small_deck[0], rating=3, key=key)
    client.force_login(other_learner)
    body = client.get(reverse("cards:stats")).content.decode()
    assert 'data-stat="reviews-today">0<' in body


def test_heatmap_has_month_and_weekday_labels():
    svg = str(charts.heatmap({}, TODAY))
    months = re.findall(r'<text class="month" x="\d+" y="\d+">([^<]+)</text>', svg)
    assert len(months) in (12, 13)
    assert months[-1] == "Nov" and "Dec" in months and "Jan" in months
    weekdays = re.findall(r'<text class="weekday"[^>]*>([^<]+)</text>', svg)
    assert weekdays == ["Mon", "Wed", "Fri"]


def test_heatmap_speaks_spanish_in_spanish():
    from django.utils import translation

    with translation.override("es"):
        svg = str(charts.heatmap({TODAY: 1}, TODAY))
    assert "<title>27 de noviembre de 2026: 1 repaso</title>" in svg
    assert re.findall(r'<text class="weekday"[^>]*>([^<]+)</text>', svg) == ["lun", "mié", "vie"]
    assert ">Nov</text>" in svg and ">Ene</text>" in svg and ">Dic</text>" in svg


@pytest.mark.parametrize(
    ("total", "active", "text"),
    [
        (1, 1, "1 review on 1 day in the last year"),
        (2, 1, "2 reviews on 1 day in the last year"),
        (23, 2, "23 reviews on 2 days in the last year"),
        (0, 0, "0 reviews on 0 days in the last year"),
    ],
)
def test_heatmap_summary_has_proper_plurals(total, active, text):
    assert charts.reviews_on_days(total, active) == text


def test_due_forecast_counts_each_day_to_its_midnight(learner, make_cards):
    """Every day of the forecast, at its first instant, its last and in between: the day is
    the number of the learner's midnights the card is due at or after."""
    from django.utils import timezone

    start = timezone.make_aware(datetime.combine(timezone.localdate(NOW), datetime.min.time()))
    dues = [NOW - timedelta(days=2), start - timedelta(microseconds=1)]
    for day in range(30):
        midnight = start + timedelta(days=day)
        dues += [midnight, midnight + timedelta(hours=13), midnight + timedelta(days=1, seconds=-1)]
    dues += [start + timedelta(days=30), start + timedelta(days=45)]  # after the forecast
    CardState.objects.bulk_create(
        CardState(user=learner, card=card, state=2, stability=5, difficulty=5, due=due, reps=1)
        for card, due in zip(make_cards(len(dues)), dues, strict=True)
    )
    forecast = stats.due_forecast(learner, NOW)
    assert forecast == [5] + [3] * 29


def test_forecast_chart_has_axes_with_ticks():
    labels = [f"d{i}" for i in range(30)]
    svg = str(
        charts.bar_chart([0] * 5 + [7] + [0] * 24, labels, title="Due", axis="Cards due per day")
    )
    assert svg.count('class="axis"') == 2
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', svg)
    assert ticks[:3] == ["0", "4", "8"]  # 0, half and a round top above the largest bar
    assert ticks[3:] == ["d0", "d5", "d10", "d15", "d20", "d25"]
    assert "Cards due per day</text>" in svg
    empty = str(charts.bar_chart([0] * 30, labels, title="Due", axis="Cards due per day"))
    assert re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', empty)[:2] == ["0", "1"]


def test_stats_page_has_no_singular_with_a_plural_noun(client, learner, small_deck, time_machine):
    time_machine.move_to(NOW, tick=False)
    from studyapp.cards import services

    services.review_record(
        user=learner,
        card=small_deck[0],
        rating=3,
        key=services.review_key(learner.pk, small_deck[0].pk, None),
        now=NOW,
    )
    client.force_login(learner)
    body = client.get(reverse("cards:stats")).content.decode()
    assert not re.search(r"\b1 (days|reviews)\b", body)
    assert "1 review on 1 day in the last year" in body
    assert "review today" in body and "reviews today" not in body
    assert "Nov. 27, 2026" in body  # the forecast table's days, in the page's format


# Accuracy by exam domain, week by week ----------------------------------------------------------


@pytest.fixture
def answers(learner):
    """Practice: domain 1 right 3 of 4 this week, domain 2 wrong 1 of 1 two weeks ago.
    One finished mock exam this week: domain 1 one right, one unanswered; domain 3 one right."""
    from studyapp.quizzes.models import ExamAttempt, ExamItem, PracticeAnswer, Question

    first = list(Question.objects.filter(domain=1)[:4])
    second = Question.objects.filter(domain=2).first()
    for index, question in enumerate(first):
        PracticeAnswer.objects.create(
            user=learner,
            question=question,
            correct=index != 0,
            answered_at=NOW - timedelta(hours=index),
            token=f"p{index}",
        )
    PracticeAnswer.objects.create(
        user=learner,
        question=second,
        correct=False,
        answered_at=NOW - timedelta(days=14),
        token="p-old",
    )
    attempt = ExamAttempt.objects.create(
        user=learner,
        started_at=NOW - timedelta(hours=3),
        deadline=NOW,
        finished_at=NOW - timedelta(hours=1),
    )
    third = Question.objects.filter(domain=3).first()
    for position, (question, correct) in enumerate(
        [(first[0], True), (first[1], None), (third, True)]
    ):
        ExamItem.objects.create(
            attempt=attempt, question=question, position=position, choice_order=[], correct=correct
        )
    ExamAttempt.objects.create(  # unfinished: not counted
        user=learner, started_at=NOW - timedelta(minutes=5), deadline=NOW + timedelta(hours=2)
    )


def test_practice_and_exam_accuracy_by_domain_and_week(learner, answers):
    from studyapp.cards import accuracy

    practice = accuracy.practice_accuracy(learner, TODAY)
    monday = TODAY - timedelta(days=TODAY.weekday())
    assert practice.cells[(monday, 1)].right == 3 and practice.cells[(monday, 1)].total == 4
    assert practice.cells[(monday - timedelta(weeks=2), 2)].percent == 0
    assert [cell.total for cell in practice.totals] == [4, 1, 0, 0]
    assert len(practice.rows) == 2
    exams = accuracy.exam_accuracy(learner, TODAY)
    assert exams.cells[(monday, 1)].percent == 50  # the unanswered one counts as wrong
    assert exams.cells[(monday, 3)].percent == 100
    series = dict(exams.series())
    assert len(series) == 4 and series["Development with AWS Services"][-1] == 50


def test_exam_accuracy_from_stored_domain_scores_equals_a_count_of_the_items(learner):
    """The page reads each finished exam's domain_scores; an exam without them is counted from
    its items: both give the same cells, for exams in different weeks."""
    import random

    from studyapp.cards import accuracy
    from studyapp.quizzes import services
    from studyapp.quizzes.models import ExamAttempt, ExamItem

    for seed, finished in enumerate([NOW - timedelta(hours=1), NOW - timedelta(days=9)]):
        attempt = services.exam_start(
            user=learner, now=finished - timedelta(hours=1), rng=random.Random(seed)
        )
        items = list(attempt.items.all())
        for index, item in enumerate(items):  # some right, some wrong, some unanswered
            item.selected = item.choice_order[: index % 3]
        ExamItem.objects.bulk_update(items, ["selected"])
        services.exam_finish(attempt=attempt, now=finished)
    stored = accuracy.exam_accuracy(learner, TODAY).cells
    ExamAttempt.objects.filter(user=learner).update(domain_scores={})
    counted = accuracy.exam_accuracy(learner, TODAY).cells
    assert stored == counted
    assert sum(cell.total for cell in stored.values()) == 2 * len(items)
    assert len({week for week, _domain in stored}) == 2
    assert 0 < sum(cell.right for cell in stored.values()) < 2 * len(items)


def test_practice_accuracy_puts_each_answer_in_its_week(learner):
    """Answers at a week's first instant, within it and at its last count for that week; the
    ones before the first week or after the last are left out."""
    from studyapp.cards import accuracy
    from studyapp.quizzes.models import PracticeAnswer, Question

    question = Question.objects.filter(domain=2).first()
    weeks = accuracy.recent_weeks(TODAY)
    starts = [accuracy._start_of(week) for week in weeks]
    end = accuracy._start_of(weeks[-1] + timedelta(weeks=1))
    times = [starts[0] - timedelta(seconds=1), end]
    for start in starts:
        times += [start, start + timedelta(days=3), start + timedelta(weeks=1, microseconds=-1)]
    PracticeAnswer.objects.bulk_create(
        PracticeAnswer(user=learner, question=question, correct=True, answered_at=at, token=f"w{n}")
        for n, at in enumerate(times)
    )
    cells = accuracy.practice_accuracy(learner, TODAY).cells
    assert {key: cell.total for key, cell in cells.items()} == {(week, 2): 3 for week in weeks}


def test_stats_page_shows_accuracy_by_domain_over_time(
    client, learner, answers, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(NOW, tick=False)
    client.force_login(learner)
    client.get(reverse("cards:stats"))  # the day's first visit counts the past days once
    with django_assert_max_num_queries(17):
        body = client.get(reverse("cards:stats")).content.decode()
    practice = body[body.index('data-accuracy="practice"') : body.index('data-accuracy="exam"')]
    assert '<strong>75%</strong> <span class="answers">(4 answers)</span>' in practice
    assert '<strong>0%</strong> <span class="answers">(1 answer)</span>' in practice
    assert '<svg class="chart lines"' in practice
    exam = body[body.index('data-accuracy="exam"') :]
    assert "<strong>50%</strong>" in exam and "(2 answers)" in exam and "(1 answer)" in exam
    assert "Development with AWS Services" in exam


def test_stats_page_without_answers_says_so(client, learner):
    client.force_login(learner)
    body = client.get(reverse("cards:stats")).content.decode()
    assert "No practice answers in the last 12 weeks." in body
    assert "No mock exam finished in the last 12 weeks." in body


def test_stats_page_in_spanish_writes_dates_the_spanish_way(
    client, learner, small_deck, time_machine
):
    time_machine.move_to(NOW, tick=False)
    client.force_login(learner)
    client.cookies["django_language"] = "es"
    body = client.get(reverse("cards:stats")).content.decode()
    assert '<html lang="es">' in body
    assert "<td>27 de noviembre de 2026</td>" in body  # the forecast's days
    assert "<title>27 de noviembre de 2026: 0 repasos</title>" in body  # the heatmap's
    assert ">2 Dic</text>" in body and ">lun</text>" in body  # forecast axis, heatmap rows


@pytest.mark.parametrize(
    ("right", "total", "language", "html"),
    [
        (0, 0, "en", "—"),
        (1, 1, "en", '<strong>100%</strong> <span class="answers">(1 answer)</span>'),
        (2, 3, "en", '<strong>67%</strong> <span class="answers">(3 answers)</span>'),
        (2, 3, "es", '<strong>67%</strong> <span class="answers">(3 respuestas)</span>'),
    ],
)
def test_an_accuracy_cell_shows_the_share_and_the_answers_with_their_plural(
    right, total, language, html
):
    from studyapp.cards.accuracy import Cell
    from studyapp.cards.templatetags.stats_tables import accuracy_cell

    with translation.override(language):
        assert accuracy_cell(Cell(right, total)) == html


def test_topic_rows_link_escape_and_round_as_the_template_did():
    from studyapp.cards.templatetags.stats_tables import topic_rows

    rows = [
        {"url": "/topics/sqs/", "title": "SQS & <queues>", "cards": 12, "retrievability": 0.8766},
        {"url": "/topics/iam/", "title": "IAM", "cards": 3, "retrievability": 0.125},
    ]
    assert topic_rows(rows) == (
        '<tr><td><a href="/topics/sqs/">SQS &amp; &lt;queues&gt;</a></td><td class="num">12</td>'
        '<td class="num" data-retrievability="0.877">88%</td></tr>'
        '<tr><td><a href="/topics/iam/">IAM</a></td><td class="num">3</td>'
        '<td class="num" data-retrievability="0.125">12%</td></tr>'
    )  # 12.5 rounds to even, as {% widthratio %} rounded
