"""Points for a live answer: pure functions, no Django.

Base points for a correct answer: ``round(1000 * (1 - (t / T) / 2))``, t = seconds taken
from the moment the question opened, T = its time limit. So 1000 at t = 0, 750 at t = T/2,
500 at t = T. Wrong or no answer: 0.

Rounding: half up (x.5 goes to the next integer), computed with exact fractions from
milliseconds. Python's ``round`` rounds halves to even (998.5 -> 998), which players would
read as a bug ("I was 1 ms faster and got the same points"); half up is what people expect.

Streak bonus (optional, per session): a correct answer that extends a run of consecutive
correct answers earns ``STREAK_STEP`` points per earlier answer in the run, capped at
``STREAK_CAP``: the 1st correct answer in a row +0, the 2nd +100, the 3rd +200, ... at most
+500. A wrong answer, no answer or a skipped question ends the run.
"""

from fractions import Fraction

MAX_POINTS = 1000
STREAK_STEP = 100
STREAK_CAP = 500


def round_half_up(value: Fraction) -> int:
    """Round to the nearest integer, halves away from zero (values here are never negative)."""
    return int((value + Fraction(1, 2)).__floor__())


def base_points(elapsed_ms: int, limit_seconds: int) -> int:
    """Points for a correct answer given ``elapsed_ms`` after the open, with a limit in seconds."""
    if limit_seconds <= 0:
        raise ValueError("the time limit must be positive")
    limit_ms = limit_seconds * 1000
    elapsed = min(max(elapsed_ms, 0), limit_ms)
    return round_half_up(MAX_POINTS * (1 - Fraction(elapsed, limit_ms) / 2))


def streak_bonus(run: int) -> int:
    """Bonus for a correct answer that is the ``run``-th correct answer in a row (run >= 1)."""
    if run <= 1:
        return 0
    return min(STREAK_STEP * (run - 1), STREAK_CAP)


def answer_points(
    *, correct: bool, elapsed_ms: int, limit_seconds: int, run: int = 1, streaks: bool = False
) -> int:
    """Points for one answer: 0 when wrong; base points plus the streak bonus when right."""
    if not correct:
        return 0
    bonus = streak_bonus(run) if streaks else 0
    return base_points(elapsed_ms, limit_seconds) + bonus
