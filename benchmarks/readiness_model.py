"""Validation of the readiness model against simulated learners with known abilities.

Each simulated learner has a true ability per task statement; questions have a difficulty;
the chance of a right answer follows a three-parameter item-response model
(c + (1 - c) / (1 + exp(-1.7 (ability - difficulty))), c = 0.25 for one answer of four and
0.1 for a multiple response). Learners study for some weeks through the app's own services:
they review flashcards (cards.services.review_record; they recall a card with its FSRS
retrievability, better for stronger learners), practise questions (quizzes.services: missed
ones come back, and a question seen before is answered better: its answer is remembered),
learn a little from every answer and card, and forget slowly. Every ten days they sit a
mock exam (exam_start, exam_answer, exam_finish). Just before each exam the model predicts
the score (readiness.services.readiness_now); the script compares the prediction with the
exam's scaled score and with the learner's expected score on that exam (the exam without its
luck), and checks the calibration of the probability of reaching 720.

Runs in a throwaway test database with the real content loaded:

    DEBUG=1 .venv/bin/python benchmarks/readiness_model.py [--learners 60] [--days 50] [--seed 1]
                                                           [--dump results.json]
"""

import argparse
import dataclasses
import itertools
import json
import math
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django_env import test_database

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
EXAM_EVERY = 10  # days
GUESS = {"single": 0.25, "multiple": 0.10}
SLOPE = 1.7
LEARN_PER_ANSWER = 0.012  # ability gained on a task per practice answer (the explanation)
LEARN_PER_CARD = 0.003  # ... per card review
FORGET_PER_DAY = 0.004  # ability above the starting point lost per day without study
REMEMBER = 0.6  # share of the gap to certainty closed when a question was seen before


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def difficulty_of(question, rng_seed: int) -> float:
    rng = random.Random(f"{rng_seed}:{question.key}")
    return 0.45 * (question.difficulty - 2) + rng.gauss(0, 0.8)


class Learner:
    def __init__(self, user, rng: random.Random, codes: list[str], weights: dict[str, float]):
        self.user = user
        self.rng = rng
        general = rng.gauss(0.2, 0.9)
        self.start = {code: general + rng.gauss(0, 0.6) for code in codes}
        self.ability = dict(self.start)
        self.last_study = {code: 0 for code in codes}
        # Some learners neglect some tasks; effort: answers and cards per day.
        self.focus = {code: weights[code] * rng.uniform(0.1, 1.5) for code in codes}
        self.answers_per_day = rng.choice([4, 8, 12, 16])
        self.cards_per_day = rng.choice([0, 10, 20, 30])
        self.seen: set[int] = set()  # questions met before
        self.studied: set[int] = set()  # cards met before

    def pick_task(self) -> str:
        codes = list(self.focus)
        return self.rng.choices(codes, weights=[self.focus[c] for c in codes])[0]

    def chance(self, code: str, question, difficulty: float) -> float:
        guess = GUESS[question.kind]
        p = guess + (1 - guess) * sigmoid(SLOPE * (self.ability[code] - difficulty))
        if question.pk in self.seen:
            p += (1 - p) * REMEMBER
        return p

    def forget(self, day: int) -> None:
        for code, ability in self.ability.items():
            idle = day - self.last_study[code]
            if idle > 0 and ability > self.start[code]:
                self.ability[code] = max(self.start[code], ability - FORGET_PER_DAY)


def answer_choices(question, correct: bool, rng: random.Random) -> list[int]:
    choices = list(question.choices.all())
    right = [c.pk for c in choices if c.correct]
    if correct:
        return right
    wrong = [c.pk for c in choices if not c.correct]
    picked = rng.sample(wrong, 1)
    if question.kind == "multiple":
        picked += rng.sample(right, max(0, len(right) - 1))
    return picked


