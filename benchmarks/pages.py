"""Learner pages for a new learner and for a year of study: median server time, ratio, queries.

The heavy learner has 5,000 card states, 100,000 review logs, 50 finished mock exams and
2,000 practice answers. Each page is requested ROUNDS times for each learner in turn, in
Django's test client with DEBUG off, after a warm-up; the ratio heavy/new is the goal of
issue #21 (at most 1.5x), the query count must not depend on the learner's data. Runs on
DATABASE_URL (SQLite by default) in a throwaway test database.

    .venv/bin/python benchmarks/pages.py
"""

import os

os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-use")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import random
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_env import test_database

ROUNDS = 25
CARD_STATES = 5_000
LOGS = 100_000
EXAMS = 50
PRACTICE = 2_000


def make_learner(name: str, heavy: bool):
    from django.contrib.auth.models import User

    from studyapp.cards import scheduling
    from studyapp.quizzes import services
    from studyapp.quizzes.models import Question
    from tests import history

    user = User.objects.create_user(name, f"{name}@example.com", "bench-password-123")
    if not heavy:  # one finished exam, so that the results page has something to show
        attempt = services.exam_start(user=user, now=scheduling.now_utc(), rng=random.Random(1))
        services.exam_finish(attempt=attempt, now=scheduling.now_utc())
        return user
    rng = random.Random(7)
    now = scheduling.now_utc()
    cards = history.deck_of(CARD_STATES)
    history.card_states(user, cards, rng, now)
    history.review_logs(user, cards, LOGS, rng, now, key="bench")
    history.finished_exams(user, EXAMS, now)
    questions = list(Question.objects.active().values_list("pk", flat=True))
    history.practice_answers(user, questions, PRACTICE, rng, now, key="bench")
    return user


def pages(user) -> dict[str, str]:
    from studyapp.quizzes import services
    from studyapp.quizzes.models import ExamAttempt

    finished = ExamAttempt.objects.filter(user=user, finished_at__isnull=False).first()
    from studyapp.cards.scheduling import now_utc

    now = now_utc()
    current = services.exam_start(user=user, now=now)
    urls = {
        "home": "/",
        "exam guide": "/guide/",
        "topic": "/notes/sqs-message-visibility-timeout/",
        "guide page": "/notes/dynamodb-keys-and-capacity/",
        "review": "/review/",
        "stats": "/stats/",
        "practice": "/quiz/practice/?all=1",
        "exam question": f"/exam/{current.pk}/q/1/",
        "exam home": "/exam/",
    }
    if finished:
        urls["exam results"] = f"/exam/{finished.pk}/results/"
    urls["readiness"] = "/readiness/"
    urls["readiness panel"] = "/readiness/panel/"
    return urls


def timed(pairs) -> list[tuple[float, int]]:
    """Median ms and queries of each (client, url), requested in turn ROUNDS times: the new
    and the heavy learner's requests interleave, so a busy moment of a shared machine falls
    on both rather than on one side of the ratio."""
    for client, url in pairs:
        client.get(url)  # warm up
    times: list[list[float]] = [[] for _ in pairs]
    queries = [0] * len(pairs)
    for _ in range(ROUNDS):
        for index, (client, url) in enumerate(pairs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                times[index].append(time.perf_counter() - start)
            queries[index] = len(captured)
            assert response.status_code == 200, (url, response.status_code)
    return [(statistics.median(t) * 1000, q) for t, q in zip(times, queries, strict=True)]


def _plain_static_files() -> None:
    """Production's manifest storage needs collectstatic; the pages' timing does not."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import storages
    from django.utils.functional import empty

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    storages._storages = {}
    storages._backends = None
    staticfiles_storage._wrapped = empty


def main():
    from studyapp.authoring.loader import load_content

    with test_database():
        settings.ALLOWED_HOSTS = ["testserver"]
        _plain_static_files()
        load_content(settings.CONTENT_DIR)
        start = time.perf_counter()
        new, heavy = make_learner("new", False), make_learner("heavy", True)
        print(
            f"pages benchmark on {connection.vendor}, DEBUG off (setup {time.perf_counter() - start:.0f} s)"
        )
        print(
            f"  heavy learner: {CARD_STATES:,} card states, {LOGS:,} review logs, "
            f"{EXAMS} finished exams, {PRACTICE:,} practice answers"
        )
        print(f"  {'page':<16}{'new ms':>9}{'heavy ms':>10}{'ratio':>7}{'queries':>14}")
        clients = {}
        for user in (new, heavy):
            clients[user.username] = Client()
            clients[user.username].force_login(user)
        new_urls, heavy_urls = pages(new), pages(heavy)
        for name in heavy_urls:
            (fresh_ms, fresh_q), (heavy_ms, heavy_q) = timed(
                [
                    (clients["new"], new_urls.get(name, heavy_urls[name])),
                    (clients["heavy"], heavy_urls[name]),
                ]
            )
            print(
                f"  {name:<16}{fresh_ms:>9.1f}{heavy_ms:>10.1f}{heavy_ms / fresh_ms:>7.2f}"
                f"{f'{fresh_q} / {heavy_q}':>14}"
            )


if __name__ == "__main__":
    main()
