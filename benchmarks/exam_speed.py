"""Mock-exam speed with a 2,000-question bank: starting an exam and answering a question.

Times both in Django's test client (median of many rounds) on the database DATABASE_URL names
(SQLite by default), in a throwaway test database.

    DEBUG=1 .venv/bin/python benchmarks/exam_speed.py
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/studyapp .venv/bin/python benchmarks/exam_speed.py
"""

import random
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_env import test_database

BANK = 2_000
EXAMS = 30
ANSWERS = 200


def populate():
    from django.contrib.auth.models import User

    from studyapp.authoring.loader import load_content
    from studyapp.notes.models import Topic
    from studyapp.quizzes.models import Choice, Question

    load_content(settings.CONTENT_DIR)
    topics = list(Topic.objects.all())
    rng = random.Random(1)
    existing = Question.objects.count()
    questions = Question.objects.bulk_create(
        Question(
            key=f"bench-{i}",
            topic=topics[i % len(topics)],
            domain=rng.choice([1, 1, 1, 2, 2, 3, 3, 4]),
            difficulty=2,
            kind="single",
            stem_text=f"Stem {i}",
            stem_html=f"<p>Stem {i}</p>",
            explanation_text="Because.",
            explanation_html="<p>Because.</p>",
            order=10_000 + i,
        )
        for i in range(BANK - existing)
    )
    Choice.objects.bulk_create(
        Choice(
            question=q,
            position=p,
            text=f"Option {p}",
            text_html=f"Option {p}",
            correct=p == 0,
            why_html="" if p == 0 else "No.",
        )
        for q in questions
        for p in range(4)
    )
    return User.objects.create_user("bench", password="bench-password-123")


def median_ms(values):
    return statistics.median(values) * 1000


def main():
    with test_database():
        from studyapp.quizzes.models import ExamAttempt, Question

        user = populate()
        client = Client()
        client.force_login(user)
        starts, start_queries = [], []
        for _ in range(EXAMS):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.post("/exam/start/")
                starts.append(time.perf_counter() - began)
            start_queries.append(len(queries))
            assert response.status_code == 302
            attempt = ExamAttempt.objects.get(user=user, finished_at__isnull=True)
            client.post(f"/exam/{attempt.pk}/finish/")
        client.post("/exam/start/")
        attempt = ExamAttempt.objects.get(user=user, finished_at__isnull=True)
        items = list(attempt.items.all())
        answers, answer_queries = [], []
        for n in range(ANSWERS):
            item = items[n % len(items)]
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.post(
                    f"/exam/{attempt.pk}/q/{item.position}/answer/",
                    {"choice": [item.choice_order[n % 4]]},
                )
                answers.append(time.perf_counter() - began)
            answer_queries.append(len(queries))
            assert response.status_code == 302, response.status_code
        print(
            f"exam benchmark on {connection.vendor}: {Question.objects.count():,} questions in the bank"
        )
        print(
            f"  start a mock exam (65 questions drawn): median {median_ms(starts):.1f} ms, "
            f"queries {min(start_queries)}-{max(start_queries)} over {EXAMS} exams"
        )
        print(
            f"  answer a question: median {median_ms(answers):.1f} ms, "
            f"queries {min(answer_queries)}-{max(answer_queries)} over {ANSWERS} answers"
        )


if __name__ == "__main__":
    main()
