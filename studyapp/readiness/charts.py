"""The predicted score over time as a server-drawn SVG: the daily predictions with their 80 %
band, the 720 pass line, and each mock exam's actual score beside the score forecast for it."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 10, 34
TICKS = (100, 400, 700, 1000)


@lru_cache(maxsize=4096)
def day_text(day: date, language: str | None) -> str:
    """A day in the page's language's date format (the chart's labels and the exam table's
    days repeat across requests; `language` keys the cache)."""
    return date_format(day, "DATE_FORMAT")


def _y(score: float) -> float:
    return round(TOP + (1000 - score) / 900 * (HEIGHT - TOP - BOTTOM), 1)


def score_history(snapshots, exams, today: date) -> SafeString:
    """`snapshots`: Snapshot rows by day; `exams`: ExamComparison, oldest first."""
    days = [s.day for s in snapshots] + [timezone.localdate(e.attempt.finished_at) for e in exams]
    if not days:
        return SafeString("")
    first = min(days)
    span = max(1, (today - first).days)
    language = get_language()

    def x(day: date) -> float:
        return round(LEFT + (day - first).days / span * (WIDTH - LEFT - RIGHT), 1)

    grid = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
        [(LEFT - 3, WIDTH - RIGHT, _y(t), _y(t), LEFT - 6, _y(t) + 3, t) for t in TICKS],
    )
    band = ""
    if len(snapshots) > 1:
        upper = [(x(s.day), _y(s.high)) for s in snapshots]
        lower = [(x(s.day), _y(s.low)) for s in reversed(snapshots)]
        band = format_html(
            '<polygon class="band" points="{}"></polygon>',
            " ".join(f"{px},{py}" for px, py in upper + lower),
        )
    line = ""
    if len(snapshots) > 1:
        line = format_html(
            '<polyline class="line series-1" points="{}"></polyline>',
            " ".join(f"{x(s.day)},{_y(s.score)}" for s in snapshots),
        )
    dots = format_html_join(
        "",
        '<circle class="dot series-1" cx="{}" cy="{}" r="3"><title>{}</title></circle>',
        [
            (
                x(s.day),
                _y(s.score),
                _("%(day)s: predicted %(score)d (%(low)d–%(high)d)")
                % {
                    "day": day_text(s.day, language),
                    "score": s.score,
                    "low": s.low,
                    "high": s.high,
                },
            )
            for s in snapshots
        ],
    )
    marks = []
    mock_exam, predicted = _("Mock exam of %(day)s: scored %(actual)d"), _("predicted %(forecast)d")
    for exam in exams:  # numbers and one escaped label each: plain text, no format_html
        day = timezone.localdate(exam.attempt.finished_at)
        actual = exam.attempt.scaled_score
        forecast = exam.forecast.score if exam.forecast and exam.forecast.score else None
        label = mock_exam % {"day": day_text(day, language), "actual": actual}
        if forecast is not None:
            label += " · " + predicted % {"forecast": forecast}
        label, at, y_actual = escape(label), x(day), _y(actual)
        if forecast is not None:
            marks.append(
                f'<line class="exam-gap" x1="{at}" x2="{at}" y1="{_y(forecast)}" '
                f'y2="{y_actual}"></line><circle class="exam-forecast" cx="{at}" '
                f'cy="{_y(forecast)}" r="4"><title>{label}</title></circle>'
            )
        marks.append(
            f'<rect class="exam-actual" x="{at - 4}" y="{y_actual - 4}" width="8" height="8">'
            f"<title>{label}</title></rect>"
        )
    title = _(
        "Predicted scaled score by day, with its likely range, and each mock exam's score "
        "beside the score predicted before it"
    )
    x_labels = format_html_join(
        "",
        '<text class="tick" x="{}" y="{}" text-anchor="{}">{}</text>',
        [
            (LEFT, HEIGHT - BOTTOM + 16, "start", day_text(first, language)),
            (WIDTH - RIGHT, HEIGHT - BOTTOM + 16, "end", day_text(today, language)),
        ],
    )
    return format_html(
        '<svg class="chart readiness-chart" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "<title>{}</title>{}"
        '<line class="pass-line" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="tick" x="{}" y="{}" text-anchor="end">720</text>'
        "{}{}{}{}{}</svg>",
        WIDTH, HEIGHT, title, title, grid,
        LEFT, WIDTH - RIGHT, _y(720), _y(720), WIDTH - RIGHT, _y(720) - 3,
        band, line, dots, SafeString("".join(marks)), x_labels,
    )  # fmt: skip
