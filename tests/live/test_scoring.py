from fractions import Fraction

import pytest

from studyapp.live import scoring
from studyapp.quizzes.models import is_correct


@pytest.mark.parametrize(
    ("elapsed_ms", "limit", "points"),
    [
        (0, 20, 1000),  # t = 0
        (20_000, 20, 500),  # t = T
        (10_000, 20, 750),  # t = T/2
        (7_000, 20, 825),  # exact
        (1, 20, 1000),  # 999.975
        (30, 20, 999),  # 999.25
        (20, 20, 1000),  # 999.5: half up (even rounding would agree here)
        (60, 20, 999),  # 998.5: half up; Python's round() would say 998
        (3_333, 7, 762),  # 761.93 (odd limit)
        (1_000, 3, 833),  # 833.33
        (2_000, 3, 667),  # 666.67
    ],
)
def test_base_points_follow_the_formula_and_round_halves_up(elapsed_ms, limit, points):
    assert scoring.base_points(elapsed_ms, limit) == points


def test_python_round_would_differ_on_halves():
    assert round(998.5) == 998
    assert scoring.round_half_up(Fraction(1997, 2)) == 999
    assert scoring.round_half_up(Fraction(1999, 2)) == 1000


def test_time_outside_the_window_is_clamped():
    assert scoring.base_points(-50, 20) == 1000
    assert scoring.base_points(25_000, 20) == 500


def test_the_time_limit_must_be_positive():
    with pytest.raises(ValueError):
        scoring.base_points(0, 0)


def test_wrong_answers_earn_nothing_even_with_a_streak():
    assert (
        scoring.answer_points(correct=False, elapsed_ms=0, limit_seconds=20, run=5, streaks=True)
        == 0
    )


@pytest.mark.parametrize(
    ("run", "bonus"), [(1, 0), (2, 100), (3, 200), (6, 500), (7, 500), (50, 500)]
)
def test_streak_bonus_is_100_per_earlier_correct_answer_capped_at_500(run, bonus):
    assert scoring.streak_bonus(run) == bonus
    assert (
        scoring.answer_points(correct=True, elapsed_ms=0, limit_seconds=20, run=run, streaks=True)
        == 1000 + bonus
    )


def test_no_bonus_when_streaks_are_off():
    assert scoring.answer_points(correct=True, elapsed_ms=0, limit_seconds=20, run=4) == 1000


def test_multiple_response_is_all_or_nothing():
    assert is_correct({1, 2}, {1, 2})
    assert not is_correct({1}, {1, 2})
    assert not is_correct({1, 2, 3}, {1, 2})
    assert not is_correct(set(), set())
