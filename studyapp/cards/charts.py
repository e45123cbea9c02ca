"""Server-rendered SVG charts with text alternatives; dates and numbers in the page's language."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

CELL = 11
GAP = 2
HEATMAP_LEFT = 30  # room for the weekday labels
HEATMAP_TOP = 16  # room for the month labels
LABELLED_WEEKDAYS = (0, 2, 4)  # Monday, Wednesday, Friday, as GitHub and Anki do


def heat_level(count: int) -> int:
    if count == 0:
        return 0
    if count < 5:
        return 1
    if count < 15:
        return 2
    if count < 40:
        return 3
    return 4


def reviews_on_days(total: int, active: int) -> str:
    """ "23 reviews on 2 days in the last year", each number with its own plural."""
    reviews = ngettext("%(n)d review", "%(n)d reviews", total) % {"n": total}
    days = ngettext("%(n)d day", "%(n)d days", active) % {"n": active}
    return _("%(reviews)s on %(days)s in the last year") % {"reviews": reviews, "days": days}


@lru_cache(maxsize=4096)
def _day_label(day: date, count: int, language: str | None) -> str:
    """A heatmap cell's text, escaped: a page draws 371 of them and they repeat across
    requests (the day's date in the page's language, its reviews with their plural)."""
    label = ngettext("%(day)s: %(n)d review", "%(day)s: %(n)d reviews", count) % {
        "day": date_format(day, "DATE_FORMAT"),
        "n": count,
    }
    return escape(label)


def heatmap(per_day: dict[date, int], today: date, days: int = 365) -> SafeString:
    """A calendar of the last `days` days, one column per week, Monday on top; months above,
    weekdays on the left."""
    first = today - timedelta(days=days - 1)
    first -= timedelta(days=first.weekday())  # start on a Monday
    language = get_language()
    cells, months = [], []
    day, column = first, 0
    while day <= today:
        row = day.weekday()
        count = per_day.get(day, 0)
        x = HEATMAP_LEFT + column * (CELL + GAP)
        # Numbers, an ISO date and an escaped label: no escaping left to do per cell.
        cells.append(
            f'<rect x="{x}" y="{row * (CELL + GAP) + HEATMAP_TOP}" width="{CELL}" '
            f'height="{CELL}" rx="2" class="heat-{heat_level(count)}" data-day="{day}" '
            f'data-count="{count}"><title>{_day_label(day, count, language)}</title></rect>'
        )
        if day.day == 1 or (day == first and day.day <= 21):
            months.append((x, HEATMAP_TOP - 5, date_format(day, "M")))
        if row == 6:
            column += 1
        day += timedelta(days=1)
    width = HEATMAP_LEFT + (column + 1) * (CELL + GAP)
    summary = reviews_on_days(sum(per_day.values()), sum(1 for n in per_day.values() if n))
    weekdays = [
        (
            HEATMAP_LEFT - 4,
            HEATMAP_TOP + weekday * (CELL + GAP) + CELL - 2,
            date_format(first + timedelta(days=weekday), "D"),
        )
        for weekday in LABELLED_WEEKDAYS
    ]
    return format_html(
        '<svg class="chart heatmap" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "<title>{}</title>{}{}{}</svg>",
        width,
        7 * (CELL + GAP) + HEATMAP_TOP,
        summary,
        summary,
        format_html_join("", '<text class="month" x="{}" y="{}">{}</text>', months),
        format_html_join(
            "", '<text class="weekday" x="{}" y="{}" text-anchor="end">{}</text>', weekdays
        ),
        mark_safe("".join(cells)),  # built above from numbers and escaped text
    )


def nice_top(value: int) -> int:
    """The y axis's top: the smallest of 1, 2, 4, 6, 8, 10, 20, 40... at least `value`, so that
    its half is a whole number too."""
    step = 1
    while True:
        for factor in (1, 2, 4, 6, 8):
            if step * factor >= value:
                return step * factor
        step *= 10


def bar_chart(values: list[int], labels: list[str], *, title: str, axis: str) -> SafeString:
    """Bars with a y axis (0, half, top, with grid lines) and a labelled x axis."""
    height, bar, gap, left, top_margin = 100, 14, 4, 34, 8
    top = nice_top(max(values, default=0) or 1)
    base = top_margin + height
    bars = []
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = round(value / top * height)
        x = left + index * (bar + gap)
        bars.append((x, base - h, bar, h, value, f"{label}: {value}"))
    body = format_html_join(
        "",
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}" data-value="{}"><title>{}</title></rect>',
        bars,
    )
    width = left + len(values) * (bar + gap)
    ticks = sorted({0, top // 2, top})
    tick_y = {t: base - round(t / top * height) for t in ticks}
    y_axis = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
        [(left - 3, width, tick_y[t], tick_y[t], left - 6, tick_y[t] + 3, t) for t in ticks],
    )
    x_labels = format_html_join(
        "",
        '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        [
            (left + i * (bar + gap) + bar // 2, base + 14, labels[i])
            for i in range(0, len(labels), 5)
        ],
    )
    return format_html(
        '<svg class="chart bars" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>'
        '{}<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}"></line>{}{}'
        '<text class="axis-title" x="2" y="{}" text-anchor="start">{}</text></svg>',
        width,
        base + 34,
        title,
        title,
        y_axis,
        left,
        width,
        base,
        base,
        left,
        left,
        top_margin,
        base,
        body,
        x_labels,
        base + 30,
        axis,
    )


SERIES_CLASSES = ("series-1", "series-2", "series-3", "series-4")


def line_chart(
    series: list[tuple[str, list[float | None]]], labels: list[str], *, title: str
) -> SafeString:
    """Percentages (0 to 100) over time, one line per series; gaps where a value is missing."""
    height, step, left, top_margin = 100, 40, 34, 8
    base = top_margin + height
    width = left + max(1, len(labels) - 1) * step + 20
    grid = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
        [
            (left - 3, width, base - p, base - p, left - 6, base - p + 3, f"{p}%")
            for p in (0, 50, 100)
        ],
    )
    paths, dots = [], []
    for index, (name, values) in enumerate(series):
        klass = SERIES_CLASSES[index % len(SERIES_CLASSES)]
        runs, run = [], []
        for position, value in enumerate(values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            point = (left + position * step, base - round(value * height / 100))
            run.append(point)
            dots.append((klass, point[0], point[1], f"{name}, {labels[position]}: {round(value)}%"))
        if run:
            runs.append(run)
        for points in runs:
            path = " ".join(f"{x},{y}" for x, y in points)
            paths.append((klass, path))
    x_labels = format_html_join(
        "",
        '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        [(left + i * step, base + 14, label) for i, label in enumerate(labels)],
    )
    return format_html(
        '<svg class="chart lines" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>'
        "{}{}{}{}</svg>",
        width,
        base + 22,
        title,
        title,
        grid,
        format_html_join("", '<polyline class="line {}" points="{}"></polyline>', paths),
        format_html_join(
            "",
            '<circle class="dot {}" cx="{}" cy="{}" r="3"><title>{}</title></circle>',
            dots,
        ),
        x_labels,
    )
