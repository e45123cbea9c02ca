"""Review speed with a big history: 1 learner, 5,000 cards, 100,000 review logs.

Times showing the next card (GET /review/) and recording a grade (htmx POST, which also
renders the next card) in Django's test client, and counts their SQL queries. Runs on the
database that DATABASE_URL names (SQLite by default), in a throwaway test database.

    DEBUG=1 .venv/bin/python benchmarks/cards_review.py
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/studyapp .venv/bin/python benchmarks/cards_review.py
"""

import random
import statistics
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_env import test_database

CARDS = 5_000
LOGS = 100_000
STUDIED = 4_000
ROUNDS = 200


def populate():
    from django.contrib.auth.models import User

    from studyapp.authoring.loader import load_content
    from studyapp.cards.models import LearnerSettings
    from tests import history

    load_content(settings.CONTENT_DIR)
    user = User.objects.create_user("bench", password="bench-password-123")
    # Every round reviews a card: the default 200 reviews and 20 new cards a day (with about
    # 160 cards due) would end the run early.
    LearnerSettings.objects.create(user=user, reviews_per_day=5_000, new_per_day=500)
    now = datetime.now(UTC)
    rng = random.Random(42)
    studied = history.deck_of(CARDS)[:STUDIED]
    history.card_states(user, studied, rng, now)
    history.review_logs(user, studied, LOGS, rng, now, key="bench")
    return user


def measure(client):
    show, grade, show_queries, grade_queries = [], [], [], []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            page = client.get("/review/")
            show.append(time.perf_counter() - start)
        show_queries.append(len(queries))
        context = page.context
        assert page.status_code == 200 and context["found"].card is not None
        data = {"card": context["found"].card.pk, "key": context["key"], "rating": 3}
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.post("/review/grade/", data, headers={"HX-Request": "true"})
            grade.append(time.perf_counter() - start)
        grade_queries.append(len(queries))
        assert response.status_code == 200
    return show, grade, show_queries, grade_queries


def main():
    with test_database():
        start = time.perf_counter()
        user = populate()
        setup = time.perf_counter() - start
        client = Client()
        client.force_login(user)
        from studyapp.cards.models import Card, ReviewLog

        client.get("/review/")  # warm up templates and caches
        show, grade, show_q, grade_q = measure(client)
        vendor = connection.vendor
        print(
            f"cards review benchmark on {vendor}: {Card.objects.count():,} cards, "
            f"{ReviewLog.objects.count():,} review logs, 1 learner (setup {setup:.1f} s)"
        )
        for name, times, queries in (
            ("show next card (GET /review/)", show, show_q),
            ("record a grade (POST, renders next card)", grade, grade_q),
        ):
            times_ms = sorted(t * 1000 for t in times)
            p95 = times_ms[int(len(times_ms) * 0.95) - 1]
            print(
                f"  {name}: median {statistics.median(times_ms):.1f} ms, p95 {p95:.1f} ms, "
                f"queries {min(queries)}-{max(queries)} over {len(times)} rounds"
            )


if __name__ == "__main__":
    main()