def simulate(args) -> list[dict]:
    from django.contrib.auth.models import User

    from studyapp.cards import scheduling
    from studyapp.cards.models import Card, CardState
    from studyapp.cards.services import review_key, review_record
    from studyapp.notes.models import TaskStatement
    from studyapp.quizzes import services as quiz
    from studyapp.quizzes.models import Question
    from studyapp.readiness import selectors
    from studyapp.readiness import services as readiness
    from studyapp.readiness.model import predict

    tasks = list(TaskStatement.objects.select_related("domain"))
    codes = [t.code for t in tasks]
    weights = {t.code: t.domain.weight * t.weight / 10_000 for t in tasks}
    task_of = {t.pk: t.code for t in tasks}
    # The authored bank, as mock exams draw it (generated questions are not in active()).
    questions = {q.pk: q for q in Question.objects.active().prefetch_related("choices")}
    difficulty = {pk: difficulty_of(q, args.seed) for pk, q in questions.items()}
    pools = {t.code: Question.objects.active().filter(task=t) for t in tasks}
    cards = {
        code: list(Card.objects.filter(owner__isnull=True, retired=False, task__code=code))
        for code in codes
    }
    scheduler = scheduling.scheduler_for(None)
    rng = random.Random(args.seed)
    results = []
    for n in range(args.learners):
        user = User.objects.create_user(f"sim{n}", password="sim-password-123")
        learner = Learner(user, random.Random(rng.random()), codes, weights)
        answered = 0
        for day in range(1, args.days + 1):
            now = START + timedelta(days=day)
            learner.forget(day)
            # Flashcards: due ones first, then new ones of the tasks in focus.
            budget = learner.cards_per_day
            due = list(
                CardState.objects.filter(user=user, due__lte=now)
                .select_related("card")
                .order_by("due")[:budget]
            )
            reviews = [(state.card, state) for state in due]
            tries = 0
            while len(reviews) < budget and tries < 3 * budget:
                tries += 1
                code = learner.pick_task()
                fresh = next((c for c in cards[code] if c.pk not in learner.studied), None)
                if fresh is not None:
                    learner.studied.add(fresh.pk)
                    reviews.append((fresh, None))
            for minute, (card, state) in enumerate(reviews):
                code = task_of[card.task_id]
                at = now + timedelta(minutes=minute)
                if state is None:
                    recall = sigmoid(learner.ability[code] - 0.5)
                else:
                    memory = scheduling.retrievability(scheduler, state, at)
                    memory = min(max(memory, 1e-6), 1 - 1e-6)
                    recall = sigmoid(math.log(memory / (1 - memory)) + 0.5 * learner.ability[code])
                rating = 3 if learner.rng.random() < recall else 1
                review_record(
                    user=user,
                    card=card,
                    rating=rating,
                    key=review_key(user.pk, card.pk, state),
                    now=at,
                )
                learner.ability[code] += LEARN_PER_CARD
                learner.last_study[code] = day
            # Practice: a few questions of a task or two.
            for k in range(learner.answers_per_day):
                code = learner.pick_task()
                at = now + timedelta(hours=2, minutes=k)
                question, _reason = quiz.practice_next(user, pools[code], at)
                if question is None:
                    continue
                question = questions[question.pk]
                right = learner.rng.random() < learner.chance(
                    code, question, difficulty[question.pk]
                )
                quiz.practice_answer(
                    user=user,
                    question=question,
                    selected=answer_choices(question, right, learner.rng),
                    token=f"{user.pk}-{day}-{k}",
                    now=at,
                )
                learner.seen.add(question.pk)
                learner.ability[code] += LEARN_PER_ANSWER
                learner.last_study[code] = day
                answered += 1
            if day % EXAM_EVERY == 0:
                at = now + timedelta(hours=6)
                # What readiness.services.readiness_now does, keeping the evidence for --dump.
                evidence = selectors.evidence(user, at)
                prediction = predict(evidence)
                readiness.snapshot_record(user=user, prediction=prediction, now=at)
                attempt = quiz.exam_start(
                    user=user, now=at, rng=random.Random(learner.rng.random())
                )
                expected = 0.0
                for item in attempt.items.all():
                    question = questions[item.question_id]
                    code = task_of[question.task_id]
                    p = learner.chance(code, question, difficulty[question.pk])
                    expected += p
                    right = learner.rng.random() < p
                    quiz.exam_answer(
                        attempt=attempt,
                        position=item.position,
                        selected=answer_choices(question, right, learner.rng),
                        now=at + timedelta(minutes=item.position),
                    )
                    learner.seen.add(question.pk)
                attempt = quiz.exam_finish(attempt=attempt, now=at + timedelta(minutes=100))
                answered += attempt.total
                results.append(
                    {
                        "learner": n,
                        "day": day,
                        "answers": prediction.answers,
                        "predicted": prediction.score,
                        "pass_probability": prediction.pass_probability,
                        "low": prediction.low,
                        "high": prediction.high,
                        "actual": attempt.scaled_score,
                        "expected": round(100 + 900 * expected / attempt.total),
                        "passed": attempt.scaled_score >= 720,
                        "evidence": [dataclasses.asdict(task) for task in evidence],
                    }
                )
        print(f"  learner {n + 1}/{args.learners}: {answered} answers", flush=True)
    return results


