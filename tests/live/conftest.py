from datetime import UTC, datetime

import pytest

from studyapp.live import services
from studyapp.quizzes.models import Question

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def questions(kinds: str) -> list[Question]:
    """Questions of the bank by kind: "ssm" = two single-choice then one multiple-response."""
    singles = list(Question.objects.active().filter(kind="single")[: kinds.count("s")])
    multiples = list(Question.objects.active().filter(kind="multiple")[: kinds.count("m")])
    return [singles.pop(0) if kind == "s" else multiples.pop(0) for kind in kinds]


def right(item) -> list[int]:
    correct = set(item.question.choices.filter(correct=True).values_list("pk", flat=True))
    return [pk for pk in item.choice_order if pk in correct]


def wrong(item) -> list[int]:
    correct = set(right(item))
    return [next(pk for pk in item.choice_order if pk not in correct)]


def as_letters(item, choice_ids) -> list[str]:
    """What a player's form sends for these choices: their letters on the screen."""
    return ["ABCDEFGHIJ"[item.choice_order.index(pk)] for pk in choice_ids]


@pytest.fixture
def live(instructor):
    return services.session_create(host=instructor, title="Week 3", questions=questions("ssm"))


@pytest.fixture
def trio(live):
    return [services.player_join(session=live, nickname=name)[0] for name in ("ana", "bo", "cy")]
