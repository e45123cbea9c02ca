import random
from datetime import UTC, datetime

import pytest

from studyapp.quizzes import services

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def attempt(learner):
    return services.exam_start(user=learner, now=NOW, rng=random.Random(7))


def correct_ids(item):
    return sorted(choice.pk for choice in item.question.choices.all() if choice.correct)


def wrong_ids(item):
    wrong = [choice.pk for choice in item.question.choices.all() if not choice.correct]
    return wrong[:1] if item.question.kind == "single" else wrong[:2]


def correct_places(item):
    """Where the right options sit on the exam page (1-based): what the form sends."""
    correct = set(correct_ids(item))
    return [str(place) for place, pk in enumerate(item.choice_order, start=1) if pk in correct]