def report(results: list[dict]) -> None:
    with_prediction = [r for r in results if r["predicted"] is not None]
    silent = len(results) - len(with_prediction)
    print()
    print(f"{len(results)} mock exams; {silent} had too little data before them for a prediction")
    groups = [
        ("30-99 answers", lambda r: r["answers"] < 100),
        ("100-199 answers", lambda r: 100 <= r["answers"] < 200),
        ("200+ answers", lambda r: r["answers"] >= 200),
        ("all", lambda r: True),
    ]
    print()
    print("Prediction against the mock exam's scaled score (MAE: mean absolute error)")
    print(
        f"  {'answers before the exam':<26}{'exams':>6}{'MAE vs exam':>13}{'MAE vs expected':>17}{'bias':>7}{'in 80% range':>14}"
    )
    for label, keep in groups:
        rows = [r for r in with_prediction if keep(r)]
        if not rows:
            continue
        mae = statistics.mean(abs(r["predicted"] - r["actual"]) for r in rows)
        mae_expected = statistics.mean(abs(r["predicted"] - r["expected"]) for r in rows)
        bias = statistics.mean(r["predicted"] - r["actual"] for r in rows)
        inside = sum(r["low"] <= r["actual"] <= r["high"] for r in rows) / len(rows)
        print(
            f"  {label:<26}{len(rows):>6}{mae:>13.1f}{mae_expected:>17.1f}{bias:>+7.1f}{inside:>13.0%}"
        )
    luck = statistics.mean(abs(r["actual"] - r["expected"]) for r in results)
    print(f"  (an exam's own luck: mean |scaled score - expected score| = {luck:.1f})")
    print()
    print("Calibration of P(score >= 720)")
    print(f"  {'predicted':<14}{'exams':>6}{'mean predicted':>16}{'passed':>9}")
    edges = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001]
    for low, high in itertools.pairwise(edges):
        rows = [r for r in with_prediction if low <= r["pass_probability"] < high]
        if not rows:
            continue
        mean_p = statistics.mean(r["pass_probability"] for r in rows)
        rate = statistics.mean(r["passed"] for r in rows)
        print(f"  {f'{low:.1f}-{min(high, 1):.1f}':<14}{len(rows):>6}{mean_p:>16.2f}{rate:>9.2f}")
    brier = statistics.mean((r["pass_probability"] - r["passed"]) ** 2 for r in with_prediction)
    base = statistics.mean(r["passed"] for r in with_prediction)
    print(f"  Brier score {brier:.3f} (always saying {base:.2f}: {base * (1 - base):.3f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--days", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dump", help="write each exam's evidence and scores to this JSON file")
    args = parser.parse_args()
    with test_database() as connection:
        from studyapp.authoring.loader import load_content

        load_content(settings.CONTENT_DIR)
        began = time.perf_counter()
        print(
            f"readiness validation on {connection.vendor}: {args.learners} learners, "
            f"{args.days} days, a mock exam every {EXAM_EVERY} days, seed {args.seed}"
        )
        results = simulate(args)
        report(results)
        if args.dump:
            with open(args.dump, "w") as out:
                json.dump(results, out)
        print(f"\n({time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
